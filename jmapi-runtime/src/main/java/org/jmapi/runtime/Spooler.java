package org.jmapi.runtime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.Notification;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.runtime.profile.ProviderRecord;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Restriction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The session's spooler, as far as the provider lifecycle goes: it logs the profile's transports on after the
 * client's logon returned (R-SES-4, R-XP-1, R-XP-3), makes its own logon on every store a client opens
 * (SpoolerLogon, R-MS-7), keeps a {@link StoreActivity} per store, answers StoreLogoffTransports from that real
 * state per the table of spec &sect;11.3 (R-SLT-2..10), relays SpoolerNotify (R-TN-2, R-RCV-3), and ends the
 * transports first at session logoff (R-SESOFF-2).
 *
 * <p>All provider calls the spooler makes run on its own control thread, {@code jmapi-spooler-N}, in order; a
 * client thread that needs an answer waits for it. Not started for MAPI_NO_MAIL sessions (R-SES-3).
 */
final class Spooler {
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);

    enum State { PENDING, ACTIVE, DRAINING, RELEASED }

    /** The spooler's side of one store. */
    final class SpoolerStore {
        final MapiUid section;
        final StoreActivity activity;
        volatile State state = State.PENDING;
        volatile StoreLogonRecord record;
        /** A client logon made while this one drained; handed over again after the release. */
        volatile StoreLogonRecord successor;

        SpoolerStore(MapiUid section) {
            this.section = section;
            this.activity = new StoreActivity(this::unlockedQueued);
        }

        private int unlockedQueued() {
            StoreLogonRecord r = record;
            if (r == null || state == State.RELEASED || !r.isActive()) {
                return 0;
            }
            try (MapiTable q = r.store().getOutgoingQueue(0)) {
                q.restrict(new Restriction.Not(new Restriction.Bitmask(Restriction.BMR_NEZ,
                        PropTags.PR_SUBMIT_FLAGS, Flags.SUBMITFLAG_LOCKED)), 0);
                return q.getRowCount(0);
            } catch (MapiException e) {
                return 0; // a store that never sends has no queue (R-OQ-1)
            }
        }
    }

    private final RealSession session;
    private final boolean enabled;
    private final ExecutorService control;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final List<TransportLogonRecord> transports = new CopyOnWriteArrayList<>();
    private final Map<MapiUid, SpoolerStore> stores = new ConcurrentHashMap<>();
    private volatile Thread controlThread;
    private volatile boolean stopping;

    Spooler(RealSession session, boolean enabled) {
        this.session = session;
        this.enabled = enabled;
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jmapi-spooler-" + session.label);
            t.setDaemon(true);
            controlThread = t;
            return t;
        });
    }

    boolean enabled() {
        return enabled;
    }

    /** Starts the transport logons in the background (R-SES-4). */
    void start() {
        if (!enabled) {
            ready.countDown();
            control.shutdown();
            return;
        }
        control.execute(() -> {
            try {
                for (ProviderRecord xp : session.profile.transportOrder()) {
                    if (stopping) {
                        break;
                    }
                    session.logonTransport(xp).ifPresent(transports::add);
                }
            } finally {
                ready.countDown();
            }
        });
    }

    /** Waits until the transports are logged on (GetStatusTable, R-SES-4). */
    void awaitReady() {
        try {
            ready.await(READY_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean onControlThread() {
        return Thread.currentThread() == controlThread;
    }

    private <T> T onControl(java.util.concurrent.Callable<T> task) {
        if (onControlThread()) {
            try {
                return task.call();
            } catch (MapiException e) {
                throw e;
            } catch (Exception e) {
                throw new MapiException(HResult.MAPI_E_CALL_FAILED, "spooler task failed: " + e, e);
            }
        }
        Future<T> f;
        try {
            f = control.submit(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null;
        }
        try {
            return f.get(DRAIN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "interrupted while waiting for the spooler");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MapiException m) {
                throw m;
            }
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "spooler task failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new MapiException(HResult.MAPI_E_TIMEOUT, "the spooler did not answer in " + DRAIN_LIMIT);
        }
    }

    /** A client opened a store: the spooler logs on to it too, unless mail is off for it (R-MS-7). */
    void handOver(StoreLogonRecord client) {
        if (!enabled || stopping || (client.openFlags & Flags.MDB_NO_MAIL) != 0) {
            return;
        }
        MapiUid section = client.slot.record.uid();
        SpoolerStore created = new SpoolerStore(section);
        SpoolerStore ss = stores.putIfAbsent(section, created);
        if (ss != null) {
            if (ss.state == State.DRAINING) {
                // A client opened the store again while the spooler is letting go of it after NO_WAIT/ORDERLY/PURGE:
                // once the drain ends the spooler logs on anew for that client (R-MS-7).
                ss.successor = client;
            }
            return;
        }
        control.execute(() -> {
            if (stopping || created.state != State.PENDING) {
                return;
            }
            try {
                created.record = session.logonSpoolerStore(client);
                created.state = State.ACTIVE;
                beginTraffic();
            } catch (MapiException e) {
                created.state = State.RELEASED;
                stores.remove(section, created);
            }
        });
    }

    /** BEGIN_INBOUND | BEGIN_OUTBOUND on every transport not yet enabled, once a store is open (R-XP-1). */
    private void beginTraffic() {
        for (TransportLogonRecord t : transports) {
            if (t.isActive() && !t.criticalError && !(t.inboundEnabled && t.outboundEnabled)) {
                int flags = Flags.NOTIFY_BEGIN_INBOUND | Flags.NOTIFY_BEGIN_OUTBOUND;
                transportNotify(t, flags, null);
                t.inboundEnabled = true;
                t.outboundEnabled = true;
            }
        }
    }

    private void transportNotify(TransportLogonRecord t, int flags, Object data) {
        session.trace("IXPLogon::TransportNotify", t.label, flags);
        int hr = HResult.S_OK;
        try {
            t.logon().transportNotify(flags, data);
        } catch (MapiException e) {
            hr = e.hresult();
        }
        session.traceReturn("IXPLogon::TransportNotify", t.label, flags, hr);
    }

    /** @return the spooler's state for a store, if it holds or is making a logon on it */
    Optional<SpoolerStore> store(MapiUid section) {
        return Optional.ofNullable(stores.get(section));
    }

    /**
     * IMAPISupport::StoreLogoffTransports for a client store logon (R-SLT-2..10).
     *
     * @return the output bits
     */
    int storeLogoffTransports(StoreLogonRecord client, int flags) {
        if (client.spooler) {
            return Flags.LOGOFF_COMPLETE;
        }
        if (session.subsystem.openElsewhere(session, client.slot.record.uid())) {
            return Flags.LOGOFF_COMPLETE; // R-SLT-2: another client has the store; spooler untouched
        }
        SpoolerStore ss = stores.get(client.slot.record.uid());
        if (ss == null || stopping) {
            return Flags.LOGOFF_COMPLETE; // R-SLT-3
        }
        Integer decided = onControl(() -> decide(ss, flags));
        if (decided == null) {
            return Flags.LOGOFF_COMPLETE; // the spooler already stopped
        }
        if (flags == Flags.LOGOFF_PURGE && ss.state == State.DRAINING) {
            ss.activity.awaitNothingInFlight(DRAIN_LIMIT);
            onControl(() -> {
                release(ss);
                return 0;
            });
            return Flags.LOGOFF_COMPLETE;
        }
        return decided;
    }

    /** Runs on the control thread: the per-flag table of spec &sect;11.3. */
    private int decide(SpoolerStore ss, int flags) {
        if (ss.state == State.PENDING) {
            ss.state = State.RELEASED; // the spooler never got to log on: nothing to let go of
            stores.remove(ss.section, ss);
            return Flags.LOGOFF_COMPLETE;
        }
        if (ss.state != State.ACTIVE) {
            return Flags.LOGOFF_COMPLETE;
        }
        int activity = ss.activity.snapshot();
        switch (flags) {
            case Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT -> {
                if (activity != 0) {
                    return activity; // refused: nothing changes (R-SLT-5, R-SLT-6)
                }
                release(ss);
                return Flags.LOGOFF_COMPLETE;
            }
            case Flags.LOGOFF_NO_WAIT -> {
                ss.state = State.DRAINING;
                ss.activity.stop(true, false);
                releaseWhenDrained(ss);
                return Flags.LOGOFF_COMPLETE | activity;
            }
            case Flags.LOGOFF_ORDERLY -> {
                ss.state = State.DRAINING;
                ss.activity.stop(true, true);
                releaseWhenDrained(ss);
                return Flags.LOGOFF_COMPLETE | activity;
            }
            case Flags.LOGOFF_PURGE -> {
                ss.state = State.DRAINING;
                flushFor(ss);
                ss.activity.stop(true, false);
                return Flags.LOGOFF_COMPLETE;
            }
            default -> throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "unexpected LOGOFF flag");
        }
    }

    /** R-SLT-9: FlushQueues(FLUSH_UPLOAD [| FLUSH_DOWNLOAD for the default store]) on every transport. */
    private void flushFor(SpoolerStore ss) {
        boolean defaultStore = session.profile.defaultStore().map(d -> d.uid().equals(ss.section)).orElse(false);
        int flags = Flags.FLUSH_UPLOAD | (defaultStore ? Flags.FLUSH_DOWNLOAD : 0);
        for (TransportLogonRecord t : transports) {
            if (t.isActive() && !t.criticalError) {
                flushTransport(t, flags);
            }
        }
    }

    void flushTransport(TransportLogonRecord t, int flags) {
        session.trace("IXPLogon::FlushQueues", t.label, flags);
        int hr = HResult.S_OK;
        try {
            t.flushing = true;
            t.logon().flushQueues(0, flags);
        } catch (MapiException e) {
            hr = e.hresult();
        }
        session.traceReturn("IXPLogon::FlushQueues", t.label, flags, hr);
        if (t.flushing) {
            transportNotify(t, ((flags & Flags.FLUSH_UPLOAD) != 0 ? Flags.NOTIFY_END_OUTBOUND_FLUSH : 0)
                    | ((flags & Flags.FLUSH_DOWNLOAD) != 0 ? Flags.NOTIFY_END_INBOUND_FLUSH : 0), null);
            t.flushing = false;
        }
    }

    private void releaseWhenDrained(SpoolerStore ss) {
        Thread waiter = new Thread(() -> {
            ss.activity.awaitNothingInFlight(DRAIN_LIMIT);
            try {
                control.execute(() -> release(ss));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The session logged off meanwhile; its logoff ended the spooler's logon.
            }
        }, "jmapi-drain-" + session.label);
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Runs on the control thread: the spooler lets go of the store (its final release of its store object). */
    private void release(SpoolerStore ss) {
        if (ss.state == State.RELEASED) {
            return;
        }
        ss.state = State.RELEASED;
        stores.remove(ss.section, ss);
        StoreLogonRecord r = ss.record;
        if (r != null && r.isActive()) {
            MsgStore store = r.store();
            store.release();
        }
        StoreLogonRecord next = ss.successor;
        if (next != null && next.isActive() && !stopping) {
            handOver(next);
        }
    }

    void spoolerLogonEnded(StoreLogonRecord record) {
        stores.values().removeIf(ss -> ss.record == record);
    }

    /** IMAPISupport::SpoolerNotify from a store or transport logon (R-TN-2, R-RCV-3, R-LOGON-5). */
    void spoolerNotify(LogonRecord from, int flags, Object data) {
        if (from instanceof StoreLogonRecord store) {
            if ((flags & Flags.NOTIFY_READYTOSEND) != 0 && enabled && !session.insideProviderLogon()) {
                awaitReady(); // R-SUB-3: transports are logged on when this returns; never inside a logon (R-LOGON-5)
            }
            if ((flags & Flags.NOTIFY_NEWMAIL_RECEIVED) != 0 && (store.openFlags & Flags.MDB_NO_MAIL) == 0
                    && data instanceof Notification.NewMail newMail) {
                SpoolerStore ss = stores.get(store.slot.record.uid());
                if (ss != null) {
                    control.execute(() -> {
                        if (ss.state == State.ACTIVE && ss.record != null && ss.record.isActive()) {
                            ss.record.store().notifyNewMail(newMail);
                        }
                    });
                }
            }
            return;
        }
        TransportLogonRecord t = (TransportLogonRecord) from;
        if ((flags & Flags.NOTIFY_CRITSEC) != 0) {
            t.criticalSection = true;
        }
        if ((flags & Flags.NOTIFY_NONCRIT) != 0) {
            t.criticalSection = false;
        }
        if ((flags & Flags.NOTIFY_CRITICAL_ERROR) != 0) {
            t.criticalError = true;
        }
        if ((flags & Flags.NOTIFY_NEWMAIL) != 0 && t.inboundEnabled) {
            t.newMailSignalled = true; // R-RCV-1: honoured only between BEGIN_INBOUND and END_INBOUND
        }
        if ((flags & Flags.NOTIFY_CONFIG_CHANGE) != 0 && !t.criticalError) {
            control.execute(() -> session.readAddressTypes(t));
        }
    }

    /** R-VS-1: CONFIG_CHANGED on the spooler's status object re-reads every transport's address types. */
    void refreshAddressTypes() {
        onControl(() -> {
            for (TransportLogonRecord t : transports) {
                if (t.isActive() && !t.criticalError) {
                    session.readAddressTypes(t);
                }
            }
            return 0;
        });
    }

    /** The spooler's ValidateState / FlushQueues: the same call on every active transport logon (R-VS-1). */
    void validateTransports(long uiParam, int flags) {
        onControl(() -> {
            for (TransportLogonRecord t : transports) {
                if (t.isActive() && !t.criticalError) {
                    if (t.criticalSection) {
                        throw new MapiException(HResult.MAPI_E_BUSY, t.label + " is inside a critical section");
                    }
                    t.logon().validateState(uiParam, flags);
                }
            }
            return 0;
        });
    }

    /** The spooler status object's FlushQueues (R-FLUSH-1): synchronous unless FLUSH_ASYNC_OK. */
    void flushQueues(EntryId target, int flags) {
        int transportFlags = flags & (Flags.FLUSH_UPLOAD | Flags.FLUSH_DOWNLOAD | Flags.FLUSH_FORCE | Flags.FLUSH_NO_UI);
        java.util.concurrent.Callable<Integer> work = () -> {
            for (TransportLogonRecord t : transports) {
                if (t.isActive() && !t.criticalError && (target == null || session.isStatusOf(target, t))) {
                    flushTransport(t, transportFlags);
                }
            }
            return 0;
        };
        if ((flags & Flags.FLUSH_ASYNC_OK) != 0 && !onControlThread()) {
            control.submit(work);
        } else {
            onControl(work);
        }
    }

    /** Before a transport's logoff: end flushes, abort deferred messages, end traffic (R-SESOFF-2, R-MAIL-4). */
    void endTraffic(TransportLogonRecord t) {
        if (t.criticalError) {
            return; // R-TN-2: after a critical error only the release follows
        }
        if (t.flushing) {
            transportNotify(t, Flags.NOTIFY_END_INBOUND_FLUSH | Flags.NOTIFY_END_OUTBOUND_FLUSH, null);
            t.flushing = false;
        }
        int end = (t.inboundEnabled ? Flags.NOTIFY_END_INBOUND : 0) | (t.outboundEnabled ? Flags.NOTIFY_END_OUTBOUND : 0);
        if (end != 0) {
            transportNotify(t, end, null);
            t.inboundEnabled = false;
            t.outboundEnabled = false;
        }
    }

    void transportEnded(TransportLogonRecord t) {
        transports.remove(t);
    }

    List<TransportLogonRecord> transports() {
        return List.copyOf(transports);
    }

    /**
     * Session logoff, the spooler's part (R-SESOFF-2 (a) and the spooler half of (b)): transports in order, then
     * the spooler's store logons. Runs after everything already queued on the control thread.
     */
    void logoff() {
        if (!enabled) {
            return;
        }
        awaitReady();
        stopping = true;
        onControl(() -> {
            for (TransportLogonRecord t : new ArrayList<>(transports)) {
                t.force();
            }
            for (SpoolerStore ss : new ArrayList<>(stores.values())) {
                StoreLogonRecord r = ss.record;
                release(ss);
                if (r != null) {
                    r.force(); // only does something if the provider kept its support reference
                }
            }
            stores.clear();
            return 0;
        });
        control.shutdown();
        try {
            control.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
