package org.jmapi.runtime.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restriction;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of property values, used for profile sections on disk.
 *
 * <p>One value is an object {@code {"tag": "0x3001001F", "value": ...}}: the tag as {@code 0x} and eight upper-case
 * hex digits, the value typed by the tag's type: PT_I2, PT_LONG, PT_ERROR, PT_I8 and PT_CURRENCY as JSON integers;
 * PT_R4, PT_DOUBLE and PT_APPTIME as JSON numbers, except NaN, the infinities and negative zero, which are the
 * strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} and {@code "-0.0"}; PT_BOOLEAN as a JSON boolean;
 * PT_STRING8 and PT_UNICODE as strings; PT_SYSTIME as an ISO-8601 instant ({@link Instant#toString()}, nanoseconds
 * kept); PT_CLSID as the 32 hex digits of the {@link MapiUid}; PT_BINARY and PT_SVREID as standard base64;
 * PT_SRESTRICT as a restriction object ({@code {"rt": "and", "children": [...]}} and so on, one {@code rt} per
 * {@link Restriction} record); PT_NULL has no {@code value}. A multi-valued type is a JSON array of its single
 * values. PT_OBJECT, PT_UNSPECIFIED and PT_ACTIONS values have no persistent form: {@link #canEncode} says no and
 * {@link #encode} refuses them with MAPI_E_INVALID_TYPE.
 *
 * <p>Decoding checks everything it reads and reports any malformed input as MAPI_E_CORRUPT_DATA, so a damaged file
 * never produces a value of the wrong type. Floating-point values round-trip exactly when the input was read with
 * {@code DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS} (as {@link ProfileStore} does); otherwise they pass
 * through a {@code double} first.
 *
 * <p>Stateless; thread-safe.
 */
public final class PropValueJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PropValueJson() {}

    /**
     * Whether {@link #encode} accepts a value: every type except PT_OBJECT, PT_UNSPECIFIED and PT_ACTIONS (also
     * inside a restriction).
     *
     * @param v a property value
     * @return true when the value has a JSON form
     */
    public static boolean canEncode(PropValue v) {
        try {
            encode(v);
            return true;
        } catch (MapiException e) {
            return false;
        }
    }

    /**
     * Encodes one value.
     *
     * @param v the value
     * @return a new JSON object owned by the caller
     * @throws MapiException MAPI_E_INVALID_TYPE for PT_OBJECT, PT_UNSPECIFIED and PT_ACTIONS values, which have no
     *                       persistent form
     */
    public static ObjectNode encode(PropValue v) {
        ObjectNode o = NODES.objectNode();
        o.put("tag", HResult.hex(v.tag()));
        int type = v.type();
        if (type == PropType.PT_NULL) {
            return o;
        }
        Object raw = v.value();
        if (PropType.isMultiValued(type)) {
            ArrayNode a = o.putArray("value");
            for (Object item : (List<?>) raw) {
                a.add(single(v.tag(), PropType.base(type), item));
            }
        } else {
            o.set("value", single(v.tag(), type, raw));
        }
        return o;
    }

    /**
     * Encodes values in order.
     *
     * @param values the values
     * @return a new JSON array owned by the caller
     * @throws MapiException MAPI_E_INVALID_TYPE as {@link #encode}
     */
    public static ArrayNode encodeAll(List<PropValue> values) {
        ArrayNode a = NODES.arrayNode();
        for (PropValue v : values) {
            a.add(encode(v));
        }
        return a;
    }

    /**
     * Decodes one value written by {@link #encode}.
     *
     * @param node the JSON object
     * @return the value
     * @throws MapiException MAPI_E_CORRUPT_DATA when the node is not a well-formed value of its tag's type
     */
    public static PropValue decode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw corrupt("a property value must be a JSON object, got " + describe(node));
        }
        int tag = parseTag(node.get("tag"));
        int type = PropTag.type(tag);
        if (!PropType.isKnown(type) || type == PropType.PT_OBJECT || type == PropType.PT_UNSPECIFIED
                || PropType.base(type) == PropType.PT_ACTIONS) {
            throw corrupt("property type " + HResult.hex(type) + " of " + HResult.hex(tag) + " cannot be stored");
        }
        if (type == PropType.PT_NULL) {
            return PropValue.of(tag, null);
        }
        JsonNode value = node.get("value");
        if (value == null) {
            throw corrupt(HResult.hex(tag) + " has no value");
        }
        Object decoded;
        if (PropType.isMultiValued(type)) {
            if (!value.isArray()) {
                throw corrupt(HResult.hex(tag) + " is multi-valued but its value is " + describe(value));
            }
            List<Object> items = new ArrayList<>(value.size());
            for (JsonNode item : value) {
                items.add(decodeSingle(tag, PropType.base(type), item));
            }
            decoded = items;
        } else {
            decoded = decodeSingle(tag, type, value);
        }
        try {
            return PropValue.of(tag, decoded);
        } catch (MapiException e) {
            throw corrupt(HResult.hex(tag) + ": " + e.getMessage());
        }
    }

    /**
     * Decodes an array written by {@link #encodeAll}.
     *
     * @param node the JSON array
     * @return the values in order
     * @throws MapiException MAPI_E_CORRUPT_DATA as {@link #decode}
     */
    public static List<PropValue> decodeAll(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw corrupt("a property list must be a JSON array, got " + describe(node));
        }
        List<PropValue> out = new ArrayList<>(node.size());
        for (JsonNode n : node) {
            out.add(decode(n));
        }
        return out;
    }

    private static JsonNode single(int tag, int type, Object v) {
        switch (type) {
            case PropType.PT_I2:
                return NODES.numberNode((Short) v);
            case PropType.PT_LONG:
            case PropType.PT_ERROR:
                return NODES.numberNode((Integer) v);
            case PropType.PT_I8:
            case PropType.PT_CURRENCY:
                return NODES.numberNode((Long) v);
            case PropType.PT_R4: {
                float f = (Float) v;
                if (Float.isFinite(f) && !isNegativeZero(f)) {
                    return NODES.numberNode(f);
                }
                return NODES.textNode(Float.toString(f));
            }
            case PropType.PT_DOUBLE:
            case PropType.PT_APPTIME: {
                double d = (Double) v;
                if (Double.isFinite(d) && !isNegativeZero(d)) {
                    return NODES.numberNode(d);
                }
                return NODES.textNode(Double.toString(d));
            }
            case PropType.PT_BOOLEAN:
                return NODES.booleanNode((Boolean) v);
            case PropType.PT_STRING8:
            case PropType.PT_UNICODE:
                return NODES.textNode((String) v);
            case PropType.PT_SYSTIME:
                return NODES.textNode(v.toString());
            case PropType.PT_CLSID:
                return NODES.textNode(v.toString());
            case PropType.PT_BINARY:
            case PropType.PT_SVREID:
                return NODES.textNode(Base64.getEncoder().encodeToString((byte[]) v));
            case PropType.PT_SRESTRICT:
                return encodeRestriction((Restriction) v);
            default:
                throw new MapiException(HResult.MAPI_E_INVALID_TYPE, PropTag.toString(tag) + ": "
                        + PropType.name(type) + " values cannot be stored in a profile");
        }
    }

    private static boolean isNegativeZero(float f) {
        return f == 0.0f && Float.floatToRawIntBits(f) != 0;
    }

    private static boolean isNegativeZero(double d) {
        return d == 0.0d && Double.doubleToRawLongBits(d) != 0L;
    }

    private static Object decodeSingle(int tag, int type, JsonNode n) {
        String where = HResult.hex(tag);
        switch (type) {
            case PropType.PT_I2: {
                long l = integral(where, n);
                if (l < Short.MIN_VALUE || l > Short.MAX_VALUE) {
                    throw corrupt(where + ": " + l + " does not fit PT_I2");
                }
                return (short) l;
            }
            case PropType.PT_LONG:
            case PropType.PT_ERROR: {
                long l = integral(where, n);
                if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                    throw corrupt(where + ": " + l + " does not fit a 32-bit value");
                }
                return (int) l;
            }
            case PropType.PT_I8:
            case PropType.PT_CURRENCY:
                return integral(where, n);
            case PropType.PT_R4:
                return Float.parseFloat(floating(where, n));
            case PropType.PT_DOUBLE:
            case PropType.PT_APPTIME:
                return Double.parseDouble(floating(where, n));
            case PropType.PT_BOOLEAN:
                if (!n.isBoolean()) {
                    throw corrupt(where + ": expected a boolean, got " + describe(n));
                }
                return n.booleanValue();
            case PropType.PT_STRING8:
            case PropType.PT_UNICODE:
                return text(where, n);
            case PropType.PT_SYSTIME:
                try {
                    return Instant.parse(text(where, n));
                } catch (DateTimeParseException e) {
                    throw corrupt(where + ": not an ISO instant: " + n.textValue());
                }
            case PropType.PT_CLSID:
                try {
                    return MapiUid.parse(text(where, n));
                } catch (MapiException e) {
                    throw corrupt(where + ": not a MAPIUID: " + n.textValue());
                }
            case PropType.PT_BINARY:
            case PropType.PT_SVREID:
                try {
                    return Base64.getDecoder().decode(text(where, n));
                } catch (IllegalArgumentException e) {
                    throw corrupt(where + ": not base64: " + e.getMessage());
                }
            case PropType.PT_SRESTRICT:
                return decodeRestriction(n);
            default:
                throw corrupt(where + ": type " + HResult.hex(type) + " cannot be stored");
        }
    }

    private static long integral(String where, JsonNode n) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw corrupt(where + ": expected a 64-bit integer, got " + describe(n));
        }
        return n.longValue();
    }

    private static String floating(String where, JsonNode n) {
        if (n != null && n.isNumber()) {
            return n.asText();
        }
        if (n != null && n.isTextual()) {
            String s = n.textValue();
            if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity") || s.equals("-0.0")) {
                return s;
            }
        }
        throw corrupt(where + ": expected a number, got " + describe(n));
    }

    private static String text(String where, JsonNode n) {
        if (n == null || !n.isTextual()) {
            throw corrupt(where + ": expected a string, got " + describe(n));
        }
        return n.textValue();
    }

    private static int parseTag(JsonNode n) {
        if (n == null || !n.isTextual()) {
            throw corrupt("a property tag must be a string like \"0x3001001F\", got " + describe(n));
        }
        String s = n.textValue();
        if (!s.toLowerCase(Locale.ROOT).startsWith("0x") || s.length() != 10) {
            throw corrupt("malformed property tag " + s);
        }
        try {
            return Integer.parseUnsignedInt(s.substring(2), 16);
        } catch (NumberFormatException e) {
            throw corrupt("malformed property tag " + s);
        }
    }

    private static ObjectNode encodeRestriction(Restriction r) {
        ObjectNode o = NODES.objectNode();
        if (r instanceof Restriction.And and) {
            o.put("rt", "and");
            ArrayNode a = o.putArray("children");
            and.children().forEach(c -> a.add(encodeRestriction(c)));
        } else if (r instanceof Restriction.Or or) {
            o.put("rt", "or");
            ArrayNode a = o.putArray("children");
            or.children().forEach(c -> a.add(encodeRestriction(c)));
        } else if (r instanceof Restriction.Not not) {
            o.put("rt", "not");
            o.set("child", encodeRestriction(not.child()));
        } else if (r instanceof Restriction.Content c) {
            o.put("rt", "content");
            o.put("fuzzyLevel", c.fuzzyLevel());
            o.put("tag", HResult.hex(c.propTag()));
            o.set("value", encode(c.value()));
        } else if (r instanceof Restriction.Property p) {
            o.put("rt", "property");
            o.put("relop", p.relop());
            o.put("tag", HResult.hex(p.propTag()));
            o.set("value", encode(p.value()));
        } else if (r instanceof Restriction.CompareProps c) {
            o.put("rt", "compareProps");
            o.put("relop", c.relop());
            o.put("tag1", HResult.hex(c.propTag1()));
            o.put("tag2", HResult.hex(c.propTag2()));
        } else if (r instanceof Restriction.Bitmask b) {
            o.put("rt", "bitmask");
            o.put("relBmr", b.relBmr());
            o.put("tag", HResult.hex(b.propTag()));
            o.put("mask", b.mask());
        } else if (r instanceof Restriction.Size s) {
            o.put("rt", "size");
            o.put("relop", s.relop());
            o.put("tag", HResult.hex(s.propTag()));
            o.put("cb", s.cb());
        } else if (r instanceof Restriction.Exist e) {
            o.put("rt", "exist");
            o.put("tag", HResult.hex(e.propTag()));
        } else if (r instanceof Restriction.Sub s) {
            o.put("rt", "sub");
            o.put("subObject", HResult.hex(s.subObject()));
            o.set("child", encodeRestriction(s.child()));
        } else if (r instanceof Restriction.Comment c) {
            o.put("rt", "comment");
            o.set("props", encodeAll(c.props()));
            if (c.child() != null) {
                o.set("child", encodeRestriction(c.child()));
            }
        } else if (r instanceof Restriction.Count c) {
            o.put("rt", "count");
            o.put("count", c.count());
            o.set("child", encodeRestriction(c.child()));
        } else {
            throw new MapiException(HResult.MAPI_E_INVALID_TYPE, "unknown restriction " + r);
        }
        return o;
    }

    private static Restriction decodeRestriction(JsonNode n) {
        if (n == null || !n.isObject() || !n.path("rt").isTextual()) {
            throw corrupt("a restriction must be an object with \"rt\", got " + describe(n));
        }
        String rt = n.get("rt").textValue();
        switch (rt) {
            case "and":
                return new Restriction.And(children(n));
            case "or":
                return new Restriction.Or(children(n));
            case "not":
                return new Restriction.Not(decodeRestriction(n.get("child")));
            case "content":
                return new Restriction.Content(int32("fuzzyLevel", n), parseTag(n.get("tag")), decode(n.get("value")));
            case "property":
                return new Restriction.Property(int32("relop", n), parseTag(n.get("tag")), decode(n.get("value")));
            case "compareProps":
                return new Restriction.CompareProps(int32("relop", n), parseTag(n.get("tag1")),
                        parseTag(n.get("tag2")));
            case "bitmask":
                return new Restriction.Bitmask(int32("relBmr", n), parseTag(n.get("tag")), int32("mask", n));
            case "size":
                return new Restriction.Size(int32("relop", n), parseTag(n.get("tag")), int32("cb", n));
            case "exist":
                return new Restriction.Exist(parseTag(n.get("tag")));
            case "sub":
                return new Restriction.Sub(parseTag(n.get("subObject")), decodeRestriction(n.get("child")));
            case "comment":
                return new Restriction.Comment(decodeAll(n.get("props")),
                        n.has("child") ? decodeRestriction(n.get("child")) : null);
            case "count":
                return new Restriction.Count(int32("count", n), decodeRestriction(n.get("child")));
            default:
                throw corrupt("unknown restriction type \"" + rt + "\"");
        }
    }

    private static List<Restriction> children(JsonNode n) {
        JsonNode c = n.get("children");
        if (c == null || !c.isArray()) {
            throw corrupt("restriction \"" + n.get("rt").textValue() + "\" needs a \"children\" array");
        }
        List<Restriction> out = new ArrayList<>(c.size());
        for (JsonNode x : c) {
            out.add(decodeRestriction(x));
        }
        return out;
    }

    private static int int32(String field, JsonNode n) {
        long l = integral("restriction field " + field, n.get(field));
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw corrupt("restriction field " + field + ": " + l + " does not fit 32 bits");
        }
        return (int) l;
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        String s = n.toString();
        return n.getNodeType().name().toLowerCase(Locale.ROOT) + " " + (s.length() > 60 ? s.substring(0, 60) + "..." : s);
    }

    private static MapiException corrupt(String message) {
        return new MapiException(HResult.MAPI_E_CORRUPT_DATA, message);
    }
}
