package org.jmapi.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems one conversion noticed in its input, in the order noticed: a bounded list of messages a person can
 * act on ("unknown charset \"x-foo\", decoded as ISO-8859-1"). Repeats of the same message are kept once, and after
 * {@link #MAX} messages further ones are counted only. Not thread-safe: one conversion, one thread.
 */
final class Defects {
    /** The most messages kept. */
    static final int MAX = 50;

    /** The messages, without repeats. */
    private final List<String> messages = new ArrayList<>();
    /** Messages dropped after {@link #MAX}. */
    private int dropped;

    /** @param message what is wrong with the input and what the conversion did about it */
    void add(String message) {
        if (messages.contains(message)) {
            return;
        }
        if (messages.size() < MAX) {
            messages.add(message);
        } else {
            dropped++;
        }
    }

    /** @return an unmodifiable copy of the messages, with a final count of dropped ones when there were any */
    List<String> toList() {
        List<String> out = new ArrayList<>(messages);
        if (dropped > 0) {
            out.add(dropped + " further problems not listed");
        }
        return List.copyOf(out);
    }
}
