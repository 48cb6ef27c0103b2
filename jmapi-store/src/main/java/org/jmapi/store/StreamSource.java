package org.jmapi.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a large property value comes from when a message is saved: {@link Storage#saveMessage} calls
 * {@link #open()} once, inside its transaction, reads the stream to its end in chunks (never the whole value in
 * memory) and closes it. The stream is read on the saving thread while the store's write lock is held, so it should
 * come from local data (a file, a buffer), not from a slow network peer.
 */
@FunctionalInterface
public interface StreamSource {
    /**
     * @return a fresh stream over the value's bytes, owned (and closed) by the storage
     * @throws IOException when the data cannot be opened; the save then fails and changes nothing
     */
    InputStream open() throws IOException;
}
