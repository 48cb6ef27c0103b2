package org.jmapi.cli;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiObject;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Restriction;
import org.jmapi.table.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code jmapi flush}: runs the spooler once for the profile's default store: opens it (the session's spooler logs on
 * to it and enables the transports), calls {@code IMAPIStatus::FlushQueues(FLUSH_UPLOAD | FLUSH_DOWNLOAD)} on the
 * spooler's status object (R-FLUSH-1), and shows a progress bar while the submitted messages of the Outbox leave the
 * queue. Ends the store with LOGOFF_PURGE, whose meaning is exactly "flush, then let go" (R-SLT-9).
 */
@Command(name = "flush", mixinStandardHelpOptions = true,
        description = "Run the spooler once: send what is queued, fetch what is waiting.")
final class FlushCommand extends BaseCommand {
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the queue to empty. Default: ${DEFAULT-VALUE}.")
    int timeout;

    @Option(names = "--progress", description = "Draw the progress bar even when standard error is not a terminal.")
    boolean progress;

    @Option(names = "--store", paramLabel = "NAME", description = "The store (default: the profile's default store).")
    String store;

    @Override
    int run() throws InterruptedException {
        int before;
        int after;
        int received;
        String why = "";
        try (MapiClient client = start()) {
            MapiSession session = client.logon(true);
            MsgStore s = client.openStore(store, true, Flags.LOGOFF_PURGE).store;
            before = queued(s);
            int inbox0 = inboxCount(s);
            try (MapiStatus spooler = spoolerStatus(session);
                 Progress bar = Progress.start("sending", before, progress, settings().json, err())) {
                CompletableFuture<Void> flush = CompletableFuture.runAsync(() ->
                        spooler.flushQueues(0, null, Flags.FLUSH_UPLOAD | Flags.FLUSH_DOWNLOAD));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
                int now = before;
                while (System.nanoTime() < deadline) {
                    now = queued(s);
                    bar.stepTo(Math.max(0, before - now));
                    if (flush.isDone() && now == 0) {
                        break;
                    }
                    Thread.sleep(100);
                }
                try {
                    flush.get(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())), TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (TimeoutException e) {
                    throw new CommandFailure("the spooler did not finish flushing within " + timeout + " s");
                }
                after = queued(s);
                bar.stepTo(Math.max(0, before - after));
            }
            if (after > 0) {
                why = transportTrouble(session);
            }
            received = Math.max(0, inboxCount(s) - inbox0);
        }
        Output o = output();
        int sent = Math.max(0, before - after);
        if (o.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sent", sent);
            m.put("queued", after);
            m.put("received", received);
            o.json(m);
        } else {
            o.line("sent " + sent + ", still queued " + after + ", received " + received);
        }
        if (after > 0) {
            err().println("jmapi: " + after + " message" + (after == 1 ? "" : "s") + " still queued after "
                    + timeout + " s" + (why.isEmpty() ? " ('jmapi status' shows the transports)" : ": " + why));
            err().flush();
        }
        return after == 0 ? 0 : Jmapi.EXIT_FAILURE;
    }

    /**
     * @param session a session
     * @return what the transports' status rows say when something is wrong (a failure or offline bit, or a status
     *         string other than "Available"), e.g. the server that cannot be reached; "" when nothing is
     */
    static String transportTrouble(MapiSession session) {
        List<String> out = new ArrayList<>();
        try (MapiTable t = session.getStatusTable(0)) {
            t.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_RESOURCE_TYPE, PropTags.PR_STATUS_CODE,
                PropTags.PR_STATUS_STRING}, 0);
            for (Row r : Tables.all(t)) {
                if (r.find(PropTags.PR_RESOURCE_TYPE).map(PropValue::asInt).orElse(0) != Flags.MAPI_TRANSPORT_PROVIDER) {
                    continue;
                }
                int code = r.find(PropTags.PR_STATUS_CODE).map(PropValue::asInt).orElse(0);
                String text = r.find(PropTags.PR_STATUS_STRING).map(PropValue::asString).orElse("");
                boolean bad = (code & (Flags.STATUS_FAILURE | Flags.STATUS_OFFLINE)) != 0
                        || !(text.isEmpty() || text.equals("Available"));
                if (bad) {
                    out.add(r.find(PropTags.PR_DISPLAY_NAME).map(PropValue::asString).orElse("a transport") + ": "
                            + (text.isEmpty() ? PropText.statusBits(code) : text));
                }
            }
        }
        return String.join("; ", out);
    }

    /**
     * @param s a store
     * @return the number of submitted messages in its Outbox (MSGFLAG_SUBMIT set)
     */
    static int queued(MsgStore s) {
        try (MapiFolder outbox = Folders.special(s, PropTags.PR_IPM_OUTBOX_ENTRYID, 0);
             MapiTable t = outbox.getContentsTable(0)) {
            t.restrict(new Restriction.Bitmask(Restriction.BMR_NEZ, PropTags.PR_MESSAGE_FLAGS, Flags.MSGFLAG_SUBMIT), 0);
            return t.getRowCount(0);
        }
    }

    /**
     * @param s a store
     * @return the number of messages in its default receive folder
     */
    static int inboxCount(MsgStore s) {
        EntryId inbox = s.getReceiveFolder("", 0).folderId();
        try (MapiFolder f = Folders.folder(s.openEntry(inbox, 0))) {
            return f.getProp(PropTags.PR_CONTENT_COUNT).map(PropValue::asInt).orElse(0);
        }
    }

    /**
     * @param session a session
     * @return the spooler's status object (the status-table row of PR_RESOURCE_TYPE MAPI_SPOOLER)
     */
    static MapiStatus spoolerStatus(MapiSession session) {
        try (MapiTable t = session.getStatusTable(0)) {
            t.setColumns(new int[] {PropTags.PR_RESOURCE_TYPE, PropTags.PR_ENTRYID}, 0);
            for (Row r : Tables.all(t)) {
                if (r.find(PropTags.PR_RESOURCE_TYPE).map(PropValue::asInt).orElse(0) == Flags.MAPI_SPOOLER) {
                    MapiObject o = session.openEntry(EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()), 0);
                    if (o instanceof MapiStatus st) {
                        return st;
                    }
                    o.release();
                }
            }
        }
        throw new CommandFailure("the session has no spooler status row (was it logged on with MAPI_NO_MAIL?)");
    }
}
