package org.jmapi;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A MAPIUID: 16 bytes in a fixed byte order, compared byte for byte (IsEqualMAPIUID).
 *
 * <p>Providers register MAPIUIDs through {@code MapiSupport.setProviderUid} (stores and address books) or return
 * them from {@code XpLogon.addressTypes} (transports); MAPI routes entry ids by bytes 4..19 (R-UID-3). A registered
 * UID must be stable across sessions (R-UID-2): hard-code it or persist it in the provider's profile section;
 * {@link #random()} (IMAPISupport::NewUID) is for search keys. Immutable and thread-safe.
 */
public final class MapiUid {
    /** Length of a MAPIUID in bytes. */
    public static final int LENGTH = 16;
    /** Source of {@link #random()} UIDs. */
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The 16 bytes; never exposed without a copy. */
    private final byte[] bytes;

    /** @param bytes exactly 16 bytes; a copy or a fresh array, not shared with any caller */
    private MapiUid(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes exactly 16 bytes; copied
     * @return the UID
     * @throws MapiException MAPI_E_INVALID_PARAMETER when the length is not 16
     */
    public static MapiUid of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "a MAPIUID has 16 bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        return new MapiUid(bytes.clone());
    }

    /**
     * @param bytes  a buffer
     * @param offset where the 16 bytes start
     * @return the UID read from {@code bytes[offset..offset+15]}
     */
    public static MapiUid of(byte[] bytes, int offset) {
        if (bytes.length < offset + LENGTH) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "buffer too short for a MAPIUID");
        }
        return new MapiUid(Arrays.copyOfRange(bytes, offset, offset + LENGTH));
    }

    /**
     * @param hex 32 hex digits, as {@link #toString()} writes them
     * @return the UID
     */
    public static MapiUid parse(String hex) {
        try {
            return of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "not a MAPIUID: " + hex);
        }
    }

    /** @return a fresh random UID (IMAPISupport::NewUID); never use it as a provider's registered UID (R-UID-2) */
    public static MapiUid random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new MapiUid(b);
    }

    /** @return a copy of the 16 bytes */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /**
     * @param buffer a buffer
     * @param offset where to compare
     * @return whether {@code buffer[offset..offset+15]} equals this UID
     */
    public boolean matches(byte[] buffer, int offset) {
        return buffer.length >= offset + LENGTH
                && Arrays.equals(bytes, 0, LENGTH, buffer, offset, offset + LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapiUid u && Arrays.equals(bytes, u.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** @return the 32 lower-case hex digits */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
