package org.jmapi.store.engine;

import org.jmapi.MapiException;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Deferred durability (group commit) for one storage instance, shared by the SQLite and PostgreSQL engines: the
 * bookkeeping behind {@link org.jmapi.store.Storage#deferDurability} and {@link org.jmapi.store.Storage#flushDeferred}.
 *
 * <p>A write the calling thread makes inside {@link #defer} may commit without waiting for the engine's log flush
 * (SQLite: {@code synchronous=NORMAL} for that commit, no fsync; PostgreSQL: {@code SET LOCAL synchronous_commit =
 * off}). Such a commit is atomic and visible at once, and it survives a crash of the process (SQLite keeps it in the
 * write-ahead log in the OS's page cache; PostgreSQL's server has it); only a power loss (or an OS or server crash)
 * before the next flush can undo it. Both engines' logs are sequential, so what such a failure leaves is always a
 * prefix of the commits in commit order: a deferred commit is never kept while an earlier one is lost, and every
 * ordinary (durable) commit that returned is kept with everything committed before it.
 *
 * <p><b>The window.</b> A deferred commit becomes durable with the next durable commit of the same instance (any
 * ordinary write, or the explicit {@link #flush} the caller asks for), and at the latest:
 * <ul>
 *   <li>with the {@value #MAX_DEFERRED}th deferred commit in a row, which the engine commits durably instead
 *       ({@link #mayDefer} answers false), so at most {@value #MAX_DEFERRED} - 1 commits are ever undurable;</li>
 *   <li>{@link #MAX_DELAY} after the first undurable commit (again after a failed flush), by a flush on the
 *       shared timer thread {@code jmapi-group-commit} (daemon), whatever the writer is doing (a transport blocked
 *       on a slow server);</li>
 *   <li>at {@code close} of the storage.</li>
 * </ul>
 * 64 commits is about 32 sent messages (two outcome writes each): one fsync instead of 64, while a power loss costs
 * at most 32 messages sent a second time. 50 ms is well under the spooler's retry and poll times and about the time
 * a few dozen messages take to send, so a slow trickle of mail is still durable a moment after each message.
 *
 * <p>Thread-safe. The scope is per thread: a write another thread makes at the same time (a client's SubmitMessage)
 * is as durable as ever.
 */
public final class GroupCommit {
    /** The most commits in a row that may skip the flush: the next one is durable. */
    public static final int MAX_DEFERRED = 64;
    /** The longest a deferred commit stays undurable before the timer flushes it. */
    public static final Duration MAX_DELAY = Duration.ofMillis(50);
    /**
     * System property (milliseconds) that replaces {@link #MAX_DELAY} for the instances created after it is set: for
     * tests that must see what the explicit flushes alone do (a long delay), never for production.
     */
    public static final String DELAY_PROPERTY = "jmapi.store.deferredFlushMs";

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jmapi-group-commit");
        t.setDaemon(true);
        return t;
    });

    /** The engine's durable flush: one durable commit that makes every earlier commit durable. */
    @FunctionalInterface
    public interface Flush {
        /** Commits durably (a no-op transaction is not enough: it must be one the engine waits to flush). */
        void commitDurably();
    }

    private final Flush flush;
    private final long delayMs;
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    /** Deferred commits completed so far. */
    private long deferred;
    /** The deferred commits known durable: every one completed before a durable commit began. */
    private long durable;
    private long flushes;
    private ScheduledFuture<?> timer;
    private volatile boolean closed;

    /** @param flush the engine's durable flush */
    public GroupCommit(Flush flush) {
        this.flush = flush;
        this.delayMs = Math.max(1, Long.getLong(DELAY_PROPERTY, MAX_DELAY.toMillis()));
    }

    /**
     * Runs {@code writes} with this thread's writes deferred (nested calls allowed).
     *
     * @param writes the writes
     * @param <T>    their result
     * @return their result
     */
    public <T> T defer(Supplier<T> writes) {
        int[] d = depth.get();
        d[0]++;
        try {
            return writes.get();
        } finally {
            d[0]--;
        }
    }

    /**
     * Asked by the engine before a write commits: may this commit skip the flush?
     *
     * @return true inside {@link #defer} while fewer than {@value #MAX_DEFERRED} - 1 commits are undurable
     */
    public synchronized boolean mayDefer() {
        return depth.get()[0] > 0 && !closed && deferred - durable < MAX_DEFERRED - 1;
    }

    /** @return a mark to pass to {@link #durableCommitted} once the durable commit begun now has returned */
    public synchronized long mark() {
        return deferred;
    }

    /** The engine committed a write that skipped the flush: it is durable within the window. */
    public synchronized void deferredCommitted() {
        deferred++;
        if (timer == null && !closed) {
            timer = TIMER.schedule(this::timerFlush, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The engine's durable commit returned: every deferred commit completed before it began is durable.
     *
     * @param mark {@link #mark()} taken before that commit began
     */
    public synchronized void durableCommitted(long mark) {
        if (mark > durable) {
            durable = mark;
        }
        if (durable == deferred && timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /**
     * Makes every deferred commit completed so far durable, with one durable commit of the engine when there is any;
     * returns once it is.
     *
     * @throws MapiException when the engine's commit fails (the commits stay undurable; the timer tries again)
     */
    public void flush() {
        long m = mark();
        synchronized (this) {
            if (m <= durable) {
                return;
            }
        }
        flush.commitDurably();
        synchronized (this) {
            flushes++;
        }
        durableCommitted(m);
    }

    private void timerFlush() {
        synchronized (this) {
            timer = null;
        }
        if (closed) {
            return;
        }
        try {
            flush();
        } catch (MapiException | IllegalStateException e) {
            synchronized (this) { // try again a little later (a busy store); closed storages stop here
                if (!closed && timer == null && deferred > durable) {
                    timer = TIMER.schedule(this::timerFlush, delayMs, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** @return deferred commits not yet known durable (0 once flushed) */
    public synchronized long undurable() {
        return deferred - durable;
    }

    /** @return how many explicit or timed flushes committed */
    public synchronized long flushes() {
        return flushes;
    }

    /**
     * The storage closes: flushes what is undurable (when {@code flushFirst}) and stops the timer for this instance.
     *
     * @param flushFirst whether to flush before (false when the engine can no longer commit)
     */
    public void close(boolean flushFirst) {
        if (flushFirst) {
            flush();
        }
        synchronized (this) {
            closed = true;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }
}
