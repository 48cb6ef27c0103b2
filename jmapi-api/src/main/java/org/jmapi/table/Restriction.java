package org.jmapi.table;

import org.jmapi.prop.PropValue;

import java.util.List;

/**
 * SRestriction as data: a tree of filters a table applies with {@link MapiTable#restrict} or
 * {@link MapiTable#findRow}. Every restriction type of MAPI is here. Immutable; thread-safe.
 *
 * <p>Evaluation against a row is {@link Restrictions#matches}; a provider that pushes restrictions into a
 * query language must give the same answers.
 */
public sealed interface Restriction {
    /** RELOP_LT = 0. */
    int RELOP_LT = 0;
    /** RELOP_LE = 1. */
    int RELOP_LE = 1;
    /** RELOP_GT = 2. */
    int RELOP_GT = 2;
    /** RELOP_GE = 3. */
    int RELOP_GE = 3;
    /** RELOP_EQ = 4. */
    int RELOP_EQ = 4;
    /** RELOP_NE = 5. */
    int RELOP_NE = 5;
    /** RELOP_RE = 6 (regular expression; not supported by jmapi's tables: MAPI_E_TOO_COMPLEX). */
    int RELOP_RE = 6;
    /** FL_FULLSTRING = 0. */
    int FL_FULLSTRING = 0x0;
    /** FL_SUBSTRING = 1. */
    int FL_SUBSTRING = 0x1;
    /** FL_PREFIX = 2. */
    int FL_PREFIX = 0x2;
    /** FL_IGNORECASE = 0x10000. */
    int FL_IGNORECASE = 0x10000;
    /** FL_IGNORENONSPACE = 0x20000. */
    int FL_IGNORENONSPACE = 0x20000;
    /** FL_LOOSE = 0x40000. */
    int FL_LOOSE = 0x40000;
    /** BMR_EQZ = 0: (value &amp; mask) == 0. */
    int BMR_EQZ = 0;
    /** BMR_NEZ = 1: (value &amp; mask) != 0. */
    int BMR_NEZ = 1;

    /**
     * RES_AND.
     *
     * @param children all must match
     */
    record And(List<Restriction> children) implements Restriction {
        /**
         * Copies the list.
         *
         * @param children all must match; not null
         */
        public And {
            children = List.copyOf(children);
        }
    }

    /**
     * RES_OR.
     *
     * @param children at least one must match
     */
    record Or(List<Restriction> children) implements Restriction {
        /**
         * Copies the list.
         *
         * @param children at least one must match; not null
         */
        public Or {
            children = List.copyOf(children);
        }
    }

    /**
     * RES_NOT.
     *
     * @param child must not match
     */
    record Not(Restriction child) implements Restriction {}

    /**
     * RES_CONTENT: string or binary matching.
     *
     * @param fuzzyLevel FL_FULLSTRING / FL_SUBSTRING / FL_PREFIX, optionally OR FL_IGNORECASE etc.
     * @param propTag    the property compared
     * @param value      the pattern; its type must match the property's (string or binary)
     */
    record Content(int fuzzyLevel, int propTag, PropValue value) implements Restriction {}

    /**
     * RES_PROPERTY: compares a property with a constant.
     *
     * @param relop   RELOP_*
     * @param propTag the property
     * @param value   the constant
     */
    record Property(int relop, int propTag, PropValue value) implements Restriction {}

    /**
     * RES_COMPAREPROPS: compares two properties of the same row.
     *
     * @param relop    RELOP_*
     * @param propTag1 left
     * @param propTag2 right
     */
    record CompareProps(int relop, int propTag1, int propTag2) implements Restriction {}

    /**
     * RES_BITMASK.
     *
     * @param relBmr  BMR_EQZ or BMR_NEZ
     * @param propTag a PT_LONG property
     * @param mask    the mask
     */
    record Bitmask(int relBmr, int propTag, int mask) implements Restriction {}

    /**
     * RES_SIZE: compares the size in bytes of a property value.
     *
     * @param relop   RELOP_*
     * @param propTag the property
     * @param cb      the size
     */
    record Size(int relop, int propTag, int cb) implements Restriction {}

    /**
     * RES_EXIST.
     *
     * @param propTag the property that must be present
     */
    record Exist(int propTag) implements Restriction {}

    /**
     * RES_SUBRESTRICTION: matches when some row of a subobject table matches.
     *
     * @param subObject PR_MESSAGE_RECIPIENTS or PR_MESSAGE_ATTACHMENTS
     * @param child     the restriction applied to the subobject rows
     */
    record Sub(int subObject, Restriction child) implements Restriction {}

    /**
     * RES_COMMENT: annotations around a restriction; matches like {@code child} (or everything when null).
     *
     * @param props annotations
     * @param child the annotated restriction, may be null
     */
    record Comment(List<PropValue> props, Restriction child) implements Restriction {
        /**
         * Copies the list.
         *
         * @param props annotations; not null
         * @param child the annotated restriction, may be null
         */
        public Comment {
            props = List.copyOf(props);
        }
    }

    /**
     * RES_COUNT: limits how many rows of {@code child} match.
     *
     * @param count the number of matches allowed
     * @param child the restriction counted
     */
    record Count(int count, Restriction child) implements Restriction {}
}
