package org.jmapi.cli;

import org.jmapi.AdviseSink;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiException;
import org.jmapi.Notification;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.runtime.Mapi;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code jmapi serve}: the long-running host. Logs on to every profile of the home (or the one chosen with
 * {@code --profile} / {@code --mailbox}), opens every store of each, and keeps the sessions alive: each session's
 * spooler sends what is queued in its stores (also what other jmapi processes submit into the same store files) and
 * polls the inbound transports. It prints what happens, from MAPI notifications: new mail (fnevNewMail on the
 * store), messages queued in and leaving the Outbox and arriving in Sent Items (contents-table notifications), and
 * status changes of the transports (status-table notifications). Without {@code --profile}/{@code --mailbox} it
 * also provisions a mailbox for every new directory under {@code <home>/maildrop} and hosts every profile created
 * while it runs.
 *
 * <p>On SIGINT or SIGTERM it shuts down in the order of R-SESOFF-4: per session, unadvise everything, release the
 * tables and folders, end every store with {@code StoreLogoff(LOGOFF_ORDERLY)} and its release (messages in flight
 * finish, queued ones stay queued for the next spooler, R-SLT-8), {@code Logoff}, {@code Release}; then
 * MAPIUninitialize. It prints a one-line summary and exits 0. A second signal during the shutdown exits at once
 * with code 1. A stop signal the process was started ignoring (SIGINT, for a command a shell started with
 * {@code &}) cannot be caught by the JVM: serve says so on standard error and names the signal that still works.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Host the mailboxes: run the spooler (send and receive), print what happens, stop on Ctrl-C / SIGTERM.")
final class ServeCommand extends BaseCommand {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Option(names = "--scan-interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "How often to look for new mailboxes (maildrop directories) and profiles. Default: ${DEFAULT-VALUE}.")
    int scanInterval;

    /** Something a sink saw; handled on the serve thread. */
    record Event(Hosted hosted, HostedStore store, String kind, Notification notification) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Map<String, Hosted> hosted = new LinkedHashMap<>();
    /** Profiles (or mailboxes) that could not be hosted: the error last printed and when to try again. */
    private final Map<String, Failure> failed = new HashMap<>();

    /** A profile that failed to log on or be created: tried again after {@link #RETRY}, its error printed once. */
    record Failure(String error, long retryAt) {}

    /** How long a profile that failed waits before the next attempt (another process may still be making it). */
    private static final long RETRY = TimeUnit.SECONDS.toNanos(5);
    /** The status bits of a transfer in progress, not printed: the state after it is. */
    private static final int ACTIVE = Flags.STATUS_INBOUND_ACTIVE | Flags.STATUS_OUTBOUND_ACTIVE;
    private int sent;
    private int received;
    private Output out;

    @Override
    int run() throws InterruptedException {
        out = output();
        long started = System.nanoTime();
        List<Signal> signals = List.of(new Signal("TERM"), new Signal("INT"));
        List<sun.misc.SignalHandler> previous = new ArrayList<>();
        boolean interruptIgnored = false;
        for (Signal s : signals) {
            sun.misc.SignalHandler was = Signal.handle(s, sig -> {
                if (stop.getCount() == 0) {
                    Runtime.getRuntime().halt(Jmapi.EXIT_FAILURE); // a second signal: the user means it
                }
                stop.countDown();
            });
            previous.add(was);
            if (was == sun.misc.SignalHandler.SIG_IGN) {
                interruptIgnored |= s.getName().equals("INT");
                // The JVM does not catch a stop signal this process was started ignoring (a shell does that to
                // SIGINT for a command started with '&'): say so, or the user waits for a Ctrl-C that does nothing.
                err().println("jmapi: SIG" + s.getName() + " is ignored in this process (it was started ignoring it, "
                        + "as a shell does for a background command); stop serve with "
                        + (s.getName().equals("TERM") ? "SIGKILL" : "SIGTERM"));
                err().flush();
            }
        }
        int queued = 0;
        try (MapiClient client = start()) {
            boolean single = settings().mailbox != null || settings().profile != null;
            if (single) {
                host(client.resolveProfile());
            } else {
                client.ensureDefaultMailbox();
                scan(client);
            }
            if (hosted.isEmpty()) {
                throw new CommandFailure("nothing to serve: every profile failed to log on");
            }
            emit("started", null, Map.of("home", client.home().toString(), "mailboxes", List.copyOf(hosted.keySet())),
                    "serving " + String.join(", ", hosted.keySet()) + " from " + client.home()
                            + "; stop with " + (interruptIgnored ? "kill " + ProcessHandle.current().pid()
                            : "Ctrl-C"));
            long nextScan = System.nanoTime() + TimeUnit.SECONDS.toNanos(scanInterval);
            while (!stop.await(0, TimeUnit.MILLISECONDS)) {
                Event e = events.poll(200, TimeUnit.MILLISECONDS);
                if (e != null) {
                    handle(e);
                }
                if (!single && System.nanoTime() >= nextScan) {
                    scan(client);
                    nextScan = System.nanoTime() + TimeUnit.SECONDS.toNanos(scanInterval);
                }
            }
            Event e;
            while ((e = events.poll()) != null) {
                handle(e);
            }
            for (Hosted h : hosted.values()) {
                queued += h.queued();
            }
            for (Hosted h : hosted.values()) {
                h.end();
            }
        } finally {
            for (int i = 0; i < signals.size(); i++) {
                Signal.handle(signals.get(i), previous.get(i));
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("seconds", seconds);
        summary.put("mailboxes", hosted.size());
        summary.put("sent", sent);
        summary.put("received", received);
        summary.put("queued", queued);
        emit("stopped", null, summary, "stopped after " + seconds + " s: " + hosted.size() + " mailbox"
                + (hosted.size() == 1 ? "" : "es") + ", sent " + sent + ", received " + received + ", still queued "
                + queued);
        return 0;
    }

    /** Hosts every profile not yet hosted, after provisioning a mailbox for every new maildrop directory. */
    private void scan(MapiClient client) {
        Path drop = client.mailboxes().maildrop();
        List<String> profiles;
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            profiles = Mailboxes.profileNames(admin);
        }
        if (Files.isDirectory(drop)) {
            try (Stream<Path> dirs = Files.list(drop)) {
                for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                    String name = d.getFileName().toString();
                    if (!profiles.contains(name) && Mailboxes.isValidName(name) && due(name)) {
                        try {
                            if (client.mailboxes().ensure(name)) {
                                emit("mailbox", name, Map.of("address", Mailboxes.address(name)),
                                        "new mailbox " + name + " (" + Mailboxes.address(name) + ")");
                            }
                        } catch (MapiException | CommandFailure ex) {
                            fail(name, "cannot create mailbox " + name + ": ", ex);
                        }
                    }
                }
            } catch (IOException ex) {
                emit("error", null, Map.of("error", ex.toString()), "cannot list " + drop + ": " + ex.getMessage());
            }
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                profiles = Mailboxes.profileNames(admin);
            }
        }
        for (String p : profiles) {
            if (!hosted.containsKey(p) && due(p)) {
                try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                    Mailboxes.awaitConfigured(admin, p); // a profile another process is still making
                }
                try {
                    host(p);
                    failed.remove(p);
                } catch (MapiException | CommandFailure ex) {
                    fail(p, "cannot serve " + p + ": ", ex);
                }
            }
        }
    }

    /** @return whether a profile may be tried (never failed, or its retry time has come) */
    private boolean due(String name) {
        Failure f = failed.get(name);
        return f == null || System.nanoTime() - f.retryAt() >= 0;
    }

    /** Records a failure; prints it unless it is the same error as last time (it is retried every few seconds). */
    private void fail(String name, String what, RuntimeException ex) {
        String error = Jmapi.describe(ex);
        Failure before = failed.put(name, new Failure(error, System.nanoTime() + RETRY));
        if (before == null || !before.error().equals(error)) {
            emit("error", name, Map.of("error", error), what + error + " (trying again every "
                    + TimeUnit.NANOSECONDS.toSeconds(RETRY) + " s)");
        }
    }

    /** Logs on to one profile and opens its stores. */
    private void host(String profile) {
        Hosted h = new Hosted(profile);
        try {
            h.start();
        } catch (RuntimeException e) {
            h.end();
            throw e;
        }
        hosted.put(profile, h);
    }

    private void handle(Event e) {
        String who = e.hosted().profile;
        switch (e.kind()) {
            case "newmail" -> {
                Notification.NewMail n = (Notification.NewMail) e.notification();
                received++;
                String[] about = describe(e.store().store, n.entryId());
                emit("received", who, Map.of("subject", about[0], "from", about[1]),
                        "received \"" + about[0] + "\"" + (about[1].isEmpty() ? "" : " from " + about[1]));
            }
            case "outbox" -> {
                Notification.Table t = (Notification.Table) e.notification();
                if (t.tableEvent() == Flags.TABLE_ROW_ADDED && t.row() != null) {
                    String subject = cell(t.row(), PropTags.PR_SUBJECT);
                    String to = cell(t.row(), PropTags.PR_DISPLAY_TO);
                    emit("queued", who, Map.of("subject", subject, "to", to), "queued \"" + subject + "\" to " + to);
                }
            }
            case "sent" -> {
                Notification.Table t = (Notification.Table) e.notification();
                if (t.tableEvent() == Flags.TABLE_ROW_ADDED && t.row() != null) {
                    sent++;
                    String subject = cell(t.row(), PropTags.PR_SUBJECT);
                    String to = cell(t.row(), PropTags.PR_DISPLAY_TO);
                    emit("sent", who, Map.of("subject", subject, "to", to), "sent \"" + subject + "\" to " + to);
                }
            }
            case "status" -> {
                Notification.Table t = (Notification.Table) e.notification();
                if ((t.tableEvent() == Flags.TABLE_ROW_ADDED || t.tableEvent() == Flags.TABLE_ROW_MODIFIED)
                        && t.row() != null) {
                    String name = cell(t.row(), PropTags.PR_DISPLAY_NAME);
                    int code = t.row().find(PropTags.PR_STATUS_CODE).map(PropValue::asInt).orElse(0);
                    // A transfer in progress (STATUS_INBOUND/OUTBOUND_ACTIVE) changes the row several times per
                    // message; what is printed is the state each transfer leaves, when it differs from the last one.
                    if ((code & ACTIVE) != 0) {
                        return;
                    }
                    String text = PropText.statusBits(code) + (cell(t.row(), PropTags.PR_STATUS_STRING).isEmpty() ? ""
                            : " (" + cell(t.row(), PropTags.PR_STATUS_STRING) + ")");
                    if (!text.equals(e.hosted().lastStatus.put(name, text))) {
                        emit("status", who, Map.of("name", name, "status", text), "status " + name + ": " + text);
                    }
                }
            }
            default -> { }
        }
    }

    /** @return subject and sender of a message, read on the serve thread */
    private static String[] describe(MsgStore store, EntryId id) {
        try (Message m = ShowCommand.message(store.openEntry(id, 0))) {
            PropValues v = m.getProps(new int[] {PropTags.PR_SUBJECT, PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS,
                PropTags.PR_SENDER_EMAIL_ADDRESS}, 0);
            return new String[] {v.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse(""),
                v.find(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS).or(() -> v.find(PropTags.PR_SENDER_EMAIL_ADDRESS))
                        .map(PropValue::asString).orElse("")};
        } catch (MapiException | CommandFailure e) {
            return new String[] {"?", "?"};
        }
    }

    private static String cell(Row r, int tag) {
        return r.find(tag).map(PropValue::asString).orElse("");
    }

    /** Prints one event: a JSON line, or a time-stamped text line. */
    private void emit(String event, String mailbox, Map<String, Object> fields, String text) {
        if (out.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", event);
            if (mailbox != null) {
                m.put("mailbox", mailbox);
            }
            m.putAll(fields);
            out.json(m);
        } else {
            out.line(LocalTime.now().format(CLOCK) + "  " + (mailbox == null ? "" : mailbox + ": ") + text);
        }
    }

    /** One hosted store and what was subscribed on it. */
    final class HostedStore {
        final MsgStore store;
        final String name;
        final List<MapiTable> tables = new ArrayList<>();
        final List<int[]> tableConnections = new ArrayList<>();
        int storeConnection;

        HostedStore(MsgStore store, String name) {
            this.store = store;
            this.name = name;
        }
    }

    /** One hosted profile: its session, stores, status table and subscriptions. */
    final class Hosted {
        final String profile;
        final Map<String, String> lastStatus = new HashMap<>();
        final List<HostedStore> stores = new ArrayList<>();
        MapiSession session;
        MapiTable statusTable;
        int statusConnection;

        Hosted(String profile) {
            this.profile = profile;
        }

        void start() {
            session = Mapi.logonEx(0, profile, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION
                    | Flags.MAPI_EXPLICIT_PROFILE);
            List<EntryId> ids = new ArrayList<>();
            List<String> names = new ArrayList<>();
            try (MapiTable t = session.getMsgStoresTable(0)) {
                t.setColumns(new int[] {PropTags.PR_ENTRYID, PropTags.PR_DISPLAY_NAME}, 0);
                for (Row r : Tables.all(t)) {
                    ids.add(EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()));
                    names.add(cell(r, PropTags.PR_DISPLAY_NAME));
                }
            }
            for (int i = 0; i < ids.size(); i++) {
                MsgStore store = session.openMsgStore(0, ids.get(i), Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
                HostedStore hs = new HostedStore(store, names.get(i));
                stores.add(hs);
                hs.storeConnection = store.advise(null, Flags.fnevNewMail, sink(hs, "newmail"));
                watch(hs, PropTags.PR_IPM_OUTBOX_ENTRYID, "outbox");
                watch(hs, PropTags.PR_IPM_SENTMAIL_ENTRYID, "sent");
            }
            statusTable = session.getStatusTable(0);
            statusTable.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_STATUS_CODE,
                PropTags.PR_STATUS_STRING, PropTags.PR_RESOURCE_TYPE, PropTags.PR_INSTANCE_KEY}, 0);
            statusConnection = statusTable.advise(Flags.fnevTableModified, sink(null, "status"));
            // The transports' rows as they are now; later changes arrive as TABLE_ROW_MODIFIED.
            for (Row r : Tables.all(statusTable)) {
                if (r.find(PropTags.PR_RESOURCE_TYPE).map(PropValue::asInt).orElse(0) == Flags.MAPI_TRANSPORT_PROVIDER) {
                    events.add(new Event(this, null, "status", new Notification.Table(Flags.TABLE_ROW_ADDED, 0, null,
                            null, r)));
                }
            }
        }

        private void watch(HostedStore hs, int folderTag, String kind) {
            if (hs.store.getProp(folderTag).isEmpty()) {
                return;
            }
            try (MapiFolder f = Folders.special(hs.store, folderTag, 0)) {
                MapiTable t = f.getContentsTable(0);
                hs.tables.add(t);
                t.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_DISPLAY_TO, PropTags.PR_INSTANCE_KEY}, 0);
                hs.tableConnections.add(new int[] {hs.tables.size() - 1, t.advise(Flags.fnevTableModified,
                        sink(hs, kind))});
            }
        }

        private AdviseSink sink(HostedStore hs, String kind) {
            return notifications -> {
                for (Notification n : notifications) {
                    events.add(new Event(this, hs, kind, n));
                }
                return 0;
            };
        }

        /** @return the submitted messages still in the Outboxes */
        int queued() {
            int n = 0;
            for (HostedStore hs : stores) {
                try {
                    n += FlushCommand.queued(hs.store);
                } catch (MapiException | CommandFailure e) {
                    // a store without an Outbox queues nothing
                }
            }
            return n;
        }

        /** The R-SESOFF-4 order: unadvise, release tables, StoreLogoff(ORDERLY) + Release, Logoff, Release. */
        void end() {
            if (statusTable != null) {
                quietly(() -> statusTable.unadvise(statusConnection));
                statusTable.release();
                statusTable = null;
            }
            for (HostedStore hs : stores) {
                for (int[] c : hs.tableConnections) {
                    quietly(() -> hs.tables.get(c[0]).unadvise(c[1]));
                }
                hs.tables.forEach(MapiTable::release);
                if (hs.storeConnection != 0) {
                    quietly(() -> hs.store.unadvise(hs.storeConnection));
                }
                quietly(() -> hs.store.storeLogoff(Flags.LOGOFF_ORDERLY));
                hs.store.release();
            }
            stores.clear();
            if (session != null) {
                quietly(() -> session.logoff(0, 0, 0));
                session.release();
                session = null;
            }
        }

        private void quietly(Runnable r) {
            try {
                r.run();
            } catch (MapiException e) {
                emit("error", profile, Map.of("error", Jmapi.describe(e)), "while stopping: " + Jmapi.describe(e));
            }
        }
    }
}
