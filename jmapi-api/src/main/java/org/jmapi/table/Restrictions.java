package org.jmapi.table;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;

import java.text.Normalizer;
import java.time.Instant;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * MAPI's evaluation of {@link Restriction} trees (SRestriction) against rows, their validation, and the value
 * ordering tables sort by (spec &sect;9.3: R-TBL-3, R-TBL-4, R-TBL-6).
 *
 * <p>Semantics, per restriction type:
 * <ul>
 *   <li>RES_AND / RES_OR / RES_NOT: boolean combination (an empty AND matches, an empty OR does not).</li>
 *   <li>RES_CONTENT: FL_FULLSTRING / FL_SUBSTRING / FL_PREFIX on PT_UNICODE / PT_STRING8 (FL_IGNORECASE folds
 *       case, FL_IGNORENONSPACE drops diacritics, FL_LOOSE does both) and on PT_BINARY (flags other than the level
 *       ignored); a multi-valued property matches when any of its values does.</li>
 *   <li>RES_PROPERTY / RES_COMPAREPROPS: RELOP_LT..RELOP_NE on values of the same type (PT_STRING8 and PT_UNICODE
 *       are the same); strings compare case-sensitively by UTF-16 code unit, binaries lexicographically as
 *       unsigned bytes, integers signed. A multi-valued row property compared with a single value (an MVI tag)
 *       matches when any value does. An absent property, or one of another type, never matches, not even for
 *       RELOP_NE. RELOP_RE is not supported (MAPI_E_TOO_COMPLEX).</li>
 *   <li>RES_BITMASK: BMR_EQZ / BMR_NEZ on a PT_LONG value.</li>
 *   <li>RES_SIZE: compares the value's size in bytes ({@link #sizeOf}).</li>
 *   <li>RES_EXIST: the property is present. RES_SUBRESTRICTION: some subobject row matches.</li>
 *   <li>RES_COMMENT: matches like its child, everything when it has none.</li>
 *   <li>RES_COUNT: with {@link #matches} the child alone decides; in a table scan ({@link #scan}) only the first
 *       {@code count} rows the child matches pass.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; the predicates {@link #scan} returns are stateful and meant for one pass on one
 * thread.
 */
public final class Restrictions {
    /** Not instantiable. */
    private Restrictions() {}

    /**
     * Evaluates a restriction against one row. RES_COUNT does not limit anything here (there is no scan).
     *
     * @param r   the restriction; should have passed {@link #validate}
     * @param row the row, read on the calling thread
     * @return whether the row matches
     * @throws MapiException MAPI_E_TOO_COMPLEX for RELOP_RE; MAPI_E_INVALID_PARAMETER for a malformed node
     */
    public static boolean matches(Restriction r, RowSource row) {
        return eval(r, row, null);
    }

    /**
     * A predicate for one table scan in table order: like {@link #matches}, except that every RES_COUNT node
     * passes only the first {@code count} rows (count read as unsigned) its child matches during this scan.
     *
     * @param r the restriction, or null for "every row"
     * @return a fresh, stateful predicate; use it for one pass and from one thread
     */
    public static Predicate<RowSource> scan(Restriction r) {
        if (r == null) {
            return row -> true;
        }
        Map<Restriction.Count, long[]> counters = new IdentityHashMap<>();
        return row -> eval(r, row, counters);
    }

    /**
     * Checks that a restriction is well formed and supported by jmapi's tables, before any row is evaluated
     * (IMAPITable::Restrict / FindRow, R-TBL-3, R-TBL-6).
     *
     * @param r the restriction
     * @throws MapiException MAPI_E_TOO_COMPLEX for RELOP_RE; MAPI_E_INVALID_PARAMETER for a null restriction or
     *                       child, a relop outside 0..6, a RES_CONTENT whose value is not a single string/binary,
     *                       whose type differs from the tag's or whose fuzzy level is not FL_FULLSTRING /
     *                       FL_SUBSTRING / FL_PREFIX, a RES_PROPERTY whose value's id or type differs from the tag's,
     *                       a RES_BITMASK on a non-PT_LONG tag or with an operator other than BMR_EQZ / BMR_NEZ, and
     *                       a RES_SUBRESTRICTION on anything but PR_MESSAGE_RECIPIENTS / PR_MESSAGE_ATTACHMENTS
     */
    public static void validate(Restriction r) {
        if (r == null) {
            throw invalid("null restriction");
        }
        if (r instanceof Restriction.And a) {
            a.children().forEach(Restrictions::validate);
        } else if (r instanceof Restriction.Or o) {
            o.children().forEach(Restrictions::validate);
        } else if (r instanceof Restriction.Not n) {
            validate(child(n.child(), "RES_NOT"));
        } else if (r instanceof Restriction.Content c) {
            validateContent(c);
        } else if (r instanceof Restriction.Property p) {
            validateProperty(p);
        } else if (r instanceof Restriction.CompareProps cp) {
            checkRelop(cp.relop());
        } else if (r instanceof Restriction.Bitmask b) {
            validateBitmask(b);
        } else if (r instanceof Restriction.Size s) {
            checkRelop(s.relop());
        } else if (r instanceof Restriction.Sub s) {
            validateSub(s);
        } else if (r instanceof Restriction.Comment c) {
            if (c.child() != null) {
                validate(c.child());
            }
        } else if (r instanceof Restriction.Count c) {
            validate(child(c.child(), "RES_COUNT"));
        }
    }

    /**
     * The order tables sort by (IMAPITable::SortTable, R-TBL-4): absent values (null or PT_ERROR) first, then by
     * value. Same-kind values compare naturally (integers signed, strings case-sensitive ordinal, booleans
     * false &lt; true, times chronologically, binaries and GUIDs as unsigned bytes, multi-valued lists element by
     * element); values of different kinds are ordered by kind, so the order is total.
     *
     * @param a a value or null
     * @param b a value or null
     * @return negative, zero or positive as {@code a} sorts before, with or after {@code b} in ascending order
     */
    public static int compare(PropValue a, PropValue b) {
        Object x = a == null || a.isError() ? null : a.value();
        Object y = b == null || b.isError() ? null : b.value();
        return compareRaw(x, y);
    }

    /**
     * The size RES_SIZE compares: PT_UNICODE {@code 2 * length + 2}, PT_STRING8 {@code length + 1}, PT_BINARY the
     * byte count, PT_LONG / PT_R4 / PT_ERROR 4, PT_I8 / PT_SYSTIME / PT_DOUBLE / PT_CURRENCY / PT_APPTIME 8, PT_I2 /
     * PT_BOOLEAN 2, PT_CLSID 16; a multi-valued value is the sum of its values; anything else 0.
     *
     * @param v the value
     * @return its size in bytes
     */
    public static int sizeOf(PropValue v) {
        int base = PropType.base(v.type());
        if (v.value() instanceof List<?> list) {
            return list.stream().mapToInt(x -> sizeOfSingle(base, x)).sum();
        }
        return sizeOfSingle(base, v.value());
    }

    // ---- evaluation ------------------------------------------------------------------------------------------

    /**
     * @param r        the restriction
     * @param row      the row
     * @param counters matches seen per RES_COUNT node during a {@link #scan}, or null outside a scan
     * @return whether the row matches
     */
    private static boolean eval(Restriction r, RowSource row, Map<Restriction.Count, long[]> counters) {
        if (r instanceof Restriction.And a) {
            return a.children().stream().allMatch(c -> eval(c, row, counters));
        }
        if (r instanceof Restriction.Or o) {
            return o.children().stream().anyMatch(c -> eval(c, row, counters));
        }
        if (r instanceof Restriction.Not n) {
            return !eval(child(n.child(), "RES_NOT"), row, counters);
        }
        if (r instanceof Restriction.Comment c) {
            return c.child() == null || eval(c.child(), row, counters);
        }
        if (r instanceof Restriction.Count c) {
            return count(c, row, counters);
        }
        return leaf(r, row);
    }

    /**
     * @param r   a restriction that is not AND / OR / NOT / COMMENT / COUNT
     * @param row the row
     * @return whether the row matches
     */
    private static boolean leaf(Restriction r, RowSource row) {
        if (r instanceof Restriction.Content c) {
            return content(c, row);
        }
        if (r instanceof Restriction.Property p) {
            PropValue v = present(row, p.propTag());
            return v != null && relop(p.relop(), v, value(p.value(), "RES_PROPERTY"));
        }
        if (r instanceof Restriction.CompareProps cp) {
            PropValue a = present(row, cp.propTag1());
            PropValue b = present(row, cp.propTag2());
            return a != null && b != null && relop(cp.relop(), a, b);
        }
        if (r instanceof Restriction.Bitmask b) {
            return bitmask(b, row);
        }
        if (r instanceof Restriction.Size s) {
            PropValue v = present(row, s.propTag());
            return v != null && test(s.relop(), Integer.compare(sizeOf(v), s.cb()));
        }
        if (r instanceof Restriction.Exist e) {
            return present(row, e.propTag()) != null;
        }
        if (r instanceof Restriction.Sub s) {
            Restriction c = child(s.child(), "RES_SUBRESTRICTION");
            return row.subObjects(s.subObject()).stream().anyMatch(sub -> matches(c, sub));
        }
        if (r == null) {
            throw invalid("null restriction");
        }
        throw new IllegalStateException("unhandled restriction type " + r.getClass().getName());
    }

    /**
     * @param c        the RES_COUNT node
     * @param row      the row
     * @param counters as for {@link #eval}; null means no limit
     * @return whether the child matches and, in a scan, fewer than {@code count} rows passed this node before
     */
    private static boolean count(Restriction.Count c, RowSource row, Map<Restriction.Count, long[]> counters) {
        if (!eval(child(c.child(), "RES_COUNT"), row, counters)) {
            return false;
        }
        if (counters == null) {
            return true;
        }
        long[] seen = counters.computeIfAbsent(c, k -> new long[1]);
        if (seen[0] >= Integer.toUnsignedLong(c.count())) {
            return false;
        }
        seen[0]++;
        return true;
    }

    /**
     * @param b   the RES_BITMASK node
     * @param row the row
     * @return whether the row's PT_LONG value passes the test; false when absent
     */
    private static boolean bitmask(Restriction.Bitmask b, RowSource row) {
        PropValue v = present(row, b.propTag());
        if (v == null || !(v.value() instanceof Integer i)) {
            return false;
        }
        return switch (b.relBmr()) {
            case Restriction.BMR_EQZ -> (i & b.mask()) == 0;
            case Restriction.BMR_NEZ -> (i & b.mask()) != 0;
            default -> throw invalid("RES_BITMASK: relBMR " + b.relBmr() + " is neither BMR_EQZ nor BMR_NEZ");
        };
    }

    /**
     * @param c   the RES_CONTENT node
     * @param row the row
     * @return whether the row's value (any value, if multi-valued) matches the pattern; false when absent
     */
    private static boolean content(Restriction.Content c, RowSource row) {
        Object pattern = value(c.value(), "RES_CONTENT").value();
        PropValue v = present(row, c.propTag());
        if (v == null) {
            return false;
        }
        Object raw = v.value();
        if (raw instanceof List<?> list) {
            return list.stream().anyMatch(x -> contentMatches(c.fuzzyLevel(), x, pattern));
        }
        return contentMatches(c.fuzzyLevel(), raw, pattern);
    }

    /**
     * @param fuzzy   the fuzzy level and flags
     * @param value   one row value
     * @param pattern the restriction's value
     * @return whether they match; false unless both are strings or both binaries
     */
    private static boolean contentMatches(int fuzzy, Object value, Object pattern) {
        if (value instanceof String s && pattern instanceof String p) {
            return stringMatches(fuzzy, s, p);
        }
        if (value instanceof byte[] b && pattern instanceof byte[] p) {
            return binaryMatches(fuzzy & 0xFFFF, b, p);
        }
        return false;
    }

    /**
     * @param fuzzy the fuzzy level and FL_IGNORECASE / FL_IGNORENONSPACE / FL_LOOSE flags
     * @param s     the row's string
     * @param p     the pattern
     * @return whether {@code s} matches {@code p} at that level
     */
    private static boolean stringMatches(int fuzzy, String s, String p) {
        boolean loose = (fuzzy & Restriction.FL_LOOSE) != 0;
        if (loose || (fuzzy & Restriction.FL_IGNORENONSPACE) != 0) {
            s = stripNonSpacing(s);
            p = stripNonSpacing(p);
        }
        if (loose || (fuzzy & Restriction.FL_IGNORECASE) != 0) {
            s = foldCase(s);
            p = foldCase(p);
        }
        return switch (fuzzy & 0xFFFF) {
            case Restriction.FL_FULLSTRING -> s.equals(p);
            case Restriction.FL_SUBSTRING -> s.contains(p);
            case Restriction.FL_PREFIX -> s.startsWith(p);
            default -> throw badFuzzyLevel(fuzzy);
        };
    }

    /**
     * @param level FL_FULLSTRING, FL_SUBSTRING or FL_PREFIX
     * @param b     the row's bytes
     * @param p     the pattern
     * @return whether {@code b} matches {@code p} at that level
     */
    private static boolean binaryMatches(int level, byte[] b, byte[] p) {
        return switch (level) {
            case Restriction.FL_FULLSTRING -> Arrays.equals(b, p);
            case Restriction.FL_SUBSTRING -> indexOf(b, p) >= 0;
            case Restriction.FL_PREFIX -> b.length >= p.length && Arrays.equals(b, 0, p.length, p, 0, p.length);
            default -> throw badFuzzyLevel(level);
        };
    }

    /**
     * @param haystack the bytes searched
     * @param needle   the bytes sought
     * @return the first index of {@code needle} in {@code haystack}, or -1
     */
    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param s a string
     * @return {@code s} case-folded (upper then lower case, root locale)
     */
    private static String foldCase(String s) {
        return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /**
     * @param s a string
     * @return {@code s} decomposed (NFD) without its non-spacing marks (diacritics)
     */
    private static String stripNonSpacing(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{Mn}+", "");
    }

    /**
     * RELOP on two present values; different types never match (R-TBL-3 semantics of RES_PROPERTY).
     *
     * @param op a RELOP_* value
     * @param a  the row's value; if multi-valued and {@code b} is single, any of its values may match
     * @param b  the value compared with
     * @return whether {@code a op b} holds
     */
    private static boolean relop(int op, PropValue a, PropValue b) {
        checkRelop(op);
        int ta = canonical(a.type());
        int tb = canonical(b.type());
        if (ta == tb) {
            return test(op, compareRaw(a.value(), b.value()));
        }
        if (PropType.isMultiValued(ta) && !PropType.isMultiValued(tb) && PropType.base(ta) == tb) {
            Object constant = b.value();
            return ((List<?>) a.value()).stream().anyMatch(x -> test(op, compareRaw(x, constant)));
        }
        return false;
    }

    /**
     * @param op  a RELOP_* value
     * @param cmp the result of a comparison
     * @return whether {@code cmp} satisfies {@code op}
     */
    private static boolean test(int op, int cmp) {
        return switch (op) {
            case Restriction.RELOP_LT -> cmp < 0;
            case Restriction.RELOP_LE -> cmp <= 0;
            case Restriction.RELOP_GT -> cmp > 0;
            case Restriction.RELOP_GE -> cmp >= 0;
            case Restriction.RELOP_EQ -> cmp == 0;
            case Restriction.RELOP_NE -> cmp != 0;
            default -> {
                checkRelop(op);
                throw new IllegalStateException("unreachable relop " + op);
            }
        };
    }

    /**
     * @param row the row
     * @param tag the tag
     * @return the row's value for {@code tag}, or null when absent or PT_ERROR
     */
    private static PropValue present(RowSource row, int tag) {
        PropValue v = row.get(tag);
        return v == null || v.isError() ? null : v;
    }

    // ---- ordering and sizes ----------------------------------------------------------------------------------

    /**
     * The order of {@link #compare} on raw values.
     *
     * @param x a value or null
     * @param y a value or null
     * @return negative, zero or positive: by {@link #rank} first, then within the kind
     */
    private static int compareRaw(Object x, Object y) {
        int rx = rank(x);
        int ry = rank(y);
        if (rx != ry) {
            return Integer.compare(rx, ry);
        }
        return switch (rx) {
            case 1 -> Boolean.compare((Boolean) x, (Boolean) y);
            case 2 -> compareNumbers((Number) x, (Number) y);
            case 3 -> ((String) x).compareTo((String) y);
            case 4 -> ((Instant) x).compareTo((Instant) y);
            case 5 -> Arrays.compareUnsigned((byte[]) x, (byte[]) y);
            case 6 -> Arrays.compareUnsigned(((MapiUid) x).toBytes(), ((MapiUid) y).toBytes());
            case 7 -> compareLists((List<?>) x, (List<?>) y);
            default -> 0;
        };
    }

    /**
     * @param o a raw value
     * @return its kind's place in the order: null, boolean, number, string, time, binary, GUID, list, other
     */
    private static int rank(Object o) {
        if (o == null) {
            return 0;
        }
        if (o instanceof Boolean) {
            return 1;
        }
        if (o instanceof Number) {
            return 2;
        }
        if (o instanceof String) {
            return 3;
        }
        if (o instanceof Instant) {
            return 4;
        }
        if (o instanceof byte[]) {
            return 5;
        }
        if (o instanceof MapiUid) {
            return 6;
        }
        return o instanceof List ? 7 : 8;
    }

    /**
     * @param x a number
     * @param y another
     * @return as {@link Long#compare} when both are integral, else as {@link Double#compare}
     */
    private static int compareNumbers(Number x, Number y) {
        if (isIntegral(x) && isIntegral(y)) {
            return Long.compare(x.longValue(), y.longValue());
        }
        return Double.compare(x.doubleValue(), y.doubleValue());
    }

    /**
     * @param n a number
     * @return whether it is a Short, Integer or Long
     */
    private static boolean isIntegral(Number n) {
        return n instanceof Short || n instanceof Integer || n instanceof Long;
    }

    /**
     * @param x a list
     * @param y another
     * @return element by element, then the shorter list first
     */
    private static int compareLists(List<?> x, List<?> y) {
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = compareRaw(x.get(i), y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }

    /**
     * @param baseType the single-valued type
     * @param v        one value of that type
     * @return its size in bytes, as {@link #sizeOf} documents
     */
    private static int sizeOfSingle(int baseType, Object v) {
        return switch (baseType) {
            case PropType.PT_UNICODE -> ((String) v).length() * 2 + 2;
            case PropType.PT_STRING8 -> ((String) v).length() + 1;
            case PropType.PT_BINARY, PropType.PT_SVREID -> ((byte[]) v).length;
            case PropType.PT_LONG, PropType.PT_R4, PropType.PT_ERROR -> 4;
            case PropType.PT_I8, PropType.PT_SYSTIME, PropType.PT_DOUBLE, PropType.PT_CURRENCY,
                    PropType.PT_APPTIME -> 8;
            case PropType.PT_I2, PropType.PT_BOOLEAN -> 2;
            case PropType.PT_CLSID -> MapiUid.LENGTH;
            default -> 0;
        };
    }

    // ---- validation ------------------------------------------------------------------------------------------

    /**
     * @param c a RES_CONTENT node
     * @throws MapiException MAPI_E_INVALID_PARAMETER as {@link #validate} documents for RES_CONTENT
     */
    private static void validateContent(Restriction.Content c) {
        PropValue v = value(c.value(), "RES_CONTENT");
        int vt = v.type();
        if (vt != PropType.PT_UNICODE && vt != PropType.PT_STRING8 && vt != PropType.PT_BINARY) {
            throw invalid("RES_CONTENT: the pattern must be a string or binary, not " + PropType.name(vt));
        }
        checkValueType("RES_CONTENT", c.propTag(), v);
        int level = c.fuzzyLevel() & 0xFFFF;
        if (level != Restriction.FL_FULLSTRING && level != Restriction.FL_SUBSTRING
                && level != Restriction.FL_PREFIX) {
            throw badFuzzyLevel(c.fuzzyLevel());
        }
    }

    /**
     * @param p a RES_PROPERTY node
     * @throws MapiException as {@link #validate} documents for RES_PROPERTY
     */
    private static void validateProperty(Restriction.Property p) {
        checkRelop(p.relop());
        PropValue v = value(p.value(), "RES_PROPERTY");
        if (v.id() != PropTag.id(p.propTag())) {
            throw invalid("RES_PROPERTY: value " + PropTag.toString(v.tag()) + " has another id than "
                    + PropTag.toString(p.propTag()));
        }
        checkValueType("RES_PROPERTY", p.propTag(), v);
    }

    /**
     * @param b a RES_BITMASK node
     * @throws MapiException MAPI_E_INVALID_PARAMETER as {@link #validate} documents for RES_BITMASK
     */
    private static void validateBitmask(Restriction.Bitmask b) {
        if (PropTag.type(b.propTag()) != PropType.PT_LONG) {
            throw invalid("RES_BITMASK needs a PT_LONG property, not " + PropTag.toString(b.propTag()));
        }
        if (b.relBmr() != Restriction.BMR_EQZ && b.relBmr() != Restriction.BMR_NEZ) {
            throw invalid("RES_BITMASK: relBMR " + b.relBmr() + " is neither BMR_EQZ nor BMR_NEZ");
        }
    }

    /**
     * @param s a RES_SUBRESTRICTION node; its child is validated too
     * @throws MapiException as {@link #validate} documents
     */
    private static void validateSub(Restriction.Sub s) {
        if (s.subObject() != PropTags.PR_MESSAGE_RECIPIENTS && s.subObject() != PropTags.PR_MESSAGE_ATTACHMENTS) {
            throw invalid("RES_SUBRESTRICTION works on PR_MESSAGE_RECIPIENTS or PR_MESSAGE_ATTACHMENTS, not "
                    + PropTag.toString(s.subObject()));
        }
        validate(child(s.child(), "RES_SUBRESTRICTION"));
    }

    /**
     * @param op a relop
     * @throws MapiException MAPI_E_INVALID_PARAMETER outside RELOP_LT..RELOP_RE; MAPI_E_TOO_COMPLEX for RELOP_RE
     */
    private static void checkRelop(int op) {
        if (op < Restriction.RELOP_LT || op > Restriction.RELOP_RE) {
            throw invalid("relop " + op + " is outside RELOP_LT..RELOP_RE");
        }
        if (op == Restriction.RELOP_RE) {
            throw new MapiException(HResult.MAPI_E_TOO_COMPLEX, "RELOP_RE (regular expressions) is not supported");
        }
    }

    /**
     * @param what    the restriction's name, for the message
     * @param propTag the restriction's tag; an MVI tag expects a single value of its base type
     * @param v       the restriction's value
     * @throws MapiException MAPI_E_INVALID_PARAMETER when the value's type does not match the tag's
     */
    private static void checkValueType(String what, int propTag, PropValue v) {
        int tagType = PropTag.type(propTag);
        boolean perInstance = (tagType & PropType.MVI_FLAG) == PropType.MVI_FLAG;
        int expected = perInstance ? PropType.base(tagType) : tagType;
        if (canonical(v.type()) != canonical(expected)) {
            throw invalid(what + ": value type " + PropType.name(v.type()) + " does not match "
                    + PropTag.toString(propTag));
        }
    }

    /**
     * The type with PT_STRING8 read as PT_UNICODE and MV_INSTANCE dropped, for "same type" checks.
     *
     * @param type a property type
     * @return its canonical form
     */
    private static int canonical(int type) {
        int base = PropType.base(type);
        if (base == PropType.PT_STRING8) {
            base = PropType.PT_UNICODE;
        }
        return (type & PropType.MV_FLAG) | base;
    }

    /**
     * @param child a child restriction
     * @param what  the parent's name, for the message
     * @return {@code child}
     * @throws MapiException MAPI_E_INVALID_PARAMETER when {@code child} is null
     */
    private static Restriction child(Restriction child, String what) {
        if (child == null) {
            throw invalid(what + " has no child restriction");
        }
        return child;
    }

    /**
     * @param v    a restriction's value
     * @param what the restriction's name, for the message
     * @return {@code v}
     * @throws MapiException MAPI_E_INVALID_PARAMETER when {@code v} is null
     */
    private static PropValue value(PropValue v, String what) {
        if (v == null) {
            throw invalid(what + " has no value");
        }
        return v;
    }

    /**
     * @param fuzzy the fuzzy level found
     * @return the MAPI_E_INVALID_PARAMETER exception to throw
     */
    private static MapiException badFuzzyLevel(int fuzzy) {
        return invalid("RES_CONTENT: fuzzy level " + HResult.hex(fuzzy)
                + " is not FL_FULLSTRING, FL_SUBSTRING or FL_PREFIX");
    }

    /**
     * @param message what is wrong
     * @return a MAPI_E_INVALID_PARAMETER exception
     */
    private static MapiException invalid(String message) {
        return new MapiException(HResult.MAPI_E_INVALID_PARAMETER, message);
    }
}
