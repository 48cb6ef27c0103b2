package org.jmapi.store.provider;

import org.jmapi.store.Attachment;
import org.jmapi.store.MessageImage;
import org.jmapi.store.ValueStream;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a message image carries values to be written from streams ({@link org.jmapi.store.ValueStream}s): after
 * saving such an image, the message reloads what the store kept so that it no longer refers to the streams'
 * buffers. Stateless.
 */
final class ImageStreams {
    private ImageStreams() {}

    /**
     * @param image a message image
     * @return whether it, one of its attachments or an embedded message at any depth has a stream
     */
    static boolean has(MessageImage image) {
        if (!image.streams().isEmpty()) {
            return true;
        }
        for (Attachment a : image.attachments()) {
            if (!a.streams().isEmpty() || (a.embeddedMessage() != null && has(a.embeddedMessage()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param image a message image, or null
     * @return the buffers its streams read ({@link BufferSource}s), at every depth
     */
    static List<ValueBuffer> buffers(MessageImage image) {
        List<ValueBuffer> out = new ArrayList<>();
        collect(image, out);
        return out;
    }

    private static void collect(MessageImage image, List<ValueBuffer> out) {
        if (image == null) {
            return;
        }
        collect(image.streams(), out);
        for (Attachment a : image.attachments()) {
            collect(a.streams(), out);
            collect(a.embeddedMessage(), out);
        }
    }

    private static void collect(List<ValueStream> streams, List<ValueBuffer> out) {
        for (ValueStream v : streams) {
            if (v.source() instanceof BufferSource b) {
                out.add(b.buffer());
            }
        }
    }

    /**
     * @param streams streams of an image
     * @return them as pending values (those read from buffers)
     */
    static List<WorkingProps.Pending> pending(List<ValueStream> streams) {
        List<WorkingProps.Pending> out = new ArrayList<>();
        for (ValueStream v : streams) {
            if (v.source() instanceof BufferSource b) {
                out.add(new WorkingProps.Pending(v.tag(), b.buffer()));
            }
        }
        return out;
    }
}
