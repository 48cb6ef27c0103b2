package org.jmapi.prop;

/**
 * MAPI property types (the low 16 bits of a property tag) with their exact values (spec &sect;1.3).
 *
 * <p>Java value types used by {@link PropValue}: PT_I2 {@code Short}; PT_LONG {@code Integer}; PT_R4 {@code Float};
 * PT_DOUBLE and PT_APPTIME {@code Double}; PT_CURRENCY and PT_I8 {@code Long}; PT_ERROR {@code Integer} (an SCODE);
 * PT_BOOLEAN {@code Boolean}; PT_STRING8 and PT_UNICODE {@code String}; PT_SYSTIME {@link java.time.Instant};
 * PT_CLSID {@link org.jmapi.MapiUid}; PT_BINARY and PT_SVREID {@code byte[]}; PT_SRESTRICT
 * {@link org.jmapi.table.Restriction}; PT_NULL, PT_OBJECT and PT_UNSPECIFIED no value ({@code null}). A
 * multi-valued type ({@link #MV_FLAG}) holds an unmodifiable {@code List} of the single type's values, never empty.
 */
public final class PropType {
    /** Not instantiable. */
    private PropType() {}

    /** PT_UNSPECIFIED = 0x0: "any type" in a request; never stored. */
    public static final int PT_UNSPECIFIED = 0x0000;
    /** PT_NULL = 0x1. */
    public static final int PT_NULL = 0x0001;
    /** PT_I2 = 0x2 (16-bit signed). */
    public static final int PT_I2 = 0x0002;
    /** PT_LONG = PT_I4 = 0x3 (32-bit signed). */
    public static final int PT_LONG = 0x0003;
    /** PT_I4 = PT_LONG. */
    public static final int PT_I4 = PT_LONG;
    /** PT_R4 = PT_FLOAT = 0x4 (4-byte float, spec C-27). */
    public static final int PT_R4 = 0x0004;
    /** PT_FLOAT = PT_R4. */
    public static final int PT_FLOAT = PT_R4;
    /** PT_DOUBLE = 0x5. */
    public static final int PT_DOUBLE = 0x0005;
    /** PT_CURRENCY = 0x6 (64-bit scaled integer). */
    public static final int PT_CURRENCY = 0x0006;
    /** PT_APPTIME = 0x7 (OLE automation date as a double). */
    public static final int PT_APPTIME = 0x0007;
    /** PT_ERROR = 0xA (value is an SCODE). */
    public static final int PT_ERROR = 0x000A;
    /** PT_BOOLEAN = 0xB. */
    public static final int PT_BOOLEAN = 0x000B;
    /** PT_OBJECT = 0xD (opened with openProperty, no inline value). */
    public static final int PT_OBJECT = 0x000D;
    /** PT_I8 = 0x14 (64-bit signed). */
    public static final int PT_I8 = 0x0014;
    /** PT_STRING8 = 0x1E (8-bit string). */
    public static final int PT_STRING8 = 0x001E;
    /** PT_UNICODE = 0x1F (UTF-16 string). */
    public static final int PT_UNICODE = 0x001F;
    /** PT_SYSTIME = 0x40 (FILETIME, 100 ns since 1601). */
    public static final int PT_SYSTIME = 0x0040;
    /** PT_CLSID = 0x48 (GUID). */
    public static final int PT_CLSID = 0x0048;
    /** PT_SVREID = 0xFB. */
    public static final int PT_SVREID = 0x00FB;
    /** PT_SRESTRICT = 0xFD. */
    public static final int PT_SRESTRICT = 0x00FD;
    /** PT_ACTIONS = 0xFE. */
    public static final int PT_ACTIONS = 0x00FE;
    /** PT_BINARY = 0x102. */
    public static final int PT_BINARY = 0x0102;

    /** MV_FLAG = 0x1000: OR'ed into a type for multi-valued properties. */
    public static final int MV_FLAG = 0x1000;
    /** MV_INSTANCE = 0x2000: only in table column/sort/restrict tags. */
    public static final int MV_INSTANCE = 0x2000;
    /** MVI_FLAG = MV_FLAG | MV_INSTANCE. */
    public static final int MVI_FLAG = MV_FLAG | MV_INSTANCE;

    /** PT_MV_I2 and friends. */
    public static final int PT_MV_I2 = MV_FLAG | PT_I2, PT_MV_LONG = MV_FLAG | PT_LONG, PT_MV_R4 = MV_FLAG | PT_R4,
            PT_MV_DOUBLE = MV_FLAG | PT_DOUBLE, PT_MV_CURRENCY = MV_FLAG | PT_CURRENCY,
            PT_MV_APPTIME = MV_FLAG | PT_APPTIME, PT_MV_I8 = MV_FLAG | PT_I8, PT_MV_STRING8 = MV_FLAG | PT_STRING8,
            PT_MV_UNICODE = MV_FLAG | PT_UNICODE, PT_MV_SYSTIME = MV_FLAG | PT_SYSTIME,
            PT_MV_CLSID = MV_FLAG | PT_CLSID, PT_MV_BINARY = MV_FLAG | PT_BINARY;

    /**
     * @param type a property type
     * @return whether it is multi-valued
     */
    public static boolean isMultiValued(int type) {
        return (type & MV_FLAG) != 0;
    }

    /**
     * @param type a property type, possibly multi-valued
     * @return the type without MV_FLAG / MV_INSTANCE
     */
    public static int base(int type) {
        return type & ~MVI_FLAG;
    }

    /**
     * @param type a property type
     * @return whether a property of this type can hold a value (PT_NULL, PT_OBJECT, PT_UNSPECIFIED cannot)
     */
    public static boolean isKnown(int type) {
        int b = base(type);
        return switch (b) {
            case PT_UNSPECIFIED, PT_NULL, PT_I2, PT_LONG, PT_R4, PT_DOUBLE, PT_CURRENCY, PT_APPTIME, PT_ERROR,
                    PT_BOOLEAN, PT_OBJECT, PT_I8, PT_STRING8, PT_UNICODE, PT_SYSTIME, PT_CLSID, PT_SVREID,
                    PT_SRESTRICT, PT_ACTIONS, PT_BINARY -> !isMultiValued(type) || switch (b) {
                        case PT_I2, PT_LONG, PT_R4, PT_DOUBLE, PT_CURRENCY, PT_APPTIME, PT_I8, PT_STRING8, PT_UNICODE,
                                PT_SYSTIME, PT_CLSID, PT_BINARY -> true;
                        default -> false;
                    };
            default -> false;
        };
    }

    /**
     * @param type a property type
     * @return its MAPI name, e.g. {@code "PT_UNICODE"} or {@code "PT_MV_BINARY"}
     */
    public static String name(int type) {
        String mv = isMultiValued(type) ? "PT_MV_" : "PT_";
        String b = switch (base(type)) {
            case PT_UNSPECIFIED -> "UNSPECIFIED";
            case PT_NULL -> "NULL";
            case PT_I2 -> "I2";
            case PT_LONG -> "LONG";
            case PT_R4 -> "R4";
            case PT_DOUBLE -> "DOUBLE";
            case PT_CURRENCY -> "CURRENCY";
            case PT_APPTIME -> "APPTIME";
            case PT_ERROR -> "ERROR";
            case PT_BOOLEAN -> "BOOLEAN";
            case PT_OBJECT -> "OBJECT";
            case PT_I8 -> "I8";
            case PT_STRING8 -> "STRING8";
            case PT_UNICODE -> "UNICODE";
            case PT_SYSTIME -> "SYSTIME";
            case PT_CLSID -> "CLSID";
            case PT_SVREID -> "SVREID";
            case PT_SRESTRICT -> "SRESTRICT";
            case PT_ACTIONS -> "ACTIONS";
            case PT_BINARY -> "BINARY";
            default -> String.format("0x%04X", base(type));
        };
        return mv + b;
    }
}
