package org.jmapi.store.postgres;

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
 * Contents-table reads of a PostgreSQL store: the restriction and order pushed into SQL over the indexed columns
 * where {@link RestrictionSql} can translate them (in {@link PostgresDialect}), the rest evaluated in Java over
 * lazily loaded rows with {@link Restrictions#scan} in table order. The same three plans as the SQLite engine:
 * <ol>
 *   <li>restriction fully translated, every sort key indexed: one SQL statement with ORDER BY, LIMIT and OFFSET
 *       (an index walk for one-key sorts) that also returns each row's top-level out-of-line value descriptors; a
 *       non-empty page without spooler locks is complete with it, so it runs alone in autocommit — one round trip
 *       to the server (otherwise the page is read again in a read transaction with the folder check and the
 *       spooler owners);</li>
 *   <li>every sort key indexed, part of the restriction in Java: SQL streams the pre-filtered rows in table order
 *       through a cursor ({@value #FETCH} rows at a time), Java filters, skips and stops after the page;</li>
 *   <li>some sort key not indexed: SQL pre-filters, Java sorts with {@link RowOrder} and filters.</li>
 * </ol>
 * Package-private part of {@link PostgresStorage}; one instance per call.
 */
final class PostgresContents {
    /** Rows fetched per round trip when streaming. */
    static final int FETCH = 256;

    private final PostgresStorage storage;
    private final PostgresMessages messages;

    PostgresContents(PostgresStorage storage, PostgresMessages messages) {
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
        Optional<String> order = RestrictionSql.orderBy(keys, PostgresDialect.INSTANCE);
        return new Plan(RestrictionSql.split(r, PostgresDialect.INSTANCE), order, keys);
    }

    private String where(Plan p, List<Object> params, long folderId, boolean associated) {
        params.add(storage.sid());
        params.add(folderId);
        params.add(associated);
        String sql = "store_id = ? AND folder_id = ? AND associated = ?";
        if (p.split().sql() != null) {
            sql += " AND " + p.split().sql().sql();
            params.addAll(p.split().sql().params());
        }
        return sql;
    }

    List<MessageRow> query(ContentsQuery q) {
        Plan p = plan(q.restriction(), q.sortOrder());
        String what = "reading the contents table of folder " + q.folderId();
        if (p.pureSql()) {
            // the usual page (rows, no spooler lock among them) in one statement and one round trip, outside a
            // transaction: a single statement is one snapshot already
            List<MessageRow> rows = storage.db().readOne(what, c -> pageAlone(c, q, p));
            if (rows != null) {
                return rows;
            }
        }
        return storage.db().read(what, c -> {
            try (LargeLookup large = new LargeLookup(c, storage.sid())) {
                return query(c, q, p, large);
            }
        });
    }

    private List<MessageRow> query(Connection c, ContentsQuery q, Plan p, LargeLookup large) throws SQLException {
        if (p.pureSql()) {
            return page(c, q, p);
        }
        storage.foldersComponent().requireFolder(c, q.folderId());
        PostgresQueue.Live live = storage.queueComponent().live(c);
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + PostgresMessages.HEAD_COLUMNS + " FROM jmapi.message WHERE "
                + where(p, params, q.folderId(), q.associated());
        List<MessageHead> out = new ArrayList<>();
        Predicate<RowSource> filter = Restrictions.scan(p.split().residual());
        if (p.order().isPresent()) {
            int skipped = 0;
            try (PreparedStatement ps = c.prepareStatement(sql + " ORDER BY " + p.order().get())) {
                ps.setFetchSize(FETCH);
                Sql.bind(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (out.size() < q.limit() && rs.next()) {
                        MessageHead h = PostgresMessages.mapHead(rs);
                        if (!filter.test(new LazyRow(c, storage.sid(), h, live, large))) {
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
        for (MessageHead h : Sql.list(c, sql, PostgresMessages::mapHead, params.toArray())) {
            rows.add(new LazyRow(c, storage.sid(), h, live, large));
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

    /**
     * The page of a query that SQL answers whole (plan 1) with one statement, when that statement is the whole
     * answer: the page's rows with their top-level out-of-line value descriptors ({@link #TOP_LARGE}: what
     * {@link PostgresMessages#topLargeValues} would read next). A row of the folder proves the folder exists, and
     * rows without a spooler lock need no owner liveness, so such a page is complete.
     *
     * @return the rows; null when the page is empty (the folder must be checked) or a row carries a spooler lock (the
     *         owners must be read): the caller then reads the page again in one transaction with {@link #page}
     */
    private List<MessageRow> pageAlone(Connection c, ContentsQuery q, Plan p) throws SQLException {
        Page page = select(c, q, p);
        if (page.heads().isEmpty() || page.locks()) {
            return null;
        }
        return PostgresMessages.rows(page.heads(), noOwners(), page.large());
    }

    private PostgresQueue.Live noOwners() {
        return new PostgresQueue.Live(java.util.Set.of(), java.util.Set.of(), storage.now());
    }

    /**
     * The page of a query that SQL answers whole (plan 1), in a read transaction: the page statement of
     * {@link #pageAlone}, then the folder check when the page is empty and the spooler owners' liveness when a row
     * carries a lock — in the transaction's one snapshot, so the answer is the same as checking first.
     */
    private List<MessageRow> page(Connection c, ContentsQuery q, Plan p) throws SQLException {
        Page page = select(c, q, p);
        if (page.heads().isEmpty()) {
            storage.foldersComponent().requireFolder(c, q.folderId());
            return List.of();
        }
        return PostgresMessages.rows(page.heads(), page.locks() ? storage.queueComponent().live(c) : noOwners(),
                page.large());
    }

    /**
     * @return {@code LIMIT n OFFSET m} with the query's numbers written into the SQL (ints the query validated):
     *         with parameters there instead, PostgreSQL plans the prepared statement anew on every execution (its
     *         generic plan assumes a LIMIT of 10% of the table and is never chosen), which on a page of 50 costs as
     *         much as reading it; with constants the server keeps one generic plan per page size and position
     */
    private static String pageClause(ContentsQuery q) {
        return " LIMIT " + q.limit() + " OFFSET " + q.offset();
    }

    /** A page's message rows, their top-level out-of-line values by id, and whether a row carries a spooler lock. */
    private record Page(List<MessageHead> heads, Map<Long, List<LargeValue>> large, boolean locks) {}

    private Page select(Connection c, ContentsQuery q, Plan p) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + PostgresMessages.HEAD_COLUMNS + ", " + TOP_LARGE + " FROM jmapi.message WHERE "
                + where(p, params, q.folderId(), q.associated()) + " ORDER BY " + p.order().get() + pageClause(q);
        List<MessageHead> heads = new ArrayList<>();
        Map<Long, List<LargeValue>> large = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, params.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MessageHead h = PostgresMessages.mapHead(rs);
                    heads.add(h);
                    java.sql.Array a = rs.getArray("top_large");
                    if (a != null) {
                        List<LargeValue> values = new ArrayList<>();
                        for (Object row : (Object[]) a.getArray()) {
                            Object[] v = (Object[]) row;
                            values.add(new LargeValue(((Number) v[0]).intValue(), ((Number) v[1]).longValue(),
                                    ((Number) v[2]).longValue()));
                        }
                        large.put(h.id(), values);
                    }
                }
            }
        }
        boolean locks = false;
        for (MessageHead h : heads) {
            locks |= h.queued() && h.lockOwner() != null;
        }
        return new Page(heads, large, locks);
    }

    /**
     * A select-list column of {@code jmapi.message}: the row's top-level out-of-line value descriptors as a
     * {@code bigint[][]} of (prop_tag, size, id) in id order — what {@link PostgresMessages#topLargeValues} reads —
     * or NULL when it has none.
     */
    static final String TOP_LARGE = "(SELECT array_agg(ARRAY[l.prop_tag::bigint, l.size, l.id] ORDER BY l.id)"
            + " FROM jmapi.large_value l WHERE l.store_id = message.store_id AND l.message_id = message.id"
            + " AND l.object_id = 0) AS top_large";

    int count(long folderId, boolean associated, Restriction r) {
        Plan p = plan(r, List.of());
        return storage.db().read("counting the contents table of folder " + folderId, c -> {
            storage.foldersComponent().requireFolder(c, folderId);
            List<Object> params = new ArrayList<>();
            String where = where(p, params, folderId, associated);
            if (p.split().residual() == null) {
                return (int) Sql.longValue(c, "SELECT count(*) FROM jmapi.message WHERE " + where, params.toArray());
            }
            PostgresQueue.Live live = storage.queueComponent().live(c);
            Predicate<RowSource> filter = Restrictions.scan(p.split().residual());
            int n = 0;
            try (LargeLookup large = new LargeLookup(c, storage.sid());
                 PreparedStatement ps = c.prepareStatement("SELECT " + PostgresMessages.HEAD_COLUMNS
                         + " FROM jmapi.message WHERE " + where + " ORDER BY " + p.order().orElseThrow())) {
                ps.setFetchSize(FETCH);
                Sql.bind(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (filter.test(new LazyRow(c, storage.sid(), PostgresMessages.mapHead(rs), live, large))) {
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
        List<Object> params = new ArrayList<>();
        String sql = "EXPLAIN SELECT " + PostgresMessages.HEAD_COLUMNS + (p.pureSql() ? ", " + TOP_LARGE : "")
                + " FROM jmapi.message WHERE " + where(p, params, q.folderId(), q.associated());
        if (p.order().isPresent()) {
            sql += " ORDER BY " + p.order().get();
        }
        if (p.pureSql()) {
            sql += pageClause(q);
        }
        return Sql.list(c, sql, rs -> rs.getString(1), params.toArray());
    }

    /**
     * Reads a message's top-level out-of-line value descriptors for {@link LazyRow}s, with one statement prepared on
     * first use and reused for every row of the call. Valid inside the read transaction of {@code c}; used on one
     * thread; closed at the end of the call.
     */
    static final class LargeLookup implements AutoCloseable {
        private final Connection c;
        private final long storeId;
        private PreparedStatement ps;

        LargeLookup(Connection c, long storeId) {
            this.c = c;
            this.storeId = storeId;
        }

        List<LargeValue> of(long messageId) throws SQLException {
            if (ps == null) {
                ps = c.prepareStatement("SELECT prop_tag, size, id FROM jmapi.large_value WHERE store_id = ? "
                        + "AND message_id = ? AND object_id = 0 ORDER BY id");
            }
            ps.setLong(1, storeId);
            ps.setLong(2, messageId);
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
     * recipient and attachment rows for RES_SUBRESTRICTION. Valid only inside the read transaction of {@code c}; used
     * on one thread.
     */
    static final class LazyRow implements RowSource {
        private final Connection c;
        private final long storeId;
        private final MessageHead head;
        private final LargeLookup lookup;
        private final Map<Integer, PropValue> byId = new HashMap<>();
        private List<LargeValue> large;

        LazyRow(Connection c, long storeId, MessageHead head, PostgresQueue.Live live, LargeLookup lookup) {
            this.c = c;
            this.storeId = storeId;
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
                        PropValue m = PostgresMessages.materialize(c, storeId, lv);
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
                    for (Recipient r : Sql.list(c, "SELECT num, props FROM jmapi.subobject WHERE store_id = ? AND "
                            + "message_id = ? AND parent_id = 0 AND kind = ? ORDER BY id", rs -> new Recipient(
                            rs.getInt(1), PropCodec.decode(rs.getBytes(2))), storeId, head.id(),
                            PostgresMessages.KIND_RECIPIENT)) {
                        out.add(RowSource.of(r.row()));
                    }
                } else if (subObjectTag == PropTags.PR_MESSAGE_ATTACHMENTS) {
                    for (Object[] a : Sql.list(c, "SELECT id, num, props FROM jmapi.subobject WHERE store_id = ? AND "
                            + "message_id = ? AND parent_id = 0 AND kind = ? ORDER BY id", rs -> new Object[] {
                            rs.getLong(1), rs.getInt(2), rs.getBytes(3)}, storeId, head.id(),
                            PostgresMessages.KIND_ATTACHMENT)) {
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
            List<LargeValue> attachmentLarge = Sql.list(c, "SELECT prop_tag, size, id FROM jmapi.large_value WHERE "
                    + "store_id = ? AND message_id = ? AND object_id = ? ORDER BY id", rs -> new LargeValue(
                    rs.getInt(1), rs.getLong(2), rs.getLong(3)), storeId, head.id(), objectId);
            return tag -> {
                int id = PropTag.id(tag);
                PropValue v = values.get(id);
                if (v != null) {
                    return v;
                }
                for (LargeValue lv : attachmentLarge) {
                    if (PropTag.id(lv.tag()) == id) {
                        try {
                            PropValue m = PostgresMessages.materialize(c, storeId, lv);
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
