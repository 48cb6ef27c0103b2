package org.jmapi.prop;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.table.Restriction;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One SPropValue: a property tag and its value, with the Java type {@link PropType} assigns to the tag's type.
 *
 * <p>Immutable: binary values are copied in and out, lists are unmodifiable. Construction checks that the value
 * fits the tag's type and throws MAPI_E_INVALID_TYPE when it does not, so a malformed value never reaches a
 * provider. A value of type PT_ERROR carries an SCODE ({@link #errorCode()}) and keeps the requested id
 * (R-PROP-1, spec C-13). Thread-safe.
 */
public final class PropValue {
    /** The property tag. */
    private final int tag;
    /** The checked value in its {@link PropType} Java type: byte arrays private, lists unmodifiable. */
    private final Object value;

    /**
     * @param tag   the property tag
     * @param value the value, already checked and copied
     */
    private PropValue(int tag, Object value) {
        this.tag = tag;
        this.value = value;
    }

    /**
     * Builds a value, checking it against the tag's type.
     *
     * @param tag   the property tag
     * @param value the value in the Java type {@link PropType} documents; byte arrays and lists are copied
     * @return the property value
     * @throws MapiException MAPI_E_INVALID_TYPE when {@code value} does not fit the type, MAPI_E_INVALID_PARAMETER
     *                       for an empty multi-valued list
     */
    public static PropValue of(int tag, Object value) {
        int type = PropTag.type(tag);
        if (!PropType.isKnown(type)) {
            throw new MapiException(HResult.MAPI_E_INVALID_TYPE, "unknown property type in " + PropTag.toString(tag));
        }
        if (PropType.isMultiValued(type)) {
            if (!(value instanceof List<?> list)) {
                throw wrongType(tag, value);
            }
            if (list.isEmpty()) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "a multi-valued property has at least one value: " + PropTag.toString(tag));
            }
            Object[] copy = new Object[list.size()];
            int base = PropType.base(type);
            for (int i = 0; i < copy.length; i++) {
                copy[i] = checkSingle(tag, base, list.get(i));
            }
            return new PropValue(tag, List.of(copy));
        }
        return new PropValue(tag, checkSingle(tag, type, value));
    }

    /**
     * Checks one (single) value against a base type.
     *
     * @param tag  the tag, for the message
     * @param type the single-valued type to check against
     * @param v    the value
     * @return the value to store: null for PT_NULL/PT_OBJECT/PT_UNSPECIFIED, a copy for byte arrays, else {@code v}
     * @throws MapiException MAPI_E_INVALID_TYPE when {@code v} does not fit {@code type}
     */
    private static Object checkSingle(int tag, int type, Object v) {
        boolean ok = switch (type) {
            case PropType.PT_NULL, PropType.PT_OBJECT, PropType.PT_UNSPECIFIED -> true;
            case PropType.PT_I2 -> v instanceof Short;
            case PropType.PT_LONG, PropType.PT_ERROR -> v instanceof Integer;
            case PropType.PT_R4 -> v instanceof Float;
            case PropType.PT_DOUBLE, PropType.PT_APPTIME -> v instanceof Double;
            case PropType.PT_CURRENCY, PropType.PT_I8 -> v instanceof Long;
            case PropType.PT_BOOLEAN -> v instanceof Boolean;
            case PropType.PT_STRING8, PropType.PT_UNICODE -> v instanceof String;
            case PropType.PT_SYSTIME -> v instanceof Instant;
            case PropType.PT_CLSID -> v instanceof MapiUid;
            case PropType.PT_BINARY, PropType.PT_SVREID -> v instanceof byte[];
            case PropType.PT_SRESTRICT -> v instanceof Restriction;
            case PropType.PT_ACTIONS -> v != null;
            default -> false;
        };
        if (!ok) {
            throw wrongType(tag, v);
        }
        if (type == PropType.PT_NULL || type == PropType.PT_OBJECT || type == PropType.PT_UNSPECIFIED) {
            return null;
        }
        return v instanceof byte[] b ? b.clone() : v;
    }

    /**
     * @param tag the tag
     * @param v   the value that does not fit it
     * @return the MAPI_E_INVALID_TYPE exception to throw
     */
    private static MapiException wrongType(int tag, Object v) {
        return new MapiException(HResult.MAPI_E_INVALID_TYPE, PropTag.toString(tag) + " ("
                + PropType.name(PropTag.type(tag)) + ") cannot hold a " + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    /**
     * @param tag  the tag that could not be returned; its type is replaced by PT_ERROR, its id kept (C-13)
     * @param code the SCODE, e.g. MAPI_E_NOT_FOUND
     * @return a PT_ERROR value
     */
    public static PropValue error(int tag, int code) {
        return new PropValue(PropTag.withType(tag, PropType.PT_ERROR), code);
    }

    /**
     * @param tag a PT_UNICODE or PT_STRING8 tag
     * @param s   the string
     * @return the value
     */
    public static PropValue ofString(int tag, String s) {
        return of(tag, s);
    }

    /**
     * @param tag a PT_LONG tag
     * @param v   the value
     * @return the value
     */
    public static PropValue ofInt(int tag, int v) {
        return of(tag, v);
    }

    /**
     * @param tag a PT_I8 or PT_CURRENCY tag
     * @param v   the value
     * @return the value
     */
    public static PropValue ofLong(int tag, long v) {
        return of(tag, v);
    }

    /**
     * @param tag a PT_BOOLEAN tag
     * @param v   the value
     * @return the value
     */
    public static PropValue ofBoolean(int tag, boolean v) {
        return of(tag, v);
    }

    /**
     * @param tag a PT_BINARY tag
     * @param v   the bytes (copied)
     * @return the value
     */
    public static PropValue ofBinary(int tag, byte[] v) {
        return of(tag, v);
    }

    /**
     * @param tag a PT_SYSTIME tag
     * @param v   the time
     * @return the value
     */
    public static PropValue ofTime(int tag, Instant v) {
        return of(tag, v);
    }

    /** @return the property tag */
    public int tag() {
        return tag;
    }

    /** @return PROP_ID(tag) */
    public int id() {
        return PropTag.id(tag);
    }

    /** @return PROP_TYPE(tag) */
    public int type() {
        return PropTag.type(tag);
    }

    /** @return whether this is a PT_ERROR entry */
    public boolean isError() {
        return type() == PropType.PT_ERROR;
    }

    /**
     * @return the SCODE of a PT_ERROR entry
     * @throws IllegalStateException when this is not one
     */
    public int errorCode() {
        if (!isError()) {
            throw new IllegalStateException(PropTag.toString(tag) + " is not a PT_ERROR value");
        }
        return (Integer) value;
    }

    /** @return the value; byte arrays are copies (also inside PT_MV_BINARY lists), lists unmodifiable */
    public Object value() {
        if (value instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof byte[]) {
            return l.stream().map(x -> ((byte[]) x).clone()).toList();
        }
        return value instanceof byte[] b ? b.clone() : value;
    }

    /** @return the PT_UNICODE / PT_STRING8 value */
    public String asString() {
        return as(String.class);
    }

    /** @return the PT_LONG value */
    public int asInt() {
        return as(Integer.class);
    }

    /** @return the PT_I8 / PT_CURRENCY value */
    public long asLong() {
        return as(Long.class);
    }

    /** @return the PT_BOOLEAN value */
    public boolean asBoolean() {
        return as(Boolean.class);
    }

    /** @return a copy of the PT_BINARY value */
    public byte[] asBinary() {
        return as(byte[].class).clone();
    }

    /** @return the PT_SYSTIME value */
    public Instant asTime() {
        return as(Instant.class);
    }

    /**
     * @param c   the Java type expected
     * @param <T> that type
     * @return the value as {@code c} (not copied)
     * @throws MapiException MAPI_E_INVALID_TYPE when the value is not a {@code c}
     */
    private <T> T as(Class<T> c) {
        if (!c.isInstance(value)) {
            throw new MapiException(HResult.MAPI_E_INVALID_TYPE, PropTag.toString(tag) + " is "
                    + PropType.name(type()) + (isError() ? " (" + HResult.name((Integer) value) + ")" : "")
                    + ", not " + c.getSimpleName());
        }
        return c.cast(value);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PropValue p) || p.tag != tag) {
            return false;
        }
        if (value instanceof byte[] a && p.value instanceof byte[] b) {
            return Arrays.equals(a, b);
        }
        if (value instanceof List<?> a && p.value instanceof List<?> b && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                Object x = a.get(i), y = b.get(i);
                if (x instanceof byte[] xa && y instanceof byte[] ya ? !Arrays.equals(xa, ya) : !Objects.equals(x, y)) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(value, p.value);
    }

    @Override
    public int hashCode() {
        int h = tag;
        if (value instanceof byte[] b) {
            return 31 * h + Arrays.hashCode(b);
        }
        if (value instanceof List<?> l) {
            for (Object x : l) {
                h = 31 * h + (x instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(x));
            }
            return h;
        }
        return 31 * h + Objects.hashCode(value);
    }

    @Override
    public String toString() {
        String v = value instanceof byte[] b ? HexFormat.of().formatHex(b)
                : isError() ? HResult.name((Integer) value) : String.valueOf(value);
        return PropTag.toString(tag) + "=" + v;
    }
}
