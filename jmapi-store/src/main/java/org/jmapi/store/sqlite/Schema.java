package org.jmapi.store.sqlite;

import org.jmapi.store.engine.IndexedColumn;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQLite store file's schema, as an ordered list of {@link Migration}s. Migration 1 creates everything; a later
 * change of the file format is a new migration appended here (never an edit of an old one), applied when an older
 * store is opened.
 *
 * <p>Tables (migration 1):
 * <ul>
 *   <li>{@code schema_version} — one row per applied migration; the store's version is the highest.</li>
 *   <li>{@code store_identity} — the single identity row (store MAPIUID, display name, creation time, root folder)
 *       and the store object's own properties.</li>
 *   <li>{@code store_counter} — the change counter other processes poll.</li>
 *   <li>{@code folder} — the folder tree (parent links, name unique among siblings ignoring case, type, comment,
 *       properties, maintained counts).</li>
 *   <li>{@code message} — one row per message: folder, associated flag, version, top-level properties, copies of the
 *       contents-table columns ({@link IndexedColumn}) each with an index {@code (folder_id, associated, column,
 *       id)} (since migration 4 only delivery time's is kept; the others are built on first sort), and the
 *       outgoing-queue state (queued, submit time and flags, lock owner and lease).</li>
 *   <li>{@code subobject} — recipients, attachments and embedded messages of a message, as a tree under it.</li>
 *   <li>{@code large_value} / {@code large_chunk} — values stored out of line, in chunks.</li>
 *   <li>{@code named_property} — the store's named-property mapping (ids 0x8000..0xFFFE).</li>
 *   <li>{@code receive_folder} — message class to folder.</li>
 *   <li>{@code storage_owner} / {@code activity} — the open instances that hold spooler locks or record activity,
 *       with their process identity and lease; the live activity records.</li>
 * </ul>
 * Migration 2 adds {@code store_event}: the event log through which instances in other processes see each other's
 * store and folder notifications ({@code Storage.publishEvents}); sequence, origin (the publishing instance's owner
 * id), time and an opaque payload; only the newest {@value SqliteStorage#EVENTS_KEPT} entries are kept.
 *
 * <p>Ids use AUTOINCREMENT, so an id is never handed out twice, not even after the row with the highest id was deleted
 * (R-UID-9). Every foreign key that ties a part to its owner cascades deletes.
 */
final class Schema {
    private Schema() {}

    /** PRAGMA application_id of a jmapi store file: "JMAP" (0x4A4D4150), at offset 68 of the file header. */
    static final int APPLICATION_ID = 0x4A4D4150;

    /** The migrations this version of jmapi knows, in order. */
    static final List<Migration> MIGRATIONS = List.of(migration1(), migration2(), migration3(),
            migration4());

    /** @return the newest schema version this version of jmapi knows */
    static int latest(List<Migration> migrations) {
        return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    }

    private static Migration migration1() {
        List<String> s = new ArrayList<>();
        s.add("CREATE TABLE store_identity ("
                + " id INTEGER PRIMARY KEY CHECK (id = 1),"
                + " store_uid BLOB NOT NULL CHECK (length(store_uid) = 16),"
                + " display_name TEXT NOT NULL,"
                + " created_at INTEGER NOT NULL,"
                + " root_folder_id INTEGER NOT NULL,"
                + " props BLOB NOT NULL)");
        s.add("CREATE TABLE store_counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        s.add("INSERT INTO store_counter (name, value) VALUES ('changes', 0)");
        s.add("CREATE TABLE folder ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " parent_id INTEGER REFERENCES folder (id) ON DELETE CASCADE,"
                + " display_name TEXT NOT NULL,"
                + " name_key TEXT NOT NULL,"
                + " folder_type INTEGER NOT NULL,"
                + " comment TEXT,"
                + " props BLOB NOT NULL,"
                + " content_count INTEGER NOT NULL DEFAULT 0,"
                + " unread_count INTEGER NOT NULL DEFAULT 0,"
                + " assoc_count INTEGER NOT NULL DEFAULT 0,"
                + " child_count INTEGER NOT NULL DEFAULT 0,"
                + " created_at INTEGER NOT NULL,"
                + " modified_at INTEGER NOT NULL,"
                + " UNIQUE (parent_id, name_key))");
        StringBuilder msg = new StringBuilder("CREATE TABLE message ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " folder_id INTEGER NOT NULL REFERENCES folder (id) ON DELETE CASCADE,"
                + " associated INTEGER NOT NULL,"
                + " version INTEGER NOT NULL,"
                + " created_at INTEGER NOT NULL,"
                + " modified_at INTEGER NOT NULL,"
                + " props BLOB NOT NULL,"
                + " queued INTEGER NOT NULL DEFAULT 0,"
                + " queue_time BLOB,"
                + " queue_flags INTEGER NOT NULL DEFAULT 0,"
                + " lock_owner TEXT,"
                + " lock_expires INTEGER");
        for (IndexedColumn c : IndexedColumn.values()) {
            switch (c.kind()) {
                case TIME -> msg.append(", ").append(c.column()).append(" BLOB");
                case INT -> msg.append(", ").append(c.column()).append(" INTEGER");
                case STRING -> msg.append(", ").append(c.column()).append(" TEXT, ")
                        .append(c.foldColumn()).append(" TEXT, ").append(c.sizeColumn()).append(" INTEGER");
            }
        }
        s.add(msg.append(")").toString());
        for (IndexedColumn c : IndexedColumn.values()) {
            s.add("CREATE INDEX " + c.indexName() + " ON message (folder_id, associated, " + c.column() + ", id)");
        }
        s.add("CREATE INDEX message_by_folder ON message (folder_id, associated, id)");
        s.add("CREATE INDEX message_queue ON message (queue_time, id) WHERE queued = 1");
        s.add("CREATE INDEX message_locks ON message (lock_owner) WHERE lock_owner IS NOT NULL");
        s.add("CREATE TABLE subobject ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " message_id INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,"
                + " parent_id INTEGER NOT NULL,"
                + " kind INTEGER NOT NULL,"
                + " num INTEGER NOT NULL,"
                + " props BLOB NOT NULL,"
                + " UNIQUE (message_id, parent_id, kind, num))");
        s.add("CREATE TABLE large_value ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " message_id INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,"
                + " object_id INTEGER NOT NULL,"
                + " prop_tag INTEGER NOT NULL,"
                + " size INTEGER NOT NULL,"
                + " UNIQUE (message_id, object_id, prop_tag))");
        s.add("CREATE TABLE large_chunk ("
                + " value_id INTEGER NOT NULL REFERENCES large_value (id) ON DELETE CASCADE,"
                + " seq INTEGER NOT NULL,"
                + " data BLOB NOT NULL,"
                + " PRIMARY KEY (value_id, seq))");
        s.add("CREATE TABLE named_property ("
                + " prop_id INTEGER PRIMARY KEY CHECK (prop_id BETWEEN 32768 AND 65534),"
                + " property_set BLOB NOT NULL CHECK (length(property_set) = 16),"
                + " kind INTEGER NOT NULL CHECK (kind IN (0, 1)),"
                + " lid INTEGER NOT NULL,"
                + " name TEXT NOT NULL,"
                + " UNIQUE (property_set, kind, lid, name))");
        s.add("CREATE TABLE receive_folder ("
                + " class_key TEXT PRIMARY KEY,"
                + " message_class TEXT NOT NULL,"
                + " folder_id INTEGER NOT NULL REFERENCES folder (id) ON DELETE CASCADE)");
        s.add("CREATE TABLE storage_owner ("
                + " owner_id TEXT PRIMARY KEY,"
                + " pid INTEGER NOT NULL,"
                + " process_start INTEGER NOT NULL,"
                + " host TEXT NOT NULL,"
                + " opened_at INTEGER NOT NULL,"
                + " lease_expires INTEGER NOT NULL)");
        s.add("CREATE TABLE activity ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " owner_id TEXT NOT NULL,"
                + " spooler_id TEXT NOT NULL,"
                + " kind INTEGER NOT NULL,"
                + " message_id INTEGER NOT NULL,"
                + " started_at INTEGER NOT NULL,"
                + " lease_expires INTEGER NOT NULL)");
        s.add("CREATE INDEX activity_by_owner ON activity (owner_id)");
        return new Migration(1, "create the jmapi store schema", s);
    }

    private static Migration migration2() {
        return new Migration(2, "add the event log", List.of("CREATE TABLE store_event ("
                + " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " origin TEXT NOT NULL,"
                + " created_at INTEGER NOT NULL,"
                + " payload BLOB NOT NULL)"));
    }

    /**
     * Migration 4: the column indexes other than delivery time's are dropped; the first sort by such a column builds
     * its index again ({@link org.jmapi.store.engine.SortIndexes}). Each index costs every new message one more b-tree
     * leaf in the commit, and a store keeps only those its views use. Nothing else changes.
     */
    private static Migration migration4() {
        List<String> s = new ArrayList<>();
        for (IndexedColumn c : IndexedColumn.values()) {
            if (!c.eager()) {
                s.add("DROP INDEX IF EXISTS " + c.indexName());
            }
        }
        return new Migration(4, "column indexes built on first sort, delivery time's kept", s);
    }

    /**
     * SQL that builds a column's composite index if it is missing.
     *
     * @param c the column
     * @return the statement
     */
    static String createIndex(IndexedColumn c) {
        return "CREATE INDEX IF NOT EXISTS " + c.indexName() + " ON message (folder_id, associated, " + c.column()
                + ", id)";
    }

    /**
     * Migration 3: the same tables, laid out for cheaper writes.
     * <ul>
     *   <li>{@code message}: the {@code props} blob moves behind every other column. A row's columns are stored in
     *       declaration order and whatever does not fit the row's b-tree page goes to overflow pages, so with the blob
     *       in the middle a message whose properties hold a body of a few KiB kept the property columns after it
     *       ({@code subject_fold} and the others a folder scan compares) in the overflow pages, and every scan read
     *       them. With the blob last the columns stay on the row's own page, which lets bodies of a few KiB be kept
     *       inline ({@link SqliteMessages}) instead of in {@code large_value} + {@code large_chunk}.</li>
     *   <li>{@code large_chunk}: {@code WITHOUT ROWID}, keyed by {@code (value_id, seq)}. The rowid table needed a
     *       separate index for its primary key: one more b-tree page written per out-of-line value, and two lookups
     *       per chunk read.</li>
     * </ul>
     * SQLite cannot reorder columns in place, so both tables are rebuilt the way SQLite documents for a schema change
     * (create the new table, copy, drop the old one, rename, recreate the indexes), with foreign keys off for the
     * migration ({@link Db#writeSchema}: dropping {@code message} would otherwise cascade to its recipients,
     * attachments and values) and {@code PRAGMA foreign_key_check} before the commit. Ids and the AUTOINCREMENT high
     * mark of {@code message} are kept, so no id is handed out again (R-UID-9). The upgrade copies every message row
     * and every chunk once, inside the one upgrade transaction: it needs free disk space for a second copy of those
     * tables (and the write-ahead log holds it until the next checkpoint).
     */
    private static Migration migration3() {
        List<String> s = new ArrayList<>();
        List<String> cols = new ArrayList<>(List.of("id", "folder_id", "associated", "version", "created_at",
                "modified_at", "queued", "queue_time", "queue_flags", "lock_owner", "lock_expires"));
        StringBuilder msg = new StringBuilder("CREATE TABLE message_v3 ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " folder_id INTEGER NOT NULL REFERENCES folder (id) ON DELETE CASCADE,"
                + " associated INTEGER NOT NULL,"
                + " version INTEGER NOT NULL,"
                + " created_at INTEGER NOT NULL,"
                + " modified_at INTEGER NOT NULL,"
                + " queued INTEGER NOT NULL DEFAULT 0,"
                + " queue_time BLOB,"
                + " queue_flags INTEGER NOT NULL DEFAULT 0,"
                + " lock_owner TEXT,"
                + " lock_expires INTEGER");
        for (IndexedColumn c : IndexedColumn.values()) {
            switch (c.kind()) {
                case TIME -> msg.append(", ").append(c.column()).append(" BLOB");
                case INT -> msg.append(", ").append(c.column()).append(" INTEGER");
                case STRING -> msg.append(", ").append(c.column()).append(" TEXT, ")
                        .append(c.foldColumn()).append(" TEXT, ").append(c.sizeColumn()).append(" INTEGER");
            }
            cols.add(c.column());
            if (c.kind() == IndexedColumn.Kind.STRING) {
                cols.add(c.foldColumn());
                cols.add(c.sizeColumn());
            }
        }
        cols.add("props");
        s.add(msg.append(", props BLOB NOT NULL)").toString());
        String list = String.join(", ", cols);
        s.add("INSERT INTO message_v3 (" + list + ") SELECT " + list + " FROM message ORDER BY id");
        // the AUTOINCREMENT high mark: the copy's is the highest id left, the old one may be higher (deleted rows)
        s.add("DELETE FROM sqlite_sequence WHERE name = 'message_v3'");
        s.add("INSERT INTO sqlite_sequence (name, seq) SELECT 'message_v3', seq FROM sqlite_sequence"
                + " WHERE name = 'message'");
        s.add("DROP TABLE message");
        s.add("ALTER TABLE message_v3 RENAME TO message");
        for (IndexedColumn c : IndexedColumn.values()) {
            s.add("CREATE INDEX " + c.indexName() + " ON message (folder_id, associated, " + c.column() + ", id)");
        }
        s.add("CREATE INDEX message_by_folder ON message (folder_id, associated, id)");
        s.add("CREATE INDEX message_queue ON message (queue_time, id) WHERE queued = 1");
        s.add("CREATE INDEX message_locks ON message (lock_owner) WHERE lock_owner IS NOT NULL");
        s.add("CREATE TABLE large_chunk_v3 ("
                + " value_id INTEGER NOT NULL REFERENCES large_value (id) ON DELETE CASCADE,"
                + " seq INTEGER NOT NULL,"
                + " data BLOB NOT NULL,"
                + " PRIMARY KEY (value_id, seq)) WITHOUT ROWID");
        s.add("INSERT INTO large_chunk_v3 (value_id, seq, data) SELECT value_id, seq, data FROM large_chunk"
                + " ORDER BY value_id, seq");
        s.add("DROP TABLE large_chunk");
        s.add("ALTER TABLE large_chunk_v3 RENAME TO large_chunk");
        return new Migration(3, "props blob last in message, large_chunk without rowid", s);
    }
}
