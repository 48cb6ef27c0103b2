package org.jmapi.spi;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Restriction;
import org.jmapi.table.Row;
import org.jmapi.table.SortOrder;

import java.util.List;
import java.util.function.Supplier;

/**
 * A table a provider hands out through a logon: it forwards every call to a view (usually a
 * {@link org.jmapi.table.TableData} view) after passing the logon's {@link LogonGate}, so that no call half-runs on
 * a logged-off logon. Invalidating it (logoff, or its message was submitted) invalidates the view, which drops the
 * view's sinks (R-INV-2); its final release releases the view.
 *
 * <p>Providers {@link ObjectRegistry#register register} it with the logon and unregister it in
 * {@link #onFinalRelease()} (override, call {@code super}). Subclasses may override {@link #enter()} to bring the
 * view up to date before each call.
 *
 * <p><b>Ownership:</b> this object owns the view's reference; the caller owns one reference to this object
 * (R-REF-1). <b>After logoff:</b> every method but IUnknown throws MAPI_E_INVALID_OBJECT. <b>Threads:</b> as
 * thread-safe as the view.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
public class GatedTable extends BaseMapiObject implements MapiTable {
    private final MapiTable view;
    private final Supplier<LogonGate.Pass> gate;

    /**
     * @param view the view; this object takes over its reference
     * @param gate enters the owning logon's gate
     */
    public GatedTable(MapiTable view, Supplier<LogonGate.Pass> gate) {
        this.view = view;
        this.gate = gate;
    }

    /** @return the view calls are forwarded to; not AddRef'ed */
    protected final MapiTable view() {
        return view;
    }

    /**
     * Enters a call: checks this object and the logon's gate.
     *
     * @return the pass to close when the call ends
     */
    protected LogonGate.Pass enter() {
        checkValid();
        return gate.get();
    }

    @Override
    public int[] queryColumns(int flags) {
        try (var pass = enter()) {
            return view.queryColumns(flags);
        }
    }

    @Override
    public void setColumns(int[] tags, int flags) {
        try (var pass = enter()) {
            view.setColumns(tags, flags);
        }
    }

    @Override
    public List<Row> queryRows(int count, int flags) {
        try (var pass = enter()) {
            return view.queryRows(count, flags);
        }
    }

    @Override
    public SeekResult seekRow(int bookmark, int rowCount) {
        try (var pass = enter()) {
            return view.seekRow(bookmark, rowCount);
        }
    }

    @Override
    public Position queryPosition() {
        try (var pass = enter()) {
            return view.queryPosition();
        }
    }

    @Override
    public void seekRowApprox(int numerator, int denominator) {
        try (var pass = enter()) {
            view.seekRowApprox(numerator, denominator);
        }
    }

    @Override
    public void findRow(Restriction restriction, int bookmark, int flags) {
        try (var pass = enter()) {
            view.findRow(restriction, bookmark, flags);
        }
    }

    @Override
    public void restrict(Restriction restriction, int flags) {
        try (var pass = enter()) {
            view.restrict(restriction, flags);
        }
    }

    @Override
    public void sortTable(List<SortOrder> order, int flags) {
        try (var pass = enter()) {
            view.sortTable(order, flags);
        }
    }

    @Override
    public List<SortOrder> querySortOrder() {
        try (var pass = enter()) {
            return view.querySortOrder();
        }
    }

    @Override
    public int createBookmark() {
        try (var pass = enter()) {
            return view.createBookmark();
        }
    }

    @Override
    public void freeBookmark(int bookmark) {
        try (var pass = enter()) {
            view.freeBookmark(bookmark);
        }
    }

    @Override
    public int getRowCount(int flags) {
        try (var pass = enter()) {
            return view.getRowCount(flags);
        }
    }

    @Override
    public int advise(int eventMask, AdviseSink sink) {
        try (var pass = enter()) {
            return view.advise(eventMask, sink);
        }
    }

    @Override
    public void unadvise(int connection) {
        try (var pass = enter()) {
            view.unadvise(connection);
        }
    }

    /** Invalidates the view too, which drops its sinks (R-INV-2). Subclasses call {@code super}. */
    @Override
    protected void onInvalidate() {
        if (view instanceof BaseMapiObject b) {
            b.invalidate();
        }
    }

    /** Releases the view. Subclasses call {@code super} and unregister the table from their logon. */
    @Override
    protected void onFinalRelease() {
        view.release();
    }

    @Override
    protected String describe() {
        return "table";
    }
}
