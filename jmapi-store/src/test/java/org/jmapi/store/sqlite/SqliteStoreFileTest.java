package org.jmapi.store.sqlite;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageRow;
import org.jmapi.store.Recipient;
import org.jmapi.store.SaveRequest;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the SQLite engine has: the store file (what {@code open} accepts and refuses, without touching what it
 * refuses), the connection settings durability rests on, schema migrations, and the query plans of contents tables.
 */
class SqliteStoreFileTest {
    @TempDir
    Path dir;

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRefused(Path file, int hresult, ThrowingCallable open) throws IOException {
        String before = sha256(file);
        long size = Files.size(file);
        assertThatThrownBy(open).isInstanceOfSatisfying(MapiException.class, e -> {
            assertThat(e.hresult()).withFailMessage("expected %s, got %s: %s", HResult.name(hresult),
                    HResult.name(e.hresult()), e.getMessage()).isEqualTo(hresult);
            assertThat(e.getMessage()).contains(file.toString());
        });
        assertThat(sha256(file)).as("file bytes after the refused open").isEqualTo(before);
        assertThat(Files.size(file)).isEqualTo(size);
    }

    private static void sql(Path file, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    // ---- opening what is not a store -----------------------------------------------------------------------

    @Test
    @DisplayName("open of a missing file is MAPI_E_NOT_FOUND and creates nothing")
    void open_missingFile() {
        Path p = dir.resolve("missing.jmapi");
        assertThatThrownBy(() -> SqliteStorage.open(p)).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_NOT_FOUND));
        assertThat(p).doesNotExist();
        assertThat(dir.resolve("missing.jmapi-wal")).doesNotExist();
    }

    @Test
    void create_neverOverwrites() throws IOException {
        Path p = dir.resolve("taken.jmapi");
        Files.writeString(p, "somebody's data");
        assertRefused(p, HResult.MAPI_E_COLLISION, () -> SqliteStorage.create(p, "x", null));
        SqliteStorage.create(dir.resolve("real.jmapi"), "x", null).close();
        assertRefused(dir.resolve("real.jmapi"), HResult.MAPI_E_COLLISION,
                () -> SqliteStorage.create(dir.resolve("real.jmapi"), "x", null));
        assertThatThrownBy(() -> SqliteStorage.create(dir.resolve("no/such/dir/s.jmapi"), "x", null))
                .isInstanceOfSatisfying(MapiException.class,
                        e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_NOT_FOUND));
    }

    @Test
    @DisplayName("a file that is not a SQLite database is MAPI_E_CORRUPT_STORE, left byte for byte as it was")
    void open_garbageAndEmptyFiles() throws IOException {
        Path garbage = dir.resolve("garbage.jmapi");
        byte[] bytes = new byte[5000];
        new Random(1).nextBytes(bytes);
        Files.write(garbage, bytes);
        assertRefused(garbage, HResult.MAPI_E_CORRUPT_STORE, () -> SqliteStorage.open(garbage));
        Path empty = dir.resolve("empty.jmapi");
        Files.write(empty, new byte[0]);
        assertRefused(empty, HResult.MAPI_E_CORRUPT_STORE, () -> SqliteStorage.open(empty));
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "SQLite format 2 is not what this is\n".repeat(10));
        assertRefused(text, HResult.MAPI_E_CORRUPT_STORE, () -> SqliteStorage.open(text));
        assertThat(dir.resolve("garbage.jmapi-wal")).doesNotExist();
        assertThatThrownBy(() -> SqliteStorage.open(dir)).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_CORRUPT_STORE));
    }

    @Test
    @DisplayName("a SQLite database that is not a jmapi store is MAPI_E_CORRUPT_STORE, untouched")
    void open_foreignSqliteDatabases() throws Exception {
        Path plain = dir.resolve("plain.db");
        sql(plain, "CREATE TABLE t (x)", "INSERT INTO t VALUES (1)");
        assertRefused(plain, HResult.MAPI_E_CORRUPT_STORE, () -> SqliteStorage.open(plain));
        assertThat(Path.of(plain + "-wal")).doesNotExist();
        assertThat(Path.of(plain + "-shm")).doesNotExist();

        Path wal = dir.resolve("wal.db");
        sql(wal, "PRAGMA journal_mode=WAL", "CREATE TABLE t (x)");
        assertRefused(wal, HResult.MAPI_E_CORRUPT_STORE, () -> SqliteStorage.open(wal));

        Path busyWal = dir.resolve("busy-wal.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + busyWal); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE t (x)");
            s.execute("INSERT INTO t VALUES (2)");
            assertRefused(busyWal, HResult.MAPI_E_CORRUPT_STORE, () -> SqliteStorage.open(busyWal));
        }

        Path impostor = dir.resolve("impostor.db");
        sql(impostor, "PRAGMA application_id = " + Schema.APPLICATION_ID, "CREATE TABLE t (x)");
        assertRefused(impostor, HResult.MAPI_E_CORRUPT_STORE, () -> SqliteStorage.open(impostor));

        Path noIdentity = dir.resolve("no-identity.db");
        sql(noIdentity, "PRAGMA application_id = " + Schema.APPLICATION_ID,
                "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT, applied_at INTEGER)",
                "INSERT INTO schema_version VALUES (1, 'x', 0)");
        assertRefused(noIdentity, HResult.MAPI_E_CORRUPT_STORE, () -> SqliteStorage.open(noIdentity));
    }

    @Test
    @DisplayName("a damaged jmapi store is MAPI_E_CORRUPT_STORE, untouched")
    void open_damagedStore() throws IOException {
        Path p = dir.resolve("damaged.jmapi");
        SqliteStorage.create(p, "x", null).close();
        byte[] bytes = Files.readAllBytes(p);
        for (int i = 100; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Files.write(p, bytes);
        assertRefused(p, HResult.MAPI_E_CORRUPT_STORE, () -> SqliteStorage.open(p));
    }

    @Test
    @DisplayName("a store written by a newer jmapi is MAPI_E_VERSION, untouched")
    void open_newerSchemaVersion() throws Exception {
        Path p = dir.resolve("future.jmapi");
        SqliteStorage.create(p, "x", null).close();
        sql(p, "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', 0)",
                "PRAGMA wal_checkpoint(TRUNCATE)");
        assertRefused(p, HResult.MAPI_E_VERSION, () -> SqliteStorage.open(p));
        assertThatThrownBy(() -> SqliteStorage.open(p)).hasMessageContaining("99").hasMessageContaining("newer");
    }

    // ---- connection settings and migrations ------------------------------------------------------------------

    @Test
    @DisplayName("WAL, synchronous=FULL, foreign keys on, busy timeout: what the durability promise rests on")
    void connectionSettings() {
        try (SqliteStorage s = SqliteStorage.create(dir.resolve("p.jmapi"), "x", null)) {
            Map<String, String> p = s.db().pragmas();
            assertThat(p).containsEntry("journal_mode", "wal").containsEntry("synchronous", "2")
                    .containsEntry("foreign_keys", "1").containsEntry("busy_timeout", "10000");
        }
    }

    @Test
    void create_recordsIdentityAndSchemaVersion() throws Exception {
        MapiUid uid = MapiUid.parse("0123456789abcdef0123456789abcdef");
        Path p = dir.resolve("id.jmapi");
        try (SqliteStorage s = SqliteStorage.create(p, "Personal Folders", uid)) {
            assertThat(s.identity().storeUid()).isEqualTo(uid);
            assertThat(s.identity().displayName()).isEqualTo("Personal Folders");
            assertThat(s.identity().schemaVersion()).isEqualTo(Schema.latest(Schema.MIGRATIONS));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p)) {
            assertThat(Sql.longValue(c, "PRAGMA application_id")).isEqualTo(Schema.APPLICATION_ID);
            assertThat(Sql.list(c, "SELECT version FROM schema_version ORDER BY version", rs -> rs.getInt(1)))
                    .containsExactlyElementsOf(Schema.MIGRATIONS.stream().map(Migration::version).toList());
        }
    }

    @Test
    @DisplayName("pending migrations are applied in order, in one transaction; a failing one changes nothing")
    void migrations_appliedInOrderAtomically() throws Exception {
        Path p = dir.resolve("old.jmapi");
        SqliteStorage.create(p, "x", null).close();
        int n = Schema.latest(Schema.MIGRATIONS);
        Migration m2 = new Migration(n + 1, "add a table", List.of("CREATE TABLE extra2 (x INTEGER)",
                "INSERT INTO extra2 VALUES (2)"));
        Migration m3 = new Migration(n + 2, "add another", List.of("CREATE TABLE extra3 (x INTEGER)",
                "INSERT INTO extra3 SELECT x + 1 FROM extra2"));
        List<Migration> upTo3 = new ArrayList<>(Schema.MIGRATIONS);
        upTo3.add(m2);
        upTo3.add(m3);
        try (SqliteStorage s = SqliteStorage.open(p, SqliteStorage.Options.defaults(), upTo3)) {
            assertThat(s.identity().schemaVersion()).isEqualTo(n + 2);
        }
        List<String> expected = new ArrayList<>();
        for (Migration m : upTo3) {
            expected.add(m.version() + ":" + m.description());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p)) {
            assertThat(Sql.list(c, "SELECT version, description FROM schema_version ORDER BY version",
                    rs -> rs.getInt(1) + ":" + rs.getString(2)))
                    .startsWith("1:create the jmapi store schema").containsExactlyElementsOf(expected);
            assertThat(Sql.longValue(c, "SELECT x FROM extra3")).isEqualTo(3);
        }

        List<Migration> broken = new ArrayList<>(upTo3);
        broken.add(new Migration(n + 3, "good then bad", List.of("CREATE TABLE extra4 (x)",
                "INSERT INTO nowhere VALUES (1)")));
        broken.add(new Migration(n + 4, "never reached", List.of("CREATE TABLE extra5 (x)")));
        assertThatThrownBy(() -> SqliteStorage.open(p, SqliteStorage.Options.defaults(), broken))
                .isInstanceOfSatisfying(MapiException.class, e -> {
                    assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_CALL_FAILED);
                    assertThat(e.getMessage()).contains(p.toString())
                            .contains("from schema version " + (n + 2) + " to " + (n + 4));
                });
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p)) {
            assertThat(Sql.longValue(c, "SELECT max(version) FROM schema_version")).isEqualTo(n + 2);
            assertThat(Sql.longValue(c, "SELECT count(*) FROM sqlite_master WHERE name IN ('extra4', 'extra5')"))
                    .isZero();
        }
        try (SqliteStorage s = SqliteStorage.open(p, SqliteStorage.Options.defaults(), upTo3)) {
            assertThat(s.identity().schemaVersion()).isEqualTo(n + 2);
        }
        assertRefused(p, HResult.MAPI_E_VERSION, () -> SqliteStorage.open(p));

        List<Migration> gap = List.of(Schema.MIGRATIONS.get(0), m3);
        Path q = dir.resolve("gap.jmapi");
        assertThatThrownBy(() -> SqliteStorage.create(q, "x", null, SqliteStorage.Options.defaults(), gap))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without gaps");
        assertThat(q).doesNotExist();
    }

    @Test
    @DisplayName("a store of schema version 1 opens upgraded to the event log, its data kept")
    void migration2_upgradesAVersion1Store_eventLogWorks() throws Exception {
        Path p = dir.resolve("v1.jmapi");
        long message;
        try (SqliteStorage s = SqliteStorage.create(p, "old", null, SqliteStorage.Options.defaults(),
                Schema.MIGRATIONS.subList(0, 1))) {
            assertThat(s.identity().schemaVersion()).isEqualTo(1);
            long f = s.createFolder(s.identity().rootFolderId(), "Inbox", FolderRecord.FOLDER_GENERIC, null,
                    List.of()).id();
            message = s.saveMessage(SaveRequest.create(f, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SUBJECT, "kept"))))).id();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p)) {
            assertThat(Sql.longValue(c, "SELECT count(*) FROM sqlite_master WHERE name = 'store_event'")).isZero();
        }
        try (SqliteStorage s = SqliteStorage.open(p)) {
            assertThat(s.identity().schemaVersion()).isEqualTo(Schema.latest(Schema.MIGRATIONS)); // 1 -> 2 -> 3
            assertThat(s.loadMessage(message).image().find(PropTags.PR_SUBJECT).orElseThrow().asString())
                    .isEqualTo("kept");
            s.publishEvents(List.of(new byte[] {1, 2, 3}));
            assertThat(s.eventsAfter(0, 10)).singleElement()
                    .satisfies(e -> assertThat(e.payload()).containsExactly(1, 2, 3));
        }
    }

    @Test
    @DisplayName("the event log keeps the newest entries only: trimmed as it grows, never below the kept count")
    void eventLog_isTrimmed() {
        try (SqliteStorage s = SqliteStorage.create(dir.resolve("events.jmapi"), "x", null)) {
            int total = SqliteStorage.EVENTS_KEPT + 3 * SqliteStorage.TRIM_EVERY + 7;
            List<byte[]> batch = new ArrayList<>();
            for (int i = 1; i <= total; i++) {
                batch.add(Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                if (batch.size() == 100 || i == total) {
                    s.publishEvents(batch);
                    batch.clear();
                }
            }
            List<org.jmapi.store.StoreEvent> kept = s.eventsAfter(0, 2 * total);
            assertThat(kept.size()).isBetween(SqliteStorage.EVENTS_KEPT, SqliteStorage.EVENTS_KEPT
                    + SqliteStorage.TRIM_EVERY + 100);
            assertThat(new String(kept.get(kept.size() - 1).payload(), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo(Integer.toString(total));
            assertThat(kept.get(kept.size() - 1).seq()).isEqualTo(s.lastEventSeq());
            assertThat(kept.get(0).seq()).isGreaterThan(1);
        }
    }

    // ---- no orphans ------------------------------------------------------------------------------------------

    private static long rows(Path store, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store)) {
            return Sql.longValue(c, "SELECT count(*) FROM " + table);
        }
    }

    @Test
    @DisplayName("replacing, deleting and folder deletion leave no recipient, attachment or chunk rows behind")
    void deletesAndReplacements_leaveNoOrphanRows() throws Exception {
        Path p = dir.resolve("orphans.jmapi");
        try (SqliteStorage s = SqliteStorage.create(p, "x", null)) {
            long f = s.createFolder(s.identity().rootFolderId(), "f", FolderRecord.FOLDER_GENERIC, null, List.of())
                    .id();
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
            assertThat(rows(p, "subobject")).isEqualTo(8);
            assertThat(rows(p, "large_value")).isEqualTo(6);
            s.saveMessage(SaveRequest.update(a, 1, MessageImage.of(List.of(PropValue.ofString(PropTags.PR_SUBJECT,
                    "small now")))));
            assertThat(rows(p, "subobject")).isEqualTo(4);
            assertThat(rows(p, "large_value")).isEqualTo(3);
            s.deleteMessage(b);
            s.deleteFolder(f, false, true);
            for (String t : List.of("message", "subobject", "large_value", "large_chunk")) {
                assertThat(rows(p, t)).as(t).isZero();
            }
            assertThat(s.checkIntegrity()).isEmpty();
        }
    }

    // ---- leases ----------------------------------------------------------------------------------------------

    @Test
    @DisplayName("an open instance keeps renewing its lease, so its lock outlives the lease duration")
    void lease_isRenewedWhileOpen() throws Exception {
        Path p = dir.resolve("lease.jmapi");
        SqliteStorage.Options fast = SqliteStorage.Options.defaults()
                .withLease(Duration.ofMillis(1500), Duration.ofMillis(100));
        try (SqliteStorage spooler = SqliteStorage.create(p, "x", null, fast);
             SqliteStorage client = SqliteStorage.open(p, fast)) {
            long outbox = spooler.createFolder(spooler.identity().rootFolderId(), "Outbox",
                    FolderRecord.FOLDER_GENERIC, null, List.of()).id();
            long m = spooler.saveMessage(SaveRequest.create(outbox, MessageImage.of(List.of())).withSubmit(
                    Instant.now(), 0)).id();
            spooler.lockMessage(m);
            Thread.sleep(3000);
            assertThat(client.messageInfo(m).queue().lockOwner()).isEqualTo(spooler.ownerId());
            assertThatThrownBy(() -> client.abortSubmit(m)).isInstanceOfSatisfying(MapiException.class,
                    e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_UNABLE_TO_ABORT));
        }
    }

    // ---- query plans -----------------------------------------------------------------------------------------

    @Test
    @DisplayName("sorting a 100,000-message folder by delivery time and reading 50 rows is an index walk")
    void contentsQuery_onLargeFolder_isAnIndexWalk() {
        Path p = dir.resolve("big.jmapi");
        try (SqliteStorage s = SqliteStorage.create(p, "big", null)) {
            long root = s.identity().rootFolderId();
            long inbox = s.createFolder(root, "Inbox", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
            long other = s.createFolder(root, "Other", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
            Random r = new Random(5);
            long[] seconds = new long[100_000];
            List<Long> ids = new ArrayList<>(100_000);
            for (int batch = 0; batch < 10; batch++) {
                List<SaveRequest> requests = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    int n = batch * 10_000 + i;
                    seconds[n] = 1_600_000_000L + r.nextInt(50_000_000);
                    requests.add(SaveRequest.create(inbox, MessageImage.of(List.of(
                            PropValue.ofString(PropTags.PR_SUBJECT, "message " + n),
                            PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, Instant.ofEpochSecond(seconds[n])),
                            PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, n % 3 == 0 ? 1 : 0)))));
                }
                s.saveMessages(requests).forEach(i -> ids.add(i.id()));
                s.saveMessages(List.of(SaveRequest.create(other, MessageImage.of(List.of(
                        PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, Instant.ofEpochSecond(2_000_000_000L)))))));
            }
            assertThat(s.loadFolder(inbox).contentCount()).isEqualTo(100_000);

            ContentsQuery newest = ContentsQuery.of(inbox)
                    .withSort(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME)).page(0, 50);
            List<String> plan = s.explainQuery(newest);
            assertThat(String.join("\n", plan)).contains("message_by_delivery_time").doesNotContain("TEMP B-TREE");

            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                order.add(i);
            }
            order.sort((a, b) -> seconds[a] != seconds[b] ? Long.compare(seconds[b], seconds[a])
                    : Long.compare(ids.get(b), ids.get(a)));
            List<Long> expected = order.subList(0, 50).stream().map(ids::get).toList();
            assertThat(s.query(newest)).extracting(MessageRow::id).containsExactlyElementsOf(expected);
            List<Long> page = order.subList(50_000, 50_050).stream().map(ids::get).toList();
            assertThat(s.query(newest.page(50_000, 50))).extracting(MessageRow::id).containsExactlyElementsOf(page);

            for (ContentsQuery q : List.of(
                    ContentsQuery.of(inbox).withSort(SortOrder.ascending(PropTags.PR_SUBJECT)).page(0, 50),
                    ContentsQuery.of(inbox).withAssociated(true)
                            .withSort(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME)).page(0, 50),
                    newest.withRestriction(new Restriction.Property(Restriction.RELOP_LT,
                            PropTags.PR_MESSAGE_DELIVERY_TIME, PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME,
                            Instant.ofEpochSecond(1_610_000_000L)))))) {
                assertThat(String.join("\n", s.explainQuery(q))).as(q.toString())
                        .containsPattern("USING (COVERING )?INDEX message_by_").doesNotContain("TEMP B-TREE");
            }
            assertThat(s.count(inbox, false, new Restriction.Bitmask(Restriction.BMR_NEZ, PropTags.PR_MESSAGE_FLAGS,
                    1))).isEqualTo(33_334);
        }
    }
}
