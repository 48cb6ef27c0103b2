package org.jmapi.runtime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.AddressTypes;
import org.jmapi.spi.MessageRef;
import org.jmapi.spi.Recipients;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.jmapi.table.SortOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The spooler's send loop (spec &sect;10.3): for one store, every queued, unlocked message in submission order is
 * locked (SetLockState), its recipients are routed to transports (R-XPS-1), each transport gets SubmitMessage then
 * EndMessage (R-XPS-2, R-XPS-4), recipients no transport takes get a non-delivery report, and the message is
 * finished (FinishedMsg, R-OQ-5) once every recipient was dealt with. Anything else leaves it queued and unlocked,
 * with a retry time (RESEND_LATER, MAPI_E_BUSY, MAPI_E_WAIT / NETWORK_ERROR with the transport's delay, other errors
 * with exponential backoff) or, for END_DONT_RESEND, deferred until the transport reports it with
 * SpoolerNotify(NOTIFY_SENTDEFERRED). A message whose SetLockState is refused because another spooler sharing the
 * store's queue holds it (MAPI_E_NO_ACCESS, or MAPI_E_BUSY while it is being taken) is passed by without a retry time,
 * and so is one the queue shows locked; the queue is then read again every {@link #HELD_LOOK} until the other spooler
 * lets go of them. One that left the queue meanwhile (MAPI_E_NOT_IN_QUEUE) is forgotten. A message whose send was
 * abandoned (TransportLogoff, cancel) stays queued (R-MAIL-2). A pass runs on the spooler's mail thread; when a
 * transport takes several messages at once ({@link org.jmapi.spi.ConcurrentSubmissions}) the pass hands its messages to
 * the spooler's sender threads, as many at once as {@link Spooler#sendWidth}, and each transport gets only as many as
 * it takes; the pass ends, and its outcomes are flushed, once every message it handed out is done; while its last
 * messages are being sent it reads the queue again when one ends (and every {@code TAIL_LOOK}) and hands out mail
 * submitted meanwhile. Messages start in submission order; with more than one in flight they may end in another.
 */
final class Outbound {
    private static final int RESEND_NOW_LIMIT = 3;
    /** While a pass's last messages are being sent, how often it looks for mail submitted meanwhile. */
    private static final Duration TAIL_LOOK = Duration.ofSeconds(1);
    private static final Duration BUSY_RETRY = Duration.ofSeconds(5);
    /**
     * While another spooler sharing a store's queue holds messages this one passed by, how often the queue is read
     * again ({@link Spooler}'s mail thread waits no longer). Its unlock cannot be waited for: the outgoing-queue table
     * tells what changed since it was last read, and a lock taken and given up between two reads (a spooler whose
     * session ended in the middle of a send, R-MAIL-2) leaves nothing to tell; a lock that ends with its holder's
     * process or lease ends without any write at all.
     */
    static final Duration HELD_LOOK = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final int[] QUEUE_COLUMNS = {PropTags.PR_ENTRYID, PropTags.PR_SUBMIT_FLAGS,
            PropTags.PR_CLIENT_SUBMIT_TIME};

    private record Retry(Instant due, int attempts) {}

    private final Spooler spooler;
    private final RealSession session;
    private final Duration retryBase;
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    /** Deferred messages (END_DONT_RESEND) by entry id, with the transport that keeps them. */
    private final Map<String, Deferred> deferred = new ConcurrentHashMap<>();

    /** A deferred message: the transport that keeps it and the store it is queued in. */
    private record Deferred(TransportLogonRecord transport, MapiUid section) {}
    /** Deferred messages the transport reported with NOTIFY_SENTDEFERRED: resubmit with BEGIN_DEFERRED. */
    private final Set<String> redeliver = ConcurrentHashMap.newKeySet();
    /** Whether a pass since the last {@link #forgetHeld} passed by a message another spooler holds. */
    private volatile boolean heldElsewhere;
    /** The store whose message this thread is sending now (the mail thread or a sender thread), else unset. */
    private final ThreadLocal<Spooler.SpoolerStore> current = new ThreadLocal<>();

    Outbound(Spooler spooler, RealSession session, Duration retryBase) {
        this.spooler = spooler;
        this.session = session;
        this.retryBase = retryBase;
    }

    private static String key(EntryId id) {
        return HexFormat.of().formatHex(id.toBytes());
    }

    /**
     * @return the store whose message the calling thread is sending now, for StatusRecips; null on any other thread
     *         and between messages
     */
    Spooler.SpoolerStore current() {
        return current.get();
    }

    /** The mail thread, before its passes over every store: what they pass by decides the next {@link #held}. */
    void forgetHeld() {
        heldElsewhere = false;
    }

    /**
     * @return whether a pass since the last {@link #forgetHeld} passed by a message because another spooler held
     *         it: the queue is then read again after {@link #HELD_LOOK}
     */
    boolean held() {
        return heldElsewhere;
    }

    /** @return the earliest retry time, if any message waits for one */
    Optional<Instant> nextRetry() {
        return retries.values().stream().map(Retry::due).min(Instant::compareTo);
    }

    /** NOTIFY_SENTDEFERRED from a transport: the deferred message may be submitted again (R-XPS-4). */
    void sentDeferred(EntryId entryId) {
        if (entryId != null && deferred.remove(key(entryId)) != null) {
            redeliver.add(key(entryId));
        }
    }

    /** @return the deferred messages still pending per transport, for NOTIFY_ABORT_DEFERRED at logoff (R-MAIL-4) */
    Map<EntryId, TransportLogonRecord> deferred() {
        Map<EntryId, TransportLogonRecord> out = new LinkedHashMap<>();
        deferred.forEach((k, d) -> out.put(EntryId.of(HexFormat.of().parseHex(k)), d.transport()));
        return out;
    }

    /**
     * Sends what is ready in one store's queue.
     *
     * @param ss    the spooler's store
     * @param force a flush: retry times are ignored (R-FLUSH-2)
     * @return the messages this pass tried to send; a pass that tried none found nothing ready (everything left is
     *         locked elsewhere, waiting for a retry time, deferred, or for a transport that is not available): the
     *         store's queue is drained as far as this spooler can drain it
     */
    int sendQueued(Spooler.SpoolerStore ss, boolean force) {
        List<Queued> queue = queueOf(ss);
        if (queue == null) {
            return 0;
        }
        Pass pass = new Pass(ss, force);
        try {
            if (!pass.offer(queue)) {
                return 0;
            }
            // The pass's snapshot is handed out. While some of its messages are still being sent on sender threads,
            // mail submitted meanwhile gets the room they leave: the queue is read again when one of them ends, and
            // at least every TAIL_LOOK, so one slow message does not hold new mail back until it ends.
            while (!pass.stop.get() && !spooler.stopping()
                    && pass.inFlight.awaitRoom(spooler.sendWidth(), TAIL_LOOK.toMillis()) > 0) {
                List<Queued> again = queueOf(ss);
                if (again == null || !pass.offer(again)) {
                    break;
                }
            }
        } finally {
            pass.end();
        }
        return pass.stop.get() ? 0 : pass.attempted.get();
    }

    /**
     * @return the store's outgoing queue as it is now (GetOutgoingQueue), having told transports of deferred messages
     *         that left it; null when the spooler no longer serves the store or it takes no outbound
     */
    private List<Queued> queueOf(Spooler.SpoolerStore ss) {
        ss.use.readLock().lock();
        try {
            if (!ss.serving() || !ss.activity.acceptsOutbound()) {
                return null;
            }
            session.trace("IMsgStore::GetOutgoingQueue", "spooler", 0);
            List<Queued> queue = readQueue(ss.record.store());
            abortVanishedDeferred(ss, queue);
            return queue;
        } catch (MapiException e) {
            return null;
        } finally {
            ss.use.readLock().unlock();
        }
    }

    /** One send pass over a store's queue: every ready message gets one turn, on the mail thread or a sender. */
    private final class Pass {
        private final Spooler.SpoolerStore ss;
        private final boolean force;
        final InFlight inFlight = new InFlight();
        final AtomicInteger attempted = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        /** The messages that had their turn in this pass; mail thread only. */
        private final Set<String> had = new HashSet<>();
        private boolean paused;

        Pass(Spooler.SpoolerStore ss, boolean force) {
            this.ss = ss;
            this.force = force;
        }

        /**
         * Gives every message of {@code queue} that is ready and had no turn in this pass yet its turn.
         *
         * @return false when the store is no longer served: the pass ends at once
         */
        boolean offer(List<Queued> queue) {
            for (Queued q : queue) {
                EntryId id = q.id();
                if (stop.get()) {
                    break;
                }
                String k = key(id);
                if (q.locked()) {
                    // Another spooler's, whose unlock may never be notified (see HELD_LOOK). A message this pass
                    // handed out shows this spooler's own lock while a sender thread sends it (a tail look).
                    if (!had.contains(k)) {
                        heldElsewhere = true; // set, never cleared, here: a sender thread may set it at the same time
                    }
                    continue;
                }
                if (spooler.stopping() || !isReady(k, force) || had.contains(k)) {
                    continue;
                }
                if (!paused) {
                    if (!pauseQueueWatch(ss)) {
                        return false;
                    }
                    paused = true;
                }
                had.add(k);
                // Asked per message: a transport may come online, or change its count, in the middle of a pass.
                int width = spooler.sendWidth();
                inFlight.enter(width);
                if (width == 1) {
                    try {
                        take(turn(ss, id), attempted, stop); // on the mail thread, as without senders
                    } finally {
                        inFlight.leave();
                    }
                    continue;
                }
                try {
                    spooler.sender(() -> {
                        try {
                            take(turn(ss, id), attempted, stop);
                        } catch (RuntimeException e) {
                            // One failed message (a provider threw something unexpected) must not stop the pass.
                            session.trace("jmapi::SpoolerError " + e, "spooler", 0);
                        } finally {
                            inFlight.leave();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    inFlight.leave(); // the spooler is stopping: what is left stays queued (R-MAIL-1)
                    stop.set(true);
                    break;
                }
            }
            return true;
        }

        /** Waits for every turn, makes the outcomes durable (group commit) and listens to the queue again. */
        void end() {
            inFlight.awaitNone();
            if (attempted.get() > 0) {
                spooler.flushOutcomes(ss);
            }
            if (paused) {
                ss.use.readLock().lock();
                try {
                    spooler.resumeQueueWatch(ss, attempted.get() > 0);
                } finally {
                    ss.use.readLock().unlock();
                }
            }
        }
    }

    /**
     * Stops listening to the queue for the pass (see {@link Spooler#pauseQueueWatch}).
     *
     * @return false when the store is no longer served: the pass ends
     */
    private boolean pauseQueueWatch(Spooler.SpoolerStore ss) {
        ss.use.readLock().lock();
        try {
            if (!ss.serving()) {
                return false;
            }
            spooler.pauseQueueWatch(ss);
            return true;
        } finally {
            ss.use.readLock().unlock();
        }
    }

    /**
     * The turns of one send pass under way, on the mail thread or sender threads. Its waits are not interruptible (a
     * turn under way ends on its own: a logoff abandons its transfer); an interrupt is kept for the caller.
     */
    private static final class InFlight {
        private int turns;
        /** Turns ended so far. */
        private long ended;

        /** Waits until fewer than {@code width} turns are under way, then counts one more. */
        synchronized void enter(int width) {
            await(() -> turns >= width, 0);
            turns++;
        }

        synchronized void leave() {
            turns--;
            ended++;
            notifyAll();
        }

        /**
         * Waits until fewer than {@code width} turns are under way, then until one more ends or {@code lookMs}
         * passed, whichever is first.
         *
         * @return the turns under way then; 0 ends the wait at once
         */
        synchronized int awaitRoom(int width, long lookMs) {
            await(() -> turns >= width, 0);
            long seen = ended;
            await(() -> turns > 0 && ended == seen, lookMs);
            return turns;
        }

        /** Waits until no turn is under way. */
        synchronized void awaitNone() {
            await(() -> turns > 0, 0);
        }

        /** Waits (holding the monitor) while {@code blocked} holds, at most {@code limitMs} when it is above 0. */
        private void await(BooleanSupplier blocked, long limitMs) {
            long deadline = System.nanoTime() + limitMs * 1_000_000L;
            boolean interrupted = false;
            while (blocked.getAsBoolean()) {
                long left = limitMs > 0 ? (deadline - System.nanoTime()) / 1_000_000L : 0;
                if (limitMs > 0 && left <= 0) {
                    break;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What one queued message's turn in a send pass came to. */
    private enum Turn {
        /** Not tried: its transports cannot take mail now, or it was gone. */
        PASSED,
        /** Tried: sent, or left queued with a retry time or deferred. */
        TRIED,
        /** Not tried, and the pass ends: the store is no longer served, or takes no new outbound (LOGOFF_ORDERLY). */
        STOP
    }

    private static void take(Turn turn, AtomicInteger attempted, AtomicBoolean stop) {
        switch (turn) {
            case TRIED -> attempted.incrementAndGet();
            case STOP -> stop.set(true);
            case PASSED -> {
                // nothing to count
            }
        }
    }

    /**
     * One queued message's turn, on the mail thread or one of the spooler's sender threads: holds the store's
     * {@code use} read lock while it touches the store, opens a transfer for the store's activity, and sends.
     */
    private Turn turn(Spooler.SpoolerStore ss, EntryId id) {
        ss.use.readLock().lock();
        try {
            if (!ss.serving()) {
                return Turn.STOP;
            }
            Message msg = openIfWorthLocking(ss.record.store(), id);
            if (msg == null) {
                return Turn.PASSED; // its transports cannot take mail now: it stays queued, unlocked, no transfer
            }
            Optional<StoreActivity.Transfer> transfer = ss.activity.tryBeginOutbound();
            if (transfer.isEmpty()) {
                msg.release();
                return Turn.STOP; // LOGOFF_ORDERLY: no new outbound for this store (R-SLT-8)
            }
            current.set(ss);
            try (StoreActivity.Transfer t = transfer.get()) {
                sendOne(ss, id, msg);
            } finally {
                current.remove();
            }
            return Turn.TRIED;
        } finally {
            ss.use.readLock().unlock();
        }
    }

    /**
     * A deferred message that left the queue was cancelled by its sender (AbortSubmit): the transport that keeps
     * it is told with NOTIFY_ABORT_DEFERRED | NOTIFY_CANCEL_MESSAGE (R-TN-1).
     */
    private void abortVanishedDeferred(Spooler.SpoolerStore ss, List<Queued> queue) {
        Set<String> queued = new HashSet<>();
        queue.forEach(q -> queued.add(key(q.id())));
        for (Map.Entry<String, Deferred> e : deferred.entrySet()) {
            if (e.getValue().section().equals(ss.section) && !queued.contains(e.getKey())
                    && deferred.remove(e.getKey(), e.getValue())) {
                spooler.transportNotify(e.getValue().transport(),
                        Flags.NOTIFY_ABORT_DEFERRED | Flags.NOTIFY_CANCEL_MESSAGE,
                        EntryId.of(HexFormat.of().parseHex(e.getKey())));
            }
        }
    }

    /** @param k a queued message's {@link #key} */
    private boolean isReady(String k, boolean force) {
        if (deferred.containsKey(k)) {
            return false;
        }
        Retry r = retries.get(k);
        return force || r == null || !r.due().isAfter(Instant.now());
    }

    /** One row of the outgoing queue. */
    private record Queued(EntryId id, boolean locked) {}

    /** @return the queued messages, oldest submission first, with whether a spooler holds them locked (R-OQ-1/2) */
    private static List<Queued> readQueue(MsgStore store) {
        List<Queued> ids = new ArrayList<>();
        try (MapiTable q = store.getOutgoingQueue(0)) {
            q.setColumns(QUEUE_COLUMNS, 0);
            q.sortTable(List.of(SortOrder.ascending(PropTags.PR_CLIENT_SUBMIT_TIME)), 0);
            for (List<Row> page = q.queryRows(500, 0); !page.isEmpty(); page = q.queryRows(500, 0)) {
                for (Row r : page) {
                    int submitFlags = Recipients.intOf(r, PropTags.PR_SUBMIT_FLAGS, 0);
                    Optional<PropValue> eid = r.find(PropTags.PR_ENTRYID);
                    if (eid.isPresent() && !eid.get().isError()) {
                        ids.add(new Queued(EntryId.of(eid.get().asBinary()),
                                (submitFlags & Flags.SUBMITFLAG_LOCKED) != 0));
                    }
                }
            }
        }
        return ids;
    }

    /**
     * One message: lock, route, submit to each transport, report, finish or unlock.
     *
     * @param msg the message, opened for writing by {@link #openIfWorthLocking}; this method releases it
     */
    private void sendOne(Spooler.SpoolerStore ss, EntryId id, Message msg) {
        MsgStore store = ss.record.store();
        String k = key(id);
        boolean locked = false;
        try {
            session.trace("IMsgStore::SetLockState", "spooler", Flags.MSG_LOCKED);
            try {
                store.setLockState(msg, Flags.MSG_LOCKED);
            } catch (MapiException e) {
                switch (e.hresult()) {
                    case HResult.MAPI_E_NO_ACCESS, HResult.MAPI_E_BUSY -> {
                        // Another spooler sharing the store's queue (another process or host) holds it, or is
                        // taking it right now: it is that spooler's to send. No retry time: the next pass looks again.
                        heldElsewhere = true;
                        return;
                    }
                    case HResult.MAPI_E_NOT_IN_QUEUE -> {
                        retries.remove(k); // sent or aborted meanwhile
                        return;
                    }
                    default -> throw e;
                }
            }
            locked = true;
            Set<TransportLogonRecord> refused = new HashSet<>();
            boolean unroutableReported = false;
            int resendNow = 0;
            while (true) {
                List<Row> recipients = Recipients.of(msg);
                Map<TransportLogonRecord, List<Row>> plan = new LinkedHashMap<>();
                List<Row> unroutable = new ArrayList<>();
                route(recipients, refused, plan, unroutable);
                if (!unroutable.isEmpty() && !unroutableReported) {
                    if (spooler.stopping()) {
                        // The session is logging off and its transports are going away under this pass: that is
                        // no reason to bounce the mail. It stays queued for the next spooler (R-MAIL-1).
                        retryIn(k, BUSY_RETRY);
                        return;
                    }
                    reportUnroutable(store, msg, unroutable);
                    unroutableReported = true;
                    continue;
                }
                if (plan.isEmpty()) {
                    break; // every recipient was dealt with
                }
                Map.Entry<TransportLogonRecord, List<Row>> step = plan.entrySet().iterator().next();
                TransportLogonRecord t = step.getKey();
                if (!spooler.available(t, true)) {
                    retryIn(k, BUSY_RETRY);
                    return;
                }
                if (!t.beginSubmission(Spooler.MAX_SENDERS)) {
                    retryIn(k, BUSY_RETRY);
                    return;
                }
                int flags = redeliver.remove(k) ? Flags.BEGIN_DEFERRED : 0;
                MessageRef ref = new MessageRef(0);
                int end;
                try {
                    session.trace("IXPLogon::SubmitMessage", t.label, flags);
                    t.logon().submitMessage(flags, msg, ref);
                    session.traceReturn("IXPLogon::SubmitMessage", t.label, ref.value(), HResult.S_OK);
                    session.trace("IXPLogon::EndMessage", t.label, 0);
                    end = t.logon().endMessage(ref.value());
                    session.traceReturn("IXPLogon::EndMessage", t.label, end, HResult.S_OK);
                } catch (MapiException e) {
                    session.traceReturn("IXPLogon::SubmitMessage", t.label, 0, e.hresult());
                    switch (e.hresult()) {
                        case HResult.MAPI_E_NOT_ME -> {
                            refused.add(t); // R-XPS-2: try another transport
                            msg = reopen(store, msg, id);
                            continue;
                        }
                        case HResult.MAPI_E_CANCEL -> {
                            // R-XPS-2: do not resend; the recipients of this transport are not reached.
                            msg = reopen(store, msg, id);
                            reportFailed(store, msg, step.getValue(), "the transport cancelled the message");
                            continue;
                        }
                        case HResult.MAPI_E_BUSY -> {
                            msg = reopen(store, msg, id); // released unsaved (R-XPS-2)
                            retryIn(k, BUSY_RETRY);
                            return;
                        }
                        case HResult.MAPI_E_WAIT, HResult.MAPI_E_NETWORK_ERROR -> {
                            Duration wait = ref.retryAfterSeconds() > 0 ? Duration.ofSeconds(ref.retryAfterSeconds())
                                    : backoff(k);
                            msg = reopen(store, msg, id); // released unsaved (R-XPS-2)
                            retryIn(k, wait);
                            return;
                        }
                        default -> {
                            msg = reopen(store, msg, id); // released unsaved (R-XPS-2)
                            retryIn(k, backoff(k));
                            return;
                        }
                    }
                } finally {
                    t.endSubmission();
                }
                if (end == 0) {
                    msg.saveChanges(Flags.KEEP_OPEN_READWRITE); // keep PR_RESPONSIBILITY of the recipients reached
                    refused.add(t); // what it left is for another transport, or gets a report (R-XPS-1)
                    continue;
                }
                msg = reopen(store, msg, id); // the transport's edits are dropped
                if ((end & Flags.END_RESEND_NOW) != 0 && ++resendNow <= RESEND_NOW_LIMIT) {
                    continue;
                }
                if ((end & Flags.END_DONT_RESEND) != 0) {
                    deferred.put(k, new Deferred(t, ss.section));
                    retries.remove(k);
                    unlock(store, msg);
                    locked = false;
                    return;
                }
                retryIn(k, (end & Flags.END_RESEND_LATER) != 0 ? retryBase : backoff(k));
                return;
            }
            msg.release();
            msg = null;
            session.trace("IMsgStore::FinishedMsg", "spooler", 0);
            store.finishedMsg(0, id);
            locked = false;
            retries.remove(k);
        } catch (MapiException e) {
            // The store failed under us (logoff, deleted message): the message stays queued (R-MAIL-1, R-MAIL-2).
            retryIn(k, backoff(k));
        } finally {
            if (msg != null) {
                if (locked) {
                    unlockQuietly(store, msg);
                }
                msg.release();
            }
        }
    }

    /**
     * Opens a queued message for writing, once per turn, and keeps it open only when it is worth locking.
     *
     * @return the open message (the caller releases it) when it has a recipient an available transport takes, or
     *         one no transport takes (which gets its report now); null when it is gone, or its transports are all
     *         offline or not yet enabled: it is left alone
     */
    private Message openIfWorthLocking(MsgStore store, EntryId id) {
        Message msg;
        try {
            msg = (Message) store.openEntry(id, Flags.MAPI_MODIFY);
        } catch (MapiException e) {
            retries.remove(key(id)); // gone meanwhile (aborted, deleted): nothing to send
            return null;
        }
        boolean keep = false;
        try {
            keep = worthLocking(Recipients.of(msg));
        } catch (MapiException e) {
            // gone or locked meanwhile: left alone
        } finally {
            if (!keep) {
                msg.release();
            }
        }
        return keep ? msg : null; // opened once: the send uses the same object
    }

    private boolean worthLocking(List<Row> recipients) {
        if (recipients.stream().allMatch(Recipients::responsible)) {
            // Every recipient was dealt with, but the message was not finished: a spooler died between saving the
            // transport's PR_RESPONSIBILITY and FinishedMsg. Finish it now, or it stays queued forever (R-MAIL-1).
            return true;
        }
        if (spooler.transports().stream().noneMatch(TransportLogonRecord::isActive)) {
            return false; // a profile without transports keeps its mail queued until one is added (R-MAIL-1)
        }
        Map<TransportLogonRecord, List<Row>> plan = new LinkedHashMap<>();
        List<Row> unroutable = new ArrayList<>();
        route(recipients, Set.of(), plan, unroutable);
        return !unroutable.isEmpty() || plan.keySet().stream().anyMatch(t -> spooler.available(t, true));
    }

    /** Releases the message without saving and opens it again (R-XPS-2: "released without saving"). */
    private static Message reopen(MsgStore store, Message msg, EntryId id) {
        msg.release();
        return (Message) store.openEntry(id, Flags.MAPI_MODIFY);
    }

    /** The message is tried again after {@code wait}; sendOne's finally unlocks and releases it (once). */
    private void retryIn(String k, Duration wait) {
        retries.put(k, new Retry(Instant.now().plus(wait), attempts(k) + 1));
    }

    private void unlock(MsgStore store, Message msg) {
        session.trace("IMsgStore::SetLockState", "spooler", Flags.MSG_UNLOCKED);
        store.setLockState(msg, Flags.MSG_UNLOCKED);
    }

    private void unlockQuietly(MsgStore store, Message msg) {
        try {
            unlock(store, msg);
        } catch (MapiException e) {
            // The store is going away; the lock does not survive its logoff anyway (R-OQ-2).
        }
    }

    private int attempts(String k) {
        Retry r = retries.get(k);
        return r == null ? 0 : r.attempts();
    }

    private Duration backoff(String k) {
        int n = Math.min(attempts(k), 16);
        Duration d = retryBase.multipliedBy(1L << n);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /**
     * R-XPS-1: each recipient not yet dealt with goes to the first transport, in transport order, that registered
     * the MAPIUID of its entry id, else to the first whose address types contain its PR_ADDRTYPE (a transport with a
     * null list takes every type); MAPI_P1 recipients are addressing only and refused transports are skipped.
     */
    private void route(List<Row> recipients, Set<TransportLogonRecord> refused,
            Map<TransportLogonRecord, List<Row>> plan, List<Row> unroutable) {
        List<TransportLogonRecord> order = spooler.transports().stream()
                .filter(t -> t.isActive() && !t.criticalError && !refused.contains(t) && t.addressTypes != null)
                .toList();
        for (Row r : recipients) {
            if (Recipients.responsible(r)) {
                continue;
            }
            TransportLogonRecord chosen = null;
            Optional<PropValue> eid = r.find(PropTags.PR_ENTRYID);
            if (eid.isPresent() && !eid.get().isError() && eid.get().asBinary().length >= 20) {
                MapiUid uid = EntryId.of(eid.get().asBinary()).providerUid();
                chosen = order.stream().filter(t -> t.addressTypes.uids().contains(uid)).findFirst().orElse(null);
            }
            if (chosen == null) {
                String type = Recipients.stringOf(r, PropTags.PR_ADDRTYPE);
                chosen = order.stream().filter(t -> handles(t.addressTypes, type)).findFirst().orElse(null);
            }
            if (chosen == null) {
                unroutable.add(r);
            } else {
                plan.computeIfAbsent(chosen, x -> new ArrayList<>()).add(r);
            }
        }
    }

    private static boolean handles(AddressTypes types, String type) {
        return types.types() == null || (!type.isEmpty() && types.types().contains(type));
    }

    private void reportUnroutable(MsgStore store, Message msg, List<Row> rows) {
        reportFailed(store, msg, rows, "no transport of this profile handles the address type");
    }

    /** A non-delivery report for {@code rows}, which are then marked dealt with (PR_RESPONSIBILITY) and saved. */
    private void reportFailed(MsgStore store, Message msg, List<Row> rows, String why) {
        List<List<PropValue>> report = new ArrayList<>();
        List<List<PropValue>> done = new ArrayList<>();
        for (Row r : rows) {
            List<PropValue> row = Recipients.without(r, PropTags.PR_RESPONSIBILITY);
            done.add(withResponsibility(row));
            List<PropValue> rep = new ArrayList<>(row);
            rep.add(PropValue.ofInt(PropTags.PR_NDR_REASON_CODE, Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE));
            rep.add(PropValue.ofInt(PropTags.PR_NDR_DIAG_CODE, Flags.MAPI_DIAG_NO_DIAGNOSTIC));
            String type = Recipients.stringOf(r, PropTags.PR_ADDRTYPE);
            rep.add(PropValue.ofString(PropTags.PR_REPORT_TEXT, why + (type.isEmpty() ? "" : " (" + type + ")")));
            report.add(rep);
        }
        Reports.write(store, msg, report);
        msg.modifyRecipients(Flags.MODRECIP_MODIFY, done);
        msg.saveChanges(Flags.KEEP_OPEN_READWRITE);
    }

    private static List<PropValue> withResponsibility(List<PropValue> row) {
        List<PropValue> out = new ArrayList<>();
        for (PropValue v : row) {
            if (v.id() != PropTag.id(PropTags.PR_RESPONSIBILITY)) {
                out.add(v);
            }
        }
        out.add(PropValue.ofBoolean(PropTags.PR_RESPONSIBILITY, true));
        return out;
    }
}
