package org.jmapi.store.postgres;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageInfo;
import org.jmapi.store.MessageRow;
import org.jmapi.store.Recipient;
import org.jmapi.store.SaveRequest;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.store.postgres.PostgresServer.PASSWORD;
import static org.jmapi.store.postgres.PostgresServer.USER;

/**
 * What only the PostgreSQL engine has: what {@code open} / {@code create} accept and refuse (without touching what
 * they refuse), the connection settings durability rests on, schema migrations, many stores in one database, the
 * store's write lock, and text PostgreSQL indexes differently from SQLite. Each test works in fresh databases of the
 * shared embedded server.
 */
@ExtendWith(PostgresServer.class)
class PostgresStoreTest {
    private final PostgresServer pg;

    PostgresStoreTest(PostgresServer pg) {
        this.pg = pg;
    }

    private static void assertCode(int hresult, ThrowingCallable call, String... mentions) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class, e -> {
            assertThat(e.hresult()).withFailMessage("expected %s, got %s: %s", HResult.name(hresult),
                    HResult.name(e.hresult()), e.getMessage()).isEqualTo(hresult);
            for (String m : mentions) {
                assertThat(e.getMessage()).contains(m);
            }
        });
    }

    private static String dbName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** @return every table of the database outside the system schemas, with its row count: what "untouched" means */
    private List<String> snapshot(String url) throws SQLException {
        try (Connection c = pg.superuser(dbName(url))) {
            List<String> tables = Sql.list(c, "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                    + "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
                    rs -> rs.getString(1));
            List<String> out = new ArrayList<>();
            for (String t : tables) {
                out.add(t + "=" + Sql.longValue(c, "SELECT count(*) FROM " + t));
            }
            out.add("schemas=" + Sql.list(c, "SELECT schema_name FROM information_schema.schemata ORDER BY 1",
                    rs -> rs.getString(1)));
            return out;
        }
    }

    /** Runs statements as the role the engine uses (so what they create is the role's, as an application's is). */
    private void sql(String url, String... statements) throws SQLException {
        try (Connection c = pg.connect(url); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

    private void assertRefused(String url, int hresult, ThrowingCallable call, String... mentions)
            throws SQLException {
        List<String> before = snapshot(url);
        assertCode(hresult, call, mentions);
        assertThat(snapshot(url)).as("the database after the refused call").isEqualTo(before);
    }

    private static PostgresStorage create(String url, String name) {
        return PostgresStorage.create(url, USER, PASSWORD, name, "Mailbox " + name, null);
    }

    private static long folder(PostgresStorage s, String name) {
        return s.createFolder(s.identity().rootFolderId(), name, FolderRecord.FOLDER_GENERIC, null, List.of()).id();
    }

    // ---- what open and create refuse ----------------------------------------------------------------------------

    @Test
    @DisplayName("a database that does not exist is MAPI_E_NOT_FOUND, for open and create")
    void missingDatabase() {
        String url = pg.url("no_such_database");
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> PostgresStorage.open(url, USER, PASSWORD, "alice"),
                "no_such_database", "does not exist");
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> create(url, "alice"), "does not exist");
    }

    @Test
    @DisplayName("an unknown store name is MAPI_E_NOT_FOUND and creates nothing, not even the jmapi schema")
    void unknownStore() throws SQLException {
        String url = pg.newDatabase("unknown");
        assertRefused(url, HResult.MAPI_E_NOT_FOUND, () -> PostgresStorage.open(url, USER, PASSWORD, "alice"),
                "alice", "no jmapi stores");
        create(url, "bob").close();
        assertRefused(url, HResult.MAPI_E_NOT_FOUND, () -> PostgresStorage.open(url, USER, PASSWORD, "alice"),
                "'alice'");
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> PostgresStorage.open(url, USER, PASSWORD, " "));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> PostgresStorage.open("jdbc:sqlite:/tmp/x", USER,
                PASSWORD, "bob"));
    }

    @Test
    @DisplayName("a refused password or role is MAPI_E_LOGON_FAILED; an unreachable server MAPI_E_NETWORK_ERROR")
    void logonAndNetworkFailures() throws SQLException {
        String url = pg.newDatabase("logon");
        create(url, "alice").close();
        assertRefused(url, HResult.MAPI_E_LOGON_FAILED, () -> PostgresStorage.open(url, USER, "wrong", "alice"),
                "'" + USER + "'", "password");
        assertRefused(url, HResult.MAPI_E_LOGON_FAILED, () -> PostgresStorage.create(url, USER, "wrong", "carol",
                "x", null));
        assertCode(HResult.MAPI_E_LOGON_FAILED, () -> PostgresStorage.open(url, "nobody_here", "x", "alice"));
        assertCode(HResult.MAPI_E_NETWORK_ERROR, () -> PostgresStorage.open("jdbc:postgresql://127.0.0.1:1/x"
                + "?connectTimeout=5", USER, PASSWORD, "alice"), "cannot be reached");
        try (PostgresStorage s = PostgresStorage.open(url, USER, PASSWORD, "alice")) {
            assertThat(s.identity().displayName()).isEqualTo("Mailbox alice");
        }
    }

    @Test
    @DisplayName("a \"jmapi\" schema that is not jmapi's is MAPI_E_CORRUPT_STORE, left as it was")
    void foreignSchema() throws SQLException {
        String plain = pg.newDatabase("foreign");
        sql(plain, "CREATE SCHEMA jmapi", "CREATE TABLE jmapi.t (x INTEGER)", "INSERT INTO jmapi.t VALUES (1)");
        assertRefused(plain, HResult.MAPI_E_CORRUPT_STORE, () -> PostgresStorage.open(plain, USER, PASSWORD, "a"),
                "not jmapi's");
        assertRefused(plain, HResult.MAPI_E_CORRUPT_STORE, () -> create(plain, "a"));

        String impostor = pg.newDatabase("impostor");
        sql(impostor, "CREATE SCHEMA jmapi", "CREATE TABLE jmapi.schema_version (version INTEGER PRIMARY KEY, "
                + "description TEXT, applied_at BIGINT)", "INSERT INTO jmapi.schema_version VALUES (1, 'mine', 0)");
        assertRefused(impostor, HResult.MAPI_E_CORRUPT_STORE, () -> create(impostor, "a"), "'mine'");

        String odd = pg.newDatabase("odd");
        sql(odd, "CREATE SCHEMA jmapi", "CREATE TABLE jmapi.schema_version (v TEXT)");
        assertRefused(odd, HResult.MAPI_E_CORRUPT_STORE, () -> PostgresStorage.open(odd, USER, PASSWORD, "a"));

        String hidden = pg.newDatabase("hidden");
        try (Connection c = pg.superuser(dbName(hidden)); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA jmapi");
            st.execute("CREATE TABLE jmapi.schema_version (version INTEGER, description TEXT, applied_at BIGINT)");
        }
        assertRefused(hidden, HResult.MAPI_E_NO_ACCESS, () -> PostgresStorage.open(hidden, USER, PASSWORD, "a"),
                "privilege");

        String other = pg.newDatabase("otherapp");
        sql(other, "CREATE TABLE public.customers (id INTEGER)", "INSERT INTO public.customers VALUES (7)");
        try (PostgresStorage s = create(other, "a")) {
            assertThat(s.identity().schemaVersion()).isEqualTo(Schema.latest(Schema.MIGRATIONS));
        }
        assertThat(snapshot(other)).contains("public.customers=1");
    }

    @Test
    @DisplayName("a store whose root folder is gone is MAPI_E_CORRUPT_STORE, untouched")
    void damagedStore() throws SQLException {
        String url = pg.newDatabase("damaged");
        long root;
        try (PostgresStorage s = create(url, "alice")) {
            root = s.identity().rootFolderId();
        }
        sql(url, "DELETE FROM jmapi.folder WHERE id = " + root);
        assertRefused(url, HResult.MAPI_E_CORRUPT_STORE, () -> PostgresStorage.open(url, USER, PASSWORD, "alice"),
                "root folder");
    }

    @Test
    @DisplayName("a schema written by a newer jmapi is MAPI_E_VERSION, untouched")
    void newerSchemaVersion() throws SQLException {
        String url = pg.newDatabase("future");
        create(url, "alice").close();
        sql(url, "INSERT INTO jmapi.schema_version VALUES (99, 'from the future', 0)");
        assertRefused(url, HResult.MAPI_E_VERSION, () -> PostgresStorage.open(url, USER, PASSWORD, "alice"),
                "99", "newer");
        assertRefused(url, HResult.MAPI_E_VERSION, () -> create(url, "bob"));
    }

    @Test
    @DisplayName("a database that does not use UTF-8 is refused with MAPI_E_NO_SUPPORT")
    void nonUtf8Database() throws SQLException {
        try (Connection c = pg.superuser("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE latin OWNER " + USER + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' "
                    + "TEMPLATE template0");
        }
        String url = pg.url("latin");
        assertRefused(url, HResult.MAPI_E_NO_SUPPORT, () -> create(url, "alice"), "LATIN1", "UTF8");
    }

    @Test
    @DisplayName("create never replaces a store: the same name again is MAPI_E_COLLISION; bad names are refused")
    void create_collisionAndBadNames() throws SQLException {
        String url = pg.newDatabase("collide");
        MapiUid uid;
        try (PostgresStorage s = create(url, "alice")) {
            uid = s.identity().storeUid();
            folder(s, "Inbox");
        }
        assertRefused(url, HResult.MAPI_E_COLLISION, () -> create(url, "alice"), "'alice'");
        try (PostgresStorage s = PostgresStorage.open(url, USER, PASSWORD, "alice")) {
            assertThat(s.identity().storeUid()).isEqualTo(uid);
            assertThat(s.listFolders(s.identity().rootFolderId())).extracting(FolderRecord::displayName)
                    .containsExactly("Inbox");
        }
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> create(url, ""));
        assertCode(HResult.MAPI_E_BAD_VALUE, () -> create(url, "nul\u0000name"));
        assertCode(HResult.MAPI_E_BAD_VALUE, () -> PostgresStorage.create(url, USER, PASSWORD, "x", "a\u0000b",
                null));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> PostgresStorage.create(url, USER, PASSWORD, "x", null,
                null));
    }

    // ---- settings, identity, migrations -----------------------------------------------------------------------

    @Test
    @DisplayName("durable commits: synchronous_commit on although the server's default is off; fsync on; UTF8")
    void connectionSettings() throws SQLException {
        String url = pg.newDatabase("settings");
        try (Connection c = pg.connect(url)) {
            assertThat(Sql.one(c, "SHOW synchronous_commit", rs -> rs.getString(1))).contains("off");
        }
        try (PostgresStorage s = create(url, "alice")) {
            Map<String, String> m = s.settings();
            assertThat(m).containsEntry("synchronous_commit", "on").containsEntry("fsync", "on")
                    .containsEntry("transaction_isolation", "read committed").containsEntry("lock_timeout", "10s")
                    .containsEntry("server_encoding", "UTF8");
        }
    }

    @Test
    void create_recordsIdentityAndSchemaVersion() throws SQLException {
        String url = pg.newDatabase("identity");
        MapiUid uid = MapiUid.parse("0123456789abcdef0123456789abcdef");
        try (PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "alice", "Personal Folders", uid)) {
            assertThat(s.identity().storeUid()).isEqualTo(uid);
            assertThat(s.identity().displayName()).isEqualTo("Personal Folders");
            assertThat(s.identity().schemaVersion()).isEqualTo(Schema.latest(Schema.MIGRATIONS));
            assertThat(s.storeName()).isEqualTo("alice");
            assertThat(s.jdbcUrl()).isEqualTo(url);
        }
        try (Connection c = pg.superuser(dbName(url))) {
            assertThat(Sql.list(c, "SELECT version || ':' || description FROM jmapi.schema_version ORDER BY version",
                    rs -> rs.getString(1))).containsExactlyElementsOf(applied(Schema.MIGRATIONS));
            assertThat(Sql.list(c, "SELECT name FROM jmapi.store", rs -> rs.getString(1))).containsExactly("alice");
        }
    }

    @Test
    @DisplayName("pending migrations are applied in order, in one transaction; a failing one changes nothing")
    void migrations_appliedInOrderAtomically() throws SQLException {
        String url = pg.newDatabase("migrate");
        create(url, "alice").close();
        int n = Schema.latest(Schema.MIGRATIONS); // the test's own migrations come after the real ones
        Migration m2 = new Migration(n + 1, "add a table", List.of("CREATE TABLE jmapi.extra2 (x INTEGER)",
                "INSERT INTO jmapi.extra2 VALUES (2)"));
        Migration m3 = new Migration(n + 2, "add another", List.of("CREATE TABLE jmapi.extra3 (x INTEGER)",
                "INSERT INTO jmapi.extra3 SELECT x + 1 FROM jmapi.extra2"));
        List<Migration> upTo3 = new ArrayList<>(Schema.MIGRATIONS);
        upTo3.add(m2);
        upTo3.add(m3);
        PostgresStorage.Options o = PostgresStorage.Options.defaults();
        try (PostgresStorage s = PostgresStorage.open(url, USER, PASSWORD, "alice", o, upTo3)) {
            assertThat(s.identity().schemaVersion()).isEqualTo(n + 2);
        }
        try (Connection c = pg.superuser(dbName(url))) {
            assertThat(Sql.list(c, "SELECT version || ':' || description FROM jmapi.schema_version ORDER BY version",
                    rs -> rs.getString(1))).containsExactlyElementsOf(applied(upTo3));
            assertThat(Sql.longValue(c, "SELECT x FROM jmapi.extra3")).isEqualTo(3);
        }

        List<Migration> broken = new ArrayList<>(upTo3);
        broken.add(new Migration(n + 3, "good then bad", List.of("CREATE TABLE jmapi.extra4 (x INTEGER)",
                "INSERT INTO jmapi.nowhere VALUES (1)")));
        broken.add(new Migration(n + 4, "never reached", List.of("CREATE TABLE jmapi.extra5 (x INTEGER)")));
        assertRefused(url, HResult.MAPI_E_CALL_FAILED, () -> PostgresStorage.open(url, USER, PASSWORD, "alice", o,
                broken), "from version " + (n + 2) + " to " + (n + 4), "nothing was changed");
        try (PostgresStorage s = PostgresStorage.open(url, USER, PASSWORD, "alice", o, upTo3)) {
            assertThat(s.identity().schemaVersion()).isEqualTo(n + 2);
        }
        assertRefused(url, HResult.MAPI_E_VERSION, () -> PostgresStorage.open(url, USER, PASSWORD, "alice"));

        String fresh = pg.newDatabase("fresh");
        List<Migration> gap = List.of(Schema.MIGRATIONS.get(0), m3);
        assertThatThrownBy(() -> PostgresStorage.create(fresh, USER, PASSWORD, "a", "x", null, o, gap))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without gaps");
        assertThat(snapshot(fresh)).noneMatch(t -> t.startsWith("jmapi."));
    }

    /** @return "version:description" of each migration, as jmapi.schema_version lists them */
    private static List<String> applied(List<Migration> migrations) {
        return migrations.stream().map(m -> m.version() + ":" + m.description()).toList();
    }

    // ---- many stores in one database ----------------------------------------------------------------------------

    @Test
    @DisplayName("stores of one database see only their own folders, messages, names, queue and changes")
    void manyStores_isolated() throws Exception {
        String url = pg.newDatabase("many");
        try (PostgresStorage a = create(url, "alice"); PostgresStorage b = create(url, "bob")) {
            long fa = folder(a, "Inbox");
            long fb = folder(b, "Inbox");
            assertThat(fb).isNotEqualTo(fa);
            long ma = a.saveMessage(SaveRequest.create(fa, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SUBJECT, "for alice"))))).id();
            a.submitMessage(ma, Instant.now(), 0);
            a.setReceiveFolder("IPM", fa);
            int[] named = a.getIdsFromNames(List.of(NamedProperty.ofName(MapiUid.random(), "only alice")), true);

            assertCode(HResult.MAPI_E_NOT_FOUND, () -> b.loadFolder(fa));
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> b.loadMessage(ma));
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> b.query(ContentsQuery.of(fa)));
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> b.moveMessage(ma, fb));
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> b.saveMessage(SaveRequest.create(fa, MessageImage.of(
                    List.of()))));
            assertThat(b.deleteMessages(List.of(ma))).containsEntry(ma, HResult.MAPI_E_NOT_FOUND);
            assertThat(b.queue()).isEmpty();
            assertThat(b.lockNextQueued()).isEmpty();
            assertThat(b.receiveFolders()).isEmpty();
            assertThat(b.namedProperties()).isEmpty();
            assertThat(b.getNamesFromIds(named)).containsOnlyNulls();
            assertThat(b.activitySummary().logoffFlags()).isZero();

            long counterB = b.changeCounter();
            a.renameFolder(fa, "Post");
            assertThat(b.changeCounter()).isEqualTo(counterB);
            assertThat(a.queue()).extracting(MessageRow::id).containsExactly(ma);

            // the two stores write in parallel: neither waits for the other's write lock
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (PostgresStorage s : List.of(a, b)) {
                    long f = s == a ? fa : fb;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 40; i++) {
                            s.saveMessage(SaveRequest.create(f, MessageImage.of(List.of(
                                    PropValue.ofString(PropTags.PR_SUBJECT, s.storeName() + " " + i)))));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(a.loadFolder(fa).contentCount()).isEqualTo(41);
            assertThat(b.loadFolder(fb).contentCount()).isEqualTo(40);
            assertThat(b.query(ContentsQuery.of(fb))).allSatisfy(r -> assertThat(r.get(PropTags.PR_SUBJECT)
                    .asString()).startsWith("bob "));
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("a store's writes wait for its write lock, up to the busy timeout; reads and other stores do not")
    void writeLock_busyTimeout() throws SQLException {
        String url = pg.newDatabase("locks");
        PostgresStorage.Options quick = PostgresStorage.Options.defaults().withBusyTimeout(Duration.ofMillis(300));
        create(url, "alice").close();
        try (PostgresStorage a = PostgresStorage.open(url, USER, PASSWORD, "alice", quick);
             PostgresStorage b = PostgresStorage.create(url, USER, PASSWORD, "bob", "Bob", null, quick);
             Connection holder = pg.connect(url)) {
            long fa = folder(a, "Inbox");
            long counter = a.changeCounter();
            holder.setAutoCommit(false);
            Sql.list(holder, "SELECT id FROM jmapi.store WHERE name = 'alice' FOR UPDATE", rs -> rs.getLong(1));
            assertCode(HResult.MAPI_E_BUSY, () -> folder(a, "Blocked"), "busy timeout");
            assertThat(a.loadFolder(fa).displayName()).isEqualTo("Inbox");
            assertThat(a.changeCounter()).isEqualTo(counter);
            folder(b, "Free");
            holder.rollback();
            folder(a, "Now");
            assertThat(a.listFolders(a.identity().rootFolderId())).extracting(FolderRecord::displayName)
                    .containsExactly("Inbox", "Now");
        }
    }

    // ---- rows and text --------------------------------------------------------------------------------------------

    private long rows(String url, String table, long storeId) throws SQLException {
        try (Connection c = pg.superuser(dbName(url))) {
            return Sql.longValue(c, "SELECT count(*) FROM jmapi." + table + " WHERE store_id = ?", storeId);
        }
    }

    @Test
    @DisplayName("replacing, deleting and folder deletion leave no recipient, attachment or chunk rows behind")
    void deletesAndReplacements_leaveNoOrphanRows() throws SQLException {
        String url = pg.newDatabase("orphans");
        try (PostgresStorage s = create(url, "alice"); PostgresStorage other = create(url, "bob")) {
            long sid = s.sid();
            long f = folder(s, "f");
            MessageImage inner = MessageImage.builder()
                    .set(PropValue.ofBinary(PropTags.PR_HTML, new byte[20_000]))
                    .recipient(new Recipient(0, List.of()))
                    .build();
            MessageImage image = MessageImage.builder()
                    .set(PropValue.ofString(PropTags.PR_BODY, "b".repeat(10_000)))
                    .recipient(new Recipient(0, List.of()))
                    .attachment(Attachment.of(0, List.of(PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN,
                            new byte[100_000]))).withEmbeddedMessage(inner))
                    .build();
            long a = s.saveMessage(SaveRequest.create(f, image)).id();
            long b = s.saveMessage(SaveRequest.create(f, image)).id();
            other.saveMessage(SaveRequest.create(folder(other, "g"), image));
            assertThat(rows(url, "subobject", sid)).isEqualTo(8);
            assertThat(rows(url, "large_value", sid)).isEqualTo(6);
            assertThat(rows(url, "large_chunk", sid)).isEqualTo(2 * (1 + 2 + 1));
            s.saveMessage(SaveRequest.update(a, 1, MessageImage.of(List.of(PropValue.ofString(PropTags.PR_SUBJECT,
                    "small now")))));
            assertThat(rows(url, "subobject", sid)).isEqualTo(4);
            assertThat(rows(url, "large_value", sid)).isEqualTo(3);
            s.deleteMessage(b);
            s.deleteFolder(f, false, true);
            for (String t : List.of("message", "subobject", "large_value", "large_chunk")) {
                assertThat(rows(url, t, sid)).as(t).isZero();
            }
            assertThat(rows(url, "large_chunk", other.sid())).as("the other store's chunks").isEqualTo(4);
        }
    }

    @Test
    @DisplayName("indexed strings longer than a B-tree entry may be are stored, restricted and sorted exactly")
    void longIndexedStrings() throws SQLException {
        String url = pg.newDatabase("longtext");
        try (PostgresStorage s = create(url, "alice")) {
            long f = folder(s, "f");
            String prefix = "\uD83D\uDE00".repeat(150) + "x".repeat(100);
            List<String> subjects = List.of(prefix + "b".repeat(10_000), prefix + "a".repeat(12_000), prefix,
                    prefix + "a", "short", prefix.substring(0, 100));
            List<Long> ids = new ArrayList<>();
            for (String subject : subjects) {
                ids.add(s.saveMessage(SaveRequest.create(f, MessageImage.of(List.of(
                        PropValue.ofString(PropTags.PR_SUBJECT, subject),
                        PropValue.ofString(PropTags.PR_SENDER_NAME, subject))))).id());
            }
            List<Long> ascending = s.query(ContentsQuery.of(f).withSort(SortOrder.ascending(PropTags.PR_SUBJECT)))
                    .stream().map(MessageRow::id).toList();
            // UTF-16 order: 's' (U+0073) before the surrogates; a prefix before its extensions
            assertThat(ascending).containsExactly(ids.get(4), ids.get(5), ids.get(2), ids.get(3), ids.get(1),
                    ids.get(0));
            assertThat(s.query(ContentsQuery.of(f).withSort(SortOrder.descending(PropTags.PR_SENDER_NAME)).page(0, 3)))
                    .extracting(MessageRow::id).containsExactly(ids.get(0), ids.get(1), ids.get(3));
            MessageInfo longest = s.messageInfo(ids.get(1));
            assertThat(s.loadMessage(longest.id()).image().find(PropTags.PR_SUBJECT).orElseThrow().asString())
                    .isEqualTo(subjects.get(1));
            assertThat(s.count(f, false, new org.jmapi.table.Restriction.Content(
                    org.jmapi.table.Restriction.FL_PREFIX, PropTags.PR_SUBJECT,
                    PropValue.ofString(PropTags.PR_SUBJECT, prefix + "a")))).isEqualTo(2);
        }
    }

    // ---- leases ----------------------------------------------------------------------------------------------

    @Test
    @DisplayName("an open instance keeps renewing its lease, so its lock outlives the lease duration")
    void lease_isRenewedWhileOpen() throws Exception {
        String url = pg.newDatabase("lease");
        PostgresStorage.Options fast = PostgresStorage.Options.defaults()
                .withLease(Duration.ofMillis(1500), Duration.ofMillis(100));
        try (PostgresStorage spooler = PostgresStorage.create(url, USER, PASSWORD, "alice", "x", null, fast);
             PostgresStorage client = PostgresStorage.open(url, USER, PASSWORD, "alice", fast)) {
            long outbox = folder(spooler, "Outbox");
            long m = spooler.saveMessage(SaveRequest.create(outbox, MessageImage.of(List.of())).withSubmit(
                    Instant.now(), 0)).id();
            spooler.lockMessage(m);
            Thread.sleep(3000);
            assertThat(client.messageInfo(m).queue().lockOwner()).isEqualTo(spooler.ownerId());
            assertCode(HResult.MAPI_E_UNABLE_TO_ABORT, () -> client.abortSubmit(m));
        }
    }
}
