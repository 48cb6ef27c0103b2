package org.jmapi.store.provider;

import org.jmapi.AdviseSink;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.GatedTable;
import org.jmapi.spi.LogonGate;
import org.jmapi.table.MapiTable;
import org.jmapi.table.TableData;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A table handed out through a store logon that is a {@link TableData} view: hierarchy tables, the outgoing queue,
 * recipient and attachment tables. Every call passes the logon's gate; the table lives in the logon's object
 * registry while referenced and leaves it at its final release; invalidating it (logoff, or its message was
 * submitted) invalidates the view, which drops the view's sinks (R-INV-2).
 *
 * <p>A table built from the store ({@link Source}) keeps its rows current: when the store file reports a change
 * the table is marked stale, and it re-reads its rows before its next call, or, when it has sinks, at once so that
 * they get their TABLE_ROW_ADDED / MODIFIED / DELETED notifications (R-TBL-9, R-OQ-1). Only rows whose values
 * really changed are rewritten, so a re-read does not produce spurious events. A listening table of more than
 * {@value #SYNC_REFRESH_ROWS} rows (a long outgoing queue, which the spooler watches) is not re-read on the changing
 * thread for every change: the re-read runs on the store's poll thread {@link #LARGE_REFRESH_DELAY} later, once for
 * all the changes of that interval, so that a spooler working through thousands of queued messages does not re-read
 * the whole queue several times per message. Tables of a message (recipients,
 * attachments) have no source: the message updates their data itself.
 *
 * <p>The caller owns one reference. <b>Threads:</b> thread-safe.
 */
final class LogonTable extends GatedTable implements StoreFile.Watcher {

    /**
     * Rows read from the store into a {@link TableData}, rewritten only where they changed.
     */
    static final class Source {
        private final TableData data;
        private final int indexTag;
        private final Supplier<List<List<PropValue>>> rows;
        /** The rows last written, by index value; guarded by {@code this}. */
        private final Map<PropValue, List<PropValue>> last = new HashMap<>();

        /**
         * @param data     the table data, owned by this source
         * @param indexTag the index column every row carries
         * @param rows     reads the current rows from the store
         */
        Source(TableData data, int indexTag, Supplier<List<List<PropValue>>> rows) {
            this.data = data;
            this.indexTag = indexTag;
            this.rows = rows;
        }

        /** Re-reads the rows; adds, rewrites and deletes exactly the ones that differ. */
        synchronized void refresh() {
            Map<PropValue, List<PropValue>> now = new LinkedHashMap<>();
            for (List<PropValue> r : rows.get()) {
                PropValue key = r.stream().filter(v -> v.id() == PropTag.id(indexTag)).findFirst().orElseThrow();
                now.put(key, r);
            }
            for (PropValue gone : List.copyOf(last.keySet())) {
                if (!now.containsKey(gone)) {
                    data.deleteRow(gone);
                    last.remove(gone);
                }
            }
            now.forEach((k, r) -> {
                if (!Objects.equals(last.get(k), r)) {
                    data.modifyRow(r);
                    last.put(k, r);
                }
            });
        }

        /** @return the table data */
        TableData data() {
            return data;
        }
    }

    /** The most rows a listening table re-reads on the changing thread, at each change. */
    static final int SYNC_REFRESH_ROWS = 500;
    /** How long a larger listening table gathers changes before it re-reads its rows once for all of them. */
    static final java.time.Duration LARGE_REFRESH_DELAY = java.time.Duration.ofSeconds(1);

    private final SqliteMsgStore store;
    private final Source source;
    private final java.util.concurrent.atomic.AtomicBoolean refreshPending =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final Consumer<LogonTable> onGone;
    private volatile boolean stale;
    private volatile int listeners;

    /**
     * @param store  the logon that hands the table out
     * @param view   a view of the table data; this object owns its reference
     * @param source where the rows come from, or null when the owner keeps the data current itself
     * @param onGone called once when the table's count reaches zero or it is invalidated (a message forgets its
     *               child), may be null
     */
    LogonTable(SqliteMsgStore store, MapiTable view, Source source, Consumer<LogonTable> onGone) {
        super(view, store::enterGate);
        this.store = store;
        this.source = source;
        this.onGone = onGone;
        if (source != null) {
            store.file().watch(this);
        }
    }

    /** Enters the logon's gate and re-reads the rows first when the store changed since the last call. */
    @Override
    protected LogonGate.Pass enter() {
        LogonGate.Pass pass = super.enter();
        if (stale) {
            try {
                stale = false;
                source.refresh();
            } catch (RuntimeException e) {
                pass.close();
                throw e;
            }
        }
        return pass;
    }

    @Override
    public void changed(StoreFile.Change change) {
        if (isInvalid() || isDestroyed()) {
            return;
        }
        stale = true;
        if (listeners > 0) {
            if (source.data().size() <= SYNC_REFRESH_ROWS) {
                stale = false;
                source.refresh();
            } else if (refreshPending.compareAndSet(false, true)) {
                store.file().later(this::deferredRefresh, LARGE_REFRESH_DELAY);
            }
        }
    }

    /** The re-read of a large listening table, on the poll thread, for the changes since it was scheduled. */
    private void deferredRefresh() {
        refreshPending.set(false);
        if (!stale || listeners == 0 || isInvalid() || isDestroyed()) {
            return;
        }
        try {
            stale = false;
            source.refresh();
        } catch (RuntimeException e) {
            stale = true; // the store went away meanwhile (logoff): the next call, if any, tries again
        }
    }

    @Override
    public int advise(int eventMask, AdviseSink sink) {
        int c = super.advise(eventMask, sink);
        synchronized (this) {
            listeners++;
        }
        return c;
    }

    @Override
    public void unadvise(int connection) {
        super.unadvise(connection);
        synchronized (this) {
            listeners = Math.max(0, listeners - 1);
        }
    }

    private void gone() {
        if (source != null) {
            store.file().unwatch(this);
        }
        if (onGone != null) {
            onGone.accept(this);
        }
    }

    @Override
    protected void onInvalidate() {
        super.onInvalidate();
        gone();
    }

    @Override
    protected void onFinalRelease() {
        super.onFinalRelease();
        gone();
        store.untrack(this);
    }

    @Override
    protected String describe() {
        return "store table";
    }
}
