package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageRow;
import org.jmapi.store.engine.PropCodec;
import org.jmapi.table.Row;
import org.jmapi.table.RowSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.jmapi.prop.PropTags.*;

/**
 * How the store's tables build their rows: the properties the provider computes for every message and folder row
 * (entry ids, instance keys, parent, object type, store ids), the column projection of R-TBL-1 (PR_NULL slots,
 * string flavours, PT_ERROR / MAPI_E_NOT_FOUND for columns a row lacks), and the default column sets.
 * Pure functions; thread-safe.
 */
final class Rows {
    /** A PR_NULL-tagged value: PR_NULL columns, and the propPrior of a first row (R-TBL-9). */
    static final PropValue PR_NULL_VALUE = PropValue.of(PropTag.PR_NULL, null);
    /** The default columns of a contents table. */
    static final int[] CONTENTS_COLUMNS = {PR_ENTRYID, PR_INSTANCE_KEY, PR_SUBJECT, PR_MESSAGE_CLASS,
        PR_MESSAGE_FLAGS, PR_DISPLAY_TO, PR_SENDER_NAME, PR_CLIENT_SUBMIT_TIME, PR_MESSAGE_DELIVERY_TIME,
        PR_MESSAGE_SIZE};
    /** The default columns of a hierarchy table. */
    static final int[] HIERARCHY_COLUMNS = {PR_ENTRYID, PR_INSTANCE_KEY, PR_DISPLAY_NAME, PR_CONTENT_COUNT,
        PR_CONTENT_UNREAD, PR_SUBFOLDERS, PR_DEPTH, PR_FOLDER_TYPE};
    /** The default columns of the outgoing queue (the ones R-OQ-1 requires, plus PR_INSTANCE_KEY). */
    static final int[] QUEUE_COLUMNS = {PR_ENTRYID, PR_INSTANCE_KEY, PR_CLIENT_SUBMIT_TIME, PR_DISPLAY_BCC,
        PR_DISPLAY_CC, PR_DISPLAY_TO, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, PR_PRIORITY, PR_SENDER_NAME, PR_SUBJECT,
        PR_SUBMIT_FLAGS};
    /** The message properties a contents-table row gets from the provider rather than the stored image. */
    static final Set<Integer> COMPUTED_MESSAGE_IDS = ids(PR_ENTRYID, PR_INSTANCE_KEY, PR_RECORD_KEY,
            PR_PARENT_ENTRYID, PR_OBJECT_TYPE, PR_STORE_ENTRYID, PR_STORE_RECORD_KEY);

    private Rows() {}

    /**
     * @param tags tags
     * @return their property ids
     */
    static Set<Integer> ids(int... tags) {
        Set<Integer> s = new java.util.HashSet<>();
        for (int t : tags) {
            s.add(PropTag.id(t));
        }
        return Set.copyOf(s);
    }

    /**
     * The values a message row carries besides its stored properties.
     *
     * @param ids      the store's entry-id codec
     * @param storeId  the store entry id clients see (wrapped, R-UID-8)
     * @param id       the message id
     * @param folderId its folder
     * @return PR_ENTRYID, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_PARENT_ENTRYID, PR_OBJECT_TYPE, PR_STORE_ENTRYID,
     *         PR_STORE_RECORD_KEY
     */
    static List<PropValue> messageComputed(StoreIds ids, EntryId storeId, long id, long folderId) {
        byte[] eid = ids.message(id).toBytes();
        return List.of(PropValue.ofBinary(PR_ENTRYID, eid), PropValue.ofBinary(PR_INSTANCE_KEY, eid),
                PropValue.ofBinary(PR_RECORD_KEY, eid),
                PropValue.ofBinary(PR_PARENT_ENTRYID, ids.folder(folderId).toBytes()),
                PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_MESSAGE),
                PropValue.ofBinary(PR_STORE_ENTRYID, storeId.toBytes()),
                PropValue.ofBinary(PR_STORE_RECORD_KEY, ids.uid().toBytes()));
    }

    /**
     * The largest string or binary value a table row carries, in bytes of its stream form (UTF-16 for PT_UNICODE,
     * UTF-8 for PT_STRING8); a larger one is PT_ERROR / MAPI_E_NOT_ENOUGH_MEMORY in the row (R-PROP-1: "typically
     * &ge; 4 KB"). Fixed here, not left to where an engine happens to keep the value (SQLite keeps ASCII text of up to
     * 4,096 characters inline), so that every engine's rows are the same.
     */
    static final int ROW_VALUE_LIMIT = 4096;

    /**
     * A message row as a table sees it: stored properties (secure ones left out), computed ones, and values over
     * {@link #ROW_VALUE_LIMIT} (out-of-line ones always) as PT_ERROR / MAPI_E_NOT_ENOUGH_MEMORY (too large for a
     * row, R-PROP-1).
     *
     * @param ids     the store's entry-id codec
     * @param storeId the wrapped store entry id
     * @param r       the stored row
     * @return the values, one per id
     */
    static List<PropValue> messageValues(StoreIds ids, EntryId storeId, MessageRow r) {
        Map<Integer, PropValue> byId = new LinkedHashMap<>();
        for (PropValue v : r.properties()) {
            if (!PropTag.isSecure(v.tag())) {
                byId.put(v.id(), tooLargeForARow(v)
                        ? PropValue.error(v.tag(), HResult.MAPI_E_NOT_ENOUGH_MEMORY) : v);
            }
        }
        for (LargeValue v : r.largeValues()) {
            if (!PropTag.isSecure(v.tag())) {
                byId.put(PropTag.id(v.tag()), PropValue.error(v.tag(), HResult.MAPI_E_NOT_ENOUGH_MEMORY));
            }
        }
        for (PropValue v : messageComputed(ids, storeId, r.id(), r.info().folderId())) {
            byId.put(v.id(), v);
        }
        return List.copyOf(byId.values());
    }

    /** @return whether a single-valued string or binary value's stream form is over {@link #ROW_VALUE_LIMIT} */
    private static boolean tooLargeForARow(PropValue v) {
        return switch (v.type()) {
            case PropType.PT_UNICODE -> v.asString().length() * 2 > ROW_VALUE_LIMIT;
            case PropType.PT_STRING8 -> v.asString().length() > ROW_VALUE_LIMIT / 4
                    && PropCodec.streamBytes(PropType.PT_STRING8, v.asString()).length > ROW_VALUE_LIMIT;
            case PropType.PT_BINARY -> v.asBinary().length > ROW_VALUE_LIMIT;
            default -> false;
        };
    }

    /**
     * A folder's row in a hierarchy table (and its computed properties as an open folder shows them).
     *
     * @param ids     the store's entry-id codec
     * @param storeId the wrapped store entry id
     * @param f       the folder
     * @param depth   PR_DEPTH relative to the table's folder (0 for direct subfolders)
     * @return the values, one per id
     */
    static List<PropValue> folderValues(StoreIds ids, EntryId storeId, FolderRecord f, int depth) {
        Map<Integer, PropValue> byId = new LinkedHashMap<>();
        for (PropValue v : f.properties()) {
            if (!PropTag.isSecure(v.tag())) {
                byId.put(v.id(), v);
            }
        }
        byte[] eid = ids.folder(f.id()).toBytes();
        List<PropValue> computed = new ArrayList<>(List.of(
                PropValue.ofBinary(PR_ENTRYID, eid),
                PropValue.ofBinary(PR_INSTANCE_KEY, eid),
                PropValue.ofBinary(PR_RECORD_KEY, eid),
                PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_FOLDER),
                PropValue.ofString(PR_DISPLAY_NAME, f.displayName()),
                PropValue.ofInt(PR_FOLDER_TYPE, f.folderType()),
                PropValue.ofInt(PR_CONTENT_COUNT, f.contentCount()),
                PropValue.ofInt(PR_CONTENT_UNREAD, f.unreadCount()),
                PropValue.ofInt(PR_ASSOC_CONTENT_COUNT, f.associatedContentCount()),
                PropValue.ofBoolean(PR_SUBFOLDERS, f.hasSubfolders()),
                PropValue.ofInt(PR_DEPTH, depth),
                PropValue.ofTime(PR_CREATION_TIME, f.created()),
                PropValue.ofTime(PR_LAST_MODIFICATION_TIME, f.modified()),
                PropValue.ofBinary(PR_STORE_ENTRYID, storeId.toBytes()),
                PropValue.ofBinary(PR_STORE_RECORD_KEY, ids.uid().toBytes())));
        if (f.parentId() != 0) {
            computed.add(PropValue.ofBinary(PR_PARENT_ENTRYID, ids.folder(f.parentId()).toBytes()));
        }
        if (f.comment() != null) {
            computed.add(PropValue.ofString(PR_COMMENT, f.comment()));
        }
        for (PropValue v : computed) {
            byId.put(v.id(), v);
        }
        return List.copyOf(byId.values());
    }

    /** PR_ASSOC_CONTENT_COUNT = 0x36170003. */
    static final int PR_ASSOC_CONTENT_COUNT = 0x36170003;

    /**
     * @param values a row's values
     * @return a lookup over them for restrictions (PT_ERROR values count as absent)
     */
    static RowSource source(List<PropValue> values) {
        Map<Integer, PropValue> byId = new HashMap<>();
        for (PropValue v : values) {
            if (!v.isError() && v.tag() != PropTag.PR_NULL) {
                byId.put(v.id(), v);
            }
        }
        return tag -> byId.get(PropTag.id(tag));
    }

    /**
     * Projects a row onto a column set (R-TBL-1).
     *
     * @param values  the row's values (PT_ERROR ones are kept, so that a too-large value says so)
     * @param columns the column set
     * @return one value per column
     */
    static Row project(List<PropValue> values, int[] columns) {
        Map<Integer, PropValue> byId = new HashMap<>();
        for (PropValue v : values) {
            byId.put(v.id(), v);
        }
        List<PropValue> out = new ArrayList<>(columns.length);
        for (int col : columns) {
            out.add(column(byId.get(PropTag.id(col)), col));
        }
        return new Row(out);
    }

    /**
     * @param v   the row's value with the column's id, or null
     * @param col the column tag
     * @return PR_NULL for a PR_NULL column; the value (re-typed between string flavours when asked); the value's own
     *         PT_ERROR; else PT_ERROR / MAPI_E_NOT_FOUND
     */
    static PropValue column(PropValue v, int col) {
        if (col == PropTag.PR_NULL) {
            return PR_NULL_VALUE;
        }
        if (v == null) {
            return PropValue.error(col, HResult.MAPI_E_NOT_FOUND);
        }
        if (v.isError()) {
            return PropValue.error(col, v.errorCode());
        }
        int want = PropTag.type(col);
        if (want == PropType.PT_UNSPECIFIED || want == v.type()) {
            return v;
        }
        if (isString(want) && isString(v.type())
                && PropType.isMultiValued(want) == PropType.isMultiValued(v.type())) {
            return PropValue.of(PropTag.withType(v.tag(), want), v.value());
        }
        return PropValue.error(col, HResult.MAPI_E_NOT_FOUND);
    }

    /**
     * @param type a property type
     * @return whether its base type is PT_UNICODE or PT_STRING8
     */
    static boolean isString(int type) {
        int base = PropType.base(type);
        return base == PropType.PT_UNICODE || base == PropType.PT_STRING8;
    }
}
