package org.jmapi.store.provider;

import org.jmapi.MapiException;
import org.jmapi.store.ChangeSignal;
import org.jmapi.store.Storage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One store (a SQLite file, a PostgreSQL store: a {@link StoreBackend.Location}) as one provider object has it open: the {@link Storage} instance every logon of that provider
 * object on the file shares (the client's and the spooler's, R-MS-7), the file's {@link StoreLayout} and
 * {@link StoreIds}, and the change fan-out that keeps open tables current.
 *
 * <p><b>Changes.</b> Every object that changes the store through this instance reports it with
 * {@link #mutation()} / {@link Mutation#done(long...)}; tables registered with {@link #watch} are told at once, on the
 * changing thread (they send their own table notifications asynchronously, R-NTF-3). Changes made by other
 * processes, or by other instances in this process (another session's provider object), are noticed by a poller
 * that reads {@link Storage#changeCounter()} while at least one logon uses the file ({@link #acquire()} ..
 * {@link #release()}); it then tells every table that everything may have changed. A local change moves the "seen"
 * counter forward only when no unseen foreign change preceded it, so that a foreign change is not swallowed by a local
 * one. Where the storage knows the counter from its own writes ({@link Storage#ownChanges()}, SQLite) that check is
 * exact and costs no read. Otherwise (PostgreSQL) the counter is read before and after the call; a foreign write that
 * lands between the first read and the local write is then taken for seen, and a table only it changed is refreshed
 * at the next change noticed.
 *
 * <p><b>When it reads.</b> When the storage has a {@link ChangeSignal} (PostgreSQL's LISTEN/NOTIFY), the poller reads
 * as soon as the signal wakes it (another instance committed, or the signal was lost or is back), and otherwise only
 * every {@link #SIGNALLED_POLL_INTERVAL}, as a safety net, while the signal is {@link ChangeSignal#live() live}.
 * Without a signal (SQLite), or while it is not live (not started yet, reconnecting, refused by the server), it reads
 * every {@link #POLL_INTERVAL}. The timer ticks every {@link #POLL_INTERVAL} either way; a tick with a live signal
 * and a recent read costs nothing. Wake-ups that come faster than {@link #MIN_WAKE_GAP} after a read are served
 * together, that long after it.
 *
 * <p><b>Object notifications across processes.</b> Notifications a logon raises ({@link #publish}) go into the
 * store's event log; the same poll reads the entries other instances (processes, sessions) published since the last
 * poll and hands them to one of this instance's logons ({@link EventTarget}), which delivers them to its session's
 * sinks like its own (R-NTF-3..6). Entries this instance published are skipped: its sessions got them at once.
 *
 * <p><b>Writers.</b> {@link #openedForWriting} / {@link #closedForWriting} count the messages open for writing
 * through this instance, so that DeleteMessages can refuse them (R-FM-2).
 *
 * <p><b>Lifetime.</b> Created by the provider object at the first logon on the file, closed by the provider's
 * {@code shutdown} once no logon uses it ({@link #close()}: the storage drops its spooler locks, R-MAIL-1).
 * <b>Threads:</b> thread-safe.
 */
final class StoreFile {
    /** How often the poller reads the change counter while a logon uses the file and no change signal is live. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** How often it reads while the storage's change signal is live: a safety net only. */
    static final Duration SIGNALLED_POLL_INTERVAL = Duration.ofSeconds(5);
    /**
     * The shortest time from one read to the next that a wake-up causes: under a burst of other instances' commits
     * the store is read (and its open tables refreshed) at most this often, not once per commit.
     */
    static final Duration MIN_WAKE_GAP = Duration.ofMillis(20);
    /**
     * How long notifications raised through this instance wait before they are written to the event log: those raised
     * meanwhile go in the same transaction. Other instances read the log when they poll (every
     * {@link #POLL_INTERVAL}), where the delay hides, or when the change signal wakes them, where their sinks get the
     * notifications this much later (their tables follow the change counter and are not delayed).
     */
    static final Duration PUBLISH_DELAY = Duration.ofMillis(20);

    /** Something that shows store data and must be told when it may have changed (an open table). */
    interface Watcher {
        /**
         * Called after a change, on the changing thread or the poller's; must not throw and should be quick when
         * nobody listens.
         *
         * @param change what changed
         */
        void changed(Change change);
    }

    /** A logon that delivers notifications read from the event log to its session's sinks. */
    interface EventTarget {
        /** @param events notifications another instance raised, in order */
        void foreignEvents(List<org.jmapi.Notification> events);
    }

    /** How many event-log entries one poll reads at most per query. */
    static final int EVENTS_PER_READ = 500;

    /**
     * What a change touched.
     *
     * @param folders    the folders whose contents changed (messages added, changed, removed, moved in or out)
     * @param everything true when anything may have changed (a foreign change, a folder-tree change)
     */
    record Change(Set<Long> folders, boolean everything) {
        /** Anything may have changed. */
        static final Change EVERYTHING = new Change(Set.of(), true);

        /**
         * @param folderId a folder
         * @return whether the change may have touched that folder's contents
         */
        boolean touches(long folderId) {
            return everything || folders.contains(folderId);
        }
    }

    /** A local change in progress: started before the storage call, {@link #done} after it succeeded. */
    final class Mutation {
        /** The change counter before the change; unused with {@link #own}. */
        private final long before;
        /** The thread's own changes before the change, when the storage keeps them; else null. */
        private final Storage.OwnChanges own;

        private Mutation(long before, Storage.OwnChanges own) {
            this.before = before;
            this.own = own;
        }

        /**
         * Tells the watchers; call after the storage call returned.
         *
         * @param folders the folders whose contents changed; none for a change of the folder tree or the queue
         *                only (every table is told then)
         */
        void done(long... folders) {
            long from;
            long after;
            if (own != null) {
                // The counter as this change's writes found it and left it, from the writes themselves: exact even
                // when another process wrote just before them (two reads around the call would take that write in).
                Storage.OwnChanges now = storage.ownChanges();
                after = now.counter();
                from = after - (now.writes() - own.writes());
            } else {
                from = before;
                after = counter();
            }
            Change c;
            if (folders.length == 0) {
                c = Change.EVERYTHING;
            } else {
                Set<Long> s = new java.util.HashSet<>();
                for (long f : folders) {
                    s.add(f);
                }
                c = new Change(Set.copyOf(s), false);
            }
            fanOut(c);
            synchronized (StoreFile.this) {
                if (seen == from) {
                    seen = after;
                }
            }
        }
    }

    private final StoreBackend.Location location;
    private final Storage storage;
    private final StoreIds ids;
    private final StoreLayout layout;
    private final ScheduledExecutorService poller;
    private final Executor notifier;
    /** The storage's change signal, or null when it has none. */
    private final ChangeSignal signal;
    /** {@link #SIGNALLED_POLL_INTERVAL}, in nanoseconds (tests set another). */
    private final long signalledPollNanos;
    /** Whether a poll the signal asked for is queued and has not started yet. */
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    /** When the last poll started ({@link System#nanoTime()}). */
    private volatile long lastPoll = System.nanoTime();
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final Map<Long, Integer> writers = new ConcurrentHashMap<>();
    private final List<EventTarget> targets = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Encoded notifications not yet written to the event log, in order; guarded by itself. */
    private final List<byte[]> unpublished = new java.util.ArrayList<>();
    /** Whether a flush of {@link #unpublished} is scheduled; guarded by {@link #unpublished}. */
    private boolean publishScheduled;
    /** Held while a batch is written. */
    private final Object publishing = new Object();
    /** The last event-log entry read; guarded by {@code this}. */
    private long eventSeq;
    /** Logons using the file; guarded by {@code this}. */
    private int users;
    /** The change counter as last reconciled; guarded by {@code this}. */
    private long seen;
    /** The running poll, or null; guarded by {@code this}. */
    private ScheduledFuture<?> poll;
    /** The wake-ups of {@link #signal} while a logon uses the file, or null; guarded by {@code this}. */
    private ChangeSignal.Subscription wakeUps;
    /** The last submit time handed out; guarded by {@code this}. */
    private java.time.Instant lastSubmit = java.time.Instant.EPOCH;
    /** Set by {@link #close()}; guarded by {@code this}. */
    private boolean closed;

    /**
     * @param location the store, as configured
     * @param storage  the open storage; owned by this object from now on
     * @param poller   where the change poll runs
     * @param notifier where table notifications run (asynchronously, R-NTF-3)
     */
    StoreFile(StoreBackend.Location location, Storage storage, ScheduledExecutorService poller, Executor notifier) {
        this(location, storage, poller, notifier, SIGNALLED_POLL_INTERVAL);
    }

    /**
     * @param location        the store, as configured
     * @param storage         the open storage; owned by this object from now on
     * @param poller          where the change poll runs
     * @param notifier        where table notifications run (asynchronously, R-NTF-3)
     * @param signalledPoll   how often to poll while the storage's change signal is live
     */
    StoreFile(StoreBackend.Location location, Storage storage, ScheduledExecutorService poller, Executor notifier,
              Duration signalledPoll) {
        this.location = location;
        this.storage = storage;
        this.ids = new StoreIds(storage.identity().storeUid());
        this.poller = poller;
        this.notifier = notifier;
        this.signal = storage.changeSignal().orElse(null);
        this.signalledPollNanos = signalledPoll.toNanos();
        this.layout = StoreLayout.ensure(storage);
        this.seen = storage.changeCounter();
        this.eventSeq = storage.lastEventSeq();
    }

    /** @return what names the store: equal keys are the same store ({@link StoreBackend.Location#key()}) */
    String key() {
        return location.key();
    }

    /** @return the storage; shared, never close it */
    Storage storage() {
        return storage;
    }

    /** @return the store's entry-id codec */
    StoreIds ids() {
        return ids;
    }

    /** @return the default folders */
    StoreLayout layout() {
        return layout;
    }

    /** @return where tables run their notifications */
    Executor notifier() {
        return notifier;
    }

    /** @return the storage's change counter, or the last seen value when the storage is closed */
    private long counter() {
        try {
            return storage.changeCounter();
        } catch (MapiException e) {
            synchronized (this) {
                return seen;
            }
        }
    }

    /**
     * @return a submit time later than every one this object handed out before, so that the outgoing queue keeps
     *         submission order (R-SUB-1) even for submissions within one clock tick
     */
    synchronized java.time.Instant nextSubmitTime() {
        java.time.Instant now = java.time.Instant.now();
        lastSubmit = now.isAfter(lastSubmit) ? now : lastSubmit.plusNanos(1_000);
        return lastSubmit;
    }

    /** @return a new mutation; call {@link Mutation#done} when the storage call succeeded */
    Mutation mutation() {
        Storage.OwnChanges own = storage.ownChanges();
        return own != null ? new Mutation(0, own) : new Mutation(counter(), null);
    }

    /** @param w a table to tell about changes until {@link #unwatch} */
    void watch(Watcher w) {
        watchers.add(w);
    }

    /** @param w a table that no longer needs to hear about changes */
    void unwatch(Watcher w) {
        watchers.remove(w);
    }

    /** @return how many tables are watching (diagnostics, tests) */
    int watcherCount() {
        return watchers.size();
    }

    private void fanOut(Change c) {
        for (Watcher w : List.copyOf(watchers)) {
            try {
                w.changed(c);
            } catch (RuntimeException e) {
                System.getLogger(StoreFile.class.getName()).log(System.Logger.Level.WARNING,
                        "a table failed to refresh after a change of " + location.description(), e);
            }
        }
    }

    /**
     * Publishes notifications raised through this instance in the store's event log, for other processes and
     * sessions (see {@link Storage#publishEvents}). The write happens on the poll thread, {@link #PUBLISH_DELAY}
     * after the first notification not yet written, for every notification raised meanwhile at once (in the order
     * they were raised), so that a thread making many changes (the spooler sending a long queue) neither waits for nor
     * competes with one event-log transaction per change. A failure to publish
     * never fails the change that was made. {@link #close()} publishes what is still pending.
     *
     * @param events the notifications
     */
    void publish(List<org.jmapi.Notification> events) {
        List<byte[]> payloads = new java.util.ArrayList<>(events.size());
        for (org.jmapi.Notification n : events) {
            byte[] b = EventCodec.encode(n);
            if (b != null) {
                payloads.add(b);
            }
        }
        if (payloads.isEmpty()) {
            return;
        }
        boolean schedule;
        synchronized (unpublished) {
            unpublished.addAll(payloads);
            schedule = !publishScheduled;
            publishScheduled = true;
        }
        if (schedule) {
            try {
                poller.schedule(this::flushEvents, PUBLISH_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                flushEvents(); // the provider's threads are gone: publish on this thread
            }
        }
    }

    /** Writes the pending notifications into the event log, in one call; one flush at a time: batches keep order. */
    private void flushEvents() {
        synchronized (publishing) {
            List<byte[]> batch;
            synchronized (unpublished) {
                publishScheduled = false;
                if (unpublished.isEmpty()) {
                    return;
                }
                batch = List.copyOf(unpublished);
                unpublished.clear();
            }
            try {
                storage.publishEvents(batch);
            } catch (MapiException e) {
                System.getLogger(StoreFile.class.getName()).log(System.Logger.Level.WARNING, "notifications of "
                        + location.description() + " could not be published for other processes: " + e.getMessage());
            }
        }
    }

    /** @param t a logon that can deliver other instances' notifications, until {@link #removeTarget} */
    void addTarget(EventTarget t) {
        targets.add(t);
    }

    /** @param t a logon that was logged off */
    void removeTarget(EventTarget t) {
        targets.remove(t);
    }

    /** Reads the event log after the last entry read; hands other instances' notifications to a logon. */
    private void pollEvents() {
        long after;
        synchronized (this) {
            after = eventSeq;
        }
        List<org.jmapi.Notification> foreign = new java.util.ArrayList<>();
        String self = storage.ownerId();
        while (true) {
            List<org.jmapi.store.StoreEvent> batch = storage.eventsAfter(after, EVENTS_PER_READ);
            for (org.jmapi.store.StoreEvent e : batch) {
                after = e.seq();
                if (!self.equals(e.origin())) {
                    try {
                        foreign.add(EventCodec.decode(e.payload()));
                    } catch (MapiException bad) {
                        System.getLogger(StoreFile.class.getName()).log(System.Logger.Level.WARNING,
                                "skipping event log entry " + e.seq() + " of " + location.description() + ": "
                                        + bad.getMessage());
                    }
                }
            }
            if (batch.size() < EVENTS_PER_READ) {
                break;
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            eventSeq = after;
        }
        if (!foreign.isEmpty()) {
            for (EventTarget t : targets) {
                try {
                    t.foreignEvents(List.copyOf(foreign));
                    return; // one logon delivers to its session's sinks, which every logon of the session shares
                } catch (RuntimeException e) {
                    // logged off meanwhile: try the next one
                }
            }
        }
    }

    /**
     * Runs {@code task} on the poll thread after {@code delay} (a large table's deferred re-read); nothing when the
     * provider's threads were stopped.
     *
     * @param task  what to run; must not throw
     * @param delay when
     */
    void later(Runnable task, Duration delay) {
        try {
            poller.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shut down: nobody listens any more
        }
    }

    /** A logon starts using the file: the poller runs while there is one. */
    synchronized void acquire() {
        if (closed) {
            throw new IllegalStateException(location.description() + " was closed");
        }
        if (users++ == 0) {
            long ms = POLL_INTERVAL.toMillis();
            try {
                poll = poller.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                poll = null;
            }
            if (signal != null) {
                wakeUps = signal.subscribe(this::wake);
            }
        }
    }

    /** A logon stopped using the file (its logoff): the last one stops the poller. */
    synchronized void release() {
        if (users > 0 && --users == 0) {
            stopPolling();
        }
    }

    /** Under the lock: stops the timer and the wake-ups. */
    private void stopPolling() {
        if (poll != null) {
            poll.cancel(false);
            poll = null;
        }
        if (wakeUps != null) {
            wakeUps.close();
            wakeUps = null;
        }
    }

    /**
     * The change signal's wake-up (on its thread): queues one poll on the poll thread, at once or
     * {@link #MIN_WAKE_GAP} after the last one started; wake-ups arriving before it started share it, one arriving
     * while it runs queues the next.
     */
    private void wake() {
        if (!wakeQueued.compareAndSet(false, true)) {
            return;
        }
        Runnable read = () -> {
            wakeQueued.set(false);
            synchronized (this) {
                if (users == 0 || closed) {
                    return;
                }
            }
            pollSafely();
        };
        long wait = MIN_WAKE_GAP.toNanos() - (System.nanoTime() - lastPoll);
        try {
            if (wait > 0) {
                poller.schedule(read, wait, TimeUnit.NANOSECONDS);
            } else {
                poller.execute(read);
            }
        } catch (RejectedExecutionException e) {
            wakeQueued.set(false); // the provider's threads are gone: nobody listens any more
        }
    }

    /** The timer: polls unless the change signal is live and the last poll is recent. */
    private void tick() {
        if (signal != null && signal.live() && System.nanoTime() - lastPoll < signalledPollNanos) {
            return;
        }
        pollSafely();
    }

    /** {@link #pollOnce()}, never throwing: a failure must not end the periodic poll. */
    private void pollSafely() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            System.getLogger(StoreFile.class.getName()).log(System.Logger.Level.WARNING,
                    "reading the changes of " + location.description() + " failed; trying again at the next poll", e);
        }
    }

    /** @return whether no logon uses the file */
    synchronized boolean unused() {
        return users == 0;
    }

    /**
     * One poll: a foreign change makes every table refresh; notifications other instances published reach this
     * instance's sinks.
     */
    void pollOnce() {
        lastPoll = System.nanoTime();
        try {
            pollEvents();
        } catch (MapiException e) {
            return; // closed meanwhile
        }
        long now;
        try {
            now = storage.changeCounter();
        } catch (MapiException e) {
            return; // closed meanwhile
        }
        synchronized (this) {
            if (now == seen || closed) {
                return;
            }
            seen = now;
        }
        fanOut(Change.EVERYTHING);
    }

    /**
     * @param messageId a message opened for writing through this instance
     */
    void openedForWriting(long messageId) {
        writers.merge(messageId, 1, Integer::sum);
    }

    /**
     * @param messageId a message that is no longer open for writing
     */
    void closedForWriting(long messageId) {
        writers.computeIfPresent(messageId, (k, n) -> n == 1 ? null : n - 1);
    }

    /**
     * @param messageId a message
     * @return whether it is open for writing through this instance (R-FM-2)
     */
    boolean isOpenForWriting(long messageId) {
        return writers.containsKey(messageId);
    }

    /** Stops the poller and closes the storage (its spooler locks end, the queue stays, R-MAIL-1). Idempotent. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopPolling();
        }
        watchers.clear();
        flushEvents();
        storage.close();
    }

    @Override
    public String toString() {
        return location.description();
    }
}
