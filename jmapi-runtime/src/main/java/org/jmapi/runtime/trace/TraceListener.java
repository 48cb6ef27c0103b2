package org.jmapi.runtime.trace;

/**
 * Receives the events of a {@link LifecycleTrace}. Register with {@link LifecycleTrace#addListener}.
 *
 * <p><b>Threading.</b> {@link #onEvent} runs synchronously on the thread that made the traced call, possibly on
 * several threads at once, so implementations must be thread-safe. Events from different threads may arrive in
 * a slightly different order than their {@link TraceEvent#seq() seq}; sort by {@code seq} for the exact order.
 * Keep the work short: the traced call waits for every listener.
 *
 * <p><b>Failures.</b> Implementations must not throw. If one does anyway, the trace catches the exception, drops
 * it and carries on with the next listener ({@link LifecycleTrace#listenerFailures()} counts these); the traced
 * call never sees it. Only a {@link VirtualMachineError} (such as {@link OutOfMemoryError}) propagates. A listener
 * must not record into the trace it listens to.
 */
@FunctionalInterface
public interface TraceListener {
    /**
     * Handles one event.
     *
     * @param e the event; never null, immutable, may be kept
     */
    void onEvent(TraceEvent e);
}
