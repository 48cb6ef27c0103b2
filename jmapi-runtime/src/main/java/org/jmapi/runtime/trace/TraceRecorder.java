package org.jmapi.runtime.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps a trace's events in memory, in {@link TraceEvent#seq() seq} order, for tests and diagnostics:
 * <pre>{@code
 * TraceRecorder rec = new TraceRecorder();
 * Runnable remove = trace.addListener(rec);
 * ...
 * assertThat(rec.calls("store:2")).containsExactly("IMsgStore::StoreLogoff", "IMsgStore::Release");
 * }</pre>
 *
 * <p>Memory grows with every event until {@link #clear()}; do not leave one registered on a long-running trace.
 *
 * <p>Thread-safe: events may arrive from any number of threads; every query returns a snapshot copy the caller
 * owns. Events are kept sorted by {@code seq} even when threads deliver them slightly out of order.
 */
public final class TraceRecorder implements TraceListener {
    private final List<TraceEvent> events = new ArrayList<>();

    /** An empty recorder. */
    public TraceRecorder() {
    }

    /**
     * Stores the event at its {@code seq} position.
     *
     * @param e the event
     */
    @Override
    public synchronized void onEvent(TraceEvent e) {
        Objects.requireNonNull(e, "e");
        int i = events.size();
        while (i > 0 && events.get(i - 1).seq() > e.seq()) {
            i--;
        }
        events.add(i, e);
    }

    /**
     * All recorded events.
     *
     * @return a copy, in {@code seq} order
     */
    public synchronized List<TraceEvent> events() {
        return List.copyOf(events);
    }

    /**
     * All recorded events in {@link TraceEvent#brief()} form, handy for {@code containsExactly} assertions.
     *
     * @return a copy, in {@code seq} order
     */
    public synchronized List<String> briefs() {
        List<String> out = new ArrayList<>(events.size());
        for (TraceEvent e : events) {
            out.add(e.brief());
        }
        return List.copyOf(out);
    }

    /**
     * The methods called on one object: the {@link TraceEvent#call()} of each {@link TraceEvent.Phase#CALL} event
     * whose label is {@code object}.
     *
     * @param object a label such as {@code "store:2"}
     * @return a copy, in {@code seq} order; empty if the object saw no calls
     */
    public synchronized List<String> calls(String object) {
        Objects.requireNonNull(object, "object");
        List<String> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e.phase() == TraceEvent.Phase.CALL && e.object().equals(object)) {
                out.add(e.call());
            }
        }
        return List.copyOf(out);
    }

    /**
     * The events recorded after a given point: those whose {@code seq} is greater than {@code seq}. Pair with
     * {@link LifecycleTrace#lastSeq()} taken before the action of interest.
     *
     * @param seq exclusive lower bound
     * @return a copy, in {@code seq} order
     */
    public synchronized List<TraceEvent> since(long seq) {
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e.seq() > seq) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    /** Forgets every recorded event. */
    public synchronized void clear() {
        events.clear();
    }
}
