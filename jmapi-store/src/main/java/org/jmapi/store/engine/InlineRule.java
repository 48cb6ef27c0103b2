package org.jmapi.store.engine;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;

/**
 * Which property values a storage engine keeps inline, in the object's properties blob, and which out of line (a
 * {@code large_value} row and its chunks), for values given as values and for values written as streams. Both engines
 * apply the same rule with their {@code inlineLimit} (4,096 bytes by default); what a contents-table row shows does
 * not depend on it (the provider's row value limit). Pure functions; thread-safe.
 *
 * <p>A PT_BINARY value stays inline when it has at most {@code limit} bytes, a PT_STRING8 value when its stream form
 * (UTF-8) has, and a PT_UNICODE value when its stream form (UTF-16LE) has <em>or</em> its form in the properties blob
 * ({@link PropCodec#stringBytes}: one byte per ASCII character) has ({@link #unicodeStaysInline}). A string that
 * cannot be written as its stream exactly stays inline whatever its size.
 *
 * <p>Why the blob form for PT_UNICODE: out of line a value costs a {@code large_value} row and its index entries and
 * a {@code large_chunk} row with its key (a 4,096-character body is 8 KiB as UTF-16); inline it costs its blob bytes
 * in the message row. The blob is read and rewritten whole on every save and flag change of the message and decoded
 * for every contents-table row, so much larger values, which also pay their out-of-line overhead back, stay out of
 * line.
 */
public final class InlineRule {
    private InlineRule() {}

    /**
     * @param v     a value given as a value
     * @param limit the engine's inline limit in bytes
     * @return the stream bytes to store out of line, or null when the value stays inline
     */
    public static byte[] outOfLineBytes(PropValue v, int limit) {
        int type = v.type();
        if (type == PropType.PT_BINARY) {
            byte[] b = (byte[]) v.value();
            return b.length > limit ? b : null;
        }
        if (type == PropType.PT_UNICODE) {
            String s = (String) v.value();
            return unicodeStaysInline(s, limit) || !PropCodec.streamExact(type, s) ? null
                    : PropCodec.streamBytes(type, s);
        }
        if (type == PropType.PT_STRING8) {
            String s = (String) v.value();
            if (3L * s.length() <= limit || !PropCodec.streamExact(type, s)) {
                return null;
            }
            byte[] b = PropCodec.streamBytes(type, s);
            return b.length > limit ? b : null;
        }
        return null;
    }

    /**
     * Whether a PT_UNICODE value stays inline: when its UTF-16LE stream form has at most {@code limit} bytes, or when
     * its form in the properties blob has (a body of up to {@code limit} ASCII characters stays in the message row).
     *
     * @param s     the value
     * @param limit the engine's inline limit in bytes
     * @return whether it stays inline
     */
    public static boolean unicodeStaysInline(String s, int limit) {
        return 2L * s.length() <= limit || (s.length() <= limit && PropCodec.stringBytes(s, limit) <= limit);
    }

    /**
     * @param tag   the tag of a value written as a stream
     * @param limit the engine's inline limit in bytes
     * @return how many leading bytes of the stream to read to decide ({@link #fromStream}): a longer stream goes out
     *         of line
     */
    public static int streamHead(int tag, int limit) {
        long longest = PropTag.type(tag) == PropType.PT_UNICODE ? 2L * limit : limit;
        return (int) Math.min(longest, Integer.MAX_VALUE - 16);
    }

    /**
     * @param tag   the tag of a value written as a stream
     * @param bytes the whole stream, at most {@link #streamHead} bytes
     * @param limit the engine's inline limit in bytes
     * @return the value to keep inline, or null when the stream goes out of line (too long for the rule, or not
     *         exactly representable as a value)
     */
    public static PropValue fromStream(int tag, byte[] bytes, int limit) {
        int type = PropTag.type(tag);
        if (type == PropType.PT_BINARY) {
            return bytes.length <= limit ? PropValue.ofBinary(tag, bytes) : null;
        }
        String s = PropCodec.streamString(type, bytes, true);
        if (s == null) {
            return null;
        }
        return bytes.length <= limit || (type == PropType.PT_UNICODE && unicodeStaysInline(s, limit))
                ? PropValue.ofString(tag, s) : null;
    }
}
