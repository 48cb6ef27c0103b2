package org.jmapi.store.sqlite;

import org.jmapi.Flags;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageRow;
import org.jmapi.store.Recipient;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.StoredMessage;
import org.jmapi.store.ValueStream;
import org.jmapi.store.engine.IndexedColumn;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schema migration 3 (the {@code props} blob last in {@code message}, {@code large_chunk} without rowid) on stores of
 * schema version 2: every message, recipient, attachment, embedded message, out-of-line value, queue state and id
 * survives, the indexes are back, and the foreign keys still cascade.
 */
class SqliteSchemaMigrationTest {
    @TempDir
    Path dir;

    private static byte[] bytes(long n, int seed) {
        byte[] b = new byte[(int) n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(Path p, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p)) {
            return Sql.list(c, sql, rs -> rs.getString(1));
        }
    }

    private static long number(Path p, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p)) {
            return Sql.longValue(c, sql);
        }
    }

    /** The state the test compares before and after the upgrade: every message as loaded, with its streams. */
    private static Map<Long, Object> snapshot(SqliteStorage s, List<Long> ids) {
        Map<Long, Object> out = new LinkedHashMap<>();
        for (long id : ids) {
            StoredMessage m = s.loadMessage(id);
            List<Object> values = new ArrayList<>();
            values.add(m);
            for (LargeValue v : m.image().largeValues()) {
                values.add(List.of(v.tag(), new String(readAll(s.openValueStream(v)), java.nio.charset.StandardCharsets.ISO_8859_1)));
            }
            for (Attachment a : m.image().attachments()) {
                for (LargeValue v : a.largeValues()) {
                    values.add(List.of(a.attachNum(), v.tag(), new String(readAll(s.openValueStream(v)),
                            java.nio.charset.StandardCharsets.ISO_8859_1)));
                }
                if (a.embeddedMessage() != null) {
                    for (LargeValue v : a.embeddedMessage().largeValues()) {
                        values.add(List.of("embedded", v.tag(), new String(readAll(s.openValueStream(v)),
                                java.nio.charset.StandardCharsets.ISO_8859_1)));
                    }
                }
            }
            out.put(id, values);
        }
        return out;
    }

    private static List<Long> ids(List<MessageRow> rows) {
        return rows.stream().map(MessageRow::id).toList();
    }

    @Test
    @DisplayName("a store of schema version 2 opens upgraded to version 3 with every message, value and id kept")
    void migration3_upgradesAVersion2Store_everythingKept() throws Exception {
        Path p = dir.resolve("v2.jmapi");
        // limit 1024: bodies and attachment data of a few KiB are out of line, as version 2 stored them
        SqliteStorage.Options options = SqliteStorage.Options.defaults().withValueSizes(1024, 1024);
        List<Long> ids = new ArrayList<>();
        long inbox;
        long outbox;
        long deletedLast;
        Map<Long, Object> before;
        List<List<Long>> queriesBefore = new ArrayList<>();
        List<String> indexesBefore;
        List<String> locks;
        long rowsBefore;
        try (SqliteStorage s = SqliteStorage.create(p, "old", null, options, Schema.MIGRATIONS.subList(0, 2))) {
            assertThat(s.identity().schemaVersion()).isEqualTo(2);
            long root = s.identity().rootFolderId();
            inbox = s.createFolder(root, "Inbox", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
            outbox = s.createFolder(root, "Outbox", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
            Random r = new Random(3);
            for (int i = 0; i < 40; i++) {
                MessageImage.Builder b = MessageImage.builder()
                        .set(PropValue.ofString(PropTags.PR_SUBJECT, "subject " + (char) ('a' + r.nextInt(26)) + i))
                        .set(PropValue.ofString(PropTags.PR_SENDER_NAME, "Sender " + r.nextInt(5)))
                        .set(PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME,
                                Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1_000_000))))
                        .set(PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, i % 3 == 0 ? Flags.MSGFLAG_READ : 0))
                        .set(PropValue.ofInt(PropTags.PR_IMPORTANCE, i % 3))
                        .set(PropValue.ofString(PropTags.PR_BODY, "body \u00e9\u4e2d\uD83D\uDE00 ".repeat(i * 40)))
                        .recipient(new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "R" + i))));
                if (i % 4 == 0) {
                    MessageImage inner = MessageImage.builder()
                            .set(PropValue.ofBinary(PropTags.PR_HTML, bytes(5_000 + i, i)))
                            .recipient(new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "In"))))
                            .build();
                    int n = i;
                    b.attachment(Attachment.of(0, List.of(PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "a.bin")))
                            .withStream(new ValueStream(PropTags.PR_ATTACH_DATA_BIN,
                                    () -> new ByteArrayInputStream(bytes(3_000 + 997L * n, n)))));
                    b.attachment(Attachment.of(1, List.of()).withEmbeddedMessage(inner));
                }
                SaveRequest req = SaveRequest.create(i % 10 == 9 ? outbox : inbox, b.build());
                if (i % 10 == 9) {
                    req = req.withSubmit(Instant.ofEpochSecond(1_700_000_000L + i), 0);
                }
                if (i == 7) {
                    req = req.withAssociated(true);
                }
                ids.add(s.saveMessage(req).id());
            }
            // an update keeps its out-of-line values by reference
            StoredMessage m = s.loadMessage(ids.get(12));
            s.saveMessage(SaveRequest.update(ids.get(12), m.info().version(), m.image().toBuilder()
                    .set(PropValue.ofString(PropTags.PR_SUBJECT, "changed")).build()));
            // the highest id is deleted: it must never be handed out again (R-UID-9)
            deletedLast = s.saveMessage(SaveRequest.create(inbox, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SUBJECT, "gone"))))).id();
            s.deleteMessage(deletedLast);
            before = snapshot(s, ids);
            for (ContentsQuery q : queries(inbox)) {
                queriesBefore.add(ids(s.query(q)));
            }
            assertThat(queriesBefore.get(0)).hasSize(35);
            rowsBefore = s.count(inbox, false, null);
            assertThat(s.loadFolder(inbox).contentCount()).isEqualTo((int) rowsBefore);
        }
        // a lock left behind by an instance that crashed (a closed one releases its locks)
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p)) {
            Sql.update(c, "UPDATE message SET lock_owner = 'crashed', lock_expires = 123 WHERE id = ?", ids.get(9));
        }
        locks = strings(p, "SELECT id || ' ' || queued || ' ' || hex(queue_time) || ' ' || queue_flags || ' '"
                + " || coalesce(lock_owner, '-') || ' ' || coalesce(lock_expires, '-') FROM message"
                + " WHERE queued = 1 OR lock_owner IS NOT NULL ORDER BY id");
        assertThat(locks).hasSize(4).anySatisfy(l -> assertThat(l).endsWith(" crashed 123"));
        assertThat(strings(p, "SELECT name FROM pragma_table_info('message') ORDER BY cid")).element(6)
                .isEqualTo("props");
        assertThat(number(p, "SELECT count(*) FROM large_chunk")).isGreaterThan(40);
        indexesBefore = strings(p, "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                + " ORDER BY name");
        long sequence = number(p, "SELECT seq FROM sqlite_sequence WHERE name = 'message'");
        assertThat(sequence).isEqualTo(deletedLast);

        try (SqliteStorage s = SqliteStorage.open(p, options, Schema.MIGRATIONS.subList(0, 3))) {
            assertThat(s.identity().schemaVersion()).isEqualTo(3);
            assertThat(snapshot(s, ids)).isEqualTo(before);
            List<List<Long>> after = new ArrayList<>();
            for (ContentsQuery q : queries(inbox)) {
                after.add(ids(s.query(q)));
            }
            assertThat(after).isEqualTo(queriesBefore);
            assertThat(s.count(inbox, false, null)).isEqualTo(rowsBefore);
            assertThat(s.loadFolder(inbox).contentCount()).isEqualTo((int) rowsBefore);
            assertThat(strings(p, "SELECT id || ' ' || queued || ' ' || hex(queue_time) || ' ' || queue_flags || ' '"
                    + " || coalesce(lock_owner, '-') || ' ' || coalesce(lock_expires, '-') FROM message"
                    + " WHERE queued = 1 OR lock_owner IS NOT NULL ORDER BY id")).isEqualTo(locks);
            assertThat(s.checkIntegrity()).isEmpty();
            long next = s.saveMessage(SaveRequest.create(inbox, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SUBJECT, "new"))))).id();
            assertThat(next).isGreaterThan(deletedLast);
            // the rebuilt tables are still the parents of their cascades
            s.deleteMessage(ids.get(0));
            s.deleteMessage(ids.get(4));
            assertThat(s.checkIntegrity()).isEmpty();
        }
        List<String> columns = strings(p, "SELECT name FROM pragma_table_info('message') ORDER BY cid");
        assertThat(columns.get(columns.size() - 1)).isEqualTo("props");
        assertThat(columns).doesNotHaveDuplicates().contains("subject_fold", "message_flags", "queue_time",
                "lock_owner");
        assertThat(strings(p, "SELECT sql FROM sqlite_master WHERE name = 'large_chunk'")).singleElement()
                .asString().contains("WITHOUT ROWID").contains("REFERENCES large_value (id) ON DELETE CASCADE");
        assertThat(strings(p, "SELECT name FROM sqlite_master WHERE name LIKE '%_v3' OR name LIKE "
                + "'sqlite_autoindex_large_chunk%'")).isEmpty();
        assertThat(strings(p, "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                + " ORDER BY name")).isEqualTo(indexesBefore);
        assertThat(strings(p, "SELECT sql FROM sqlite_master WHERE name IN ('subobject', 'large_value')"))
                .allSatisfy(sql -> assertThat(sql).contains("REFERENCES message (id) ON DELETE CASCADE"));
        assertThat(number(p, "SELECT count(*) FROM pragma_foreign_key_check")).isZero();
        // the deleted messages' recipients, attachments and chunks went with them
        assertThat(number(p, "SELECT count(*) FROM subobject WHERE message_id IN (" + ids.get(0) + ", "
                + ids.get(4) + ")")).isZero();
        assertThat(number(p, "SELECT count(*) FROM large_value WHERE message_id IN (" + ids.get(0) + ", "
                + ids.get(4) + ")")).isZero();
        assertThat(number(p, "SELECT count(*) FROM large_chunk WHERE value_id NOT IN (SELECT id FROM large_value)"))
                .isZero();
        assertThat(strings(p, "SELECT version || ':' || description FROM schema_version ORDER BY version"))
                .hasSize(3).last().asString().startsWith("3:");
    }

    private static List<ContentsQuery> queries(long folder) {
        return List.of(
                ContentsQuery.of(folder),
                ContentsQuery.of(folder).withSort(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME)).page(0, 10),
                ContentsQuery.of(folder).withSort(SortOrder.ascending(PropTags.PR_SUBJECT)),
                ContentsQuery.of(folder).withSort(SortOrder.ascending(PropTags.PR_MESSAGE_SIZE)),
                ContentsQuery.of(folder).withRestriction(new Restriction.Content(
                        Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE, PropTags.PR_SUBJECT,
                        PropValue.ofString(PropTags.PR_SUBJECT, "SUBJECT A"))),
                ContentsQuery.of(folder).withRestriction(new Restriction.Content(Restriction.FL_SUBSTRING,
                        PropTags.PR_BODY, PropValue.ofString(PropTags.PR_BODY, "\u4e2d\uD83D\uDE00 body"))),
                ContentsQuery.of(folder).withRestriction(new Restriction.Bitmask(Restriction.BMR_EQZ,
                        PropTags.PR_MESSAGE_FLAGS, Flags.MSGFLAG_READ)),
                ContentsQuery.of(folder).withAssociated(true));
    }

    @Test
    @DisplayName("a new store is created at the latest version directly, with the same layout as an upgraded one")
    void newStore_hasTheLatestLayout() throws Exception {
        Path fresh = dir.resolve("fresh.jmapi");
        Path upgraded = dir.resolve("upgraded.jmapi");
        SqliteStorage.create(fresh, "x", null).close();
        SqliteStorage.create(upgraded, "x", null, SqliteStorage.Options.defaults(), Schema.MIGRATIONS.subList(0, 2))
                .close();
        SqliteStorage.open(upgraded).close();
        String schema = "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY name";
        assertThat(strings(fresh, schema)).isEqualTo(strings(upgraded, schema));
        try (SqliteStorage s = SqliteStorage.open(fresh)) {
            assertThat(s.db().pragmas()).containsEntry("foreign_keys", "1");
        }
    }

    @Test
    @DisplayName("migration 4 drops the column indexes but delivery time's; the first sort by a column builds its index"
            + " and every result stays the same")
    void migration4_columnIndexesBuiltOnFirstSort_resultsUnchanged() throws Exception {
        Path p = dir.resolve("v3.jmapi");
        long inbox;
        List<Long> ids = new ArrayList<>();
        List<List<Long>> before = new ArrayList<>();
        try (SqliteStorage s = SqliteStorage.create(p, "v3", null, SqliteStorage.Options.defaults(),
                Schema.MIGRATIONS.subList(0, 3))) {
            inbox = s.createFolder(s.identity().rootFolderId(), "Inbox", FolderRecord.FOLDER_GENERIC, null,
                    List.of()).id();
            Random r = new Random(4);
            for (int i = 0; i < 300; i++) {
                ids.add(s.saveMessage(SaveRequest.create(inbox, MessageImage.of(List.of(
                        PropValue.ofString(PropTags.PR_SUBJECT, "subject " + (char) ('a' + r.nextInt(26)) + i),
                        PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME,
                                Instant.ofEpochSecond(1_600_000_000L + r.nextInt(1_000_000))),
                        PropValue.ofInt(PropTags.PR_IMPORTANCE, r.nextInt(3)))))).id());
            }
            for (ContentsQuery q : migration4Queries(inbox)) {
                before.add(ids(s.query(q)));
            }
        }
        String indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'message_by_%' ORDER BY name";
        assertThat(strings(p, indexes)).hasSize(IndexedColumn.values().length + 1);

        try (SqliteStorage s = SqliteStorage.open(p)) {
            assertThat(s.identity().schemaVersion()).isEqualTo(4);
            assertThat(strings(p, indexes)).containsExactly("message_by_delivery_time", "message_by_folder");
            // a sort by delivery time, and one by a column that is not indexed at all, build nothing
            s.query(migration4Queries(inbox).get(0));
            s.query(ContentsQuery.of(inbox).withSort(SortOrder.ascending(PropTags.PR_BODY)));
            assertThat(strings(p, indexes)).containsExactly("message_by_delivery_time", "message_by_folder");

            List<List<Long>> after = new ArrayList<>();
            for (ContentsQuery q : migration4Queries(inbox)) {
                after.add(ids(s.query(q)));
            }
            assertThat(after).isEqualTo(before);
            // the subject sort built its index (leading key); the importance key behind it built none
            assertThat(strings(p, indexes)).containsExactly("message_by_delivery_time", "message_by_folder",
                    "message_by_subject");
            assertThat(String.join("\n", s.explainQuery(migration4Queries(inbox).get(1))))
                    .contains("message_by_subject").doesNotContain("TEMP B-TREE");
            // what the index holds is kept up to date by later saves
            long newest = s.saveMessage(SaveRequest.create(inbox, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SUBJECT, "0 first"))))).id();
            assertThat(ids(s.query(migration4Queries(inbox).get(1))).get(0)).isEqualTo(newest);
            assertThat(s.checkIntegrity()).isEmpty();
        }
        // a second instance finds the index the first one built
        try (SqliteStorage s = SqliteStorage.open(p)) {
            assertThat(String.join("\n", s.explainQuery(migration4Queries(inbox).get(1))))
                    .contains("message_by_subject").doesNotContain("TEMP B-TREE");
        }
    }

    private static List<ContentsQuery> migration4Queries(long folder) {
        return List.of(
                ContentsQuery.of(folder).withSort(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME)).page(0, 20),
                ContentsQuery.of(folder).withSort(SortOrder.ascending(PropTags.PR_SUBJECT)).page(0, 20),
                ContentsQuery.of(folder).withSort(SortOrder.descending(PropTags.PR_SUBJECT)).page(280, 20),
                ContentsQuery.of(folder).withSort(SortOrder.ascending(PropTags.PR_SUBJECT),
                        SortOrder.descending(PropTags.PR_IMPORTANCE)));
    }

    private static byte[] pattern(int n, int k) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * k + 7);
        }
        return b;
    }

    private static MessageRow bySubject(SqliteStorage s, long folder, String subject) {
        return s.query(ContentsQuery.of(folder)).stream()
                .filter(r -> r.get(PropTags.PR_SUBJECT) != null && r.get(PropTags.PR_SUBJECT).asString().equals(subject))
                .findFirst().orElseThrow(() -> new AssertionError("no message " + subject));
    }

    private static byte[] stream(SqliteStorage s, StoredMessage m, int tag) {
        return readAll(s.openValueStream(m.image().findLarge(tag).orElseThrow(
                () -> new AssertionError("no out-of-line " + org.jmapi.prop.PropTag.toString(tag)))));
    }

    @Test
    @DisplayName("a schema-2 store written by the schema-2 code (commit 5ce3392) opens upgraded, every value intact")
    void migration3_upgradesAStoreWrittenByTheOldCode() throws Exception {
        // schema2-5ce3392.jmapi.gz: written by commit 5ce3392's SqliteStorage with default options (the generator is
        // schema2-5ce3392.GenV2.java.txt next to it): 4 messages, 5 out-of-line values, a queued message, an
        // associated one, an embedded message, message id 5 deleted
        Path p = dir.resolve("old.jmapi");
        try (InputStream in = new java.util.zip.GZIPInputStream(SqliteSchemaMigrationTest.class
                .getResourceAsStream("schema2-5ce3392.jmapi.gz"))) {
            java.nio.file.Files.copy(in, p);
        }
        assertThat(number(p, "SELECT max(version) FROM schema_version")).isEqualTo(2);
        assertThat(number(p, "SELECT count(*) FROM large_chunk")).isEqualTo(5);
        try (SqliteStorage s = SqliteStorage.open(p, SqliteStorage.Options.defaults(), Schema.MIGRATIONS.subList(0, 3))) {
            assertThat(s.identity().schemaVersion()).isEqualTo(3);
            assertThat(s.identity().displayName()).isEqualTo("written by 5ce3392");
            assertThat(s.checkIntegrity()).isEmpty();
            long root = s.identity().rootFolderId();
            List<FolderRecord> folders = s.listFolders(root);
            long inbox = folders.stream().filter(f -> f.displayName().equals("Inbox")).findFirst().orElseThrow().id();
            long outbox = folders.stream().filter(f -> f.displayName().equals("Outbox")).findFirst().orElseThrow()
                    .id();
            assertThat(s.loadFolder(inbox).contentCount()).isEqualTo(2);
            assertThat(s.loadFolder(inbox).associatedContentCount()).isEqualTo(1);

            StoredMessage ascii = s.loadMessage(bySubject(s, inbox, "ascii body").id());
            // stored out of line by the old rule (6,000 bytes as UTF-16): still a reference, read exactly
            assertThat(stream(s, ascii, PropTags.PR_BODY)).isEqualTo(
                    "a".repeat(3000).getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
            assertThat(ascii.image().find(PropTags.PR_MESSAGE_DELIVERY_TIME)).contains(PropValue.ofTime(
                    PropTags.PR_MESSAGE_DELIVERY_TIME, Instant.parse("2024-05-01T10:00:00Z")));
            assertThat(ascii.image().recipients()).extracting(r -> r.properties().get(0).asString())
                    .containsExactly("Ann", "Bob");

            StoredMessage unicode = s.loadMessage(bySubject(s, inbox, "unicode body").id());
            assertThat(stream(s, unicode, PropTags.PR_BODY)).isEqualTo(PropCodecStreams.utf16(
                    "\u00e9\u4e2d\uD83D\uDE00 ".repeat(1000)));
            assertThat(stream(s, unicode, PropTags.PR_HTML)).isEqualTo(pattern(5000, 3));
            Attachment data = unicode.image().attachment(0).orElseThrow();
            assertThat(data.properties()).contains(PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "a.bin"));
            assertThat(readAll(s.openValueStream(data.largeValues().get(0)))).isEqualTo(pattern(20_000, 5));
            assertThat(readAll(s.openAttachmentValueStream(unicode.info().id(), 0, PropTags.PR_ATTACH_DATA_BIN)))
                    .isEqualTo(pattern(20_000, 5));
            MessageImage inner = unicode.image().attachment(1).orElseThrow().embeddedMessage();
            assertThat(inner.find(PropTags.PR_SUBJECT)).contains(PropValue.ofString(PropTags.PR_SUBJECT, "inner"));
            assertThat(readAll(s.openValueStream(inner.findLarge(PropTags.PR_BODY).orElseThrow())))
                    .isEqualTo(PropCodecStreams.utf16("inner ".repeat(1000)));
            // contents rows and sorts over the rebuilt table and indexes
            assertThat(s.query(ContentsQuery.of(inbox).withSort(SortOrder.descending(
                    PropTags.PR_MESSAGE_DELIVERY_TIME))).stream().map(r -> r.get(PropTags.PR_SUBJECT).asString()))
                    .containsExactly("unicode body", "ascii body");
            assertThat(s.query(ContentsQuery.of(inbox).withAssociated(true))).singleElement().satisfies(r -> assertThat(
                    r.get(PropTags.PR_MESSAGE_CLASS).asString()).isEqualTo("IPM.Configuration.Test"));

            MessageRow queued = bySubject(s, outbox, "queued");
            assertThat(queued.info().queue()).isNotNull();
            assertThat(queued.info().queue().submitTime()).isEqualTo(Instant.parse("2024-05-01T10:02:00Z"));
            assertThat(queued.get(PropTags.PR_BODY)).isEqualTo(PropValue.ofString(PropTags.PR_BODY, "short body"));

            // re-saved unchanged, the old out-of-line body stays a kept reference; the same body saved anew is inline
            s.saveMessage(SaveRequest.update(ascii.info().id(), ascii.info().version(), ascii.image()));
            assertThat(s.loadMessage(ascii.info().id()).image().findLarge(PropTags.PR_BODY))
                    .isEqualTo(ascii.image().findLarge(PropTags.PR_BODY));
            long copy = s.saveMessage(SaveRequest.create(inbox, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_BODY, "a".repeat(3000)))))).id();
            assertThat(copy).isEqualTo(6); // id 5 was handed out and deleted before the upgrade (R-UID-9)
            assertThat(s.loadMessage(copy).image().find(PropTags.PR_BODY))
                    .contains(PropValue.ofString(PropTags.PR_BODY, "a".repeat(3000)));
            s.deleteMessage(unicode.info().id());
            assertThat(s.checkIntegrity()).isEmpty();
        }
        assertThat(number(p, "SELECT count(*) FROM large_value")).isEqualTo(1);
        assertThat(number(p, "SELECT count(*) FROM large_chunk")).isEqualTo(1);
        assertThat(number(p, "SELECT count(*) FROM pragma_foreign_key_check")).isZero();
    }

    /** Stream forms for the expectations above. */
    private static final class PropCodecStreams {
        static byte[] utf16(String s) {
            return org.jmapi.store.engine.PropCodec.streamBytes(org.jmapi.prop.PropType.PT_UNICODE, s);
        }
    }
}
