package org.jmapi.bench;

import org.jmapi.store.sqlite.SqliteStorage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The baselines: what an application would do with plain JDBC on SQLite (xerial sqlite-jdbc, the driver jmapi uses),
 * no jmapi code involved. Two schemas:
 * <ul>
 *   <li>{@link Save}: the minimal normalised form of a message (one message row, one row per property, one row per
 *       recipient), written at jmapi's durability (WAL, {@code synchronous=FULL}, one transaction per message);</li>
 *   <li>{@link Table}: a wide table, one column per property (all benchmark messages have the same 20), with an
 *       index {@code (folder_id, delivery_time)} for the sort and {@code (folder_id)} for id order — the best a
 *       hand-written schema does for "sort a folder, read the first 50 rows" — read with the same page cache as
 *       jmapi's read connections.</li>
 * </ul>
 */
public final class PlainSqlite {
    private PlainSqlite() {}

    /** The {@link Table} columns that hold the 20 properties, in {@link MessageData#properties()} order. */
    static final String[] COLUMNS = {"message_class", "subject", "conversation_topic", "importance", "priority",
            "sensitivity", "client_submit_time", "delivery_time", "message_flags", "sender_name", "sender_email",
            "sender_addrtype", "sent_repr_name", "sent_repr_email", "display_to", "display_cc",
            "internet_message_id", "hasattach", "last_modification_time", "body"};

    /**
     * @param file the database file
     * @return a connection with WAL and synchronous=FULL, autocommit off
     * @throws SQLException when SQLite fails
     */
    static Connection openDurable(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
        }
        c.setAutoCommit(false);
        return c;
    }

    /** The store.save baseline: message row + property rows + recipient rows, one transaction per message. */
    public static final class Save implements InterleavedSaves.PlainSave {
        private final Connection c;
        private final PreparedStatement message;
        private final PreparedStatement property;
        private final PreparedStatement recipient;

        /**
         * Opens the file, creating the schema when it is not there yet.
         *
         * @param file the database file
         * @throws SQLException when SQLite fails
         */
        public Save(Path file) throws SQLException {
            c = openDurable(file);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS message (id INTEGER PRIMARY KEY, folder_id INTEGER NOT NULL,"
                        + " created_at INTEGER NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS message_by_folder ON message (folder_id)");
                s.execute("CREATE TABLE IF NOT EXISTS property (message_id INTEGER NOT NULL, tag INTEGER NOT NULL,"
                        + " value, PRIMARY KEY (message_id, tag))");
                s.execute("CREATE TABLE IF NOT EXISTS recipient (message_id INTEGER NOT NULL,"
                        + " row_id INTEGER NOT NULL, display_name TEXT, email TEXT, addrtype TEXT, type INTEGER,"
                        + " PRIMARY KEY (message_id, row_id))");
            }
            c.commit();
            message = c.prepareStatement("INSERT INTO message (folder_id, created_at) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS);
            property = c.prepareStatement("INSERT INTO property (message_id, tag, value) VALUES (?, ?, ?)");
            recipient = c.prepareStatement("INSERT INTO recipient (message_id, row_id, display_name, email,"
                    + " addrtype, type) VALUES (?, ?, ?, ?, ?, ?)");
        }

        /** Inserts one message and commits (fsync of the WAL). */
        @Override
        public long save(MessageData m, List<Object[]> props) throws SQLException {
            try {
                long id = insert(m, props);
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }

        /**
         * Inserts several messages in one transaction (to fill a file before measuring).
         *
         * @param messages the messages
         * @throws SQLException when SQLite fails
         */
        public void saveAll(List<MessageData> messages) throws SQLException {
            try {
                for (MessageData m : messages) {
                    insert(m, m.props());
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }

        private long insert(MessageData m, List<Object[]> props) throws SQLException {
            {
                message.setLong(1, 1);
                message.setLong(2, System.currentTimeMillis());
                message.executeUpdate();
                long id;
                try (ResultSet k = message.getGeneratedKeys()) {
                    k.next();
                    id = k.getLong(1);
                }
                for (Object[] p : props) {
                    property.setLong(1, id);
                    property.setInt(2, (Integer) p[0]);
                    property.setObject(3, p[1]);
                    property.executeUpdate();
                }
                int row = 0;
                for (MessageData.Rcpt r : m.recipients()) {
                    recipient.setLong(1, id);
                    recipient.setInt(2, row++);
                    recipient.setString(3, r.name());
                    recipient.setString(4, r.address());
                    recipient.setString(5, "SMTP");
                    recipient.setInt(6, r.type());
                    recipient.executeUpdate();
                }
                return id;
            }
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }
    }

    /** The table.* baseline: a wide message table with the usual indexes. */
    public static final class Table implements AutoCloseable {
        private final Connection c;
        private final PreparedStatement sort;
        private final PreparedStatement restrict;

        private Table(Connection c) throws SQLException {
            this.c = c;
            String select = "SELECT id, " + String.join(", ", COLUMNS) + " FROM message WHERE folder_id = ? ";
            sort = c.prepareStatement(select + "ORDER BY delivery_time DESC, id DESC LIMIT ?");
            restrict = c.prepareStatement(select + "AND subject LIKE ? ORDER BY id LIMIT ?");
        }

        /**
         * Creates the table in a new file and fills it.
         *
         * @param file     the database file
         * @param folderId the folder id to give every message
         * @param messages the messages, inserted in this order, {@code batch} per transaction
         * @param batch    messages per transaction
         * @throws SQLException when SQLite fails
         */
        public static void build(Path file, long folderId, Iterable<MessageData> messages, int batch)
                throws SQLException {
            try (Connection c = openDurable(file)) {
                try (Statement s = c.createStatement()) {
                    StringBuilder cols = new StringBuilder();
                    for (String col : COLUMNS) {
                        cols.append(", ").append(col);
                    }
                    s.execute("CREATE TABLE message (id INTEGER PRIMARY KEY, folder_id INTEGER NOT NULL" + cols
                            + ")");
                    s.execute("CREATE INDEX message_by_folder ON message (folder_id)");
                    s.execute("CREATE INDEX message_by_delivery_time ON message (folder_id, delivery_time)");
                    s.execute("CREATE TABLE recipient (message_id INTEGER NOT NULL, row_id INTEGER NOT NULL,"
                            + " display_name TEXT, email TEXT, addrtype TEXT, type INTEGER,"
                            + " PRIMARY KEY (message_id, row_id))");
                }
                c.commit();
                StringBuilder q = new StringBuilder("INSERT INTO message (folder_id");
                for (String col : COLUMNS) {
                    q.append(", ").append(col);
                }
                q.append(") VALUES (?").append(", ?".repeat(COLUMNS.length)).append(")");
                try (PreparedStatement ins = c.prepareStatement(q.toString(), Statement.RETURN_GENERATED_KEYS);
                     PreparedStatement rc = c.prepareStatement("INSERT INTO recipient (message_id, row_id,"
                             + " display_name, email, addrtype, type) VALUES (?, ?, ?, ?, 'SMTP', ?)")) {
                    int n = 0;
                    for (MessageData m : messages) {
                        ins.setLong(1, folderId);
                        int i = 2;
                        for (Object[] p : m.props()) {
                            ins.setObject(i++, p[1]);
                        }
                        ins.executeUpdate();
                        long id;
                        try (ResultSet k = ins.getGeneratedKeys()) {
                            k.next();
                            id = k.getLong(1);
                        }
                        int row = 0;
                        for (MessageData.Rcpt r : m.recipients()) {
                            rc.setLong(1, id);
                            rc.setInt(2, row++);
                            rc.setString(3, r.name());
                            rc.setString(4, r.address());
                            rc.setInt(5, r.type());
                            rc.executeUpdate();
                        }
                        if (++n % batch == 0) {
                            c.commit();
                        }
                    }
                    c.commit();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE");
                }
                c.commit();
            }
        }

        /**
         * Opens a built table for reading, with the page cache of jmapi's read connections
         * ({@link SqliteStorage#READ_CACHE_KIB}; SQLite's default is 2 MiB).
         *
         * @param file the database file
         * @return the open table
         * @throws SQLException when SQLite fails
         */
        public static Table open(Path file) throws SQLException {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                // the page cache jmapi's read connections have, so both sides read with the same memory
                s.execute("PRAGMA cache_size = -" + SqliteStorage.READ_CACHE_KIB);
            }
            return new Table(c);
        }

        /**
         * SELECT … WHERE folder_id = ? ORDER BY delivery_time DESC, id DESC LIMIT n.
         *
         * @param folderId the folder
         * @param limit    rows
         * @return the rows, each the id then the 20 column values
         * @throws SQLException when SQLite fails
         */
        public List<Object[]> newest(long folderId, int limit) throws SQLException {
            sort.setLong(1, folderId);
            sort.setInt(2, limit);
            return rows(sort);
        }

        /**
         * SELECT … WHERE folder_id = ? AND subject LIKE '%word%' ORDER BY id LIMIT n (LIKE ignores ASCII case).
         *
         * @param folderId the folder
         * @param word     the word
         * @param limit    rows
         * @return the rows, each the id then the 20 column values
         * @throws SQLException when SQLite fails
         */
        public List<Object[]> subjectContains(long folderId, String word, int limit) throws SQLException {
            restrict.setLong(1, folderId);
            restrict.setString(2, "%" + word + "%");
            restrict.setInt(3, limit);
            return rows(restrict);
        }

        /**
         * @param sql a query
         * @return its single long value
         * @throws SQLException when SQLite fails
         */
        public long scalar(String sql) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        /**
         * @param sql a query
         * @return the detail column of EXPLAIN QUERY PLAN
         * @throws SQLException when SQLite fails
         */
        public List<String> explain(String sql) throws SQLException {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
                while (rs.next()) {
                    out.add(rs.getString("detail"));
                }
            }
            return out;
        }

        private static List<Object[]> rows(PreparedStatement ps) throws SQLException {
            List<Object[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = COLUMNS.length + 1;
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    out.add(row);
                }
            }
            return out;
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }
    }
}
