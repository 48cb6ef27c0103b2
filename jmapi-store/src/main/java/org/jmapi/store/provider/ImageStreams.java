package org.jmapi.store.provider;

import org.jmapi.store.Attachment;
import org.jmapi.store.MessageImage;

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
}
