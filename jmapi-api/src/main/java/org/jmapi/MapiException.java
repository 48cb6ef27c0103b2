package org.jmapi;

/**
 * A MAPI error: the exception form of a failing HRESULT.
 *
 * <p>Every jmapi method that MAPI documents as returning an error code throws this instead, carrying the exact
 * code of spec &sect;1.1 in {@link #hresult()}. Warnings ({@code MAPI_W_*}) are successes and never arrive as an
 * exception. Unchecked, like {@link java.io.UncheckedIOException}: MAPI callers test codes, not types.
 */
public class MapiException extends RuntimeException {
    /** Serialization version. */
    private static final long serialVersionUID = 1L;
    /** The failing MAPI code, see {@link #hresult()}. */
    private final int hresult;

    /**
     * @param hresult a failing MAPI code (top bit set)
     * @param message what went wrong, in words a person can act on
     */
    public MapiException(int hresult, String message) {
        super(HResult.name(hresult) + ": " + message);
        if (HResult.succeeded(hresult)) {
            throw new IllegalArgumentException("not an error code: " + HResult.name(hresult));
        }
        this.hresult = hresult;
    }

    /**
     * @param hresult a failing MAPI code (top bit set)
     * @param message what went wrong
     * @param cause   the underlying failure (an SQL or I/O error, say)
     */
    public MapiException(int hresult, String message, Throwable cause) {
        this(hresult, message);
        initCause(cause);
    }

    /** @return the HRESULT, e.g. {@link HResult#MAPI_E_INVALID_OBJECT} (0x80040108) */
    public int hresult() {
        return hresult;
    }
}
