package org.jmapi.store.provider;

import org.jmapi.AdviseSink;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.Notification;
import org.jmapi.table.AdviseRegistration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The advise registrations of one table view (IMAPITable::Advise / Unadvise, R-TBL-9, R-NTF-1).
 *
 * <p>A registration holds the sink (AddRef'ed when it is a {@link MapiObject}) until it is closed and until no
 * OnNotify for it is running any more, then releases it exactly once. {@link #deliver} hands each notification to
 * the executor as its own task (one NOTIFICATION per OnNotify, in event order, R-NTF-4), so nothing runs inside
 * the call that caused the event (R-NTF-3). {@link #closeAll()} (logoff, final release) stops every delivery,
 * including tasks already queued (R-INV-2). Thread-safe.
 */
final class TableSinks {
    private static final System.Logger LOG = System.getLogger(TableSinks.class.getName());
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    private final Executor executor;
    private final Map<Integer, AdviseRegistration> registrations = new LinkedHashMap<>();

    /** @param executor runs deliveries asynchronously, one at a time in order (a single-thread executor) */
    TableSinks(Executor executor) {
        this.executor = executor;
    }

    /**
     * @param eventMask must be fnevTableModified
     * @param sink      the sink
     * @return a non-zero connection number
     * @throws MapiException MAPI_E_INVALID_PARAMETER for another mask or a null sink
     */
    int advise(int eventMask, AdviseSink sink) {
        if (eventMask != Flags.fnevTableModified) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "table Advise accepts only fnevTableModified, not " + HResult.hex(eventMask));
        }
        if (sink == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "Advise: null sink");
        }
        int c;
        do {
            c = CONNECTIONS.incrementAndGet();
        } while (c == 0);
        AdviseRegistration r = new AdviseRegistration(sink);
        synchronized (this) {
            registrations.put(c, r);
        }
        return c;
    }

    /**
     * Closes one registration, waiting for an OnNotify running on another thread (R-NTF-1).
     *
     * @param connection from {@link #advise}
     * @throws MapiException MAPI_E_NOT_FOUND for an unknown connection
     */
    void unadvise(int connection) {
        AdviseRegistration r;
        synchronized (this) {
            r = registrations.remove(connection);
        }
        if (r == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "Unadvise: unknown connection " + connection);
        }
        r.close(true);
    }

    /** @return whether any registration is open */
    synchronized boolean any() {
        return !registrations.isEmpty();
    }

    /**
     * Queues each notification, in order, for every registration.
     *
     * @param events the events of one change
     */
    void deliver(List<Notification> events) {
        List<AdviseRegistration> regs;
        synchronized (this) {
            regs = new ArrayList<>(registrations.values());
        }
        for (Notification n : events) {
            List<Notification> batch = List.of(n);
            for (AdviseRegistration r : regs) {
                try {
                    executor.execute(() -> r.deliver(batch));
                } catch (RejectedExecutionException e) {
                    LOG.log(System.Logger.Level.WARNING, "table notification dropped: the notifier has stopped");
                }
            }
        }
    }

    /** Closes every registration without waiting; their sinks are released (now or when a running OnNotify ends). */
    void closeAll() {
        List<AdviseRegistration> regs;
        synchronized (this) {
            regs = new ArrayList<>(registrations.values());
            registrations.clear();
        }
        regs.forEach(r -> r.close(false));
    }
}
