package org.jmapi.store;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;

import java.util.ArrayList;
import java.util.List;

/**
 * One attachment of a message image (IMessage::CreateAttach / OpenAttach, R-FM-4): its PR_ATTACH_NUM, its
 * properties (small ones inline, large ones as {@link LargeValue}s or {@link ValueStream}s, exactly as for the
 * message itself) and, for an embedded message (ATTACH_EMBEDDED_MSG), the embedded message's image. Immutable.
 *
 * @param attachNum       PR_ATTACH_NUM, unique within the message
 * @param properties      inline properties (a PR_ATTACH_NUM entry here, if any, must equal {@code attachNum} and is
 *                        dropped)
 * @param largeValues     values kept out of line
 * @param streams         values to write from streams (only when saving)
 * @param embeddedMessage the embedded message (PR_ATTACH_DATA_OBJ opened as IMessage), or null
 */
public record Attachment(int attachNum, List<PropValue> properties, List<LargeValue> largeValues,
                         List<ValueStream> streams, MessageImage embeddedMessage) {
    /**
     * Copies the lists.
     *
     * @param attachNum PR_ATTACH_NUM, unique within the message
     * @param properties inline properties (a PR_ATTACH_NUM entry here, if any, must equal {@code attachNum} and is
     *     dropped)
     * @param largeValues values kept out of line
     * @param streams values to write from streams (only when saving)
     * @param embeddedMessage the embedded message (PR_ATTACH_DATA_OBJ opened as IMessage), or null
     */
    public Attachment {
        properties = List.copyOf(properties);
        largeValues = List.copyOf(largeValues);
        streams = List.copyOf(streams);
    }

    /**
     * @param attachNum  PR_ATTACH_NUM
     * @param properties inline properties
     * @return an attachment without large values or embedded message
     */
    public static Attachment of(int attachNum, List<PropValue> properties) {
        return new Attachment(attachNum, properties, List.of(), List.of(), null);
    }

    /**
     * @param s a value to write from a stream
     * @return a copy with {@code s} added
     */
    public Attachment withStream(ValueStream s) {
        List<ValueStream> l = new ArrayList<>(streams);
        l.add(s);
        return new Attachment(attachNum, properties, largeValues, l, embeddedMessage);
    }

    /**
     * @param m the embedded message image
     * @return a copy holding {@code m}
     */
    public Attachment withEmbeddedMessage(MessageImage m) {
        return new Attachment(attachNum, properties, largeValues, streams, m);
    }

    /** @return the inline properties followed by PR_ATTACH_NUM: the row as an attachment table shows it */
    public List<PropValue> row() {
        List<PropValue> row = new ArrayList<>(properties.size() + 1);
        for (PropValue v : properties) {
            if (v.id() != PropTag.id(PropTags.PR_ATTACH_NUM)) {
                row.add(v);
            }
        }
        row.add(PropValue.ofInt(PropTags.PR_ATTACH_NUM, attachNum));
        return row;
    }
}
