package org.jmapi.table;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.Notification;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-memory table, like the ITableData MAPI's CreateTable returns: the owner adds, replaces and deletes rows
 * keyed by an index column, and hands out any number of {@link MapiTable} views. The runtime uses it for the status
 * table and the message-store table; providers use it for their own tables (spec &sect;8, &sect;9.3).
 *
 * <p><b>Views</b> ({@link #openView()}) each have their own column set, restriction, sort order, cursor and
 * bookmarks, with the IMAPITable semantics of R-TBL-1..9: see {@link MapiTable} for each method. A view's cursor and
 * bookmarks follow their row when other rows come and go; when their row disappears they fall back to the position
 * it had (clamped), and seeking from such a bookmark answers MAPI_W_POSITION_CHANGED (R-TBL-5). RES_COUNT in a
 * view's restriction passes only the first {@code count} matching rows in the view's order.
 *
 * <p><b>Notifications</b> (R-TBL-9, R-NTF-1, R-NTF-3, R-NTF-4): after {@link #modifyRow} or {@link #deleteRow}
 * changed the data, every view with advise sinks gets one TABLE_NOTIFICATION per event, judged by that view's
 * restriction and order (rows the restriction hides produce nothing; a row that starts or stops passing it arrives
 * as TABLE_ROW_ADDED / TABLE_ROW_DELETED). Each event is handed to the {@code notifier} as its own task delivering a
 * one-element list, in event order; nothing runs inside the changing call. The notifier must run tasks
 * asynchronously (the subsystem's dispatcher thread, or a single-thread executor in tests).
 *
 * <p><b>Logoff</b>: {@link #invalidateViews()} turns every open view invalid (R-INV-2): its methods but IUnknown
 * throw MAPI_E_INVALID_OBJECT, its sinks are released and get nothing more, its bookmarks are freed.
 *
 * <p><b>Threads</b>: thread-safe. One internal lock guards the rows and every view's state; sinks, the notifier
 * and {@code release()} of sinks are never called while it is held.
 */
public final class TableData {
    /** Bookmark ids shared by every view of every table, so that no view accepts another's bookmark. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_BOOKMARK =
            new java.util.concurrent.atomic.AtomicInteger(Flags.BOOKMARK_END + 1);

    /** The most bookmarks one view holds at once; createBookmark beyond it fails (R-TBL-7). */
    public static final int MAX_BOOKMARKS = 256;

    /** Where refused notification tasks and sinks that throw are logged. */
    private static final System.Logger LOG = System.getLogger(TableData.class.getName());
    /** The {@link Anchor} sequence of a position on no row (a fixed position: beginning, end). */
    private static final long NO_ROW = -1;
    /** The row of events without row data (TABLE_ROW_DELETED). */
    private static final Row EMPTY_ROW = new Row(List.of());
    /** A PR_NULL-tagged value: PR_NULL columns, and the propPrior of a first row (R-TBL-9). */
    private static final PropValue PR_NULL_VALUE = PropValue.of(PropTag.PR_NULL, null);

    /** Guards the rows, the outbox and every view's state; never held while sinks or the notifier run. */
    private final Object lock = new Object();
    /** Keeps the notifier's {@code execute} calls in queue order; see {@link #flushOutbox()}. */
    private final Object dispatchLock = new Object();
    /** The index column's tag. */
    private final int indexTag;
    /** The column set of a new view. */
    private final int[] defaultColumns;
    /** Runs notification tasks asynchronously (R-NTF-3). */
    private final Executor notifier;
    /** Source of advise connection numbers, shared by all views; see {@link #nextConnection()}. */
    private final AtomicInteger connections = new AtomicInteger();
    /** Rows by normalised index value, in insertion order; guarded by {@link #lock}. */
    private final LinkedHashMap<PropValue, StoredRow> rows = new LinkedHashMap<>();
    /** Views not yet destroyed; guarded by {@link #lock}. */
    private final Set<View> views = new LinkedHashSet<>();
    /** Notification tasks waiting to be handed to the notifier, in event order; guarded by {@link #lock}. */
    private final ArrayDeque<Runnable> outbox = new ArrayDeque<>();
    /** Insertion sequence of the next new row; guarded by {@link #lock}. */
    private long nextSeq;
    /** Incremented by every data change, so views recompute what they show; guarded by {@link #lock}. */
    private long version;
    /** Number of the last view opened, for its description; guarded by {@link #lock}. */
    private int viewNumbers;

    /**
     * Creates an empty table.
     *
     * @param indexTag       the index column (PR_INSTANCE_KEY, PR_ROWID, ...): every row carries it and it identifies
     *                       the row; a single-valued type that can hold a value
     * @param defaultColumns the column set of a new view (R-TBL-2 "defaults if none"); copied
     * @param notifier       runs notification tasks asynchronously (R-NTF-3); typically the subsystem's dispatcher
     * @throws MapiException MAPI_E_INVALID_PARAMETER for an unusable index tag, no default columns or no notifier
     */
    public TableData(int indexTag, int[] defaultColumns, Executor notifier) {
        int type = PropTag.type(indexTag);
        if (!PropType.isKnown(type) || PropType.isMultiValued(type) || type == PropType.PT_UNSPECIFIED
                || type == PropType.PT_NULL || type == PropType.PT_ERROR || type == PropType.PT_OBJECT) {
            throw invalid("TableData: " + PropTag.toString(indexTag) + " cannot be an index column");
        }
        if (defaultColumns == null || defaultColumns.length == 0 || notifier == null) {
            throw invalid("TableData: default columns and a notifier are required");
        }
        this.indexTag = indexTag;
        this.defaultColumns = defaultColumns.clone();
        this.notifier = notifier;
    }

    /**
     * Adds a row, or replaces the stored row with the same index value (ITableData::HrModifyRow). A replaced row
     * keeps its place in insertion order; a new one is appended. Views with sinks get TABLE_ROW_ADDED or
     * TABLE_ROW_MODIFIED (or ADDED / DELETED when the change moves the row into or out of their restriction),
     * delivered later through the notifier (R-NTF-3, R-ST-4).
     *
     * @param row the complete row; copied. PR_NULL and PT_ERROR entries are dropped; of two values with one id the
     *            later wins
     * @throws MapiException MAPI_E_INVALID_PARAMETER when {@code row} is null, holds a null entry or has no value
     *                       for the index column; MAPI_E_INVALID_TYPE when the index value has the wrong Java type
     */
    public void modifyRow(List<PropValue> row) {
        List<PropValue> values = normalise(row);
        PropValue key = values.stream().filter(v -> v.id() == PropTag.id(indexTag)).findFirst()
                .map(this::key)
                .orElseThrow(() -> invalid("modifyRow: the row has no " + PropTag.toString(indexTag)));
        synchronized (lock) {
            Map<View, List<StoredRow>> before = visibleToListeners();
            StoredRow old = rows.get(key);
            long seq = old != null ? old.seq() : nextSeq++;
            rows.put(key, new StoredRow(seq, key, values, RowSource.of(values)));
            version++;
            queueChanges(before, key);
        }
        flushOutbox();
    }

    /**
     * Deletes the row with this index value (ITableData::HrDeleteRow); views with sinks that showed it get
     * TABLE_ROW_DELETED (R-ST-4).
     *
     * @param index the index value; its id must be the index column's
     * @return whether a row was deleted (false when none had that index value)
     * @throws MapiException MAPI_E_INVALID_PARAMETER for null or a value of another property
     */
    public boolean deleteRow(PropValue index) {
        PropValue key = key(index);
        synchronized (lock) {
            if (!rows.containsKey(key)) {
                return false;
            }
            Map<View, List<StoredRow>> before = visibleToListeners();
            rows.remove(key);
            version++;
            queueChanges(before, key);
        }
        flushOutbox();
        return true;
    }

    /**
     * ITableData::HrQueryRow.
     *
     * @param index the index value
     * @return the stored row with all its columns, if present; the row belongs to the caller
     * @throws MapiException MAPI_E_INVALID_PARAMETER for null or a value of another property
     */
    public Optional<Row> row(PropValue index) {
        PropValue key = key(index);
        synchronized (lock) {
            StoredRow r = rows.get(key);
            return r == null ? Optional.empty() : Optional.of(new Row(r.values()));
        }
    }

    /** @return a snapshot of every stored row, in insertion order, with all its columns; owned by the caller */
    public List<Row> rows() {
        synchronized (lock) {
            return rows.values().stream().map(r -> new Row(r.values())).toList();
        }
    }

    /** @return the number of stored rows (restrictions of views do not apply) */
    public int size() {
        synchronized (lock) {
            return rows.size();
        }
    }

    /**
     * Opens a new view (ITableData::HrGetView) with the default columns, no restriction, insertion order and the
     * cursor at the beginning.
     *
     * @return the view; the caller owns its one reference and releases it (R-REF-1), which frees its bookmarks and
     *         advise registrations (R-TBL-7, R-NTF-1)
     */
    public MapiTable openView() {
        synchronized (lock) {
            View v = new View(++viewNumbers);
            views.add(v);
            return v;
        }
    }

    /** @return how many views were opened and not yet destroyed (invalid ones included until released) */
    public int openViews() {
        synchronized (lock) {
            return views.size();
        }
    }

    /**
     * Logoff (R-INV-2): every open view becomes invalid (its non-IUnknown methods throw MAPI_E_INVALID_OBJECT),
     * its sinks are released and receive nothing more, not even notifications already queued, and its bookmarks
     * are freed. Holders still release their view references. Views opened later are valid.
     */
    public void invalidateViews() {
        List<View> open;
        synchronized (lock) {
            open = new ArrayList<>(views);
        }
        open.forEach(BaseMapiObject::invalidate);
    }

    // ---- rows -------------------------------------------------------------------------------------------------

    /**
     * One stored row: insertion sequence, normalised index value, values, and a lookup over them.
     *
     * @param seq    the insertion sequence; kept when the row is replaced
     * @param key    the normalised index value
     * @param values the normalised values
     * @param source a lookup over {@code values}
     */
    private record StoredRow(long seq, PropValue key, List<PropValue> values, RowSource source) {}

    /**
     * @param row a row given to {@link #modifyRow}
     * @return its values without PR_NULL and PT_ERROR entries, one per id (the later wins), unmodifiable
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a null row or a null entry
     */
    private static List<PropValue> normalise(List<PropValue> row) {
        if (row == null) {
            throw invalid("modifyRow: null row");
        }
        Map<Integer, PropValue> byId = new LinkedHashMap<>();
        for (PropValue v : row) {
            if (v == null) {
                throw invalid("modifyRow: null value in row");
            }
            if (v.tag() != PropTag.PR_NULL && !v.isError()) {
                byId.put(v.id(), v);
            }
        }
        return List.copyOf(byId.values());
    }

    /**
     * The index value re-tagged with the index tag, so that lookups do not depend on the caller's type.
     *
     * @param index a value of the index column
     * @return the normalised key
     * @throws MapiException MAPI_E_INVALID_PARAMETER for null, a PT_ERROR value or a value of another property
     */
    private PropValue key(PropValue index) {
        if (index == null || index.id() != PropTag.id(indexTag) || index.isError()) {
            throw invalid("not a value of the index column " + PropTag.toString(indexTag) + ": " + index);
        }
        return index.tag() == indexTag ? index : PropValue.of(indexTag, index.value());
    }

    /**
     * Under the lock: the columns of QueryColumns(TBL_ALL_COLUMNS).
     *
     * @return the default columns, then every other column some row has; one tag per id
     */
    private int[] allColumns() {
        Map<Integer, Integer> byId = new LinkedHashMap<>();
        for (int tag : defaultColumns) {
            byId.putIfAbsent(PropTag.id(tag), tag);
        }
        for (StoredRow r : rows.values()) {
            r.values().forEach(v -> byId.putIfAbsent(v.id(), v.tag()));
        }
        return byId.values().stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- notifications ----------------------------------------------------------------------------------------

    /**
     * Under the lock: what each view that has live sinks shows before a change.
     *
     * @return the visible rows of each such view
     */
    private Map<View, List<StoredRow>> visibleToListeners() {
        Map<View, List<StoredRow>> before = new LinkedHashMap<>();
        for (View v : views) {
            if (v.hasListeners()) {
                before.put(v, v.visible());
            }
        }
        return before;
    }

    /**
     * Under the lock: compares each listening view before and after a change and queues its events.
     *
     * @param before  what {@link #visibleToListeners()} answered before the change
     * @param changed the key of the row added, replaced or deleted
     */
    private void queueChanges(Map<View, List<StoredRow>> before, PropValue changed) {
        before.forEach((view, rowsBefore) -> view.queue(view.changes(rowsBefore, view.visible(), changed)));
    }

    /**
     * Hands queued tasks to the notifier in queue order, outside the data lock. The dispatch lock keeps the order
     * of {@code execute} calls equal to the order events were queued in, even with concurrent changers.
     */
    private void flushOutbox() {
        synchronized (dispatchLock) {
            for (Runnable task = nextTask(); task != null; task = nextTask()) {
                try {
                    notifier.execute(task);
                } catch (RejectedExecutionException e) {
                    LOG.log(System.Logger.Level.WARNING, "table notification dropped: the notifier refused it", e);
                }
            }
        }
    }

    /** @return the oldest queued notification task, removed from the outbox, or null */
    private Runnable nextTask() {
        synchronized (lock) {
            return outbox.poll();
        }
    }

    /** @return a new advise connection number, never 0 (R-NTF-1) */
    private int nextConnection() {
        int c;
        do {
            c = connections.incrementAndGet();
        } while (c == 0);
        return c;
    }

    /**
     * @param message what is wrong
     * @return a MAPI_E_INVALID_PARAMETER exception
     */
    private static MapiException invalid(String message) {
        return new MapiException(HResult.MAPI_E_INVALID_PARAMETER, message);
    }

    /**
     * A position that follows its row.
     *
     * @param seq the row's sequence, or {@link #NO_ROW}
     * @param pos the position used when {@code seq} is NO_ROW or its row is not visible (clamped)
     */
    private record Anchor(long seq, int pos) {}

    /**
     * One IMAPITable view over the table. Every non-IUnknown method checks validity first (R-INV-1, R-INV-2). All
     * state is guarded by the table's lock.
     */
    final class View extends BaseMapiObject implements MapiTable {
        /** The view's number, for its description. */
        private final int number;
        /** Bookmarks from {@link #createBookmark()}, by id (R-TBL-7). */
        private final Map<Integer, Anchor> bookmarks = new HashMap<>();
        /** Advise registrations by connection number. */
        private final Map<Integer, AdviseRegistration> sinks = new LinkedHashMap<>();
        /** The column set (SetColumns, R-TBL-1). */
        private int[] columns = defaultColumns.clone();
        /** The restriction (Restrict, R-TBL-3), or null. */
        private Restriction restriction;
        /** The sort keys (SortTable, R-TBL-4); empty = insertion order. */
        private List<SortOrder> sortOrder = List.of();
        /** The cursor. */
        private Anchor cursor = new Anchor(NO_ROW, 0);
        /** What {@link #visible()} computed for {@link #cacheVersion}, or null. */
        private List<StoredRow> visibleCache;
        /** Row sequence to position in {@link #visibleCache}. */
        private Map<Long, Integer> positions;
        /** The table version {@link #visibleCache} was computed for. */
        private long cacheVersion = -1;

        /** @param number the view's number, for its description */
        View(int number) {
            this.number = number;
        }

        @Override
        public int[] queryColumns(int flags) {
            checkValid();
            Flags.checkKnown(flags, TBL_ALL_COLUMNS, "QueryColumns");
            synchronized (lock) {
                return (flags & TBL_ALL_COLUMNS) != 0 ? allColumns() : columns.clone();
            }
        }

        @Override
        public void setColumns(int[] tags, int flags) {
            checkValid();
            Flags.checkKnown(flags, Flags.TBL_ASYNC | Flags.TBL_BATCH, "SetColumns");
            if (tags == null || tags.length == 0) {
                throw invalid("SetColumns: a table has at least one column");
            }
            synchronized (lock) {
                columns = tags.clone();
            }
        }

        @Override
        public List<Row> queryRows(int count, int flags) {
            checkValid();
            Flags.checkKnown(flags, Flags.TBL_NOADVANCE, "QueryRows");
            if (count == 0) {
                throw invalid("QueryRows: the row count is 0");
            }
            synchronized (lock) {
                List<StoredRow> vis = visible();
                int pos = resolve(cursor);
                int from = count > 0 ? pos : (int) Math.max(0L, (long) pos + count);
                int to = count > 0 ? (int) Math.min(vis.size(), (long) pos + count) : pos;
                List<Row> out = vis.subList(from, to).stream().map(this::project).toList();
                cursor = anchorAt((flags & Flags.TBL_NOADVANCE) != 0 ? from : to);
                return out;
            }
        }

        @Override
        public SeekResult seekRow(int bookmark, int rowCount) {
            checkValid();
            synchronized (lock) {
                Anchor from = anchorFor(bookmark);
                boolean moved = vanished(from);
                int base = resolve(from);
                int target = (int) Math.max(0L, Math.min(visible().size(), (long) base + rowCount));
                cursor = anchorAt(target);
                return new SeekResult(moved ? HResult.MAPI_W_POSITION_CHANGED : HResult.S_OK, target - base);
            }
        }

        @Override
        public Position queryPosition() {
            checkValid();
            synchronized (lock) {
                int pos = resolve(cursor);
                return new Position(pos, pos, visible().size());
            }
        }

        @Override
        public void seekRowApprox(int numerator, int denominator) {
            checkValid();
            if (denominator <= 0 || numerator < 0) {
                throw invalid("SeekRowApprox: " + numerator + "/" + denominator + " is not a fraction");
            }
            synchronized (lock) {
                int size = visible().size();
                int target = numerator >= denominator ? size : (int) ((long) numerator * size / denominator);
                cursor = anchorAt(target);
            }
        }

        @Override
        public void findRow(Restriction r, int bookmark, int flags) {
            checkValid();
            Flags.checkKnown(flags, Flags.DIR_BACKWARD, "FindRow");
            Restrictions.validate(r);
            synchronized (lock) {
                int start = resolve(anchorFor(bookmark));
                boolean backward = (flags & Flags.DIR_BACKWARD) != 0;
                int found = backward ? search(r, start - 1, -1) : search(r, start, 1);
                if (found < 0) {
                    throw new MapiException(HResult.MAPI_E_NOT_FOUND, "FindRow: no row matches");
                }
                cursor = anchorAt(found);
            }
        }

        @Override
        public void restrict(Restriction r, int flags) {
            checkValid();
            Flags.checkKnown(flags, Flags.TBL_ASYNC | Flags.TBL_BATCH, "Restrict");
            if (r != null) {
                Restrictions.validate(r);
            }
            synchronized (lock) {
                restriction = r;
                resetView();
            }
        }

        @Override
        public void sortTable(List<SortOrder> order, int flags) {
            checkValid();
            Flags.checkKnown(flags, Flags.TBL_ASYNC | Flags.TBL_BATCH, "SortTable");
            if (order == null) {
                throw invalid("SortTable: null sort order");
            }
            order.forEach(View::checkSortKey);
            synchronized (lock) {
                sortOrder = List.copyOf(order);
                resetView();
            }
        }

        @Override
        public List<SortOrder> querySortOrder() {
            checkValid();
            synchronized (lock) {
                return sortOrder;
            }
        }

        @Override
        public int createBookmark() {
            checkValid();
            synchronized (lock) {
                if (bookmarks.size() >= MAX_BOOKMARKS) {
                    throw new MapiException(HResult.MAPI_E_UNABLE_TO_COMPLETE,
                            "CreateBookmark: a view holds at most " + MAX_BOOKMARKS + " bookmarks");
                }
                int id = newBookmarkId();
                bookmarks.put(id, anchorAt(resolve(cursor)));
                return id;
            }
        }

        @Override
        public void freeBookmark(int bookmark) {
            checkValid();
            if (isPredefined(bookmark)) {
                return;
            }
            synchronized (lock) {
                if (bookmarks.remove(bookmark) == null) {
                    throw unknownBookmark(bookmark);
                }
            }
        }

        @Override
        public int getRowCount(int flags) {
            checkValid();
            Flags.checkKnown(flags, 0, "GetRowCount");
            synchronized (lock) {
                return visible().size();
            }
        }

        @Override
        public int advise(int eventMask, AdviseSink sink) {
            checkValid();
            if (eventMask != Flags.fnevTableModified) {
                throw invalid("table Advise accepts only fnevTableModified, not " + HResult.hex(eventMask));
            }
            if (sink == null) {
                throw invalid("Advise: null sink");
            }
            AdviseRegistration reg = new AdviseRegistration(sink);
            int connection = nextConnection();
            try {
                synchronized (lock) {
                    checkValid();
                    sinks.put(connection, reg);
                }
            } catch (MapiException e) {
                reg.close(false);
                throw e;
            }
            return connection;
        }

        @Override
        public void unadvise(int connection) {
            checkValid();
            AdviseRegistration reg;
            synchronized (lock) {
                reg = sinks.remove(connection);
            }
            if (reg == null) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "Unadvise: unknown connection " + connection);
            }
            reg.close(true);
        }

        @Override
        protected String describe() {
            return "table-view:" + number;
        }

        @Override
        protected void onFinalRelease() {
            dispose(true);
        }

        @Override
        protected void onInvalidate() {
            dispose(false);
        }

        // ---- view internals (callers hold the lock unless stated) ----

        /**
         * Not under the lock: drops sinks (closed without waiting; a running OnNotify releases its sink when it
         * returns) and bookmarks; a destroyed view also leaves the table.
         *
         * @param destroyed true at the final release, false at invalidation (logoff)
         */
        private void dispose(boolean destroyed) {
            List<AdviseRegistration> regs;
            synchronized (lock) {
                regs = new ArrayList<>(sinks.values());
                sinks.clear();
                bookmarks.clear();
                visibleCache = null;
                if (destroyed) {
                    views.remove(this);
                }
            }
            regs.forEach(r -> r.close(false));
        }

        /** @return whether the view has sinks and is neither invalid nor destroyed */
        private boolean hasListeners() {
            return !sinks.isEmpty() && !isInvalid() && !isDestroyed();
        }

        /**
         * The rows this view shows, in its order, recomputed when the data or the view changed.
         *
         * @return the visible rows; not to be modified
         */
        private List<StoredRow> visible() {
            if (visibleCache == null || cacheVersion != version) {
                List<StoredRow> all = new ArrayList<>(rows.values());
                all.sort(comparator());
                Predicate<RowSource> filter = Restrictions.scan(restriction);
                visibleCache = all.stream().filter(r -> filter.test(r.source())).toList();
                positions = new HashMap<>();
                for (int i = 0; i < visibleCache.size(); i++) {
                    positions.put(visibleCache.get(i).seq(), i);
                }
                cacheVersion = version;
            }
            return visibleCache;
        }

        /** @return the view's order: its sort keys in turn, then insertion order */
        private Comparator<StoredRow> comparator() {
            Comparator<StoredRow> c = Comparator.comparingLong(StoredRow::seq);
            for (int i = sortOrder.size() - 1; i >= 0; i--) {
                SortOrder key = sortOrder.get(i);
                Comparator<StoredRow> byKey = (a, b) ->
                        Restrictions.compare(a.source().get(key.propTag()), b.source().get(key.propTag()));
                if (key.direction() == SortOrder.TABLE_SORT_DESCEND) {
                    byKey = byKey.reversed();
                }
                c = byKey.thenComparing(c);
            }
            return c;
        }

        /** After Restrict / SortTable: frees every bookmark, cursor to the beginning (R-TBL-3, R-TBL-4). */
        private void resetView() {
            bookmarks.clear();
            visibleCache = null;
            cursor = new Anchor(NO_ROW, 0);
        }

        /**
         * @param a an anchor
         * @return its row's current position, or its fallback position clamped to the visible rows
         */
        private int resolve(Anchor a) {
            List<StoredRow> vis = visible();
            Integer at = a.seq() == NO_ROW ? null : positions.get(a.seq());
            return at != null ? at : Math.max(0, Math.min(a.pos(), vis.size()));
        }

        /**
         * @param a an anchor
         * @return whether it was on a row that this view no longer shows (R-TBL-5 MAPI_W_POSITION_CHANGED)
         */
        private boolean vanished(Anchor a) {
            visible();
            return a.seq() != NO_ROW && !positions.containsKey(a.seq());
        }

        /**
         * @param pos a position, 0 to the visible row count
         * @return an anchor on the row at {@code pos}, falling back to {@code pos}; on no row past the end
         */
        private Anchor anchorAt(int pos) {
            List<StoredRow> vis = visible();
            return new Anchor(pos < vis.size() ? vis.get(pos).seq() : NO_ROW, pos);
        }

        /**
         * @param bookmark a predefined bookmark or one from {@link #createBookmark()}
         * @return where it points
         * @throws MapiException MAPI_E_INVALID_BOOKMARK for an unknown or freed bookmark (R-TBL-5)
         */
        private Anchor anchorFor(int bookmark) {
            switch (bookmark) {
                case Flags.BOOKMARK_BEGINNING:
                    return new Anchor(NO_ROW, 0);
                case Flags.BOOKMARK_CURRENT:
                    return cursor;
                case Flags.BOOKMARK_END:
                    return new Anchor(NO_ROW, Integer.MAX_VALUE);
                default:
                    Anchor a = bookmarks.get(bookmark);
                    if (a == null) {
                        throw unknownBookmark(bookmark);
                    }
                    return a;
            }
        }

        /**
         * @return a bookmark id that is neither predefined nor used by any view in this process, so a bookmark of
         *         another table is always MAPI_E_INVALID_BOOKMARK here (R-TBL-5, R-TBL-7)
         */
        private int newBookmarkId() {
            while (true) {
                int id = NEXT_BOOKMARK.getAndIncrement();
                if (!isPredefined(id) && !bookmarks.containsKey(id)) {
                    return id;
                }
            }
        }

        /**
         * @param r     the restriction, validated
         * @param start the first position tested
         * @param step  1 forward, -1 backward
         * @return the first matching position, or -1
         */
        private int search(Restriction r, int start, int step) {
            List<StoredRow> vis = visible();
            for (int i = start; i >= 0 && i < vis.size(); i += step) {
                if (Restrictions.matches(r, vis.get(i).source())) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * The row in this view's current column set (R-TBL-1).
         *
         * @param r a stored row
         * @return a new row, one entry per column
         */
        private Row project(StoredRow r) {
            List<PropValue> out = new ArrayList<>(columns.length);
            for (int col : columns) {
                out.add(column(r, col));
            }
            return new Row(out);
        }

        /**
         * @param r   a stored row
         * @param col a column tag
         * @return PR_NULL for a PR_NULL column; the row's value, re-typed between string flavours when asked; else
         *         PT_ERROR / MAPI_E_NOT_FOUND (R-TBL-1)
         */
        private PropValue column(StoredRow r, int col) {
            if (col == PropTag.PR_NULL) {
                return PR_NULL_VALUE;
            }
            PropValue v = r.source().get(col);
            int want = PropTag.type(col);
            if (v == null) {
                return PropValue.error(col, HResult.MAPI_E_NOT_FOUND);
            }
            if (want == PropType.PT_UNSPECIFIED || want == v.type()) {
                return v;
            }
            if (isString(want) && isString(v.type())
                    && PropType.isMultiValued(want) == PropType.isMultiValued(v.type())) {
                return PropValue.of(PropTag.withType(v.tag(), want), v.value());
            }
            return PropValue.error(col, HResult.MAPI_E_NOT_FOUND);
        }

        /**
         * The TABLE_NOTIFICATIONs that turn {@code before} into {@code after} for this view (R-TBL-9).
         *
         * @param before  the rows shown before the change
         * @param after   the rows shown after it
         * @param changed the key of the row the change touched
         * @return ROW_DELETED events, then ROW_ADDED / ROW_MODIFIED events, in view order
         */
        private List<Notification> changes(List<StoredRow> before, List<StoredRow> after, PropValue changed) {
            Set<PropValue> beforeKeys = keys(before);
            Set<PropValue> afterKeys = keys(after);
            List<Notification> out = new ArrayList<>();
            for (int i = 0; i < before.size(); i++) {
                if (!afterKeys.contains(before.get(i).key())) {
                    out.add(event(Flags.TABLE_ROW_DELETED, before, i, EMPTY_ROW));
                }
            }
            for (int i = 0; i < after.size(); i++) {
                StoredRow r = after.get(i);
                if (!beforeKeys.contains(r.key())) {
                    out.add(event(Flags.TABLE_ROW_ADDED, after, i, project(r)));
                } else if (r.key().equals(changed)) {
                    out.add(event(Flags.TABLE_ROW_MODIFIED, after, i, project(r)));
                }
            }
            return out;
        }

        /**
         * @param type  TABLE_ROW_ADDED, TABLE_ROW_DELETED or TABLE_ROW_MODIFIED
         * @param order the rows the event is positioned in
         * @param i     the row's position in {@code order}
         * @param row   the row data, or {@link #EMPTY_ROW}
         * @return the notification; propPrior is the preceding row's key, or PR_NULL for the first row
         */
        private Notification event(int type, List<StoredRow> order, int i, Row row) {
            PropValue prior = i == 0 ? PR_NULL_VALUE : order.get(i - 1).key();
            return new Notification.Table(type, HResult.S_OK, order.get(i).key(), prior, row);
        }

        /**
         * Queues one task per event and registration, in event order.
         *
         * @param events this view's events for one change
         */
        private void queue(List<Notification> events) {
            for (Notification n : events) {
                List<Notification> batch = List.of(n);
                for (AdviseRegistration reg : sinks.values()) {
                    outbox.add(() -> reg.deliver(batch));
                }
            }
        }

        /**
         * @param rs rows
         * @return their keys
         */
        private static Set<PropValue> keys(List<StoredRow> rs) {
            Set<PropValue> keys = new HashSet<>();
            rs.forEach(r -> keys.add(r.key()));
            return keys;
        }

        /**
         * @param type a property type
         * @return whether its base type is PT_UNICODE or PT_STRING8
         */
        private static boolean isString(int type) {
            int base = PropType.base(type);
            return base == PropType.PT_UNICODE || base == PropType.PT_STRING8;
        }

        /**
         * @param bookmark a bookmark
         * @return whether it is BOOKMARK_BEGINNING, BOOKMARK_CURRENT or BOOKMARK_END (R-TBL-7)
         */
        private static boolean isPredefined(int bookmark) {
            return bookmark == Flags.BOOKMARK_BEGINNING || bookmark == Flags.BOOKMARK_CURRENT
                    || bookmark == Flags.BOOKMARK_END;
        }

        /**
         * @param bookmark the bookmark
         * @return the MAPI_E_INVALID_BOOKMARK exception to throw
         */
        private static MapiException unknownBookmark(int bookmark) {
            return new MapiException(HResult.MAPI_E_INVALID_BOOKMARK, "unknown or freed bookmark " + bookmark);
        }

        /**
         * R-TBL-4: keys are checked before anything changes, so a refused sort leaves the old order.
         *
         * @param key a sort key
         * @throws MapiException MAPI_E_INVALID_PARAMETER for null; MAPI_E_TOO_COMPLEX for an unsortable type or a
         *                       direction other than ascending / descending
         */
        private static void checkSortKey(SortOrder key) {
            if (key == null) {
                throw invalid("SortTable: null sort key");
            }
            int type = PropTag.type(key.propTag());
            if (type == PropType.PT_UNSPECIFIED || type == PropType.PT_ERROR || PropType.isMultiValued(type)) {
                throw new MapiException(HResult.MAPI_E_TOO_COMPLEX,
                        "SortTable: cannot sort on " + PropTag.toString(key.propTag()));
            }
            if (key.direction() != SortOrder.TABLE_SORT_ASCEND && key.direction() != SortOrder.TABLE_SORT_DESCEND) {
                throw new MapiException(HResult.MAPI_E_TOO_COMPLEX,
                        "SortTable: jmapi tables do not categorise; direction " + key.direction());
            }
        }
    }
}
