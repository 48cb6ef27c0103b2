package org.jmapi.store;

/**
 * A wake-up source of one open {@link Storage}: "something in this store may have changed, read now". The MAPI layer
 * notices changes made by other instances (other processes, hosts or sessions) by reading
 * {@link Storage#changeCounter()} and {@link Storage#eventsAfter}; with a signal it reads when woken instead of
 * every few hundred milliseconds, and polls only slowly, as a safety net, while the signal is {@link #live()}.
 * Engines without such a mechanism have none ({@link Storage#changeSignal()} is empty) and the reader polls as
 * before; the PostgreSQL engine's is LISTEN/NOTIFY.
 *
 * <p><b>The promise.</b> While {@link #live()} is true, every commit of another instance that raises the change
 * counter or appends to the event log is followed, soon after it committed, by a call of every subscriber's wake-up
 * (a commit of an instance that has signalling turned off is not: configure every instance of a store alike). A
 * wake-up may also come without a change (a subscriber reads and finds nothing new). Whenever {@link #live()}
 * changes — the signal starts working, is lost, or works again after a loss — subscribers are woken too, so that
 * they read at once what they may have missed and adjust their polling. A signal that is not live promises nothing:
 * poll at the fast rate then.
 *
 * <p><b>Threads.</b> Thread-safe. Wake-ups run on the signal's own thread: they must be quick (hand the work to
 * another thread), must not block and must not throw.
 *
 * <p><b>Lifetime.</b> Owned by its storage: it stops (and is no longer live) when the storage is closed; its
 * subscriptions then do nothing more.
 */
public interface ChangeSignal {

    /** A registered wake-up; closing it stops the calls. */
    interface Subscription extends AutoCloseable {
        /** Stops the wake-ups of this subscription; safe to call more than once. */
        @Override
        void close();
    }

    /**
     * Registers a wake-up until the returned subscription is closed. The first subscription may start the signal's
     * machinery (a listening connection); until it works {@link #live()} is false.
     *
     * @param wake called when the store may have changed or {@link #live()} changed; quick, non-blocking, never
     *             throws
     * @return the subscription, owned by the caller
     */
    Subscription subscribe(Runnable wake);

    /**
     * @return whether the signal works right now, so that a reader can rely on being woken (and poll only as a
     *         safety net); false before it started, while it reconnects after a loss, when the engine or server
     *         turned out not to support it, and after the storage was closed
     */
    boolean live();
}
