package org.jmapi.store.provider;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.store.LargeValue;
import org.jmapi.store.Storage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * What a {@link SqliteStream} reads while it has no changes of its own: a property's current value in its stream
 * form, wherever the value is (in memory, in a committed {@link ValueBuffer}, or out of line in the store, read chunk
 * by chunk from any offset). Immutable.
 */
interface StreamContent {
    /** No value (a property created by the stream). */
    StreamContent EMPTY = of(new byte[0]);

    /** @return the value's size in bytes */
    long size();

    /**
     * @param offset the first byte wanted
     * @return the bytes from {@code offset} on; owned by the caller
     * @throws MapiException MAPI_E_OBJECT_DELETED when an out-of-line value no longer exists
     */
    InputStream open(long offset);

    /** @return the frozen buffer holding the value, when it is one (a copy of it starts a change), else null */
    default ValueBuffer buffer() {
        return null;
    }

    /**
     * @param bytes the value's stream form; not copied, not to be changed
     * @return content held in memory
     */
    static StreamContent of(byte[] bytes) {
        return new StreamContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open(long offset) {
                int from = (int) Math.min(offset, bytes.length);
                return new ByteArrayInputStream(bytes, from, bytes.length - from);
            }
        };
    }

    /**
     * @param frozen a frozen buffer
     * @return content read from it
     */
    static StreamContent of(ValueBuffer frozen) {
        if (!frozen.isFrozen()) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "internal: stream content must be a frozen buffer");
        }
        return new StreamContent() {
            @Override
            public long size() {
                return frozen.size();
            }

            @Override
            public InputStream open(long offset) {
                return frozen.open(offset);
            }

            @Override
            public ValueBuffer buffer() {
                return frozen;
            }
        };
    }

    /**
     * @param storage where the value is stored
     * @param value   the out-of-line value
     * @return content read from the store chunk by chunk
     */
    static StreamContent of(Storage storage, LargeValue value) {
        return new StreamContent() {
            @Override
            public long size() {
                return value.size();
            }

            @Override
            public InputStream open(long offset) {
                return storage.openValueStream(value, offset);
            }
        };
    }
}
