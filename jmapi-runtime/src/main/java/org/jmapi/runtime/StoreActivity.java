package org.jmapi.runtime;

import org.jmapi.Flags;

import java.time.Duration;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * What the spooler is doing for one store right now: the state {@code IMAPISupport::StoreLogoffTransports}
 * decides every LOGOFF_* flag from (spec &sect;11.3, R-SLT-4).
 *
 * <ul>
 *   <li>INBOUND: a received message is being written into the store (StartMessage until its post-processing
 *       ended) — one {@link #tryBeginInbound()} transfer per message;</li>
 *   <li>OUTBOUND: a message of the store is locked by the spooler, between SubmitMessage and FinishedMsg — one
 *       {@link #tryBeginOutbound()} transfer per message;</li>
 *   <li>OUTBOUND_QUEUE: the store's outgoing queue holds a message not yet locked — read from the store itself
 *       (its spooler object's outgoing queue), so it reflects what any process submitted.</li>
 * </ul>
 *
 * <p>The code that moves mail (the spooler's send and receive loops) opens a transfer before it touches a message
 * and closes it when done, and asks {@link #acceptsInbound()} / {@link #acceptsOutbound()} before starting new
 * work: after a LOGOFF_NO_WAIT / ORDERLY / PURGE the store takes no new inbound, and after ORDERLY no new outbound.
 * Thread-safe; transfers may be opened and closed on any thread.
 */
public final class StoreActivity {
    private final IntSupplier unlockedQueued;
    private int inbound;
    private int outbound;
    private boolean inboundOpen = true;
    private boolean outboundOpen = true;

    /** One message in flight; closing it ends the transfer. Close exactly once. */
    public interface Transfer extends AutoCloseable {
        @Override
        void close();
    }

    /** @param unlockedQueued counts the store's queued, not yet locked messages (0 when it cannot tell) */
    StoreActivity(IntSupplier unlockedQueued) {
        this.unlockedQueued = unlockedQueued;
    }

    /** @return a transfer for one inbound message, or empty when the store no longer takes inbound mail */
    public synchronized Optional<Transfer> tryBeginInbound() {
        if (!inboundOpen) {
            return Optional.empty();
        }
        inbound++;
        return Optional.of(once(() -> inbound--));
    }

    /** @return a transfer for one outbound message, or empty when no new outbound may start for the store */
    public synchronized Optional<Transfer> tryBeginOutbound() {
        if (!outboundOpen) {
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
                    if (!closed) {
                        closed = true;
                        end.run();
                        StoreActivity.this.notifyAll();
                    }
                }
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
        int queued = unlockedQueued.getAsInt();
        synchronized (this) {
            return (inbound > 0 ? Flags.LOGOFF_INBOUND : 0)
                    | (outbound > 0 ? Flags.LOGOFF_OUTBOUND : 0)
                    | (queued > 0 ? Flags.LOGOFF_OUTBOUND_QUEUE : 0);
        }
    }

    /** @return messages in flight, inbound plus outbound */
    public synchronized int inFlight() {
        return inbound + outbound;
    }

    synchronized void stop(boolean stopInbound, boolean stopOutbound) {
        inboundOpen &= !stopInbound;
        outboundOpen &= !stopOutbound;
    }

    /** Waits until nothing is in flight. @return whether that happened within {@code limit} */
    synchronized boolean awaitNothingInFlight(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (inbound + outbound > 0) {
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
}
