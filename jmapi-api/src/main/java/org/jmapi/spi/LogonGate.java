package org.jmapi.spi;

import org.jmapi.HResult;
import org.jmapi.MapiException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-logon gate where calls in flight and a logoff meet (ARCHITECTURE.md &sect;3): a call {@link #enter()}s,
 * a logoff {@link #close(Duration)}s the gate and waits (bounded) for the calls of other threads to leave, then
 * invalidates. No call half-runs on a logged-off logon.
 *
 * <p>Re-entrant: a thread already inside may enter again, and a logoff made by a thread that is inside (a store
 * method whose work ends the logon) does not wait for itself. Thread-safe.
 */
public final class LogonGate {
    /** How long a logoff waits for other threads' calls by default. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);

    /** Threads inside the gate, with their re-entry depth; guarded by {@code this}. */
    private final Map<Thread, Integer> inside = new HashMap<>();
    /** Set by {@link #close(Duration)}; guarded by {@code this}. */
    private boolean closed;

    /** A permit to be inside; closing it leaves the gate. Close exactly once. */
    public interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Enters the gate.
     *
     * @return the pass to close when the call ends
     * @throws MapiException MAPI_E_INVALID_OBJECT when the gate was closed by a logoff (R-INV-2)
     */
    public Pass enter() {
        Thread t = Thread.currentThread();
        synchronized (this) {
            if (closed && !inside.containsKey(t)) {
                throw new MapiException(HResult.MAPI_E_INVALID_OBJECT, "the logon was logged off");
            }
            inside.merge(t, 1, Integer::sum);
        }
        return () -> leave(t);
    }

    /**
     * Leaves the gate once (a pass's close) and wakes a waiting {@link #close(Duration)}.
     *
     * @param t the thread that entered
     */
    private synchronized void leave(Thread t) {
        inside.computeIfPresent(t, (k, n) -> n == 1 ? null : n - 1);
        notifyAll();
    }

    /** @return whether a logoff closed the gate */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes the gate and waits until no other thread is inside, or until {@code drain} elapsed.
     *
     * @param drain the longest wait
     * @return whether every other thread left in time
     */
    public synchronized boolean close(Duration drain) {
        closed = true;
        long deadline = System.nanoTime() + drain.toNanos();
        Thread self = Thread.currentThread();
        while (inside.keySet().stream().anyMatch(t -> t != self)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** @return how many threads are inside now (diagnostics) */
    public synchronized int activeThreads() {
        return inside.size();
    }
}
