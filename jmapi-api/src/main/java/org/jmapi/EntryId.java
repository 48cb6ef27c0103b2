package org.jmapi;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An ENTRYID: four flag bytes {@code abFlags[0..3]} followed by provider bytes; for store and address-book objects
 * the provider bytes start with the provider's registered {@link MapiUid} (bytes 4..19), which is what MAPI routes
 * on (R-UID-3).
 *
 * <p>Long-term iff {@code abFlags[0] == 0}; short-term iff {@link Flags#MAPI_SHORTTERM} is set; bytes 1..3 are
 * reserved and zero (R-UID-6). Clients decide identity with {@code compareEntryIds}, never with {@link #equals}
 * (R-UID-7); {@code equals} is byte equality, for maps inside providers. Immutable and thread-safe.
 */
public final class EntryId {
    /** The flag bytes and provider bytes; never exposed without a copy. */
    private final byte[] bytes;

    /** @param bytes at least four bytes; a copy or a fresh array, not shared with any caller */
    private EntryId(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes an entry id as stored or received; copied
     * @return the entry id
     * @throws MapiException MAPI_E_INVALID_ENTRYID when shorter than the four flag bytes
     */
    public static EntryId of(byte[] bytes) {
        if (bytes == null || bytes.length < 4) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID,
                    "an entry id has at least 4 flag bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        return new EntryId(bytes.clone());
    }

    /**
     * Builds {@code [flag0, 0, 0, 0] + uid + data}.
     *
     * @param flag0 abFlags[0]: 0 for a long-term id, {@link Flags#MAPI_SHORTTERM} for a short-term one
     * @param uid   the provider's registered UID
     * @param data  provider-defined bytes (a version and a location hint, say)
     * @return the entry id
     */
    public static EntryId create(int flag0, MapiUid uid, byte[] data) {
        byte[] b = new byte[4 + MapiUid.LENGTH + data.length];
        b[0] = (byte) flag0;
        System.arraycopy(uid.toBytes(), 0, b, 4, MapiUid.LENGTH);
        System.arraycopy(data, 0, b, 4 + MapiUid.LENGTH, data.length);
        return new EntryId(b);
    }

    /**
     * @param hex hex digits, as {@link #toHex()} writes them
     * @return the entry id
     */
    public static EntryId parseHex(String hex) {
        try {
            return of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "not a hex entry id: " + hex);
        }
    }

    /** @return abFlags[0] */
    public int flag0() {
        return bytes[0] & 0xFF;
    }

    /** @return whether abFlags[0] is zero (R-UID-6) */
    public boolean isLongTerm() {
        return bytes[0] == 0;
    }

    /** @return whether MAPI_SHORTTERM is set (R-UID-6) */
    public boolean isShortTerm() {
        return (bytes[0] & Flags.MAPI_SHORTTERM) != 0;
    }

    /** @return whether the id is long enough to carry a provider UID in bytes 4..19 */
    public boolean hasProviderUid() {
        return bytes.length >= 4 + MapiUid.LENGTH;
    }

    /**
     * @return the UID in bytes 4..19
     * @throws MapiException MAPI_E_INVALID_ENTRYID when the id is too short to carry one
     */
    public MapiUid providerUid() {
        if (!hasProviderUid()) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "entry id too short to carry a MAPIUID");
        }
        return MapiUid.of(bytes, 4);
    }

    /** @return a copy of the bytes after the UID (empty when there are none) */
    public byte[] providerData() {
        return bytes.length <= 20 ? new byte[0] : Arrays.copyOfRange(bytes, 20, bytes.length);
    }

    /** @return the number of bytes (cbEntryID) */
    public int length() {
        return bytes.length;
    }

    /** @return a copy of all bytes */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** @return the bytes as lower-case hex */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntryId e && Arrays.equals(bytes, e.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "EntryId[" + toHex() + "]";
    }
}
