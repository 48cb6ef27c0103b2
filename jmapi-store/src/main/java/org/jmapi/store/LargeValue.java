package org.jmapi.store;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;

/**
 * A property value the storage holds out of line (a string or binary longer than its inline limit, typically PR_BODY
 * or PR_ATTACH_DATA_BIN): what {@link Storage#loadMessage} returns instead of the value itself, so that opening a
 * message never loads its large values into memory. Read it with {@link Storage#openValueStream(LargeValue)}.
 *
 * <p>Passing a {@code LargeValue} back in a {@link MessageImage} given to {@link Storage#saveMessage} means "keep
 * this stored value unchanged" (it is not copied when it stays in its message; a value of another message is copied
 * inside the store, still without passing through memory). The handle stays valid as long as some saved image keeps
 * the value; after the value was replaced or its message deleted, using it fails with MAPI_E_OBJECT_DELETED.
 * Immutable.
 *
 * @param tag    the property tag (PT_BINARY, PT_UNICODE or PT_STRING8)
 * @param size   the size of the value's stream form in bytes (UTF-16LE for PT_UNICODE, UTF-8 for PT_STRING8)
 * @param handle the storage's identifier of the stored value; opaque to callers
 */
public record LargeValue(int tag, long size, long handle) {
    /**
     * @param tag the property tag (PT_BINARY, PT_UNICODE or PT_STRING8)
     * @param size the size of the value's stream form in bytes (UTF-16LE for PT_UNICODE, UTF-8 for PT_STRING8)
     * @param handle the storage's identifier of the stored value
     * @throws MapiException MAPI_E_INVALID_TYPE for a type that is never stored out of line
     */
    public LargeValue {
        if (!ValueStream.isStreamable(PropTag.type(tag))) {
            throw new MapiException(HResult.MAPI_E_INVALID_TYPE, PropTag.toString(tag) + " ("
                    + PropType.name(PropTag.type(tag)) + ") is never stored out of line");
        }
        if (size < 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "negative size " + size + " for "
                    + PropTag.toString(tag));
        }
    }
}
