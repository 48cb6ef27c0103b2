package org.jmapi.runtime;

import org.jmapi.Flags;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the spooler is doing for one store right now: the state {@code IMAPISupport::StoreLogoffTransports}
 * decides every LOGOFF_* flag from (spec &sect;11.3, R-SLT-4).
 *
 * <ul>
 *   <li>INBOUND: a received message is being written into the store (StartMessage until its post-processing
 *       ended) — one {@link #tryBeginInbound()} transfer per message;</li>
 *   <li>OUTBOUND: a message of the store is locked by the spooler, between SubmitMessage and FinishedMsg — one
 *       {@link #tryBeginOutbound()} transfer per message — or the store's outgoing queue holds a message locked
 *       (SUBMITFLAG_LOCKED) by any spooler: read from the store itself, so a spooler of another process or host that
 *       shares the store's queue (a PostgreSQL store served by several hosts) counts too, for as long as its lock
 *       lives (the store ends the locks of a spooler that died);</li>
 *   <li>OUTBOUND_QUEUE: the store's outgoing queue holds a message not yet locked — read from the store itself
 *       (its spooler object's outgoing queue), so it reflects what any process submitted.</li>
 *   <li>and whatever the store itself recorded from every process and host that shares it
 *       ({@link org.jmapi.spi.BaseMsgStore#PR_TRANSPORT_ACTIVITY}, when the store keeps such records): so an
 *       INBOUND transfer of another host's spooler writing into the store counts too.</li>
 * </ul>
 *
 * <p>The code that moves mail (the spooler's send and receive loops) opens a transfer before it touches a message
 * and closes it when done, and asks {@link #acceptsInbound()} / {@link #acceptsOutbound()} before starting new
 * work: after a LOGOFF_NO_WAIT / ORDERLY / PURGE the store takes no new inbound, and after ORDERLY no new outbound.
 * Thread-safe; transfers may be opened and closed on any thread.
 */
public final class StoreActivity {
    /**
     * What the store reports now to every process: its outgoing queue and its activity records.
     *
     * @param unlocked queued messages no spooler holds
     * @param locked   queued messages a spooler (this one or another sharing the queue) holds
     * @param recorded LOGOFF_* bits of the transport activity the store recorded from every process and host
     *                 ({@link org.jmapi.spi.BaseMsgStore#PR_TRANSPORT_ACTIVITY}); 0 when it keeps none
     */
    record Shared(int unlocked, int locked, int recorded) {
        /** A store that cannot tell (no queue, logged off). */
        static final Shared NONE = new Shared(0, 0, 0);
    }

    private final Supplier<Shared> shared;
    private final Runnable onTransferEnd;
    private int inbound;
    private int outbound;
    private boolean inboundOpen = true;
    private boolean outboundOpen = true;
    private boolean suspended;

    /** One message in flight; closing it ends the transfer. Close exactly once. */
    public interface Transfer extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * @param shared        reads what the store reports to every process ({@link Shared#NONE} when it cannot tell)
     * @param onTransferEnd run after each transfer closed, outside the lock (the spooler re-checks its drains)
     */
    StoreActivity(Supplier<Shared> shared, Runnable onTransferEnd) {
        this.shared = shared;
        this.onTransferEnd = onTransferEnd;
    }

    /** @return a transfer for one inbound message, or empty when the store no longer takes inbound mail */
    public synchronized Optional<Transfer> tryBeginInbound() {
        if (!inboundOpen || suspended) {
            return Optional.empty();
        }
        inbound++;
        return Optional.of(once(() -> inbound--));
    }

    /** @return a transfer for one outbound message, or empty when no new outbound may start for the store */
    public synchronized Optional<Transfer> tryBeginOutbound() {
        if (!outboundOpen || suspended) {
            return Optional.empty();
        }
        outbound++;
        return Optional.of(once(() -> outbound--));
    }

    private Transfer once(Runnable end) {
        return new Transfer() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (StoreActivity.this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    end.run();
                    StoreActivity.this.notifyAll();
                }
                onTransferEnd.run();
            }
        };
    }

    /** @return whether new inbound mail may be written into the store */
    public synchronized boolean acceptsInbound() {
        return inboundOpen;
    }

    /** @return whether new outbound messages of the store may be started */
    public synchronized boolean acceptsOutbound() {
        return outboundOpen;
    }

    /** @return LOGOFF_INBOUND, LOGOFF_OUTBOUND and LOGOFF_OUTBOUND_QUEUE as observed now */
    public int snapshot() {
        Shared s = shared.get();
        int recorded = s.recorded() & (Flags.LOGOFF_INBOUND | Flags.LOGOFF_OUTBOUND | Flags.LOGOFF_OUTBOUND_QUEUE);
        synchronized (this) {
            return recorded
                    | (inbound > 0 ? Flags.LOGOFF_INBOUND : 0)
                    | (outbound > 0 || s.locked() > 0 ? Flags.LOGOFF_OUTBOUND : 0)
                    | (s.unlocked() > 0 ? Flags.LOGOFF_OUTBOUND_QUEUE : 0);
        }
    }

    /** @return messages in flight, inbound plus outbound */
    public synchronized int inFlight() {
        return inbound + outbound;
    }

    /**
     * Atomically: when nothing is in flight, refuse new transfers until {@link #resume()} (a QUIET / ABORT decision
     * in progress, R-SLT-5/6, must not race a transfer that starts after it looked).
     *
     * @return whether nothing was in flight (and new transfers are now refused)
     */
    synchronized boolean suspendIfIdle() {
        if (inbound + outbound > 0) {
            return false;
        }
        suspended = true;
        return true;
    }

    /** Ends a {@link #suspendIfIdle()}: transfers may start again (the refused logoff changed nothing). */
    synchronized void resume() {
        suspended = false;
    }

    synchronized void stop(boolean stopInbound, boolean stopOutbound) {
        inboundOpen &= !stopInbound;
        outboundOpen &= !stopOutbound;
    }
}
