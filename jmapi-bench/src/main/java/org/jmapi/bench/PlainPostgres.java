package org.jmapi.bench;

import org.jmapi.bench.jmh.TableBench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL baselines: what an application would do with plain JDBC (pgjdbc, the driver jmapi's engine uses) on
 * the same server, in its own database, no jmapi code involved. The same two schemas as {@link PlainSqlite}, in
 * PostgreSQL types:
 * <ul>
 *   <li>{@link Save}: one message row, one row per property (a BIGINT and a TEXT value column, the one that fits
 *       the value's type set), one row per recipient; one transaction per message, committed at the server's
 *       durability ({@code synchronous_commit=on}, {@code fsync=on}: the commit waits for the WAL flush). The
 *       property rows and the recipient rows go to the server as JDBC batches (pgjdbc sends a batch in one round
 *       trip) — the fewest round trips a hand-written application needs for this schema: message insert, property
 *       batch, recipient batch, commit;</li>
 *   <li>{@link Table}: a wide table, one column per property, with an index {@code (folder_id, delivery_time, id)}
 *       for the sort — the index walk of {@code ORDER BY delivery_time DESC, id DESC LIMIT 50} with no sort step —
 *       read with one prepared statement in autocommit (one round trip per read), the LIMIT a constant so that the
 *       server keeps one generic plan instead of planning every execution.</li>
 * </ul>
 */
public final class PlainPostgres {
    private PlainPostgres() {}

    /** The store.save baseline: message row + property rows + recipient rows, one transaction per message. */
    public static final class Save implements InterleavedSaves.PlainSave {
        private final Connection c;
        private final PreparedStatement message;
        private final PreparedStatement property;
        private final PreparedStatement recipient;

        /**
         * Creates the schema in an empty database and opens it for saving.
         *
         * @param c a connection to the baseline's own database, owned by this object from now on
         * @throws SQLException when the server refuses
         */
        public Save(Connection c) throws SQLException {
            this.c = c;
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE message (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                        + " folder_id BIGINT NOT NULL, created_at BIGINT NOT NULL)");
                s.execute("CREATE INDEX message_by_folder ON message (folder_id)");
                s.execute("CREATE TABLE property (message_id BIGINT NOT NULL, tag INTEGER NOT NULL,"
                        + " int_value BIGINT, text_value TEXT, PRIMARY KEY (message_id, tag))");
                s.execute("CREATE TABLE recipient (message_id BIGINT NOT NULL, row_id INTEGER NOT NULL,"
                        + " display_name TEXT, email TEXT, addrtype TEXT, type INTEGER,"
                        + " PRIMARY KEY (message_id, row_id))");
            }
            c.setAutoCommit(false);
            message = c.prepareStatement("INSERT INTO message (folder_id, created_at) VALUES (?, ?) RETURNING id");
            property = c.prepareStatement("INSERT INTO property (message_id, tag, int_value, text_value)"
                    + " VALUES (?, ?, ?, ?)");
            recipient = c.prepareStatement("INSERT INTO recipient (message_id, row_id, display_name, email,"
                    + " addrtype, type) VALUES (?, ?, ?, ?, ?, ?)");
        }

        @Override
        public long save(MessageData m, List<Object[]> props) throws SQLException {
            try {
                message.setLong(1, 1);
                message.setLong(2, System.currentTimeMillis());
                long id;
                try (ResultSet k = message.executeQuery()) {
                    k.next();
                    id = k.getLong(1);
                }
                for (Object[] p : props) {
                    property.setLong(1, id);
                    property.setInt(2, (Integer) p[0]);
                    if (p[1] instanceof String s) {
                        property.setNull(3, Types.BIGINT);
                        property.setString(4, s);
                    } else {
                        property.setLong(3, ((Number) p[1]).longValue());
                        property.setNull(4, Types.VARCHAR);
                    }
                    property.addBatch();
                }
                property.executeBatch();
                int row = 0;
                for (MessageData.Rcpt r : m.recipients()) {
                    recipient.setLong(1, id);
                    recipient.setInt(2, row++);
                    recipient.setString(3, r.name());
                    recipient.setString(4, r.address());
                    recipient.setString(5, "SMTP");
                    recipient.setInt(6, r.type());
                    recipient.addBatch();
                }
                recipient.executeBatch();
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }
    }

    /** The table.sort baseline: a wide message table with an index for the sort. */
    public static final class Table implements AutoCloseable {
        private final Connection c;
        private final PreparedStatement sort;

        private Table(Connection c) throws SQLException {
            this.c = c;
            // LIMIT as a constant: with LIMIT ? PostgreSQL re-plans the prepared statement on every execution (custom
            // plans; the generic plan assumes 10% of the table), about 0.1 ms per read here
            sort = c.prepareStatement("SELECT id, " + String.join(", ", PlainSqlite.COLUMNS)
                    + " FROM message WHERE folder_id = ? ORDER BY delivery_time DESC, id DESC LIMIT "
                    + TableBench.PAGE);
        }

        /**
         * Creates the table in an empty database and fills it.
         *
         * @param c        a connection to the baseline's own database (closed on return)
         * @param folderId the folder id to give every message
         * @param messages the messages, inserted in this order, {@code batch} per transaction
         * @param batch    messages per transaction
         * @throws SQLException when the server refuses
         */
        public static void build(Connection c, long folderId, Iterable<MessageData> messages, int batch)
                throws SQLException {
            try (c) {
                List<Object[]> first = messages.iterator().next().props();
                StringBuilder cols = new StringBuilder();
                for (int i = 0; i < PlainSqlite.COLUMNS.length; i++) {
                    Object v = first.get(i)[1];
                    cols.append(", ").append(PlainSqlite.COLUMNS[i]).append(v instanceof String ? " TEXT"
                            : v instanceof Long ? " BIGINT" : " INTEGER");
                }
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE message (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                            + " folder_id BIGINT NOT NULL" + cols + ")");
                    s.execute("CREATE INDEX message_by_folder ON message (folder_id)");
                    s.execute("CREATE INDEX message_by_delivery_time ON message (folder_id, delivery_time, id)");
                    s.execute("CREATE TABLE recipient (message_id BIGINT NOT NULL, row_id INTEGER NOT NULL,"
                            + " display_name TEXT, email TEXT, addrtype TEXT, type INTEGER,"
                            + " PRIMARY KEY (message_id, row_id))");
                }
                c.setAutoCommit(false);
                StringBuilder q = new StringBuilder("INSERT INTO message (folder_id");
                for (String col : PlainSqlite.COLUMNS) {
                    q.append(", ").append(col);
                }
                q.append(") VALUES (?").append(", ?".repeat(PlainSqlite.COLUMNS.length)).append(") RETURNING id");
                try (PreparedStatement ins = c.prepareStatement(q.toString());
                     PreparedStatement rc = c.prepareStatement("INSERT INTO recipient (message_id, row_id,"
                             + " display_name, email, addrtype, type) VALUES (?, ?, ?, ?, 'SMTP', ?)")) {
                    int n = 0;
                    for (MessageData m : messages) {
                        ins.setLong(1, folderId);
                        int i = 2;
                        for (Object[] p : m.props()) {
                            ins.setObject(i++, p[1]);
                        }
                        long id;
                        try (ResultSet k = ins.executeQuery()) {
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
                            rc.addBatch();
                        }
                        rc.executeBatch();
                        if (++n % batch == 0) {
                            c.commit();
                        }
                    }
                    c.commit();
                }
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM ANALYZE");
                }
            }
        }

        /**
         * Opens a built table for reading: one connection in autocommit, the sort statement prepared once.
         *
         * @param c a connection to the baseline's database, owned by this object from now on
         * @return the open table
         * @throws SQLException when the server refuses
         */
        public static Table open(Connection c) throws SQLException {
            c.setAutoCommit(true);
            return new Table(c);
        }

        /**
         * SELECT … WHERE folder_id = ? ORDER BY delivery_time DESC, id DESC LIMIT 50 ({@link TableBench#PAGE}).
         *
         * @param folderId the folder
         * @return the rows, each the id then the 20 column values
         * @throws SQLException when the server refuses
         */
        public List<Object[]> newest(long folderId) throws SQLException {
            sort.setLong(1, folderId);
            List<Object[]> out = new ArrayList<>();
            try (ResultSet rs = sort.executeQuery()) {
                int n = PlainSqlite.COLUMNS.length + 1;
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

        /**
         * @param sql a query
         * @return its lines of EXPLAIN output
         * @throws SQLException when the server refuses
         */
        public List<String> explain(String sql) throws SQLException {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
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
