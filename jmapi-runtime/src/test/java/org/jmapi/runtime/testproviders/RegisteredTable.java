package org.jmapi.runtime.testproviders;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.spi.LogonGate;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Restriction;
import org.jmapi.table.Row;
import org.jmapi.table.SortOrder;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A table handed out through a logon: a {@link org.jmapi.table.TableData} view that passes through the logon's
 * gate, lives in the logon's {@link org.jmapi.spi.ObjectRegistry} while it is referenced, and leaves it at its final
 * release. Invalidating it (logoff, or its message was submitted) invalidates the view, which drops the view's sinks
 * (R-INV-2).
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class RegisteredTable extends BaseMapiObject implements MapiTable {
    private final MapiTable view;
    private final Supplier<LogonGate.Pass> gate;
    private final Consumer<RegisteredTable> onRelease;

    /**
     * @param view      the view; this object owns its reference
     * @param gate      enters the owning logon's gate
     * @param onRelease unregisters this table when its count reaches zero
     */
    RegisteredTable(MapiTable view, Supplier<LogonGate.Pass> gate, Consumer<RegisteredTable> onRelease) {
        this.view = view;
        this.gate = gate;
        this.onRelease = onRelease;
    }

    private LogonGate.Pass enter() {
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

    @Override
    protected void onInvalidate() {
        if (view instanceof BaseMapiObject b) {
            b.invalidate();
        }
    }

    @Override
    protected void onFinalRelease() {
        view.release();
        onRelease.accept(this);
    }

    @Override
    protected String describe() {
        return "test-provider table";
    }
}
