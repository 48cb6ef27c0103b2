package org.jmapi.store.engine;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restriction;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form in which storage engines persist a list of {@link PropValue}s (one object's inline properties):
 * exact for every type {@link PropValue} can hold, including multi-valued types, PT_SRESTRICT trees and PT_ACTIONS
 * given as {@code byte[]}.
 *
 * <p>Layout (big-endian): format byte {@code 1}; value count ({@code int}); per value the tag ({@code int}) and
 * the payload of its type — PT_I2 {@code short}; PT_LONG / PT_ERROR {@code int}; PT_R4 raw float bits; PT_DOUBLE /
 * PT_APPTIME raw double bits; PT_I8 / PT_CURRENCY {@code long}; PT_BOOLEAN one byte; PT_UNICODE and PT_STRING8 the
 * UTF-16 length then each code unit in 1..3 bytes (Java's "modified UTF-8", lossless even for unpaired surrogates);
 * PT_SYSTIME epoch seconds ({@code long}) and nanoseconds ({@code int}); PT_CLSID 16 bytes; PT_BINARY / PT_SVREID /
 * PT_ACTIONS length and bytes; PT_SRESTRICT a restriction tree; PT_NULL / PT_OBJECT / PT_UNSPECIFIED nothing. A
 * multi-valued type is the count followed by each value.
 *
 * <p>Pure functions; thread-safe. The format is part of the store file format: changing it needs a schema
 * migration.
 */
public final class PropCodec {
    private PropCodec() {}

    private static final int FORMAT = 1;

    /**
     * @param values the values, in the order to keep
     * @return their encoding
     * @throws MapiException MAPI_E_TYPE_NO_SUPPORT for a PT_ACTIONS value that is not a {@code byte[]}
     */
    public static byte[] encode(List<PropValue> values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + values.size() * 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(values.size());
            for (PropValue v : values) {
                writeValue(out, v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param data bytes written by {@link #encode}
     * @return the values, in their stored order
     * @throws MapiException MAPI_E_CORRUPT_DATA when the bytes are not a valid encoding
     */
    public static List<PropValue> decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw corrupt("unknown property-list format " + format, null);
            }
            int n = in.readInt();
            if (n < 0) {
                throw corrupt("negative property count", null);
            }
            List<PropValue> values = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                values.add(readValue(in));
            }
            if (in.read() != -1) {
                throw corrupt("trailing bytes after " + n + " properties", null);
            }
            return values;
        } catch (EOFException e) {
            throw corrupt("property list is truncated", e);
        } catch (IOException e) {
            throw corrupt("property list is unreadable", e);
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_CORRUPT_DATA) {
                throw e;
            }
            throw corrupt("stored property value is invalid: " + e.getMessage(), e);
        }
    }

    // ---- values ----------------------------------------------------------------------------------------------

    private static void writeValue(DataOutputStream out, PropValue v) throws IOException {
        out.writeInt(v.tag());
        int type = v.type();
        if (PropType.isMultiValued(type)) {
            List<?> list = (List<?>) v.value();
            out.writeInt(list.size());
            for (Object o : list) {
                writeSingle(out, v.tag(), PropType.base(type), o);
            }
        } else {
            writeSingle(out, v.tag(), type, v.value());
        }
    }

    private static void writeSingle(DataOutputStream out, int tag, int type, Object o) throws IOException {
        switch (type) {
            case PropType.PT_NULL, PropType.PT_OBJECT, PropType.PT_UNSPECIFIED -> { }
            case PropType.PT_I2 -> out.writeShort((Short) o);
            case PropType.PT_LONG, PropType.PT_ERROR -> out.writeInt((Integer) o);
            case PropType.PT_R4 -> out.writeInt(Float.floatToRawIntBits((Float) o));
            case PropType.PT_DOUBLE, PropType.PT_APPTIME -> out.writeLong(Double.doubleToRawLongBits((Double) o));
            case PropType.PT_CURRENCY, PropType.PT_I8 -> out.writeLong((Long) o);
            case PropType.PT_BOOLEAN -> out.writeByte((Boolean) o ? 1 : 0);
            case PropType.PT_STRING8, PropType.PT_UNICODE -> writeString(out, (String) o);
            case PropType.PT_SYSTIME -> {
                Instant t = (Instant) o;
                out.writeLong(t.getEpochSecond());
                out.writeInt(t.getNano());
            }
            case PropType.PT_CLSID -> out.write(((MapiUid) o).toBytes());
            case PropType.PT_BINARY, PropType.PT_SVREID -> writeBytes(out, (byte[]) o);
            case PropType.PT_ACTIONS -> {
                if (!(o instanceof byte[] b)) {
                    throw new MapiException(HResult.MAPI_E_TYPE_NO_SUPPORT, PropTag.toString(tag)
                            + ": a PT_ACTIONS value can be stored only in its binary form (byte[]), not as "
                            + o.getClass().getName());
                }
                writeBytes(out, b);
            }
            case PropType.PT_SRESTRICT -> writeRestriction(out, (Restriction) o);
            default -> throw new MapiException(HResult.MAPI_E_INVALID_TYPE,
                    "cannot store property type " + PropType.name(type) + " of " + PropTag.toString(tag));
        }
    }

    private static PropValue readValue(DataInputStream in) throws IOException {
        int tag = in.readInt();
        int type = PropTag.type(tag);
        if (!PropType.isKnown(type)) {
            throw corrupt("unknown property type in stored tag " + HResult.hex(tag), null);
        }
        if (PropType.isMultiValued(type)) {
            int n = in.readInt();
            if (n <= 0) {
                throw corrupt("multi-valued " + PropTag.toString(tag) + " with " + n + " values", null);
            }
            List<Object> list = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                list.add(readSingle(in, PropType.base(type)));
            }
            return PropValue.of(tag, list);
        }
        if (type == PropType.PT_ERROR) {
            return PropValue.error(tag, in.readInt());
        }
        return PropValue.of(tag, readSingle(in, type));
    }

    private static Object readSingle(DataInputStream in, int type) throws IOException {
        return switch (type) {
            case PropType.PT_NULL, PropType.PT_OBJECT, PropType.PT_UNSPECIFIED -> null;
            case PropType.PT_I2 -> in.readShort();
            case PropType.PT_LONG, PropType.PT_ERROR -> in.readInt();
            case PropType.PT_R4 -> Float.intBitsToFloat(in.readInt());
            case PropType.PT_DOUBLE, PropType.PT_APPTIME -> Double.longBitsToDouble(in.readLong());
            case PropType.PT_CURRENCY, PropType.PT_I8 -> in.readLong();
            case PropType.PT_BOOLEAN -> in.readUnsignedByte() != 0;
            case PropType.PT_STRING8, PropType.PT_UNICODE -> readString(in);
            case PropType.PT_SYSTIME -> {
                long seconds = in.readLong();
                int nanos = in.readInt();
                if (nanos < 0 || nanos > 999_999_999) {
                    throw corrupt("PT_SYSTIME with " + nanos + " nanoseconds", null);
                }
                yield Instant.ofEpochSecond(seconds, nanos);
            }
            case PropType.PT_CLSID -> {
                byte[] b = new byte[MapiUid.LENGTH];
                in.readFully(b);
                yield MapiUid.of(b);
            }
            case PropType.PT_BINARY, PropType.PT_SVREID, PropType.PT_ACTIONS -> readBytes(in);
            case PropType.PT_SRESTRICT -> readRestriction(in);
            default -> throw corrupt("unsupported stored type " + PropType.name(type), null);
        };
    }

    // ---- strings and bytes -----------------------------------------------------------------------------------

    private static void writeString(DataOutputStream out, String s) throws IOException {
        int n = s.length();
        out.writeInt(n);
        if (asciiText(s)) {
            // the common case: one byte per char, copied in bulk instead of one write per byte
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        byte[] b = new byte[3 * n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x01 && c <= 0x7F) {
                b[k++] = (byte) c;
            } else if (c <= 0x7FF) {
                b[k++] = (byte) (0xC0 | (c >> 6));
                b[k++] = (byte) (0x80 | (c & 0x3F));
            } else {
                b[k++] = (byte) (0xE0 | (c >> 12));
                b[k++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[k++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        out.write(b, 0, k);
    }

    /** @return whether every char is U+0001..U+007F: stored as one byte each, the same byte as in ISO-8859-1 */
    private static boolean asciiText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * The size a string takes in an encoded property list, not counting its 4-byte length: one byte per char
     * U+0001..U+007F, two per U+0000 and U+0080..U+07FF, three per other UTF-16 code unit (so six per character
     * outside the BMP). For ASCII text that is half of its PT_UNICODE stream form.
     *
     * @param s   a string
     * @param max stop counting above this
     * @return the size in bytes, or a number above {@code max} when it is larger than {@code max}
     */
    public static long stringBytes(String s, long max) {
        long n = 0;
        for (int i = 0; i < s.length() && n <= max; i++) {
            char c = s.charAt(i);
            n += c >= 0x01 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
        }
        return n;
    }

    /**
     * Appends one value to an encoded property list without decoding it: the result is what {@link #encode} gives
     * for the decoded list followed by {@code v}.
     *
     * @param encoded bytes written by {@link #encode}
     * @param v       the value to add at the end (its id must not be in the list already: not checked)
     * @return the new encoding
     */
    public static byte[] append(byte[] encoded, PropValue v) {
        if (encoded.length < 5 || encoded[0] != FORMAT) {
            throw corrupt("not an encoded property list", null);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length + 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(encoded);
            writeValue(out, v);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        byte[] b = bytes.toByteArray();
        int count = ((b[1] & 0xFF) << 24 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 8 | (b[4] & 0xFF)) + 1;
        b[1] = (byte) (count >>> 24);
        b[2] = (byte) (count >>> 16);
        b[3] = (byte) (count >>> 8);
        b[4] = (byte) count;
        return b;
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw corrupt("negative string length", null);
        }
        if (n <= ASCII_RUN && in.markSupported()) {
            // the common case, text that is all ASCII: one bulk read and a one-byte-per-char String, instead of a
            // byte-by-byte decode through a StringBuilder
            in.mark(n);
            byte[] run = new byte[n];
            if (in.readNBytes(run, 0, n) == n && ascii(run)) {
                return new String(run, StandardCharsets.ISO_8859_1);
            }
            in.reset();
        }
        StringBuilder b = new StringBuilder(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
            int x = in.readUnsignedByte();
            if (x < 0x80) {
                b.append((char) x);
            } else if ((x & 0xE0) == 0xC0) {
                b.append((char) (((x & 0x1F) << 6) | continuation(in)));
            } else if ((x & 0xF0) == 0xE0) {
                int hi = continuation(in);
                b.append((char) (((x & 0x0F) << 12) | (hi << 6) | continuation(in)));
            } else {
                throw corrupt("bad string byte " + x, null);
            }
        }
        return b.toString();
    }

    /** The longest string {@link #readString} tries to read as one ASCII run (longer ones are decoded as they come). */
    private static final int ASCII_RUN = 1 << 16;

    /** @return whether every byte is 0x01..0x7F: the encoding of an ASCII string (NUL is written as two bytes) */
    private static boolean ascii(byte[] b) {
        for (byte x : b) {
            if (x <= 0) {
                return false;
            }
        }
        return true;
    }

    private static int continuation(DataInputStream in) throws IOException {
        int y = in.readUnsignedByte();
        if ((y & 0xC0) != 0x80) {
            throw corrupt("bad string continuation byte " + y, null);
        }
        return y & 0x3F;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw corrupt("negative binary length", null);
        }
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException();
        }
        return b;
    }

    // ---- restrictions (PT_SRESTRICT) -------------------------------------------------------------------------

    private static final int R_NULL = 0, R_AND = 1, R_OR = 2, R_NOT = 3, R_CONTENT = 4, R_PROPERTY = 5,
            R_COMPARE = 6, R_BITMASK = 7, R_SIZE = 8, R_EXIST = 9, R_SUB = 10, R_COMMENT = 11, R_COUNT = 12;

    private static void writeRestriction(DataOutputStream out, Restriction r) throws IOException {
        if (r == null) {
            out.writeByte(R_NULL);
        } else if (r instanceof Restriction.And a) {
            out.writeByte(R_AND);
            writeChildren(out, a.children());
        } else if (r instanceof Restriction.Or o) {
            out.writeByte(R_OR);
            writeChildren(out, o.children());
        } else if (r instanceof Restriction.Not n) {
            out.writeByte(R_NOT);
            writeRestriction(out, n.child());
        } else if (r instanceof Restriction.Content c) {
            out.writeByte(R_CONTENT);
            out.writeInt(c.fuzzyLevel());
            out.writeInt(c.propTag());
            writeOptionalValue(out, c.value());
        } else if (r instanceof Restriction.Property p) {
            out.writeByte(R_PROPERTY);
            out.writeInt(p.relop());
            out.writeInt(p.propTag());
            writeOptionalValue(out, p.value());
        } else if (r instanceof Restriction.CompareProps cp) {
            out.writeByte(R_COMPARE);
            out.writeInt(cp.relop());
            out.writeInt(cp.propTag1());
            out.writeInt(cp.propTag2());
        } else if (r instanceof Restriction.Bitmask b) {
            out.writeByte(R_BITMASK);
            out.writeInt(b.relBmr());
            out.writeInt(b.propTag());
            out.writeInt(b.mask());
        } else if (r instanceof Restriction.Size s) {
            out.writeByte(R_SIZE);
            out.writeInt(s.relop());
            out.writeInt(s.propTag());
            out.writeInt(s.cb());
        } else if (r instanceof Restriction.Exist e) {
            out.writeByte(R_EXIST);
            out.writeInt(e.propTag());
        } else if (r instanceof Restriction.Sub s) {
            out.writeByte(R_SUB);
            out.writeInt(s.subObject());
            writeRestriction(out, s.child());
        } else if (r instanceof Restriction.Comment c) {
            out.writeByte(R_COMMENT);
            out.writeInt(c.props().size());
            for (PropValue v : c.props()) {
                writeValue(out, v);
            }
            writeRestriction(out, c.child());
        } else if (r instanceof Restriction.Count c) {
            out.writeByte(R_COUNT);
            out.writeInt(c.count());
            writeRestriction(out, c.child());
        } else {
            throw new IllegalStateException("unhandled restriction type " + r.getClass().getName());
        }
    }

    private static void writeChildren(DataOutputStream out, List<Restriction> children) throws IOException {
        out.writeInt(children.size());
        for (Restriction c : children) {
            writeRestriction(out, c);
        }
    }

    private static void writeOptionalValue(DataOutputStream out, PropValue v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            writeValue(out, v);
        }
    }

    private static Restriction readRestriction(DataInputStream in) throws IOException {
        int kind = in.readUnsignedByte();
        return switch (kind) {
            case R_NULL -> null;
            case R_AND -> new Restriction.And(readChildren(in));
            case R_OR -> new Restriction.Or(readChildren(in));
            case R_NOT -> new Restriction.Not(readRestriction(in));
            case R_CONTENT -> new Restriction.Content(in.readInt(), in.readInt(), readOptionalValue(in));
            case R_PROPERTY -> new Restriction.Property(in.readInt(), in.readInt(), readOptionalValue(in));
            case R_COMPARE -> new Restriction.CompareProps(in.readInt(), in.readInt(), in.readInt());
            case R_BITMASK -> new Restriction.Bitmask(in.readInt(), in.readInt(), in.readInt());
            case R_SIZE -> new Restriction.Size(in.readInt(), in.readInt(), in.readInt());
            case R_EXIST -> new Restriction.Exist(in.readInt());
            case R_SUB -> new Restriction.Sub(in.readInt(), readRestriction(in));
            case R_COMMENT -> {
                int n = in.readInt();
                if (n < 0) {
                    throw corrupt("negative comment property count", null);
                }
                List<PropValue> props = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    props.add(readValue(in));
                }
                yield new Restriction.Comment(props, readRestriction(in));
            }
            case R_COUNT -> new Restriction.Count(in.readInt(), readRestriction(in));
            default -> throw corrupt("unknown restriction kind " + kind, null);
        };
    }

    private static List<Restriction> readChildren(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw corrupt("negative restriction child count", null);
        }
        List<Restriction> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Restriction c = readRestriction(in);
            if (c == null) {
                throw corrupt("null child in RES_AND / RES_OR", null);
            }
            list.add(c);
        }
        return list;
    }

    private static PropValue readOptionalValue(DataInputStream in) throws IOException {
        return in.readBoolean() ? readValue(in) : null;
    }

    private static MapiException corrupt(String what, Throwable cause) {
        MapiException e = new MapiException(HResult.MAPI_E_CORRUPT_DATA, what);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /**
     * The byte form a string takes when it is stored out of line or read as a stream: PT_UNICODE as UTF-16LE code
     * units (what MAPI's IStream on a PT_UNICODE property holds; exact for any Java string, unpaired surrogates
     * included), PT_STRING8 as UTF-8 (exact only for well-formed strings, see {@link #streamExact}).
     *
     * @param type PT_UNICODE or PT_STRING8
     * @param s    the string
     * @return its stream bytes
     */
    public static byte[] streamBytes(int type, String s) {
        if (type == PropType.PT_UNICODE) {
            byte[] b = new byte[s.length() * 2];
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                b[2 * i] = (byte) c;
                b[2 * i + 1] = (byte) (c >>> 8);
            }
            return b;
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param type PT_UNICODE or PT_STRING8
     * @param s    a string
     * @return whether {@link #streamBytes} followed by {@link #streamString} gives {@code s} back exactly
     */
    public static boolean streamExact(int type, String s) {
        if (type == PropType.PT_UNICODE) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The string a stream holds (the inverse of {@link #streamBytes}).
     *
     * @param type   PT_UNICODE or PT_STRING8
     * @param b      the stream bytes
     * @param strict whether to refuse bytes that are not an exact encoding (odd length for PT_UNICODE, malformed
     *               UTF-8 for PT_STRING8) instead of decoding them leniently (a trailing odd byte dropped, malformed
     *               UTF-8 replaced by U+FFFD)
     * @return the string, or null when {@code strict} and the bytes are not an exact encoding
     */
    public static String streamString(int type, byte[] b, boolean strict) {
        if (type == PropType.PT_UNICODE) {
            if (strict && (b.length & 1) != 0) {
                return null;
            }
            char[] chars = new char[b.length / 2];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) ((b[2 * i] & 0xFF) | ((b[2 * i + 1] & 0xFF) << 8));
            }
            return new String(chars);
        }
        if (!strict) {
            return new String(b, StandardCharsets.UTF_8);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
