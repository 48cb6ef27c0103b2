package org.jmapi.prop;

/**
 * Property tags as plain {@code int}s: identifier in the high 16 bits, type in the low 16 bits (spec &sect;1.3).
 * Pure functions; thread-safe.
 */
public final class PropTag {
    /** Not instantiable. */
    private PropTag() {}

    /** PR_NULL = 0x00000001 (id 0, PT_NULL): a reserved slot in column sets and value arrays. */
    public static final int PR_NULL = 0x00000001;
    /** PROP_ID_INVALID = 0xFFFF. */
    public static final int PROP_ID_INVALID = 0xFFFF;
    /** PROP_ID_NULL = 0. */
    public static final int PROP_ID_NULL = 0;
    /** First id of the provider-private ("secure") range, 0x6600 (R-PROF-3). */
    public static final int PROP_ID_SECURE_MIN = 0x6600;
    /** Last id of the provider-private range, 0x67FF. */
    public static final int PROP_ID_SECURE_MAX = 0x67FF;
    /** First named-property id, 0x8000. */
    public static final int PROP_ID_NAMED_MIN = 0x8000;

    /**
     * PROP_TAG(type, id).
     *
     * @param type the property type
     * @param id   the 16-bit identifier
     * @return {@code (id << 16) | type}
     */
    public static int tag(int type, int id) {
        return (id << 16) | (type & 0xFFFF);
    }

    /**
     * @param tag a property tag
     * @return PROP_ID(tag)
     */
    public static int id(int tag) {
        return tag >>> 16;
    }

    /**
     * @param tag a property tag
     * @return PROP_TYPE(tag)
     */
    public static int type(int tag) {
        return tag & 0xFFFF;
    }

    /**
     * CHANGE_PROP_TYPE(tag, type).
     *
     * @param tag  a property tag
     * @param type the new type
     * @return the tag with its type replaced
     */
    public static int withType(int tag, int type) {
        return (tag & 0xFFFF0000) | (type & 0xFFFF);
    }

    /**
     * @param tag a property tag
     * @return whether its id lies in 0x6600..0x67FF, provider-private (R-PROF-3)
     */
    public static boolean isSecure(int tag) {
        int id = id(tag);
        return id >= PROP_ID_SECURE_MIN && id <= PROP_ID_SECURE_MAX;
    }

    /**
     * @param tag a property tag
     * @return e.g. {@code "0x3001001F"}, or the well-known name when {@link PropTags} knows it
     */
    public static String toString(int tag) {
        String n = PropTags.name(tag);
        return n != null ? n : String.format("0x%08X", tag);
    }
}
