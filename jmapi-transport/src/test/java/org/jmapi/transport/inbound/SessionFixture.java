package org.jmapi.transport.inbound;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.runtime.trace.TraceRecorder;
import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real jmapi session for transport tests: a throw-away home with one profile ({@value #PROFILE}) holding the
 * SQLite store ({@code jmapi.sqlite-store}, file {@code home/personal.jmapi}) and one configured transport service,
 * driven through the runtime ({@code Mapi.initialize}, {@code logonEx}) with a lifecycle trace recorder. The
 * spooler polls every 100 ms ({@code jmapi.spooler.poll}) and retries after 200 ms ({@code jmapi.spooler.retry}).
 * Closing the fixture uninitialises MAPI completely.
 *
 * <p>Typical use: {@code start(...)}, {@link #logon()}, {@link #openStore} (which waits for the spooler's own store
 * logon, so inbound mail has somewhere to go), the test, then {@link #end}.
 */
public final class SessionFixture implements AutoCloseable {
    /** The profile's name. */
    public static final String PROFILE = "test";
    /** How long {@link #await} waits. */
    public static final long WAIT_SECONDS = 30;

    static {
        System.setProperty("jmapi.spooler.poll", "100");
        System.setProperty("jmapi.spooler.retry", "200");
    }

    /** The jmapi home. */
    public final Path home;
    /** Everything traced since the start. */
    public final TraceRecorder trace = new TraceRecorder();
    /** The store service's UID. */
    public final MapiUid storeService;
    /** The transport service's UID. */
    public final MapiUid transportService;
    private final Runnable stopTrace;

    private SessionFixture(Path home, String transportService, List<PropValue> config) {
        this.home = home;
        Mapi.initialize(MapiInit.home(home));
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            admin.createProfile(PROFILE, null, 0, 0);
            try (MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                storeService = services.createMsgService(SqliteStoreService.NAME, "Personal Folders", 0, 0);
                services.configureMsgService(storeService, 0, 0, List.of(PropValue.ofString(
                        SqliteStoreService.PR_STORE_PATH, home.resolve("personal.jmapi").toString())));
                this.transportService = services.createMsgService(transportService, transportService, 0, 0);
                services.configureMsgService(this.transportService, 0, 0, config);
            }
        }
        stopTrace = Mapi.trace().addListener(trace);
    }

    /**
     * @param home             an empty directory
     * @param transportService the transport's service name, e.g. {@code "jmapi.pop3"}
     * @param config           the values for its ConfigureMsgService
     * @return the fixture, MAPI initialised
     */
    public static SessionFixture start(Path home, String transportService, List<PropValue> config) {
        return new SessionFixture(home, transportService, config);
    }

    /** Changes the transport's configuration (ConfigureMsgService); later logons read it. */
    public void reconfigure(List<PropValue> config) {
        try (ProfileAdmin admin = Mapi.adminProfiles(0); MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
            services.configureMsgService(transportService, 0, 0, config);
        }
    }

    /** @return a new session on the profile */
    public MapiSession logon() {
        return Mapi.logonEx(0, PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
    }

    /** @return a new session without a spooler (MAPI_NO_MAIL, R-SES-3): it moves no mail, it only looks */
    public MapiSession logonNoMail() {
        return Mapi.logonEx(0, PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION | Flags.MAPI_NO_MAIL);
    }

    /**
     * Opens the profile's store and waits until the spooler holds its own logon on it, so inbound mail can arrive.
     *
     * @param session a session of the profile
     * @return the store, MDB_WRITE
     */
    public MsgStore openStore(MapiSession session) {
        long mark = Mapi.trace().lastSeq();
        MsgStore store = openStoreOnly(session);
        awaitEvent(mark, e -> e.call().equals("IMSProvider::SpoolerLogon") && e.phase() == TraceEvent.Phase.RETURN);
        return store;
    }

    /**
     * @param session a session of the profile
     * @return the profile's store, MDB_WRITE, without waiting for anything
     */
    public static MsgStore openStoreOnly(MapiSession session) {
        EntryId id;
        try (MapiTable t = session.getMsgStoresTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
            List<Row> rows = t.queryRows(10, 0);
            assertThat(rows).hasSize(1);
            id = EntryId.of(rows.get(0).get(PropTags.PR_ENTRYID).asBinary());
        }
        return session.openMsgStore(0, id, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
    }

    /** Ends a test's session as MAPI says: StoreLogoff, release, Logoff, release. */
    public static void end(MapiSession session, MsgStore store) {
        if (store != null) {
            store.storeLogoff(Flags.LOGOFF_ABORT);
            store.release();
        }
        if (session != null) {
            session.logoff(0, 0, 0);
            session.release();
        }
    }

    /** @return the store's receive folder for IPM.Note (the Inbox), opened */
    public static MapiFolder inbox(MsgStore store) {
        MsgStore.ReceiveFolder rf = store.getReceiveFolder("IPM.Note", 0);
        return (MapiFolder) store.openEntry(rf.folderId(), Flags.MAPI_MODIFY);
    }

    /** @return the subjects in the Inbox, in table order */
    public static List<String> inboxSubjects(MsgStore store) {
        try (MapiFolder inbox = inbox(store); MapiTable t = inbox.getContentsTable(0)) {
            t.setColumns(new int[] {PropTags.PR_SUBJECT}, 0);
            List<String> out = new ArrayList<>();
            for (Row r : t.queryRows(100_000, 0)) {
                out.add(r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse(null));
            }
            return out;
        }
    }

    /** @return the Inbox messages' entry ids, in table order */
    public static List<EntryId> inboxIds(MsgStore store) {
        try (MapiFolder inbox = inbox(store); MapiTable t = inbox.getContentsTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
            List<EntryId> out = new ArrayList<>();
            for (Row r : t.queryRows(100_000, 0)) {
                out.add(EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()));
            }
            return out;
        }
    }

    /** @return the Inbox message with this subject, opened read-only */
    public static Message inboxMessage(MsgStore store, String subject) {
        try (MapiFolder inbox = inbox(store); MapiTable t = inbox.getContentsTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID, PropTags.PR_SUBJECT}, 0);
            for (Row r : t.queryRows(100_000, 0)) {
                if (subject.equals(r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse(null))) {
                    return (Message) inbox.openEntry(EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()), 0);
                }
            }
        }
        throw new AssertionError("no message '" + subject + "' in the Inbox; it holds " + inboxSubjects(store));
    }

    /**
     * @param session         a session
     * @param providerDisplay the row's PR_PROVIDER_DISPLAY
     * @return the status-table row of that provider, if there is one
     */
    public static Optional<Row> statusRow(MapiSession session, String providerDisplay) {
        try (MapiTable t = session.getStatusTable(0)) {
            t.setColumns(new int[] {PropTags.PR_PROVIDER_DISPLAY, PropTags.PR_DISPLAY_NAME, PropTags.PR_STATUS_CODE,
                    PropTags.PR_STATUS_STRING, PropTags.PR_ENTRYID}, 0);
            for (Row r : t.queryRows(1000, 0)) {
                if (providerDisplay.equals(r.find(PropTags.PR_PROVIDER_DISPLAY).map(PropValue::asString)
                        .orElse(null))) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /** @return every traced event's brief since the start, one per line */
    public String traceText() {
        return String.join("\n", trace.briefs());
    }

    /** @return the trace's events since {@code mark} that match */
    public List<TraceEvent> events(long mark, Predicate<TraceEvent> p) {
        return trace.since(mark).stream().filter(p).toList();
    }

    /** @return the number of returns of {@code call} traced since {@code mark} */
    public int returns(long mark, String call) {
        return events(mark, e -> e.call().equals(call) && e.phase() == TraceEvent.Phase.RETURN).size();
    }

    /** @return the newest trace sequence number */
    public long mark() {
        return Mapi.trace().lastSeq();
    }

    /** Waits for a traced event since {@code mark}. */
    public TraceEvent awaitEvent(long mark, Predicate<TraceEvent> p) {
        await(() -> trace.since(mark).stream().anyMatch(p),
                () -> "a trace event; got " + trace.since(mark).stream().map(TraceEvent::brief).toList());
        return trace.since(mark).stream().filter(p).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        stopTrace.run();
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
    }

    /**
     * Polls {@code condition} until it holds, for at most {@value #WAIT_SECONDS} seconds.
     *
     * @param condition what to wait for
     * @param what      says what was awaited, for the failure message
     */
    public static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
