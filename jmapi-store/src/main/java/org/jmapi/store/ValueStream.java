package org.jmapi.store;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;

import java.util.Objects;

/**
 * A property value to be written from a stream by {@link Storage#saveMessage}: the write path for large values
 * (IMAPIProp::OpenProperty with MAPI_CREATE on PR_BODY, PR_ATTACH_DATA_BIN, ...; R-PROP-6) that never holds the
 * whole value in memory.
 *
 * <p>The bytes are the value's stream form: PT_BINARY raw bytes, PT_UNICODE UTF-16LE code units (no terminator),
 * PT_STRING8 UTF-8. A stream no longer than the store's inline limit is kept inline and comes back from
 * {@link Storage#loadMessage} as an ordinary {@link org.jmapi.prop.PropValue}; a longer one comes back as a
 * {@link LargeValue}, unless the engine stores it in fewer bytes than its stream form (the SQLite engine keeps
 * PT_UNICODE text inline when its stored form, one byte per ASCII char, fits the limit). Immutable.
 *
 * @param tag    a PT_BINARY, PT_UNICODE or PT_STRING8 property tag
 * @param source where the bytes come from; opened once during the save
 */
public record ValueStream(int tag, StreamSource source) {
    /**
     * @param tag a PT_BINARY, PT_UNICODE or PT_STRING8 property tag
     * @param source where the bytes come from
     * @throws MapiException MAPI_E_INVALID_TYPE for a type that has no stream form; MAPI_E_INVALID_PARAMETER for a null
     * source
     */
    public ValueStream {
        if (!isStreamable(PropTag.type(tag))) {
            throw new MapiException(HResult.MAPI_E_INVALID_TYPE, PropTag.toString(tag) + " ("
                    + PropType.name(PropTag.type(tag)) + ") cannot be written as a stream; only PT_BINARY, "
                    + "PT_UNICODE and PT_STRING8 values can");
        }
        if (source == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "no stream source for " + PropTag.toString(tag));
        }
    }

    /**
     * @param type a property type
     * @return whether values of that type have a stream form (PT_BINARY, PT_UNICODE, PT_STRING8)
     */
    public static boolean isStreamable(int type) {
        return type == PropType.PT_BINARY || type == PropType.PT_UNICODE || type == PropType.PT_STRING8;
    }

    /** @return the source (never null) */
    @Override
    public StreamSource source() {
        return Objects.requireNonNull(source);
    }
}
