package org.jmapi.mime;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiStream;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropTag;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * How the MIME conversion reaches property values too large to pass whole: IMAPIProp::OpenProperty with IStream
 * (R-PROP-6), and plain Java views of the {@link MapiStream} that, unlike {@link MapiStream#asInputStream()}, let a
 * {@link MapiException} through unchanged, so a failing message is told apart from a failing output. Stateless.
 */
final class PropStreams {
    /** Not instantiable. */
    private PropStreams() {}

    /**
     * An opened property stream.
     *
     * @param stream the stream; one reference owned by the caller
     * @param tag    the property with the type it was opened in
     */
    record Opened(MapiStream stream, int tag) {
        /** @return the property type of the stream's bytes */
        int type() {
            return PropTag.type(tag);
        }
    }

    /**
     * Opens a property for reading, trying the types in order until one exists.
     *
     * @param obj   the object
     * @param tag   the property (its type is ignored)
     * @param types the types to try (PT_BINARY, PT_UNICODE, PT_STRING8)
     * @return the stream, or null when the property exists in none of the types (MAPI_E_NOT_FOUND for each)
     * @throws MapiException MAPI_E_NO_SUPPORT or MAPI_E_INTERFACE_NOT_SUPPORTED when the object opens no such stream
     *                       (see {@link #unsupported}); any other error of OpenProperty
     */
    static Opened openRead(MapiProp obj, int tag, int... types) {
        for (int type : types) {
            int t = PropTag.withType(tag, type);
            try {
                return new Opened(obj.openProperty(t, Flags.STGM_READ, 0), t);
            } catch (MapiException e) {
                if (e.hresult() != HResult.MAPI_E_NOT_FOUND) {
                    throw e;
                }
            }
        }
        return null;
    }

    /**
     * Opens a property of a transacted object for writing from empty (MAPI_CREATE | MAPI_MODIFY, STGM_WRITE).
     *
     * @param obj the object
     * @param tag the property with its type
     * @return the stream, or null when the object opens no property as a stream (then set the value whole)
     * @throws MapiException any error of OpenProperty other than those {@link #unsupported} names
     */
    static MapiStream openWrite(MapiProp obj, int tag) {
        try {
            return obj.openProperty(tag, Flags.STGM_WRITE, Flags.MAPI_CREATE | Flags.MAPI_MODIFY);
        } catch (MapiException e) {
            if (unsupported(e)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * @param e an error of OpenProperty
     * @return whether it means the object offers no stream for the property (MAPI_E_NO_SUPPORT: no OpenProperty at
     *         all; MAPI_E_INTERFACE_NOT_SUPPORTED: not as a stream), so the value must go through Get/SetProps
     */
    static boolean unsupported(MapiException e) {
        return e.hresult() == HResult.MAPI_E_NO_SUPPORT || e.hresult() == HResult.MAPI_E_INTERFACE_NOT_SUPPORTED;
    }

    /**
     * @param s a stream; the view borrows it
     * @return a view reading from the stream's seek pointer on; MapiExceptions come out unchanged
     */
    static InputStream input(MapiStream s) {
        return new InputStream() {
            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                int n = s.read(b, off, len);
                return n == 0 ? -1 : n;
            }
        };
    }

    /**
     * @param s a writable stream; the view borrows it
     * @return a view writing at the stream's seek pointer; closing it does not commit; MapiExceptions come out
     *         unchanged
     */
    static OutputStream output(MapiStream s) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                s.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (len > 0) {
                    s.write(b, off, len);
                }
            }
        };
    }
}
