package org.jmapi.store.engine;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Locale;

/**
 * Order-preserving encodings of property values for indexed columns, so that a database's plain binary ordering
 * (SQLite's BINARY collation, PostgreSQL's {@code COLLATE "C"} and {@code bytea} comparison) gives exactly the order
 * {@link org.jmapi.table.Restrictions#compare} gives in Java.
 *
 * <ul>
 *   <li>Strings ({@link #text}): Java orders strings by UTF-16 code unit, a database orders UTF-8 text by code
 *       point; the two differ for code units U+D800..U+FFFF. Every code unit is therefore mapped to one code point
 *       (units below U+D800 unchanged, units U+D800..U+FFFF to U+10000..U+127FF), which keeps the order, keeps one
 *       character per code unit (so {@code substr}/{@code instr}/{@code length} count code units, as
 *       {@link String#startsWith}/{@link String#contains} do) and always yields well-formed text, even for strings
 *       with unpaired surrogates. Text written into indexed columns must not contain U+0000 (database string
 *       functions stop there); {@link ImageRules} refuses such values.</li>
 *   <li>Case folding ({@link #fold}) is the one RES_CONTENT with FL_IGNORECASE uses.</li>
 *   <li>Times ({@link #time}): 12 bytes, epoch seconds with the sign bit flipped then nanoseconds, both big-endian,
 *       so byte order is chronological order over the whole {@link Instant} range, without losing nanoseconds.</li>
 * </ul>
 *
 * <p>Pure functions; thread-safe.
 */
public final class SortKeys {
    private SortKeys() {}

    /** Length in bytes of a {@link #time} key. */
    public static final int TIME_KEY_LENGTH = 12;

    /**
     * @param s a string
     * @return the string with every UTF-16 code unit mapped to one code point, preserving the code-unit order
     */
    public static String text(String s) {
        boolean plain = true;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0xD800) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0xD800) {
                b.append(c);
            } else {
                b.appendCodePoint(0x10000 + (c - 0xD800));
            }
        }
        return b.toString();
    }

    /**
     * The case folding of RES_CONTENT's FL_IGNORECASE ({@link org.jmapi.table.Restrictions}): upper case then lower
     * case in the root locale.
     *
     * @param s a string
     * @return its folded form
     */
    public static String fold(String s) {
        return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /**
     * @param t an instant
     * @return its 12-byte order-preserving key
     */
    public static byte[] time(Instant t) {
        return ByteBuffer.allocate(TIME_KEY_LENGTH)
                .putLong(t.getEpochSecond() ^ Long.MIN_VALUE)
                .putInt(t.getNano())
                .array();
    }

    /**
     * @param key a key written by {@link #time}
     * @return the instant it encodes
     * @throws IllegalArgumentException when the key does not have 12 bytes
     */
    public static Instant timeOf(byte[] key) {
        if (key.length != TIME_KEY_LENGTH) {
            throw new IllegalArgumentException("a time key has 12 bytes, got " + key.length);
        }
        ByteBuffer b = ByteBuffer.wrap(key);
        long seconds = b.getLong() ^ Long.MIN_VALUE;
        return Instant.ofEpochSecond(seconds, b.getInt());
    }
}
