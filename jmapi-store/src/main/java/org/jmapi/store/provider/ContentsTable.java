package org.jmapi.store.provider;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.Notification;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.LogonGate;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.MessageRow;
import org.jmapi.store.Storage;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Restriction;
import org.jmapi.table.Restrictions;
import org.jmapi.table.Row;
import org.jmapi.table.RowSource;
import org.jmapi.table.SortOrder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.jmapi.prop.PropTags.PR_INSTANCE_KEY;

/**
 * A folder's contents table (IMAPIContainer::GetContentsTable) as a view over {@link Storage#query} and
 * {@link Storage#count}: the restriction and the sort order are handed to the storage, which runs them in SQL where
 * they touch its indexed columns, so sorting a big folder and reading its first rows is an index walk. Nothing is
 * cached while nobody listens: every call sees the store as it is now.
 *
 * <p><b>Semantics</b> (R-TBL-1..9, as {@link org.jmapi.table.TableData}'s views): the cursor is a row offset in the
 * view's order; a bookmark remembers an offset and the row that was there. Seeking from a bookmark whose row is no
 * longer at its offset (it moved or vanished) uses the offset, clamped, and answers MAPI_W_POSITION_CHANGED
 * (R-TBL-5). Restrict and SortTable free the bookmarks and move the cursor to the start (R-TBL-3, R-TBL-4); a refused
 * sort or restriction changes nothing. FindRow evaluates its restriction in Java on the rows in view order, so every
 * column works, PR_INSTANCE_KEY included (R-TBL-6). A restriction that names a column the provider computes
 * (PR_ENTRYID, PR_INSTANCE_KEY, PR_PARENT_ENTRYID ...) cannot go to the storage; the view then reads the folder in
 * order and filters in Java.
 *
 * <p><b>Notifications</b> (R-TBL-9): while the view has sinks it keeps the ids and versions of the rows it shows
 * (up to {@link #DIFF_LIMIT} rows); after each change of its folder (this process's, at once; another process's,
 * when the store file's poller notices) it sends TABLE_ROW_ADDED / DELETED / MODIFIED for the rows that changed, in
 * view order, with propPrior = the preceding row's PR_INSTANCE_KEY (PR_NULL for the first row). A bigger view sends
 * one TABLE_CHANGED instead. Rows the restriction hides produce nothing.
 *
 * <p><b>Lifetime</b>: registered with its logon's object registry; after the logon's logoff every method but
 * IUnknown throws MAPI_E_INVALID_OBJECT and the sinks are released (R-INV-2). The caller owns one reference.
 * <b>Threads</b>: thread-safe; every call runs inside the logon's gate.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class ContentsTable extends BaseMapiObject implements MapiTable, StoreFile.Watcher {
    /** The most rows a listening view diffs row by row; beyond it changes are reported as TABLE_CHANGED. */
    static final int DIFF_LIMIT = 5_000;
    /** The most bookmarks one view holds at once (R-TBL-7). */
    static final int MAX_BOOKMARKS = 256;
    /** The most sort keys the storage accepts. */
    static final int MAX_SORT_KEYS = 16;
    /**
     * Bookmark ids are handed out from one counter for all contents tables, so a bookmark of another table is never
     * taken for one of this table's (MAPI_E_INVALID_BOOKMARK, R-TBL-5 / R-TBL-7).
     */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_BOOKMARK =
            new java.util.concurrent.atomic.AtomicInteger(Flags.BOOKMARK_END + 1);
    /** Rows read per step when FindRow walks the table. */
    private static final int PAGE = 256;

    /** A bookmark: where it was made and which message was there (0 for none). */
    private record Mark(int offset, long messageId) {}

    /** What a listening view showed: row ids in order with a fingerprint (version, lock) per row. */
    private record Shown(List<Long> order, Map<Long, Long> fingerprints, Map<Long, PropValue> keys) {}

    private final SqliteMsgStore store;
    private final StoreFile file;
    private final long folderId;
    private final boolean associated;
    private final TableSinks sinks;
    /** Guards everything below. */
    private final Object lock = new Object();
    private int[] columns = Rows.CONTENTS_COLUMNS.clone();
    private Restriction restriction;
    /** Whether the restriction names computed columns, so that it is evaluated in Java. */
    private boolean javaFilter;
    private List<SortOrder> sortOrder = List.of();
    private int cursor;
    private final Map<Integer, Mark> bookmarks = new HashMap<>();
    /** What the view showed when it last told its sinks, or null when nobody listens. */
    private Shown shown;

    /**
     * @param store      the logon that hands the table out
     * @param folderId   the folder
     * @param associated whether this is the associated (FAI) contents table
     */
    ContentsTable(SqliteMsgStore store, long folderId, boolean associated) {
        this.store = store;
        this.file = store.file();
        this.folderId = folderId;
        this.associated = associated;
        this.sinks = new TableSinks(file.notifier());
        file.watch(this);
    }

    private LogonGate.Pass enter() {
        checkValid();
        return store.enterGate();
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    private Storage storage() {
        return file.storage();
    }

    /** @return rows [offset, offset + limit) of the view, in order */
    private List<MessageRow> fetch(int offset, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        try {
            if (!javaFilter) {
                return storage().query(pageQuery(offset, limit));
            }
            List<MessageRow> all = filtered();
            return all.subList(Math.min(offset, all.size()), (int) Math.min(all.size(), (long) offset + limit));
        } catch (MapiException e) {
            throw translate(e);
        }
    }

    /**
     * @return the storage query that reads rows [offset, offset + limit) of the view when its restriction runs in the
     *         storage (package-private so tests can check its query plan)
     */
    ContentsQuery pageQuery(int offset, int limit) {
        synchronized (lock) {
            return new ContentsQuery(folderId, associated, restriction, sortOrder, offset, limit);
        }
    }

    /** @return every row of the view, for the Java filter path */
    private List<MessageRow> filtered() {
        List<MessageRow> all = storage().query(new ContentsQuery(folderId, associated, null, sortOrder, 0,
                ContentsQuery.ALL));
        if (restriction == null) {
            return all;
        }
        Predicate<RowSource> p = Restrictions.scan(restriction);
        List<MessageRow> out = new ArrayList<>();
        for (MessageRow r : all) {
            if (p.test(Rows.source(values(r)))) {
                out.add(r);
            }
        }
        return out;
    }

    /** @return the number of rows the view shows */
    private int total() {
        try {
            return javaFilter ? filtered().size() : storage().count(folderId, associated, restriction);
        } catch (MapiException e) {
            throw translate(e);
        }
    }

    private MapiException translate(MapiException e) {
        if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
            return new MapiException(HResult.MAPI_E_OBJECT_DELETED, "the folder of this contents table ("
                    + folderId + ") was deleted", e);
        }
        return e;
    }

    private List<PropValue> values(MessageRow r) {
        return Rows.messageValues(file.ids(), store.wrappedId(), r);
    }

    private Row project(MessageRow r) {
        return Rows.project(values(r), columns);
    }

    // ---- IMAPITable -------------------------------------------------------------------------------------------

    @Override
    public int[] queryColumns(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, TBL_ALL_COLUMNS, "IMAPITable::QueryColumns");
            synchronized (lock) {
                if ((flags & TBL_ALL_COLUMNS) == 0) {
                    return columns.clone();
                }
                Map<Integer, Integer> byId = new LinkedHashMap<>();
                for (int t : Rows.CONTENTS_COLUMNS) {
                    byId.putIfAbsent(PropTag.id(t), t);
                }
                for (MessageRow r : fetch(0, PAGE)) {
                    for (PropValue v : values(r)) {
                        byId.putIfAbsent(v.id(), v.isError() ? PropTag.withType(v.tag(), PropType.PT_UNSPECIFIED)
                                : v.tag());
                    }
                }
                return byId.values().stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    @Override
    public void setColumns(int[] tags, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.TBL_ASYNC | Flags.TBL_BATCH, "IMAPITable::SetColumns");
            if (tags == null || tags.length == 0) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "SetColumns: a table has at least one column");
            }
            synchronized (lock) {
                columns = tags.clone();
            }
        }
    }

    @Override
    public List<Row> queryRows(int count, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.TBL_NOADVANCE, "IMAPITable::QueryRows");
            if (count == 0) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "QueryRows: the row count is 0");
            }
            synchronized (lock) {
                int from;
                int to;
                List<MessageRow> rows;
                if (count > 0) {
                    from = cursor;
                    rows = fetch(from, count);
                    if (rows.isEmpty()) {
                        from = Math.min(cursor, total());
                    }
                    to = from + rows.size();
                } else {
                    int pos = Math.min(cursor, total());
                    from = (int) Math.max(0L, (long) pos + count);
                    rows = fetch(from, pos - from);
                    to = from + rows.size();
                }
                cursor = (flags & Flags.TBL_NOADVANCE) != 0 ? from : to;
                return rows.stream().map(this::project).toList();
            }
        }
    }

    @Override
    public SeekResult seekRow(int bookmark, int rowCount) {
        try (var pass = enter()) {
            synchronized (lock) {
                int total = total();
                Mark from = markFor(bookmark, total);
                boolean moved = from.messageId() != 0 && !stillThere(from);
                int base = Math.min(from.offset(), total);
                int target = (int) Math.max(0L, Math.min(total, (long) base + rowCount));
                cursor = target;
                return new SeekResult(moved ? HResult.MAPI_W_POSITION_CHANGED : HResult.S_OK, target - base);
            }
        }
    }

    /** @return whether the bookmarked row is still at the bookmark's offset */
    private boolean stillThere(Mark m) {
        List<MessageRow> at = fetch(m.offset(), 1);
        return !at.isEmpty() && at.get(0).id() == m.messageId();
    }

    /**
     * @return where a bookmark points
     * @throws MapiException MAPI_E_INVALID_BOOKMARK for an unknown or freed bookmark (R-TBL-5)
     */
    private Mark markFor(int bookmark, int total) {
        switch (bookmark) {
            case Flags.BOOKMARK_BEGINNING:
                return new Mark(0, 0);
            case Flags.BOOKMARK_CURRENT:
                return new Mark(Math.min(cursor, total), 0);
            case Flags.BOOKMARK_END:
                return new Mark(total, 0);
            default:
                Mark m = bookmarks.get(bookmark);
                if (m == null) {
                    throw new MapiException(HResult.MAPI_E_INVALID_BOOKMARK, "unknown or freed bookmark " + bookmark
                            + " (bookmarks come from CreateBookmark on this table and end with Restrict/SortTable)");
                }
                return m;
        }
    }

    @Override
    public Position queryPosition() {
        try (var pass = enter()) {
            synchronized (lock) {
                int total = total();
                int pos = Math.min(cursor, total);
                return new Position(pos, pos, total);
            }
        }
    }

    @Override
    public void seekRowApprox(int numerator, int denominator) {
        try (var pass = enter()) {
            if (denominator <= 0 || numerator < 0) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "SeekRowApprox: " + numerator + "/" + denominator + " is not a fraction");
            }
            synchronized (lock) {
                int size = total();
                cursor = numerator >= denominator ? size : (int) ((long) numerator * size / denominator);
            }
        }
    }

    @Override
    public void findRow(Restriction r, int bookmark, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.DIR_BACKWARD, "IMAPITable::FindRow");
            if (r == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "FindRow: null restriction");
            }
            Restrictions.validate(r);
            synchronized (lock) {
                int total = total();
                int start = Math.min(markFor(bookmark, total).offset(), total);
                int found = (flags & Flags.DIR_BACKWARD) != 0 ? searchBackward(r, start - 1) : searchForward(r, start);
                if (found < 0) {
                    throw new MapiException(HResult.MAPI_E_NOT_FOUND, "FindRow: no row matches");
                }
                cursor = found;
            }
        }
    }

    private int searchForward(Restriction r, int start) {
        for (int offset = start; ; offset += PAGE) {
            List<MessageRow> page = fetch(offset, PAGE);
            for (int i = 0; i < page.size(); i++) {
                if (Restrictions.matches(r, Rows.source(values(page.get(i))))) {
                    return offset + i;
                }
            }
            if (page.size() < PAGE) {
                return -1;
            }
        }
    }

    private int searchBackward(Restriction r, int start) {
        for (int end = start; end >= 0; end -= PAGE) {
            int from = Math.max(0, end - PAGE + 1);
            List<MessageRow> page = fetch(from, end - from + 1);
            for (int i = page.size() - 1; i >= 0; i--) {
                if (Restrictions.matches(r, Rows.source(values(page.get(i))))) {
                    return from + i;
                }
            }
        }
        return -1;
    }

    @Override
    public void restrict(Restriction r, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.TBL_ASYNC | Flags.TBL_BATCH, "IMAPITable::Restrict");
            boolean java = false;
            if (r != null) {
                Restrictions.validate(r);
                java = namesComputed(r);
            }
            synchronized (lock) {
                if (!java && r != null) {
                    try {
                        storage().count(folderId, associated, r); // refused here, nothing has changed yet
                    } catch (MapiException e) {
                        throw translate(e);
                    }
                }
                restriction = r;
                javaFilter = java;
                reset();
            }
        }
    }

    @Override
    public void sortTable(List<SortOrder> order, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.TBL_ASYNC | Flags.TBL_BATCH, "IMAPITable::SortTable");
            if (order == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "SortTable: null sort order");
            }
            if (order.size() > MAX_SORT_KEYS) {
                throw new MapiException(HResult.MAPI_E_TOO_COMPLEX, "SortTable: at most " + MAX_SORT_KEYS
                        + " sort keys, got " + order.size());
            }
            order.forEach(ContentsTable::checkSortKey);
            List<SortOrder> keys = List.copyOf(order);
            synchronized (lock) {
                try {
                    storage().query(new ContentsQuery(folderId, associated, javaFilter ? null : restriction, keys, 0,
                            1)); // a refused order fails here and leaves the old one (R-TBL-4)
                } catch (MapiException e) {
                    throw translate(e);
                }
                sortOrder = keys;
                reset();
            }
        }
    }

    /**
     * @throws MapiException MAPI_E_INVALID_PARAMETER for null; MAPI_E_TOO_COMPLEX for an unsortable type or a
     *                       direction other than ascending / descending (no categories)
     */
    private static void checkSortKey(SortOrder key) {
        if (key == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "SortTable: null sort key");
        }
        int type = PropTag.type(key.propTag());
        if (type == PropType.PT_UNSPECIFIED || type == PropType.PT_ERROR || type == PropType.PT_NULL
                || type == PropType.PT_OBJECT || PropType.isMultiValued(type) || !PropType.isKnown(type)) {
            throw new MapiException(HResult.MAPI_E_TOO_COMPLEX,
                    "SortTable: cannot sort on " + PropTag.toString(key.propTag()));
        }
        if (key.direction() != SortOrder.TABLE_SORT_ASCEND && key.direction() != SortOrder.TABLE_SORT_DESCEND) {
            throw new MapiException(HResult.MAPI_E_TOO_COMPLEX,
                    "SortTable: contents tables do not categorise; direction " + key.direction());
        }
    }

    /** Under the lock: after Restrict / SortTable, bookmarks freed, cursor to the start, listeners re-baselined. */
    private void reset() {
        bookmarks.clear();
        cursor = 0;
        if (shown != null) {
            shown = snapshot();
        }
    }

    @Override
    public List<SortOrder> querySortOrder() {
        try (var pass = enter()) {
            synchronized (lock) {
                return sortOrder;
            }
        }
    }

    @Override
    public int createBookmark() {
        try (var pass = enter()) {
            synchronized (lock) {
                if (bookmarks.size() >= MAX_BOOKMARKS) {
                    throw new MapiException(HResult.MAPI_E_UNABLE_TO_COMPLETE,
                            "CreateBookmark: a table holds at most " + MAX_BOOKMARKS + " bookmarks");
                }
                List<MessageRow> at = fetch(cursor, 1);
                int offset = at.isEmpty() ? Math.min(cursor, total()) : cursor;
                int id;
                do {
                    id = NEXT_BOOKMARK.getAndIncrement();
                } while ((id >= Flags.BOOKMARK_BEGINNING && id <= Flags.BOOKMARK_END) || bookmarks.containsKey(id));
                bookmarks.put(id, new Mark(offset, at.isEmpty() ? 0 : at.get(0).id()));
                return id;
            }
        }
    }

    @Override
    public void freeBookmark(int bookmark) {
        try (var pass = enter()) {
            if (bookmark == Flags.BOOKMARK_BEGINNING || bookmark == Flags.BOOKMARK_CURRENT
                    || bookmark == Flags.BOOKMARK_END) {
                return;
            }
            synchronized (lock) {
                if (bookmarks.remove(bookmark) == null) {
                    throw new MapiException(HResult.MAPI_E_INVALID_BOOKMARK, "unknown or freed bookmark " + bookmark);
                }
            }
        }
    }

    @Override
    public int getRowCount(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, 0, "IMAPITable::GetRowCount");
            synchronized (lock) {
                return total();
            }
        }
    }

    @Override
    public int advise(int eventMask, AdviseSink sink) {
        try (var pass = enter()) {
            synchronized (lock) {
                int c = sinks.advise(eventMask, sink);
                if (shown == null) {
                    shown = snapshot();
                }
                return c;
            }
        }
    }

    @Override
    public void unadvise(int connection) {
        try (var pass = enter()) {
            sinks.unadvise(connection);
            synchronized (lock) {
                if (!sinks.any()) {
                    shown = null;
                }
            }
        }
    }

    // ---- notifications ----------------------------------------------------------------------------------------

    /** Under the lock: what the view shows now, or an empty marker when it is too big to diff. */
    private Shown snapshot() {
        if (total() > DIFF_LIMIT) {
            return new Shown(null, Map.of(), Map.of());
        }
        List<MessageRow> rows = fetch(0, DIFF_LIMIT + 1);
        List<Long> order = new ArrayList<>(rows.size());
        Map<Long, Long> prints = new HashMap<>();
        Map<Long, PropValue> keys = new HashMap<>();
        for (MessageRow r : rows) {
            order.add(r.id());
            prints.put(r.id(), fingerprint(r));
            keys.put(r.id(), PropValue.ofBinary(PR_INSTANCE_KEY, file.ids().message(r.id()).toBytes()));
        }
        return new Shown(order, prints, keys);
    }

    private static long fingerprint(MessageRow r) {
        return r.info().version() * 2 + (r.info().queue() != null && r.info().queue().locked() ? 1 : 0);
    }

    @Override
    public void changed(StoreFile.Change change) {
        if (!change.touches(folderId) || isInvalid() || isDestroyed()) {
            return;
        }
        List<Notification> events;
        synchronized (lock) {
            if (shown == null) {
                return;
            }
            try {
                events = diff();
            } catch (MapiException e) {
                events = List.of(new Notification.Table(Flags.TABLE_ERROR, e.hresult(), Rows.PR_NULL_VALUE,
                        Rows.PR_NULL_VALUE, new Row(List.of())));
            }
        }
        if (!events.isEmpty()) {
            sinks.deliver(events);
        }
    }

    /** Under the lock: the events that turn what the sinks last saw into what the view shows now. */
    private List<Notification> diff() {
        Shown before = shown;
        if (before.order() == null || total() > DIFF_LIMIT) {
            shown = snapshot();
            return List.of(new Notification.Table(Flags.TABLE_CHANGED, HResult.S_OK, Rows.PR_NULL_VALUE,
                    Rows.PR_NULL_VALUE, new Row(List.of())));
        }
        List<MessageRow> rows = fetch(0, DIFF_LIMIT + 1);
        Map<Long, MessageRow> now = new LinkedHashMap<>();
        for (MessageRow r : rows) {
            now.put(r.id(), r);
        }
        List<Notification> out = new ArrayList<>();
        for (int i = 0; i < before.order().size(); i++) {
            long id = before.order().get(i);
            if (!now.containsKey(id)) {
                PropValue prior = i == 0 ? Rows.PR_NULL_VALUE : before.keys().get(before.order().get(i - 1));
                out.add(new Notification.Table(Flags.TABLE_ROW_DELETED, HResult.S_OK, before.keys().get(id), prior,
                        new Row(List.of())));
            }
        }
        Set<Long> beforeIds = new HashSet<>(before.order());
        List<Long> order = new ArrayList<>(now.keySet());
        for (int i = 0; i < order.size(); i++) {
            MessageRow r = now.get(order.get(i));
            PropValue key = PropValue.ofBinary(PR_INSTANCE_KEY, file.ids().message(r.id()).toBytes());
            PropValue prior = i == 0 ? Rows.PR_NULL_VALUE
                    : PropValue.ofBinary(PR_INSTANCE_KEY, file.ids().message(order.get(i - 1)).toBytes());
            if (!beforeIds.contains(r.id())) {
                out.add(new Notification.Table(Flags.TABLE_ROW_ADDED, HResult.S_OK, key, prior, project(r)));
            } else if (before.fingerprints().get(r.id()) != fingerprint(r)) {
                out.add(new Notification.Table(Flags.TABLE_ROW_MODIFIED, HResult.S_OK, key, prior, project(r)));
            }
        }
        shown = snapshot();
        return out;
    }

    // ---- restrictions on computed columns ---------------------------------------------------------------------

    /** @return whether the restriction names a column the provider computes (then it is evaluated in Java) */
    static boolean namesComputed(Restriction r) {
        if (r instanceof Restriction.And a) {
            return a.children().stream().anyMatch(ContentsTable::namesComputed);
        } else if (r instanceof Restriction.Or o) {
            return o.children().stream().anyMatch(ContentsTable::namesComputed);
        } else if (r instanceof Restriction.Not n) {
            return namesComputed(n.child());
        } else if (r instanceof Restriction.Content c) {
            return computed(c.propTag());
        } else if (r instanceof Restriction.Property p) {
            return computed(p.propTag());
        } else if (r instanceof Restriction.CompareProps c) {
            return computed(c.propTag1()) || computed(c.propTag2());
        } else if (r instanceof Restriction.Bitmask b) {
            return computed(b.propTag());
        } else if (r instanceof Restriction.Size s) {
            return computed(s.propTag());
        } else if (r instanceof Restriction.Exist e) {
            return computed(e.propTag());
        } else if (r instanceof Restriction.Comment c) {
            return c.child() != null && namesComputed(c.child());
        } else if (r instanceof Restriction.Count c) {
            return namesComputed(c.child());
        }
        return false; // RES_SUBRESTRICTION looks at recipients and attachments, which have no computed columns
    }

    private static boolean computed(int tag) {
        return Rows.COMPUTED_MESSAGE_IDS.contains(PropTag.id(tag));
    }

    // ---- lifetime ---------------------------------------------------------------------------------------------

    @Override
    protected void onInvalidate() {
        file.unwatch(this);
        sinks.closeAll();
        synchronized (lock) {
            bookmarks.clear();
            shown = null;
        }
    }

    @Override
    protected void onFinalRelease() {
        file.unwatch(this);
        sinks.closeAll();
        store.untrack(this);
    }

    @Override
    protected String describe() {
        return (associated ? "associated contents table of folder " : "contents table of folder ") + folderId;
    }
}
