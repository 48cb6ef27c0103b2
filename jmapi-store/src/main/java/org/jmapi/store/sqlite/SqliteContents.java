package org.jmapi.store.sqlite;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageRow;
import org.jmapi.store.Recipient;
import org.jmapi.store.engine.MessageHead;
import org.jmapi.store.engine.PropCodec;
import org.jmapi.store.engine.RestrictionSql;
import org.jmapi.store.engine.RowOrder;
import org.jmapi.table.Restriction;
import org.jmapi.table.Restrictions;
import org.jmapi.table.RowSource;
import org.jmapi.table.SortOrder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Contents-table reads of a SQLite store: the restriction and order pushed into SQL over the indexed columns where
 * {@link RestrictionSql} can translate them, the rest evaluated in Java over lazily loaded rows with
 * {@link Restrictions#scan} in table order. Three plans:
 * <ol>
 *   <li>restriction fully translated, every sort key indexed: one SQL statement with ORDER BY, LIMIT and OFFSET
 *       (an index walk for one-key sorts);</li>
 *   <li>every sort key indexed, part of the restriction in Java: SQL streams the pre-filtered rows in table order,
 *       Java filters, skips and stops after the page;</li>
 *   <li>some sort key not indexed: SQL pre-filters, Java sorts with {@link RowOrder} and filters.</li>
 * </ol>
 * Package-private part of {@link SqliteStorage}; one instance per call.
 */
final class SqliteContents {
    private final SqliteStorage storage;
    private final SqliteMessages messages;

    SqliteContents(SqliteStorage storage, SqliteMessages messages) {
        this.storage = storage;
        this.messages = messages;
    }

    /** A query's plan: the split restriction and the SQL order, if the order can be SQL's. */
    private record Plan(RestrictionSql.Split split, Optional<String> order, List<SortOrder> keys) {
        boolean pureSql() {
            return split.residual() == null && order.isPresent();
        }
    }

    private static Plan plan(Restriction r, List<SortOrder> keys) {
        if (r != null) {
            Restrictions.validate(r);
        }
        Optional<String> order = RestrictionSql.orderBy(keys);
        return new Plan(RestrictionSql.split(r, RestrictionSql.SQLITE), order, keys);
    }

    private static String where(Plan p, List<Object> params, long folderId, boolean associated) {
        params.add(folderId);
        params.add(associated);
        String sql = "folder_id = ? AND associated = ?";
        if (p.split().sql() != null) {
            sql += " AND " + p.split().sql().sql();
            params.addAll(p.split().sql().params());
        }
        return sql;
    }

    List<MessageRow> query(ContentsQuery q) {
        Plan p = plan(q.restriction(), q.sortOrder());
        return storage.db().read("reading the contents table of folder " + q.folderId(), c -> {
            try (LargeLookup large = new LargeLookup(c)) {
                return query(c, q, p, large);
            }
        });
    }

    private List<MessageRow> query(Connection c, ContentsQuery q, Plan p, LargeLookup large) throws SQLException {
        storage.foldersComponent().requireFolder(c, q.folderId());
        SqliteQueue.Live live = storage.queueComponent().live(c);
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + SqliteMessages.HEAD_COLUMNS + " FROM message WHERE "
                + where(p, params, q.folderId(), q.associated());
        List<MessageHead> out = new ArrayList<>();
        if (p.pureSql()) {
            params.add(q.limit());
            params.add(q.offset());
            return messages.rows(c, Sql.list(c, sql + " ORDER BY " + p.order().get() + " LIMIT ? OFFSET ?",
                    SqliteMessages::mapHead, params.toArray()), live);
        }
        Predicate<RowSource> filter = Restrictions.scan(p.split().residual());
        if (p.order().isPresent()) {
            int skipped = 0;
            try (PreparedStatement ps = c.prepareStatement(sql + " ORDER BY " + p.order().get())) {
                Sql.bind(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (out.size() < q.limit() && rs.next()) {
                        MessageHead h = SqliteMessages.mapHead(rs);
                        if (!filter.test(new LazyRow(c, h, live, large))) {
                            continue;
                        }
                        if (skipped < q.offset()) {
                            skipped++;
                            continue;
                        }
                        out.add(h);
                    }
                }
            }
            return messages.rows(c, out, live);
        }
        List<LazyRow> rows = new ArrayList<>();
        for (MessageHead h : Sql.list(c, sql, SqliteMessages::mapHead, params.toArray())) {
            rows.add(new LazyRow(c, h, live, large));
        }
        rows.sort(RowOrder.comparator(p.keys(), LazyRow::get, r -> r.head.id()));
        int skipped = 0;
        for (LazyRow r : rows) {
            if (out.size() >= q.limit()) {
                break;
            }
            if (!filter.test(r)) {
                continue;
            }
            if (skipped < q.offset()) {
                skipped++;
                continue;
            }
            out.add(r.head);
        }
        return messages.rows(c, out, live);
    }

    int count(long folderId, boolean associated, Restriction r) {
        Plan p = plan(r, List.of());
        return storage.db().read("counting the contents table of folder " + folderId, c -> {
            storage.foldersComponent().requireFolder(c, folderId);
            List<Object> params = new ArrayList<>();
            String where = where(p, params, folderId, associated);
            if (p.split().residual() == null) {
                return (int) Sql.longValue(c, "SELECT count(*) FROM message WHERE " + where, params.toArray());
            }
            SqliteQueue.Live live = storage.queueComponent().live(c);
            Predicate<RowSource> filter = Restrictions.scan(p.split().residual());
            int n = 0;
            try (LargeLookup large = new LargeLookup(c); PreparedStatement ps = c.prepareStatement("SELECT " + SqliteMessages.HEAD_COLUMNS
                    + " FROM message WHERE " + where + " ORDER BY " + p.order().orElseThrow())) {
                Sql.bind(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (filter.test(new LazyRow(c, SqliteMessages.mapHead(rs), live, large))) {
                            n++;
                        }
                    }
                }
            }
            return n;
        });
    }

    List<String> explain(Connection c, ContentsQuery q) throws SQLException {
        Plan p = plan(q.restriction(), q.sortOrder());
        // EXPLAIN compiles against the connection's cached schema without checking it is current (it reads no
        // table); an index another connection just built would be missing from the plan. Reading a table does check.
        Sql.list(c, "SELECT 1 FROM message LIMIT 1", rs -> 1);
        List<Object> params = new ArrayList<>();
        String sql = "EXPLAIN QUERY PLAN SELECT " + SqliteMessages.HEAD_COLUMNS + " FROM message WHERE "
                + where(p, params, q.folderId(), q.associated());
        if (p.order().isPresent()) {
            sql += " ORDER BY " + p.order().get();
        }
        if (p.pureSql()) {
            sql += " LIMIT ? OFFSET ?";
            params.add(q.limit());
            params.add(q.offset());
        }
        return Sql.list(c, sql, rs -> rs.getString("detail"), params.toArray());
    }

    /**
     * Reads a message's top-level out-of-line value descriptors for {@link LazyRow}s, with one statement prepared on
     * first use and reused for every row of the call (the same SQL as {@link SqliteMessages#largeValues}). Valid
     * inside the read transaction of {@code c}; used on one thread; closed at the end of the call.
     */
    static final class LargeLookup implements AutoCloseable {
        private final Connection c;
        private PreparedStatement ps;

        LargeLookup(Connection c) {
            this.c = c;
        }

        List<LargeValue> of(long messageId) throws SQLException {
            if (ps == null) {
                ps = c.prepareStatement("SELECT prop_tag, size, id FROM large_value WHERE message_id = ? "
                        + "AND object_id = 0 ORDER BY id");
            }
            ps.setLong(1, messageId);
            List<LargeValue> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LargeValue(rs.getInt(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            return out;
        }

        @Override
        public void close() throws SQLException {
            if (ps != null) {
                ps.close();
                ps = null;
            }
        }
    }

    /**
     * A message as a restriction sees it: its top-level properties, out-of-line values loaded on first use, and its
     * recipient and attachment rows for RES_SUBRESTRICTION. Valid only inside the read transaction of
     * {@code c}; used on one thread.
     */
    static final class LazyRow implements RowSource {
        private final Connection c;
        private final MessageHead head;
        private final LargeLookup lookup;
        private final Map<Integer, PropValue> byId = new HashMap<>();
        private List<LargeValue> large;

        LazyRow(Connection c, MessageHead head, SqliteQueue.Live live, LargeLookup lookup) {
            this.c = c;
            this.head = head;
            this.lookup = lookup;
            for (PropValue v : head.rootProperties(head.queueState(live))) {
                byId.put(v.id(), v);
            }
        }

        /** @return the value for a tag (only its id matters), or null; for {@link RowOrder} */
        PropValue get(Integer tag) {
            return get(tag.intValue());
        }

        @Override
        public PropValue get(int propTag) {
            int id = PropTag.id(propTag);
            PropValue v = byId.get(id);
            if (v != null) {
                return v;
            }
            try {
                if (large == null) {
                    large = lookup.of(head.id());
                }
                for (LargeValue lv : large) {
                    if (PropTag.id(lv.tag()) == id) {
                        PropValue m = SqliteMessages.materialize(c, lv);
                        byId.put(id, m);
                        return m;
                    }
                }
            } catch (SQLException e) {
                throw new Db.SqlFailure(e);
            }
            return null;
        }

        @Override
        public List<RowSource> subObjects(int subObjectTag) {
            try {
                List<RowSource> out = new ArrayList<>();
                if (subObjectTag == PropTags.PR_MESSAGE_RECIPIENTS) {
                    for (Recipient r : Sql.list(c, "SELECT num, props FROM subobject WHERE message_id = ? AND "
                            + "parent_id = 0 AND kind = ? ORDER BY id", rs -> new Recipient(rs.getInt(1),
                            PropCodec.decode(rs.getBytes(2))), head.id(), SqliteMessages.KIND_RECIPIENT)) {
                        out.add(RowSource.of(r.row()));
                    }
                } else if (subObjectTag == PropTags.PR_MESSAGE_ATTACHMENTS) {
                    for (Object[] a : Sql.list(c, "SELECT id, num, props FROM subobject WHERE message_id = ? AND "
                            + "parent_id = 0 AND kind = ? ORDER BY id", rs -> new Object[] {rs.getLong(1),
                            rs.getInt(2), rs.getBytes(3)}, head.id(), SqliteMessages.KIND_ATTACHMENT)) {
                        out.add(attachmentRow((Long) a[0], (Integer) a[1], (byte[]) a[2]));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new Db.SqlFailure(e);
            }
        }

        private RowSource attachmentRow(long objectId, int num, byte[] props) throws SQLException {
            Map<Integer, PropValue> values = new HashMap<>();
            for (PropValue v : PropCodec.decode(props)) {
                values.put(v.id(), v);
            }
            values.put(PropTag.id(PropTags.PR_ATTACH_NUM), PropValue.ofInt(PropTags.PR_ATTACH_NUM, num));
            List<LargeValue> attachmentLarge = SqliteMessages.largeValues(c, head.id(), objectId);
            return tag -> {
                int id = PropTag.id(tag);
                PropValue v = values.get(id);
                if (v != null) {
                    return v;
                }
                for (LargeValue lv : attachmentLarge) {
                    if (PropTag.id(lv.tag()) == id) {
                        try {
                            PropValue m = SqliteMessages.materialize(c, lv);
                            values.put(id, m);
                            return m;
                        } catch (SQLException e) {
                            throw new Db.SqlFailure(e);
                        }
                    }
                }
                return null;
            };
        }
    }
}
