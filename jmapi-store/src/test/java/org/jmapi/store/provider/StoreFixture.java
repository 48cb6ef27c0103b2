package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.runtime.trace.TraceRecorder;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A throw-away jmapi home with one profile ({@value #PROFILE}) holding one store service — {@value
 * SqliteStoreService#NAME} configured to a store file in the home, or {@value PostgresStoreService#NAME} configured
 * to a store in a PostgreSQL database ({@link #startPostgres}) — driven through the real runtime
 * ({@code Mapi.initialize}, {@code logonEx}, {@code adminProfiles}), with a lifecycle trace recorder. Closing it
 * uninitialises MAPI completely.
 */
final class StoreFixture implements AutoCloseable {
    static final String PROFILE = "test";
    final Path home;
    /** The SQLite store file, or null for a PostgreSQL store. */
    final Path storeFile;
    final TraceRecorder trace = new TraceRecorder();
    final MapiUid service;
    private Runnable stopTrace;

    private StoreFixture(Path home, Path storeFile, boolean configure) {
        this(home, storeFile, SqliteStoreService.NAME, configure
                ? List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH, storeFile.toString())) : null);
    }

    private StoreFixture(Path home, Path storeFile, String serviceName, List<PropValue> settings) {
        this.home = home;
        this.storeFile = storeFile;
        Mapi.initialize(MapiInit.home(home));
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            admin.createProfile(PROFILE, null, 0, 0);
            try (MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                service = services.createMsgService(serviceName, "Personal Folders", 0, 0);
                if (settings != null) {
                    services.configureMsgService(service, 0, 0, settings);
                }
            }
        }
        stopTrace = Mapi.trace().addListener(trace);
    }

    /**
     * @param home      the jmapi home
     * @param url       a PostgreSQL database (it must exist)
     * @param storeName the store's name in it; created by the configuration when missing, with the display name
     *                  "personal" (as a SQLite fixture's file {@code personal.jmapi} gives)
     * @return a fixture whose profile's store is that PostgreSQL store, as {@link
     *         org.jmapi.store.postgres.PostgresServer#USER}
     */
    static StoreFixture startPostgres(Path home, String url, String storeName) {
        return new StoreFixture(home, null, PostgresStoreService.NAME, List.of(
                PropValue.ofString(PostgresStoreService.PR_PG_JDBC_URL, url),
                PropValue.ofString(PostgresStoreService.PR_PG_USER, org.jmapi.store.postgres.PostgresServer.USER),
                PropValue.ofString(PostgresStoreService.PR_PG_PASSWORD,
                        org.jmapi.store.postgres.PostgresServer.PASSWORD),
                PropValue.ofString(PostgresStoreService.PR_PG_STORE_NAME, storeName),
                PropValue.ofString(PropTags.PR_DISPLAY_NAME, "personal")));
    }

    /** @return a fixture whose store file is {@code home/personal.jmapi}, created by the configuration */
    static StoreFixture start(Path home) {
        return new StoreFixture(home, home.resolve("personal.jmapi"), true);
    }

    /** @return a fixture whose {@value PostgresStoreService#NAME} service was created but never configured */
    static StoreFixture unconfiguredPostgres(Path home) {
        return new StoreFixture(home, null, PostgresStoreService.NAME, null);
    }

    /** @return a fixture whose service was created but never configured */
    static StoreFixture unconfigured(Path home) {
        return new StoreFixture(home, home.resolve("personal.jmapi"), false);
    }

    /** Re-initialises MAPI on the same home (a "new process" view of the same profile and file). */
    void restart() {
        stopTrace.run();
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
        Mapi.initialize(MapiInit.home(home));
        stopTrace = Mapi.trace().addListener(trace);
    }

    MapiSession logon() {
        return Mapi.logonEx(0, PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
    }

    /** @return the wrapped entry id of the profile's store, from the message-store table */
    static EntryId storeId(MapiSession session) {
        try (MapiTable t = session.getMsgStoresTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
            List<Row> rows = t.queryRows(10, 0);
            assertThat(rows).hasSize(1);
            return EntryId.of(rows.get(0).get(PropTags.PR_ENTRYID).asBinary());
        }
    }

    /** @return the store, opened with MDB_WRITE */
    static MsgStore open(MapiSession session) {
        return session.openMsgStore(0, storeId(session), Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
    }

    /** The labels the runtime gave one store logon in the trace. */
    record Labels(String client, String spooler, String provider) {}

    /**
     * Opens the store and waits until the spooler holds its own logon on it, so that every later trace is
     * deterministic.
     *
     * @return the store and the trace labels of the client logon, the spooler's logon and the provider object
     */
    Opened openAndAwaitSpooler(MapiSession session) {
        long m = mark();
        MsgStore store = open(session);
        String client = awaitEvent(m, e -> e.call().equals("IMSProvider::Logon") && e.phase() == TraceEvent.Phase.CALL)
                .object();
        TraceEvent spooler = awaitEvent(m, e -> e.call().equals("IMSProvider::SpoolerLogon")
                && e.phase() == TraceEvent.Phase.RETURN);
        assertThat(spooler.hresult()).isEqualTo(HResult.S_OK);
        String provider = trace.events().stream()
                .filter(e -> e.call().equals("MSProviderInit") && e.phase() == TraceEvent.Phase.CALL)
                .reduce((a, b) -> b).orElseThrow().object();
        return new Opened(store, new Labels(client, spooler.object(), provider));
    }

    /** A store and its trace labels. */
    record Opened(MsgStore store, Labels labels) {}

    long mark() {
        return Mapi.trace().lastSeq();
    }

    TraceEvent awaitEvent(long mark, java.util.function.Predicate<TraceEvent> p) {
        await(() -> trace.since(mark).stream().anyMatch(p), () -> "trace event; got " + briefsSince(mark));
        return trace.since(mark).stream().filter(p).findFirst().orElseThrow();
    }

    List<String> briefsSince(long mark) {
        return trace.since(mark).stream().map(TraceEvent::brief).toList();
    }

    void awaitBrief(long mark, String brief) {
        await(() -> briefsSince(mark).contains(brief), () -> "trace event '" + brief + "'; got " + briefsSince(mark));
    }

    @Override
    public void close() {
        stopTrace.run();
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
    }

    // ---- shared helpers ------------------------------------------------------------------------------------

    static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    static void assertCode(int hresult, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(HResult.name(e.hresult())).as(e.getMessage()).isEqualTo(HResult.name(hresult)));
    }

    static EntryId entryId(MapiProp object, int tag) {
        return EntryId.of(object.getProp(tag).orElseThrow(() -> new AssertionError("no " + PropTags.name(tag)))
                .asBinary());
    }

    static String string(MapiProp object, int tag) {
        return object.getProp(tag).orElseThrow(() -> new AssertionError("no " + PropTags.name(tag))).asString();
    }

    static int integer(MapiProp object, int tag) {
        return object.getProp(tag).orElseThrow(() -> new AssertionError("no " + PropTags.name(tag))).asInt();
    }

    /** @return the folder the store property {@code tag} (PR_IPM_*_ENTRYID) names, opened */
    static MapiFolder folder(MsgStore store, int tag) {
        return (MapiFolder) store.openEntry(entryId(store, tag), Flags.MAPI_MODIFY);
    }

    /** Creates and saves a message with a subject in {@code folder}; @return its entry id */
    static EntryId saved(MapiFolder folder, String subject, PropValue... more) {
        try (Message m = folder.createMessage(0)) {
            List<PropValue> values = new ArrayList<>(List.of(PropValue.ofString(PropTags.PR_SUBJECT, subject)));
            values.addAll(List.of(more));
            m.setProps(values);
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            return entryId(m, PropTags.PR_ENTRYID);
        }
    }

    /** @return a resolved recipient row (R-FM-3) */
    static List<PropValue> recipient(String name, int type) {
        return List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, name),
                PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, type),
                PropValue.ofString(PropTags.PR_ADDRTYPE, "SMTP"),
                PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, name.toLowerCase() + "@example.org"),
                PropValue.ofBinary(PropTags.PR_ENTRYID, (name + "-eid").getBytes()));
    }

    /** @return the subjects of a table's rows, in order (the table's columns are changed) */
    static List<String> subjects(MapiTable t) {
        t.setColumns(new int[] {PropTags.PR_SUBJECT}, 0);
        t.seekRow(Flags.BOOKMARK_BEGINNING, 0);
        List<String> out = new ArrayList<>();
        for (Row r : t.queryRows(100_000, 0)) {
            out.add(r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse(null));
        }
        return out;
    }
}
