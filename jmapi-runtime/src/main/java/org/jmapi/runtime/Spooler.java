package org.jmapi.runtime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.Notification;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.profile.ProviderRecord;
import org.jmapi.spi.BaseMsgStore;
import org.jmapi.spi.ConcurrentSubmissions;
import org.jmapi.spi.DeferredOutcomes;
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
 * The session's spooler: it logs the profile's transports on after the client's logon returned (R-SES-4, R-XP-1,
 * R-XP-3), makes its own logon on every store a client opens (SpoolerLogon, R-MS-7), moves mail — the send loop
 * ({@link Outbound}) over every store's outgoing queue and the receive loop ({@link Inbound}) from every inbound
 * transport into the default store — keeps a {@link StoreActivity} per store that those loops feed, answers
 * StoreLogoffTransports from that real state per the table of spec &sect;11.3 (R-SLT-2..10), relays SpoolerNotify
 * (R-TN-2, R-RCV-3), runs flushes (R-FLUSH-1/2), and ends the transports first at session logoff (R-SESOFF-2).
 *
 * <p>Three threads, and senders. The control thread {@code jmapi-spooler-<session>} makes the lifecycle calls
 * (logons, TransportNotify, the per-flag decisions, releases) in order; a client thread that needs an answer waits for
 * it. The mail thread {@code jmapi-spooler-mail-<session>} sends (GetOutgoingQueue, SetLockState,
 * SubmitMessage/EndMessage, FinishedMsg) and runs flushes; the inbound thread {@code jmapi-spooler-in-<session>}
 * receives (Poll, StartMessage, NotifyNewMail), so a long send never holds up a receive and both can be in flight
 * at once, as the LOGOFF_* flags expect. Both wake on queue-table notifications, SpoolerNotify, flushes, logoffs, and
 * every poll interval; the mail thread also every second while another spooler sharing a queue holds messages (another
 * spooler's unlock is not always notified, {@link Outbound#HELD_LOOK}). When a transport takes several messages at once
 * ({@link ConcurrentSubmissions}, e.g. SMTP over several connections), the mail thread hands a send pass's messages to
 * sender threads {@code jmapi-spooler-send-<session>-N}, as many at once as the most any available transport takes
 * (each transport gets no more than it takes), and the pass ends when all of them did. A store's {@code use} lock keeps
 * them apart from the control thread: it never releases a store while another spooler thread is using it. Not started
 * for MAPI_NO_MAIL sessions (R-SES-3). Every call of the store methods only the spooler makes (GetOutgoingQueue,
 * SetLockState, FinishedMsg, NotifyNewMail) is traced, object {@code "spooler"}, so the lifecycle trace shows that
 * none follows the spooler's release of a store (R-SLT-10).
 *
 * <p>Timing, from system properties (milliseconds): {@code jmapi.spooler.poll} (default 5000) between Poll calls
 * and queue re-reads, {@code jmapi.spooler.retry} (default 30000) the first retry delay of a message that could not
 * be sent, doubling per attempt up to an hour.
 */
final class Spooler {
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);
    private static final Duration MAIL_THREAD_STOP = Duration.ofSeconds(30);
    /** The most messages in flight at once, on one transport and in a send pass. */
    static final int MAX_SENDERS = 32;

    enum State { PENDING, ACTIVE, DRAINING, RELEASED }

    /** The spooler's side of one store. */
    final class SpoolerStore {
        final MapiUid section;
        final StoreActivity activity;
        volatile State state = State.PENDING;
        volatile StoreLogonRecord record;
        /** A client logon made while this one drained; handed over again after the release. */
        volatile StoreLogonRecord successor;
        /** The LOGOFF_* flag that started the drain (NO_WAIT, ORDERLY or PURGE), 0 while ACTIVE. */
        volatile int drainFlag;
        /** PURGE: the flush it asked for has run, so the drain may end. */
        volatile boolean flushed;
        /**
         * Read-held by the mail and inbound threads while they use the store (never across the wait for another
         * thread), write-held by the control thread to release it: the spooler never releases a store in use.
         */
        final java.util.concurrent.locks.ReentrantReadWriteLock use =
                new java.util.concurrent.locks.ReentrantReadWriteLock();
        /** Completed when the spooler let go of the store. */
        final java.util.concurrent.CompletableFuture<Void> released = new java.util.concurrent.CompletableFuture<>();
        /** The spooler's open outgoing-queue table, whose notifications wake the mail thread. */
        volatile MapiTable queueWatch;
        volatile int queueWatchConnection;

        SpoolerStore(MapiUid section) {
            this.section = section;
            this.activity = new StoreActivity(this::shared, Spooler.this::wake);
        }

        /** @return whether the mail thread may use the store (ACTIVE or DRAINING, logon alive) */
        boolean serving() {
            StoreLogonRecord r = record;
            return (state == State.ACTIVE || state == State.DRAINING) && r != null && r.isActive();
        }

        /**
         * @return what the store reports to every process (R-SLT-4): its outgoing queue, unlocked and locked
         *         messages, and the transport activity it recorded from every process and host sharing it
         */
        private StoreActivity.Shared shared() {
            StoreLogonRecord r = record;
            if (r == null || state == State.RELEASED || !r.isActive()) {
                return StoreActivity.Shared.NONE;
            }
            MsgStore store = r.store();
            int unlocked = 0;
            int locked = 0;
            session.trace("IMsgStore::GetOutgoingQueue", "spooler", 0);
            try (MapiTable q = store.getOutgoingQueue(0)) {
                int all = q.getRowCount(0);
                q.restrict(new Restriction.Not(new Restriction.Bitmask(Restriction.BMR_NEZ,
                        PropTags.PR_SUBMIT_FLAGS, Flags.SUBMITFLAG_LOCKED)), 0);
                unlocked = q.getRowCount(0);
                locked = Math.max(0, all - unlocked);
            } catch (MapiException e) {
                // a store that never sends has no queue (R-OQ-1)
            }
            int recorded = 0;
            try {
                // absent (PT_ERROR) when the store keeps no records
                recorded = store.getProp(BaseMsgStore.PR_TRANSPORT_ACTIVITY).map(PropValue::asInt).orElse(0);
            } catch (MapiException e) {
                // logged off meanwhile: nothing to add
            }
            return new StoreActivity.Shared(unlocked, locked, recorded);
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
    private final Duration pollInterval = Duration.ofMillis(Long.getLong("jmapi.spooler.poll", 5000));
    private final Outbound outbound;
    private final Inbound inbound;
    private final Object signal = new Object();
    private boolean woken;
    private Thread mailThread;
    /**
     * Runs a send pass's messages when a transport takes several at once ({@link ConcurrentSubmissions}); made on
     * first use, its threads end after a minute idle; guarded by {@code sendersLock}.
     */
    private java.util.concurrent.ThreadPoolExecutor senders;
    private final Object sendersLock = new Object();
    private Thread inboundThread;
    private final Object inboundSignal = new Object();
    private boolean inboundWoken;
    private final java.util.concurrent.ConcurrentLinkedQueue<FlushRequest> flushes =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Map<TransportLogonRecord, java.time.Instant> lastPoll = new ConcurrentHashMap<>();

    /** A flush the mail thread runs: these transports, these FLUSH_* flags, then completes {@code done}. */
    private record FlushRequest(List<TransportLogonRecord> targets, int flags, SpoolerStore purging,
            java.util.concurrent.CompletableFuture<Void> done) {}

    Spooler(RealSession session, boolean enabled) {
        this.session = session;
        this.enabled = enabled;
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jmapi-spooler-" + session.label);
            t.setDaemon(true);
            controlThread = t;
            return t;
        });
        this.outbound = new Outbound(this, session, Duration.ofMillis(Long.getLong("jmapi.spooler.retry", 30000)));
        this.inbound = new Inbound(this, session);
    }

    boolean stopping() {
        return stopping;
    }

    /** Wakes the mail thread: something to send, receive, flush or drain. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
        synchronized (inboundSignal) {
            inboundWoken = true;
            inboundSignal.notifyAll();
        }
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
        mailThread = new Thread(this::mailLoop, "jmapi-spooler-mail-" + session.label);
        mailThread.setDaemon(true);
        mailThread.start();
        inboundThread = new Thread(this::inboundLoop, "jmapi-spooler-in-" + session.label);
        inboundThread.setDaemon(true);
        inboundThread.start();
    }

    /** The inbound thread: every poll interval, or when woken, receives from every inbound transport (R-RCV-1). */
    private void inboundLoop() {
        awaitReady();
        while (!stopping) {
            boolean busy = false;
            try {
                for (TransportLogonRecord t : transports) {
                    busy |= inbound.receive(t, false) > 0;
                }
            } catch (RuntimeException e) {
                session.trace("jmapi::SpoolerError " + e, "spooler", 0);
            }
            if (busy) {
                wake(); // a drain may have ended
                continue;
            }
            synchronized (inboundSignal) {
                if (!inboundWoken && !stopping) {
                    try {
                        inboundSignal.wait(pollInterval.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                inboundWoken = false;
            }
        }
    }

    // ---- the mail thread ------------------------------------------------------------------------------------

    private void mailLoop() {
        awaitReady();
        while (!stopping) {
            try {
                mailPass();
            } catch (RuntimeException e) {
                // One failed pass (a provider threw something unexpected) must not stop the spooler.
                session.trace("jmapi::SpoolerError " + e, "spooler", 0);
            }
            synchronized (signal) {
                long waitMs = pollInterval.toMillis();
                java.util.Optional<java.time.Instant> retry = outbound.nextRetry();
                if (retry.isPresent()) {
                    waitMs = Math.min(waitMs, Math.max(1, Duration.between(java.time.Instant.now(), retry.get())
                            .toMillis()));
                }
                if (outbound.held()) {
                    waitMs = Math.min(waitMs, Outbound.HELD_LOOK.toMillis());
                }
                if (!woken && !stopping) {
                    try {
                        signal.wait(waitMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** One pass: flushes first, then every store's queue, then the drains that ended. */
    private void mailPass() {
        outbound.forgetHeld();
        for (FlushRequest f = flushes.poll(); f != null && !stopping; f = flushes.poll()) {
            runFlush(f);
        }
        Map<SpoolerStore, Integer> attempted = new java.util.HashMap<>();
        for (SpoolerStore ss : stores.values()) {
            if (ss.serving()) {
                attempted.put(ss, outbound.sendQueued(ss, false));
            }
        }
        for (SpoolerStore ss : stores.values()) {
            if (ss.state != State.DRAINING) {
                continue;
            }
            int tried = attempted.getOrDefault(ss, 0);
            if (tried > 0) {
                wake(); // sent something: come round again; the drain ends after a pass that finds nothing ready
            } else if (drainEnded(ss)) {
                try {
                    control.execute(() -> release(ss));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // The session logged off meanwhile; its logoff ended the spooler's logon.
                }
            }
        }
    }

    /**
     * R-SLT-7..9: a draining store is let go of once nothing is in flight and a send pass found nothing ready in its
     * queue (ORDERLY starts nothing, so its passes find nothing; messages waiting for a retry time stay queued), and,
     * for PURGE, its flush ran.
     */
    private boolean drainEnded(SpoolerStore ss) {
        return ss.activity.inFlight() == 0 && (ss.drainFlag != Flags.LOGOFF_PURGE || ss.flushed);
    }

    /** R-FLUSH-2, per transport in order: FlushQueues, the send loop, END_OUTBOUND_FLUSH, receive, END_INBOUND_FLUSH. */
    private void runFlush(FlushRequest f) {
        try {
            for (TransportLogonRecord t : f.targets()) {
                if (!t.isActive() || t.criticalError) {
                    continue;
                }
                session.trace("IXPLogon::FlushQueues", t.label, f.flags());
                int hr = HResult.S_OK;
                try {
                    t.flushing = true;
                    t.logon().flushQueues(0, f.flags());
                } catch (MapiException e) {
                    hr = e.hresult();
                }
                session.traceReturn("IXPLogon::FlushQueues", t.label, f.flags(), hr);
                if (hr != HResult.S_OK) {
                    t.flushing = false;
                    continue;
                }
                if ((f.flags() & Flags.FLUSH_UPLOAD) != 0) {
                    for (SpoolerStore ss : stores.values()) {
                        if (ss.serving()) {
                            outbound.sendQueued(ss, true);
                        }
                    }
                    if (t.flushing) {
                        transportNotify(t, Flags.NOTIFY_END_OUTBOUND_FLUSH, null);
                    }
                }
                if ((f.flags() & Flags.FLUSH_DOWNLOAD) != 0) {
                    inbound.receive(t, true);
                    if (t.flushing) {
                        transportNotify(t, Flags.NOTIFY_END_INBOUND_FLUSH, null);
                    }
                }
                t.flushing = false;
            }
        } finally {
            if (f.purging() != null) {
                f.purging().activity.stop(true, false); // after the flush, no new inbound for the store (R-SLT-9)
                f.purging().flushed = true;
            }
            f.done().complete(null);
            wake();
        }
    }

    /**
     * @param t a transport logon
     * @return whether it takes mail now: logged on, no critical error, traffic begun, not offline (its status row
     *         without STATUS_OFFLINE, e.g. after ValidateState(FORCE_XP_DISCONNECT))
     */
    boolean available(TransportLogonRecord t, boolean outboundDirection) {
        return t.isActive() && !t.criticalError && (outboundDirection ? t.outboundEnabled : t.inboundEnabled)
                && (session.statusTable.statusCode(t) & Flags.STATUS_OFFLINE) == 0;
    }

    /** @return whether Poll is due for {@code t} (every poll interval, R-XP-2); marks it polled */
    boolean pollDue(TransportLogonRecord t) {
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant last = lastPoll.get(t);
        if (last != null && Duration.between(last, now).compareTo(pollInterval) < 0) {
            return false;
        }
        lastPoll.put(t, now);
        return true;
    }

    /**
     * @return how many messages a send pass may have in flight at once: the most any available transport takes at
     *         once ({@link ConcurrentSubmissions}), 1 when none takes more (then the mail thread sends them itself)
     */
    int sendWidth() {
        int width = 1;
        for (TransportLogonRecord t : transports) {
            if (available(t, true)) {
                width = Math.max(width, t.concurrentSubmissions(MAX_SENDERS));
            }
        }
        return width;
    }

    /**
     * Runs one message's turn of a send pass on a sender thread {@code jmapi-spooler-send-<session>}.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the spooler stopped meanwhile
     */
    void sender(Runnable turn) {
        synchronized (sendersLock) {
            senderPool().execute(turn);
        }
    }

    private java.util.concurrent.ThreadPoolExecutor senderPool() {
        if (senders == null) {
            if (stopping) {
                throw new java.util.concurrent.RejectedExecutionException("the spooler is stopping");
            }
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            // Unbounded like a cached pool: the pass's in-flight count bounds the turns; a thread that just ended a
            // turn may not be idle yet when the next turn comes, and then another is made rather than a turn refused.
            senders = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                    new java.util.concurrent.SynchronousQueue<>(), r -> {
                        Thread t = new Thread(r, "jmapi-spooler-send-" + session.label + "-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
        }
        return senders;
    }

    /** @return whether the calling thread is the mail thread or one of its sender threads */
    private boolean sending() {
        return Thread.currentThread() == mailThread || outbound.current() != null;
    }

    /** @return the store inbound mail goes to: the profile's default store, when the spooler serves it */
    java.util.Optional<SpoolerStore> receivingStore() {
        java.util.Optional<ProviderRecord> def = session.profile.defaultStore();
        if (def.isEmpty()) {
            return java.util.Optional.empty();
        }
        SpoolerStore ss = stores.get(def.get().uid());
        return ss != null && ss.serving() ? java.util.Optional.of(ss) : java.util.Optional.empty();
    }

    /** IMAPISupport::StatusRecips (R-XPS-5): a report into the store of the message being sent. */
    void statusRecips(TransportLogonRecord from, Message message, List<List<PropValue>> recipients) {
        SpoolerStore ss = outbound.current();
        if (ss == null || !ss.serving()) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "StatusRecips is for the message of the SubmitMessage in progress (R-XPS-5)");
        }
        Reports.write(ss.record.store(), message, recipients);
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
                deferOutcomes(created.record.store());
                created.state = State.ACTIVE;
                watchQueue(created);
                beginTraffic();
                wake();
            } catch (MapiException e) {
                created.state = State.RELEASED;
                stores.remove(section, created);
            }
        });
    }

    /**
     * Asks a store that can for group commit of the send outcomes (its {@link DeferredOutcomes}): the saves of
     * PR_RESPONSIBILITY and FinishedMsg of the mail thread then return before they are flushed, and
     * {@link #flushOutcomes} after every send pass (and before the store is let go of) makes them durable. A power
     * loss in between costs at most a message sent twice, never one lost: the client's submission was durable, and
     * a lost outcome leaves the message queued to be sent again (R-MAIL-1).
     */
    private void deferOutcomes(MsgStore store) {
        if (store instanceof DeferredOutcomes d) {
            try {
                d.deferOutcomes(true);
            } catch (MapiException e) {
                // The store refused: every outcome write stays durable when it returns, as without the capability.
            }
        }
    }

    /**
     * The end of a send pass over the store, or the spooler letting go of it: the outcomes written so far become
     * durable (nothing happens for a store without {@link DeferredOutcomes}). Traced as {@code jmapi::FlushOutcomes}
     * once it returned. A failure is traced and left to the store, which flushes on its own within its window.
     */
    void flushOutcomes(SpoolerStore ss) {
        ss.use.readLock().lock();
        try {
            StoreLogonRecord r = ss.record;
            if (r == null || !r.isActive() || ss.state == State.RELEASED
                    || !(r.store() instanceof DeferredOutcomes d)) {
                return;
            }
            int hr = HResult.S_OK;
            try {
                d.flushOutcomes();
            } catch (MapiException e) {
                hr = e.hresult();
            }
            session.traceReturn("jmapi::FlushOutcomes", "spooler", 0, hr);
        } finally {
            ss.use.readLock().unlock();
        }
    }

    /** Keeps the store's outgoing queue open with a sink that wakes the mail thread on every change (R-OQ-1). */
    private void watchQueue(SpoolerStore ss) {
        try {
            session.trace("IMsgStore::GetOutgoingQueue", "spooler", 0);
            MapiTable q = ss.record.store().getOutgoingQueue(0);
            ss.queueWatchConnection = adviseQueue(q);
            ss.queueWatch = q;
        } catch (MapiException e) {
            // A store that never sends has no queue (R-OQ-1): the poll interval still re-reads nothing.
        }
    }

    private int adviseQueue(MapiTable q) {
        return q.advise(Flags.fnevTableModified, notifications -> {
            wake();
            return 0;
        });
    }

    /**
     * The mail thread, with the store's {@code use} read lock held, before a send pass: stops listening to the
     * store's outgoing queue. The listener only wakes the mail thread, which is awake for the pass; while it listens,
     * the store re-reads the whole queue into the table after every change the pass makes (lock, save, FinishedMsg),
     * which for a long queue costs more than the sending. {@link #resumeQueueWatch} listens again after the pass.
     */
    void pauseQueueWatch(SpoolerStore ss) {
        MapiTable q = ss.queueWatch;
        int c = ss.queueWatchConnection;
        if (q != null && c != 0) {
            ss.queueWatchConnection = 0;
            try {
                q.unadvise(c);
            } catch (MapiException e) {
                // the table is going away with the store: nothing to listen to any more
            }
        }
    }

    /**
     * The mail thread, with the store's {@code use} read lock held, after a send pass: listens to the outgoing queue
     * again and, when the pass sent anything, wakes itself for one more pass, so a message submitted while nobody
     * listened is not left waiting for the poll interval.
     */
    void resumeQueueWatch(SpoolerStore ss, boolean sentSomething) {
        MapiTable q = ss.queueWatch;
        if (q != null && ss.queueWatchConnection == 0 && ss.state != State.RELEASED) {
            try {
                ss.queueWatchConnection = adviseQueue(q);
            } catch (MapiException e) {
                // the table is going away with the store
            }
        }
        if (sentSomething) {
            wake();
        }
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

    void transportNotify(TransportLogonRecord t, int flags, Object data) {
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
        // The outcomes the spooler recorded so far are durable before StoreLogoff returns (group commit); a store
        // already let go of was flushed by its release.
        flushOutcomes(ss);
        if (flags == Flags.LOGOFF_PURGE) {
            // R-SLT-9: returns only after the flush, the sends and the spooler's release of the store.
            try {
                ss.released.get(DRAIN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // Still draining after the limit: the store is released in the background when it ends.
            }
            return Flags.LOGOFF_COMPLETE;
        }
        return decided;
    }

    /** Runs on the control thread: the per-flag table of spec &sect;11.3. */
    private int decide(SpoolerStore ss, int flags) {
        if (ss.state == State.PENDING) {
            ss.state = State.RELEASED; // the spooler never got to log on: nothing to let go of
            stores.remove(ss.section, ss);
            ss.released.complete(null);
            return Flags.LOGOFF_COMPLETE;
        }
        if (ss.state != State.ACTIVE) {
            return Flags.LOGOFF_COMPLETE;
        }
        switch (flags) {
            case Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT -> {
                // Refused with activity, without waiting for the spooler's threads (R-SLT-5, R-SLT-6). When idle,
                // new transfers are suspended first, so none can start between the look and the release.
                int activity = ss.activity.snapshot();
                if (activity != 0 || !ss.activity.suspendIfIdle()) {
                    return activity != 0 ? activity : ss.activity.snapshot();
                }
                activity = ss.activity.snapshot();
                if (activity != 0) {
                    ss.activity.resume(); // mail was queued meanwhile: refused, nothing changed
                    return activity;
                }
                release(ss);
                return Flags.LOGOFF_COMPLETE;
            }
            case Flags.LOGOFF_NO_WAIT -> {
                int activity = ss.activity.snapshot();
                ss.drainFlag = flags;
                ss.state = State.DRAINING;
                ss.activity.stop(true, false); // R-SLT-7: queued mail still goes out, no new inbound
                wake();
                return Flags.LOGOFF_COMPLETE | activity;
            }
            case Flags.LOGOFF_ORDERLY -> {
                int activity = ss.activity.snapshot();
                ss.drainFlag = flags;
                ss.state = State.DRAINING;
                ss.activity.stop(true, true); // R-SLT-8: in-process mail finishes, nothing new starts
                wake();
                return Flags.LOGOFF_COMPLETE | activity;
            }
            case Flags.LOGOFF_PURGE -> {
                ss.drainFlag = flags;
                ss.state = State.DRAINING;
                boolean defaultStore = session.profile.defaultStore().map(d -> d.uid().equals(ss.section))
                        .orElse(false);
                int flushFlags = Flags.FLUSH_UPLOAD | (defaultStore ? Flags.FLUSH_DOWNLOAD : 0);
                flushes.add(new FlushRequest(List.copyOf(transports), flushFlags, ss,
                        new java.util.concurrent.CompletableFuture<>()));
                wake();
                return Flags.LOGOFF_COMPLETE;
            }
            default -> throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "unexpected LOGOFF flag");
        }
    }

    /** Runs on the control thread: the spooler lets go of the store (its final release of its store object). */
    private void release(SpoolerStore ss) {
        if (ss.state == State.RELEASED) {
            return;
        }
        ss.use.writeLock().lock();
        try {
            ss.state = State.RELEASED;
            stores.remove(ss.section, ss);
            MapiTable q = ss.queueWatch;
            ss.queueWatch = null;
            if (q != null) {
                try {
                    if (ss.queueWatchConnection != 0) {
                        q.unadvise(ss.queueWatchConnection);
                        ss.queueWatchConnection = 0;
                    }
                } catch (MapiException e) {
                    // already invalid: nothing to undo
                }
                q.release();
            }
            StoreLogonRecord r = ss.record;
            if (r != null && r.isActive()) {
                MsgStore store = r.store();
                if (store instanceof DeferredOutcomes d) {
                    try {
                        d.flushOutcomes(); // before the spooler lets go: its outcomes are durable
                    } catch (MapiException e) {
                        // The store's logoff flushes again; its storage flushes at its close at the latest.
                    }
                }
                store.release();
            }
        } finally {
            ss.use.writeLock().unlock();
            ss.released.complete(null);
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
                wake();
            }
            if ((flags & Flags.NOTIFY_NEWMAIL_RECEIVED) != 0 && (store.openFlags & Flags.MDB_NO_MAIL) == 0
                    && data instanceof Notification.NewMail newMail) {
                SpoolerStore ss = stores.get(store.slot.record.uid());
                if (ss != null) {
                    control.execute(() -> {
                        if (ss.state == State.ACTIVE && ss.record != null && ss.record.isActive()) {
                            session.trace("IMsgStore::NotifyNewMail", "spooler", 0);
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
        if ((flags & Flags.NOTIFY_SENTDEFERRED) != 0 && data instanceof EntryId eid) {
            outbound.sentDeferred(eid); // R-XPS-4: submitted again with BEGIN_DEFERRED
        }
        if ((flags & (Flags.NOTIFY_NEWMAIL | Flags.NOTIFY_SENTDEFERRED | Flags.NOTIFY_READYTOSEND)) != 0) {
            wake();
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

    /** The spooler status object's FlushQueues (R-FLUSH-1): run by the mail thread; synchronous unless FLUSH_ASYNC_OK. */
    void flushQueues(EntryId target, int flags) {
        int transportFlags = flags & (Flags.FLUSH_UPLOAD | Flags.FLUSH_DOWNLOAD | Flags.FLUSH_FORCE | Flags.FLUSH_NO_UI);
        List<TransportLogonRecord> targets = new ArrayList<>();
        for (TransportLogonRecord t : transports) {
            if (t.isActive() && !t.criticalError && (target == null || session.isStatusOf(target, t))) {
                targets.add(t);
            }
        }
        if (!enabled || stopping) {
            return;
        }
        FlushRequest f = new FlushRequest(targets, transportFlags, null, new java.util.concurrent.CompletableFuture<>());
        flushes.add(f);
        wake();
        if ((flags & Flags.FLUSH_ASYNC_OK) == 0 && !sending()) {
            try {
                f.done().get(DRAIN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                throw new MapiException(HResult.MAPI_E_TIMEOUT, "the flush did not end in " + DRAIN_LIMIT);
            }
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
        outbound.deferred().forEach((eid, keeper) -> {
            if (keeper == t) {
                transportNotify(t, Flags.NOTIFY_ABORT_DEFERRED, eid); // R-MAIL-4: alone, no CANCEL_MESSAGE
            }
        });
        int end = (t.inboundEnabled ? Flags.NOTIFY_END_INBOUND : 0) | (t.outboundEnabled ? Flags.NOTIFY_END_OUTBOUND : 0);
        if (end != 0) {
            transportNotify(t, end, null);
            t.inboundEnabled = false;
            t.outboundEnabled = false;
        }
    }

    private void joinMailThread() {
        for (Thread m : new Thread[] {mailThread, inboundThread}) {
            if (m != null && m != Thread.currentThread()) {
                try {
                    m.join(MAIL_THREAD_STOP.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** After the mail thread ended (every send pass waits for its senders): the sender threads end too. */
    private void stopSenders() {
        synchronized (sendersLock) {
            if (senders != null) {
                senders.shutdown();
            }
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
        wake();
        onControl(() -> {
            for (TransportLogonRecord t : new ArrayList<>(transports)) {
                t.force(); // abandons a send or receive in progress (R-LOFF-3): it stays queued / at its source
            }
            joinMailThread();
            stopSenders();
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
