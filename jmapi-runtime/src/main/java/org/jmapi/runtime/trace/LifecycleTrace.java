package org.jmapi.runtime.trace;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jmapi.spi.Tracer;

/**
 * The lifecycle trace: every call that crosses the client⇄MAPI, MAPI⇄provider or provider⇄support boundary,
 * reported as a {@link TraceEvent} to the registered {@link TraceListener}s — the view MAPI developers get from
 * MAPI spy tools.
 *
 * <p><b>Ownership.</b> The runtime holds one instance per process and records into it; users reach it to add
 * listeners. Provider code never sees this class, only a {@link Tracer} obtained through {@link #bind}.
 *
 * <p><b>Cost.</b> The trace is enabled iff at least one listener is registered. While disabled, {@link #call} and
 * {@link #ret} do nothing but a volatile read (and null checks on their arguments): no allocation, no sequence
 * number consumed, so the runtime may call them unconditionally.
 *
 * <p><b>Order.</b> Every event takes the next value of one counter shared by all threads (starting at 1), so the
 * events of a trace are totally ordered by {@link TraceEvent#seq()}. Listeners run synchronously on the calling
 * thread, in registration order; see {@link TraceListener} for what that implies.
 *
 * <p><b>Secrets.</b> The recording methods take a method name, an object label, a flag word and an HRESULT and
 * nothing else, so no property value, password or message content can reach a trace.
 *
 * <p>Thread-safe: all methods may be called from any thread at any time, including while listeners are being added
 * or removed. A listener added or removed during a call may or may not see that call's event.
 */
public final class LifecycleTrace {
    private static final System.Logger LOG = System.getLogger(LifecycleTrace.class.getName());

    /** One {@link #addListener} call; identity-distinct so a remover removes exactly its own registration. */
    private static final class Registration {
        final TraceListener listener;
        final AtomicBoolean reportedFailure = new AtomicBoolean();

        Registration(TraceListener listener) {
            this.listener = listener;
        }
    }

    private final CopyOnWriteArrayList<Registration> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final Clock clock;

    /** A trace stamping events with {@link Clock#systemUTC()}. */
    public LifecycleTrace() {
        this(Clock.systemUTC());
    }

    /**
     * A trace stamping events with the given clock (tests use a fixed one). The clock only supplies
     * {@link TraceEvent#time()}; the order comes from the sequence counter.
     *
     * @param clock source of event times; must be thread-safe
     */
    public LifecycleTrace(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Registers a listener; from now on it receives every event (and the trace is {@link #enabled()}). Adding the
     * same listener twice makes it receive each event twice, with two independent removers.
     *
     * @param l the listener; must be thread-safe and must not throw
     * @return a remover: running it unregisters this registration; running it again does nothing
     */
    public Runnable addListener(TraceListener l) {
        Registration r = new Registration(Objects.requireNonNull(l, "listener"));
        listeners.add(r);
        AtomicBoolean removed = new AtomicBoolean();
        return () -> {
            if (removed.compareAndSet(false, true)) {
                listeners.remove(r);
            }
        };
    }

    /**
     * Whether events are being recorded, i.e. at least one listener is registered. Callers need not check this
     * before {@link #call}/{@link #ret}; it is for skipping work that only prepares trace arguments.
     *
     * @return true iff at least one listener is registered
     */
    public boolean enabled() {
        return !listeners.isEmpty();
    }

    /**
     * Records the start of a call. A no-op while the trace is disabled.
     *
     * @param method MAPI's spelling, e.g. {@code "IMsgStore::StoreLogoff"}
     * @param object label of the object the call concerns, e.g. {@code "store:2"}
     * @param flags  the flags passed in (0 when the method has none)
     * @throws NullPointerException if {@code method} or {@code object} is null, whether or not the trace is enabled
     */
    public void call(String method, String object, int flags) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(object, "object");
        if (listeners.isEmpty()) {
            return;
        }
        publish(method, TraceEvent.Phase.CALL, object, flags, null);
    }

    /**
     * Records the end of a call. A no-op while the trace is disabled. Methods without an HRESULT of their own
     * ({@code Release}) record {@link org.jmapi.HResult#S_OK}.
     *
     * @param method  MAPI's spelling, e.g. {@code "IMsgStore::StoreLogoff"}
     * @param object  label of the object the call concerns
     * @param flags   the flags passed out (0 when the method has none)
     * @param hresult the result
     * @throws NullPointerException if {@code method} or {@code object} is null, whether or not the trace is enabled
     */
    public void ret(String method, String object, int flags, int hresult) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(object, "object");
        if (listeners.isEmpty()) {
            return;
        }
        publish(method, TraceEvent.Phase.RETURN, object, flags, hresult);
    }

    /**
     * A {@link Tracer} that records into this trace against a fixed object label; this is what a provider's
     * support object hands out ({@code MapiSupport.tracer()}). The tracer is as cheap as this trace while disabled,
     * never throws for a non-null method, and may be used from any thread for as long as the trace exists.
     *
     * @param object the label, e.g. {@code "store:2"}
     * @return a tracer bound to {@code object}
     * @throws NullPointerException if {@code object} is null
     */
    public Tracer bind(String object) {
        Objects.requireNonNull(object, "object");
        return new Tracer() {
            @Override
            public void call(String method, int flags) {
                LifecycleTrace.this.call(method, object, flags);
            }

            @Override
            public void ret(String method, int flags, int hresult) {
                LifecycleTrace.this.ret(method, object, flags, hresult);
            }

            @Override
            public String toString() {
                return "Tracer[" + object + "]";
            }
        };
    }

    /**
     * The sequence number of the most recent event, 0 before the first. Pass it to
     * {@link TraceRecorder#since(long)} to see only what happens afterwards.
     *
     * @return the last sequence number handed out
     */
    public long lastSeq() {
        return sequence.get();
    }

    /**
     * How many times a listener threw and the exception was dropped. The first failure of each registration is
     * also logged (System.Logger, WARNING) with its stack trace.
     *
     * @return the number of dropped listener exceptions since this trace was created
     */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    private void publish(String method, TraceEvent.Phase phase, String object, int flags, Integer hresult) {
        TraceEvent e = new TraceEvent(sequence.incrementAndGet(), clock.instant(), Thread.currentThread().getName(),
                method, phase, object, flags, hresult);
        for (Registration r : listeners) {
            try {
                r.listener.onEvent(e);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                listenerFailures.incrementAndGet();
                if (r.reportedFailure.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "trace listener " + r.listener + " threw on " + e.brief()
                            + "; exception dropped (further ones from this listener are only counted)", t);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "LifecycleTrace[listeners=" + listeners.size() + ", lastSeq=" + sequence.get() + "]";
    }
}
