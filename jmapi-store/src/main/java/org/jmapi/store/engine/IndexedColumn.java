package org.jmapi.store.engine;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restrictions;

import java.time.Instant;

/**
 * The message properties a storage engine copies into indexed columns of its message table, so that contents-table
 * restrictions and sorts on them run in the database (ARCHITECTURE.md &sect;6). Each column has a composite index
 * {@code (folder_id, associated, column, id)} — {@link #DELIVERY_TIME}'s from the start, the others from the first
 * sort by them ({@link SortIndexes}) — so sorting a folder by one of them and reading a page is an index walk.
 *
 * <p>Per kind: {@link Kind#TIME} one column holding {@link SortKeys#time}; {@link Kind#INT} one integer column;
 * {@link Kind#STRING} three columns — {@code c} ({@link SortKeys#text} of the value: ordering, relational operators,
 * FL_FULLSTRING / FL_PREFIX / FL_SUBSTRING), {@code c_fold} (the same of the FL_IGNORECASE folding) and
 * {@code c_size} (the value's RES_SIZE size, which depends on PT_UNICODE versus PT_STRING8). A column is NULL exactly
 * when the message does not have the property; {@link ImageRules} guarantees that a stored property with one of
 * these ids has the column's type, so the copy says everything {@link org.jmapi.table.Restrictions} would look at.
 */
public enum IndexedColumn {
    /** PR_MESSAGE_DELIVERY_TIME. */
    DELIVERY_TIME(PropTags.PR_MESSAGE_DELIVERY_TIME, Kind.TIME, "delivery_time"),
    /** PR_CLIENT_SUBMIT_TIME. */
    CLIENT_SUBMIT_TIME(PropTags.PR_CLIENT_SUBMIT_TIME, Kind.TIME, "client_submit_time"),
    /** PR_LAST_MODIFICATION_TIME. */
    LAST_MODIFICATION_TIME(PropTags.PR_LAST_MODIFICATION_TIME, Kind.TIME, "last_modification_time"),
    /** PR_SUBJECT. */
    SUBJECT(PropTags.PR_SUBJECT, Kind.STRING, "subject"),
    /** PR_MESSAGE_SIZE. */
    MESSAGE_SIZE(PropTags.PR_MESSAGE_SIZE, Kind.INT, "message_size"),
    /** PR_MESSAGE_FLAGS. */
    MESSAGE_FLAGS(PropTags.PR_MESSAGE_FLAGS, Kind.INT, "message_flags"),
    /** PR_SENDER_NAME. */
    SENDER_NAME(PropTags.PR_SENDER_NAME, Kind.STRING, "sender_name"),
    /** PR_MESSAGE_CLASS. */
    MESSAGE_CLASS(PropTags.PR_MESSAGE_CLASS, Kind.STRING, "message_class"),
    /** PR_IMPORTANCE. */
    IMPORTANCE(PropTags.PR_IMPORTANCE, Kind.INT, "importance");

    /** What a column holds. */
    public enum Kind {
        /** PT_SYSTIME, as a 12-byte order-preserving key. */
        TIME,
        /** PT_LONG, as an integer. */
        INT,
        /** PT_UNICODE or PT_STRING8, as order-preserving text plus folded text plus size. */
        STRING
    }

    private final int propId;
    private final Kind kind;
    private final String column;

    IndexedColumn(int tag, Kind kind, String column) {
        this.propId = PropTag.id(tag);
        this.kind = kind;
        this.column = column;
    }

    /** @return the property id the column copies */
    public int propId() {
        return propId;
    }

    /** @return the column's kind */
    public Kind kind() {
        return kind;
    }

    /** @return the main column's name */
    public String column() {
        return column;
    }

    /** @return the folded-text column of a STRING column */
    public String foldColumn() {
        return column + "_fold";
    }

    /** @return the size column of a STRING column */
    public String sizeColumn() {
        return column + "_size";
    }

    /**
     * @return whether the column's index is part of the schema (built with the table). The others are built on the
     *         first sort by their column ({@link SortIndexes}): each index costs every save one more b-tree page.
     */
    public boolean eager() {
        return this == DELIVERY_TIME;
    }

    /** @return the name of the column's composite index */
    public String indexName() {
        return "message_by_" + column;
    }

    /**
     * @param type a property type
     * @return whether a property of this column may have that type
     */
    public boolean accepts(int type) {
        return switch (kind) {
            case TIME -> type == PropType.PT_SYSTIME;
            case INT -> type == PropType.PT_LONG;
            case STRING -> type == PropType.PT_UNICODE || type == PropType.PT_STRING8;
        };
    }

    /** @return the type names the column accepts, for error messages */
    public String acceptedTypes() {
        return switch (kind) {
            case TIME -> "PT_SYSTIME";
            case INT -> "PT_LONG";
            case STRING -> "PT_UNICODE or PT_STRING8";
        };
    }

    /**
     * @param v a value of this column's property (of an accepted type), or null
     * @return the main column's value: a time key, an {@code Integer}, order-preserving text, or null
     */
    public Object columnValue(PropValue v) {
        if (v == null) {
            return null;
        }
        return switch (kind) {
            case TIME -> SortKeys.time((Instant) v.value());
            case INT -> v.value();
            case STRING -> SortKeys.text((String) v.value());
        };
    }

    /**
     * @param v a string value of this column's property, or null
     * @return the folded-text column's value
     */
    public String foldValue(PropValue v) {
        return v == null ? null : SortKeys.text(SortKeys.fold((String) v.value()));
    }

    /**
     * @param v a value of this column's property, or null
     * @return the size column's value ({@link Restrictions#sizeOf})
     */
    public Integer sizeValue(PropValue v) {
        return v == null ? null : Restrictions.sizeOf(v);
    }

    /**
     * @param propId a property id
     * @return the column that copies it, or null
     */
    public static IndexedColumn byPropId(int propId) {
        for (IndexedColumn c : values()) {
            if (c.propId == propId) {
                return c;
            }
        }
        return null;
    }
}
