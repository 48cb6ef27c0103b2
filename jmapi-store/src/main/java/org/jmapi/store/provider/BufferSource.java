package org.jmapi.store.provider;

import org.jmapi.store.StreamSource;

import java.io.InputStream;

/**
 * The source of a value to save that a stream committed: reads its frozen {@link ValueBuffer}. Being a named type
 * (not a lambda) lets the provider find the buffers inside a message image ({@link ImageStreams#buffers}) to count
 * itself as their holder while the image is kept (an embedded message's image inside its attachment, an
 * attachment's state inside its message). Immutable.
 *
 * @param buffer the frozen buffer
 */
record BufferSource(ValueBuffer buffer) implements StreamSource {
    @Override
    public InputStream open() {
        return buffer.open(0);
    }
}
