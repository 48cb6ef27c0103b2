package org.jmapi.store.postgres;

import org.jmapi.store.engine.IndexedColumn;

import java.util.ArrayList;
import java.util.List;

/**
 * The jmapi schema in a PostgreSQL database, as an ordered list of {@link Migration}s. Everything lives in the
 * schema {@code jmapi} (so jmapi's tables never collide with another application's in a shared database); every
 * statement names its tables with that prefix, so nothing depends on the connection's {@code search_path}.
 * Migration 1 creates everything; a later change is a new migration appended here (never an edit of an old one),
 * applied when a database with an older schema is opened. The version is the database's, shared by all its stores.
 *
 * <p>Tables (migration 1). Every table but {@code schema_version} and {@code store} has a {@code store_id} column
 * leading its primary key and every index, and every foreign key includes it:
 * <ul>
 *   <li>{@code schema_version} — one row per applied migration; the schema's version is the highest.</li>
 *   <li>{@code store} — one row per store: its name (unique), MAPIUID, display name, creation time, root folder,
 *       the store object's properties, and the change counter other instances poll; its row is also the lock that
 *       serialises the store's writes.</li>
 *   <li>{@code folder} — the folder tree (parent links, name unique among siblings ignoring case, type, comment,
 *       properties, maintained counts).</li>
 *   <li>{@code message} — one row per message: folder, associated flag, version, top-level properties, copies of the
 *       contents-table columns ({@link IndexedColumn}; text {@code COLLATE "C"}, times as order-preserving
 *       {@code bytea}), each with an index {@code (store_id, folder_id, associated, column NULLS FIRST, id)}
 *       ({@link PostgresDialect#indexExpression}), and the outgoing-queue state.</li>
 *   <li>{@code subobject} — recipients, attachments and embedded messages of a message, as a tree under it.</li>
 *   <li>{@code large_value} / {@code large_chunk} — values stored out of line, in {@code bytea} chunks (not large
 *       objects, which PostgreSQL-compatible distributed engines lack).</li>
 *   <li>{@code named_property} — each store's named-property mapping (ids 0x8000..0xFFFE).</li>
 *   <li>{@code receive_folder} — message class to folder, per store.</li>
 *   <li>{@code storage_owner} / {@code activity} — the open instances that hold spooler locks or record activity,
 *       with their process identity and lease; the live activity records.</li>
 * </ul>
 * Migration 2 adds {@code store_event} (the event log), migration 3 {@code queue_state} (the queue's own change
 * counter, which concurrent claims bump instead of the store row's), migration 4 drops the column indexes but
 * delivery time's (the others are built on the first sort by their column).
 * Ids are identity columns: a folder, message or value id is never handed out twice in the database (R-UID-9), so
 * ids are unique across stores too. Every foreign key that ties a part to its owner cascades deletes, down from the
 * {@code store} row.
 *
 * <p>Written for what PostgreSQL-compatible distributed engines (YugabyteDB, CockroachDB) also accept (see
 * {@link PostgresStorage}, "Portability"; not yet tried on them): no large objects, advisory locks, LISTEN/NOTIFY,
 * triggers, table inheritance or deferred constraints.
 */
final class Schema {
    private Schema() {}

    /** The PostgreSQL schema jmapi's tables live in. */
    static final String NAME = "jmapi";

    /** The description of migration 1, which marks a {@code jmapi} schema as jmapi's own. */
    static final String FIRST = "create the jmapi store schema";

    /** What migration 2 does. */
    static final String EVENT_LOG = "add the store event log";

    /** What migration 4 does. */
    static final String SORT_INDEXES = "column indexes built on first sort, delivery time's kept";

    /** What migration 3 does. */
    static final String QUEUE_STATE = "add the queue's own change counter, for spooler locks taken concurrently";

    /** The migrations this version of jmapi knows, in order. */
    static final List<Migration> MIGRATIONS = List.of(migration1(), migration2(), migration3(),
            migration4());

    /**
     * Version 3: {@code queue_state}, one row per store (created on first use) whose {@code lock_changes} counts the
     * spooler locks taken and given back. Claiming a queued message ({@code SELECT ... FOR UPDATE SKIP LOCKED}) does
     * not take the store's write lock, so several spoolers claim in parallel; it bumps this counter, as its last
     * statement, instead of the store row's. The store's change counter is the sum of the two. Every store has its
     * row from its creation on (the migration adds them for the stores already there), so a claim only updates it
     * and never touches the {@code store} row, not even for a foreign-key check.
     */
    private static Migration migration3() {
        return new Migration(3, QUEUE_STATE, List.of(
                "CREATE TABLE jmapi.queue_state ("
                        + " store_id BIGINT PRIMARY KEY REFERENCES jmapi.store (id) ON DELETE CASCADE,"
                        + " lock_changes BIGINT NOT NULL DEFAULT 0)",
                "INSERT INTO jmapi.queue_state (store_id) SELECT id FROM jmapi.store"));
    }

    /**
     * Version 4: the column indexes other than delivery time's are dropped; the first sort by such a column builds its
     * index again ({@link #createIndex}, {@link org.jmapi.store.engine.SortIndexes}). Every index costs every new
     * message one more index entry in its statement and its WAL record; a database keeps those its stores' views use.
     */
    private static Migration migration4() {
        List<String> s = new ArrayList<>();
        for (IndexedColumn c : IndexedColumn.values()) {
            if (!c.eager()) {
                s.add("DROP INDEX IF EXISTS " + NAME + "." + c.indexName());
            }
        }
        return new Migration(4, SORT_INDEXES, s);
    }

    /**
     * SQL that builds a column's composite index if it is missing, without blocking writes to {@code message} while
     * it is built ({@code CONCURRENTLY}: run it outside a transaction block).
     *
     * @param c the column
     * @return the statement
     */
    static String createIndex(IndexedColumn c) {
        return "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + c.indexName() + " ON " + NAME + ".message (store_id,"
                + " folder_id, associated, " + PostgresDialect.indexExpression(c) + " NULLS FIRST, id)";
    }

    /** Version 2: the per-store event log that carries notifications to other instances (like SQLite's). */
    private static Migration migration2() {
        return new Migration(2, EVENT_LOG, List.of(
                "CREATE TABLE jmapi.store_event ("
                        + " store_id BIGINT NOT NULL REFERENCES jmapi.store (id) ON DELETE CASCADE,"
                        + " seq BIGINT GENERATED BY DEFAULT AS IDENTITY,"
                        + " origin TEXT NOT NULL,"
                        + " created_at BIGINT NOT NULL,"
                        + " payload BYTEA NOT NULL,"
                        + " PRIMARY KEY (store_id, seq))"));
    }

    /** @return the newest schema version this version of jmapi knows */
    static int latest(List<Migration> migrations) {
        return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    }

    private static Migration migration1() {
        List<String> s = new ArrayList<>();
        s.add("CREATE TABLE jmapi.store ("
                + " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                + " name TEXT COLLATE \"C\" NOT NULL UNIQUE,"
                + " store_uid BYTEA NOT NULL CHECK (length(store_uid) = 16),"
                + " display_name TEXT NOT NULL,"
                + " created_at BIGINT NOT NULL,"
                + " root_folder_id BIGINT NOT NULL,"
                + " props BYTEA NOT NULL,"
                + " changes BIGINT NOT NULL DEFAULT 0)");
        s.add("CREATE TABLE jmapi.folder ("
                + " store_id BIGINT NOT NULL REFERENCES jmapi.store (id) ON DELETE CASCADE,"
                + " id BIGINT GENERATED BY DEFAULT AS IDENTITY,"
                + " parent_id BIGINT,"
                + " display_name TEXT NOT NULL,"
                + " name_key TEXT COLLATE \"C\" NOT NULL,"
                + " folder_type INTEGER NOT NULL,"
                + " comment TEXT,"
                + " props BYTEA NOT NULL,"
                + " content_count INTEGER NOT NULL DEFAULT 0,"
                + " unread_count INTEGER NOT NULL DEFAULT 0,"
                + " assoc_count INTEGER NOT NULL DEFAULT 0,"
                + " child_count INTEGER NOT NULL DEFAULT 0,"
                + " created_at BIGINT NOT NULL,"
                + " modified_at BIGINT NOT NULL,"
                + " PRIMARY KEY (store_id, id),"
                + " UNIQUE (store_id, parent_id, name_key),"
                + " FOREIGN KEY (store_id, parent_id) REFERENCES jmapi.folder (store_id, id) ON DELETE CASCADE)");
        StringBuilder msg = new StringBuilder("CREATE TABLE jmapi.message ("
                + " store_id BIGINT NOT NULL,"
                + " id BIGINT GENERATED BY DEFAULT AS IDENTITY,"
                + " folder_id BIGINT NOT NULL,"
                + " associated BOOLEAN NOT NULL,"
                + " version BIGINT NOT NULL,"
                + " created_at BIGINT NOT NULL,"
                + " modified_at BIGINT NOT NULL,"
                + " props BYTEA NOT NULL,"
                + " queued BOOLEAN NOT NULL DEFAULT FALSE,"
                + " queue_time BYTEA,"
                + " queue_flags INTEGER NOT NULL DEFAULT 0,"
                + " lock_owner TEXT COLLATE \"C\","
                + " lock_expires BIGINT");
        for (IndexedColumn c : IndexedColumn.values()) {
            switch (c.kind()) {
                case TIME -> msg.append(", ").append(c.column()).append(" BYTEA");
                case INT -> msg.append(", ").append(c.column()).append(" INTEGER");
                case STRING -> msg.append(", ").append(c.column()).append(" TEXT COLLATE \"C\", ")
                        .append(c.foldColumn()).append(" TEXT COLLATE \"C\", ").append(c.sizeColumn())
                        .append(" INTEGER");
            }
        }
        msg.append(", PRIMARY KEY (store_id, id),"
                + " FOREIGN KEY (store_id, folder_id) REFERENCES jmapi.folder (store_id, id) ON DELETE CASCADE)");
        s.add(msg.toString());
        for (IndexedColumn c : IndexedColumn.values()) {
            s.add("CREATE INDEX " + c.indexName() + " ON jmapi.message (store_id, folder_id, associated, "
                    + PostgresDialect.indexExpression(c) + " NULLS FIRST, id)");
        }
        s.add("CREATE INDEX message_by_folder ON jmapi.message (store_id, folder_id, associated, id)");
        s.add("CREATE INDEX message_queue ON jmapi.message (store_id, queue_time, id) WHERE queued");
        s.add("CREATE INDEX message_locks ON jmapi.message (store_id, lock_owner) WHERE lock_owner IS NOT NULL");
        s.add("CREATE TABLE jmapi.subobject ("
                + " store_id BIGINT NOT NULL,"
                + " id BIGINT GENERATED BY DEFAULT AS IDENTITY,"
                + " message_id BIGINT NOT NULL,"
                + " parent_id BIGINT NOT NULL,"
                + " kind INTEGER NOT NULL,"
                + " num INTEGER NOT NULL,"
                + " props BYTEA NOT NULL,"
                + " PRIMARY KEY (store_id, id),"
                + " UNIQUE (store_id, message_id, parent_id, kind, num),"
                + " FOREIGN KEY (store_id, message_id) REFERENCES jmapi.message (store_id, id) ON DELETE CASCADE)");
        s.add("CREATE TABLE jmapi.large_value ("
                + " store_id BIGINT NOT NULL,"
                + " id BIGINT GENERATED BY DEFAULT AS IDENTITY,"
                + " message_id BIGINT NOT NULL,"
                + " object_id BIGINT NOT NULL,"
                + " prop_tag INTEGER NOT NULL,"
                + " size BIGINT NOT NULL,"
                + " PRIMARY KEY (store_id, id),"
                + " UNIQUE (store_id, message_id, object_id, prop_tag),"
                + " FOREIGN KEY (store_id, message_id) REFERENCES jmapi.message (store_id, id) ON DELETE CASCADE)");
        s.add("CREATE TABLE jmapi.large_chunk ("
                + " store_id BIGINT NOT NULL,"
                + " value_id BIGINT NOT NULL,"
                + " seq INTEGER NOT NULL,"
                + " data BYTEA NOT NULL,"
                + " PRIMARY KEY (store_id, value_id, seq),"
                + " FOREIGN KEY (store_id, value_id) REFERENCES jmapi.large_value (store_id, id) ON DELETE CASCADE)");
        s.add("CREATE TABLE jmapi.named_property ("
                + " store_id BIGINT NOT NULL REFERENCES jmapi.store (id) ON DELETE CASCADE,"
                + " prop_id INTEGER NOT NULL CHECK (prop_id BETWEEN 32768 AND 65534),"
                + " property_set BYTEA NOT NULL CHECK (length(property_set) = 16),"
                + " kind INTEGER NOT NULL CHECK (kind IN (0, 1)),"
                + " lid INTEGER NOT NULL,"
                + " name TEXT COLLATE \"C\" NOT NULL,"
                + " PRIMARY KEY (store_id, prop_id),"
                + " UNIQUE (store_id, property_set, kind, lid, name))");
        s.add("CREATE TABLE jmapi.receive_folder ("
                + " store_id BIGINT NOT NULL,"
                + " class_key TEXT COLLATE \"C\" NOT NULL,"
                + " message_class TEXT NOT NULL,"
                + " folder_id BIGINT NOT NULL,"
                + " PRIMARY KEY (store_id, class_key),"
                + " FOREIGN KEY (store_id, folder_id) REFERENCES jmapi.folder (store_id, id) ON DELETE CASCADE)");
        s.add("CREATE TABLE jmapi.storage_owner ("
                + " store_id BIGINT NOT NULL REFERENCES jmapi.store (id) ON DELETE CASCADE,"
                + " owner_id TEXT COLLATE \"C\" NOT NULL,"
                + " pid BIGINT NOT NULL,"
                + " process_start BIGINT NOT NULL,"
                + " host TEXT NOT NULL,"
                + " opened_at BIGINT NOT NULL,"
                + " lease_expires BIGINT NOT NULL,"
                + " PRIMARY KEY (store_id, owner_id))");
        s.add("CREATE TABLE jmapi.activity ("
                + " store_id BIGINT NOT NULL REFERENCES jmapi.store (id) ON DELETE CASCADE,"
                + " id BIGINT GENERATED BY DEFAULT AS IDENTITY,"
                + " owner_id TEXT COLLATE \"C\" NOT NULL,"
                + " spooler_id TEXT NOT NULL,"
                + " kind INTEGER NOT NULL,"
                + " message_id BIGINT NOT NULL,"
                + " started_at BIGINT NOT NULL,"
                + " lease_expires BIGINT NOT NULL,"
                + " PRIMARY KEY (store_id, id))");
        s.add("CREATE INDEX activity_by_owner ON jmapi.activity (store_id, owner_id)");
        return new Migration(1, FIRST, s);
    }
}
