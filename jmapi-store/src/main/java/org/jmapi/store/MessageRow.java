package org.jmapi.store;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropValue;

import java.util.List;

/**
 * One message as a contents table (or the outgoing queue) shows it: metadata and the message's top-level
 * properties, large ones as references. Recipients and attachments are not loaded. Immutable; owned by the caller.
 *
 * @param info        identity, place, version, queue state
 * @param properties  the inline top-level properties, including the ones the storage maintains (PR_MESSAGE_SIZE,
 *                    PR_MESSAGE_FLAGS, PR_SUBMIT_FLAGS while queued)
 * @param largeValues the top-level properties held out of line
 */
public record MessageRow(MessageInfo info, List<PropValue> properties, List<LargeValue> largeValues) {
    /**
     * Copies the lists.
     *
     * @param info identity, place, version, queue state
     * @param properties the inline top-level properties, including the ones the storage maintains (PR_MESSAGE_SIZE,
     *     PR_MESSAGE_FLAGS, PR_SUBMIT_FLAGS while queued)
     * @param largeValues the top-level properties held out of line
     */
    public MessageRow {
        properties = List.copyOf(properties);
        largeValues = List.copyOf(largeValues);
    }

    /** @return the message id */
    public long id() {
        return info.id();
    }

    /**
     * @param tag a property tag; only its id matters
     * @return the inline value with that id, or null
     */
    public PropValue get(int tag) {
        int id = PropTag.id(tag);
        for (PropValue v : properties) {
            if (v.id() == id) {
                return v;
            }
        }
        return null;
    }
}
