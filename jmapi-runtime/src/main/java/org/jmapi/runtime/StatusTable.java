package org.jmapi.runtime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.jmapi.table.TableData;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The session's status table (spec &sect;8): MAPI owns it, providers feed it through ModifyStatusRow.
 *
 * <p>Rows are owned by a logon record (or by the session for MAPI's own three rows). MAPI computes PR_ENTRYID,
 * PR_INSTANCE_KEY, PR_ROWID and PR_OBJECT_TYPE for every row and supplies PR_PROVIDER_DLL_NAME, PR_RESOURCE_FLAGS
 * and PR_RESOURCE_TYPE, whatever the provider passed (R-ST-2). Adding, updating and removing rows notify the
 * table's sinks with TABLE_ROW_ADDED / MODIFIED / DELETED (R-ST-4, spec C-31). Thread-safe.
 */
final class StatusTable {
    /** The UID in bytes 4..19 of every status-row entry id; routes OpenEntry to the row's status object (R-ST-6). */
    static final MapiUid STATUS_UID = MapiUid.parse("6a6d6170692d7374617475732d726f77");

    static final int[] COLUMNS = {
        PropTags.PR_ROWID, PropTags.PR_ENTRYID, PropTags.PR_INSTANCE_KEY, PropTags.PR_OBJECT_TYPE,
        PropTags.PR_DISPLAY_NAME, PropTags.PR_PROVIDER_DISPLAY, PropTags.PR_PROVIDER_DLL_NAME,
        PropTags.PR_RESOURCE_TYPE, PropTags.PR_RESOURCE_FLAGS, PropTags.PR_RESOURCE_METHODS,
        PropTags.PR_STATUS_CODE, PropTags.PR_STATUS_STRING,
    };
    private static final Set<Integer> MAPI_COLUMNS = Set.of(
            PropTag.id(PropTags.PR_ENTRYID), PropTag.id(PropTags.PR_INSTANCE_KEY), PropTag.id(PropTags.PR_ROWID),
            PropTag.id(PropTags.PR_OBJECT_TYPE), PropTag.id(PropTags.PR_PROVIDER_DLL_NAME),
            PropTag.id(PropTags.PR_RESOURCE_FLAGS), PropTag.id(PropTags.PR_RESOURCE_TYPE));

    /** What MAPI supplies for an owner's rows. */
    record RowIdentity(String dllName, int resourceFlags, int resourceType) {}

    private final TableData data;
    private final Map<Integer, Object> ownerByRow = new HashMap<>();
    private final Map<Object, List<Integer>> rowsByOwner = new LinkedHashMap<>();
    private int nextRowId = 1;

    StatusTable(Executor notifier) {
        this.data = new TableData(PropTags.PR_INSTANCE_KEY, COLUMNS, notifier);
    }

    static EntryId entryIdOf(int rowId) {
        return EntryId.create(0, STATUS_UID, ByteBuffer.allocate(4).putInt(rowId).array());
    }

    static Optional<Integer> rowIdOf(EntryId id) {
        if (!id.hasProviderUid() || !id.providerUid().equals(STATUS_UID) || id.providerData().length != 4) {
            return Optional.empty();
        }
        return Optional.of(ByteBuffer.wrap(id.providerData()).getInt());
    }

    /** ModifyStatusRow(flags 0): a new row for {@code owner}. @return its PR_ROWID */
    int addRow(Object owner, RowIdentity identity, List<PropValue> providerProps) {
        int rowId;
        synchronized (this) {
            rowId = nextRowId++;
            ownerByRow.put(rowId, owner);
            rowsByOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(rowId);
        }
        List<PropValue> row = new ArrayList<>();
        for (PropValue v : providerProps) {
            if (!MAPI_COLUMNS.contains(v.id()) && v.tag() != PropTag.PR_NULL && !v.isError()) {
                row.add(v);
            }
        }
        row.addAll(mapiColumns(rowId, identity));
        data.modifyRow(row);
        return rowId;
    }

    private static List<PropValue> mapiColumns(int rowId, RowIdentity identity) {
        return List.of(
                PropValue.ofInt(PropTags.PR_ROWID, rowId),
                PropValue.ofBinary(PropTags.PR_ENTRYID, entryIdOf(rowId).toBytes()),
                instanceKey(rowId),
                PropValue.ofInt(PropTags.PR_OBJECT_TYPE, Flags.MAPI_STATUS),
                PropValue.ofString(PropTags.PR_PROVIDER_DLL_NAME, identity.dllName()),
                PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, identity.resourceFlags()),
                PropValue.ofInt(PropTags.PR_RESOURCE_TYPE, identity.resourceType()));
    }

    private static PropValue instanceKey(int rowId) {
        return PropValue.ofBinary(PropTags.PR_INSTANCE_KEY, ByteBuffer.allocate(4).putInt(rowId).array());
    }

    /** @return PR_STATUS_CODE of the owner's first row, 0 when it has none */
    int statusCode(Object owner) {
        return firstRow(owner).flatMap(r -> r.find(PropTags.PR_STATUS_CODE)).filter(v -> !v.isError())
                .map(PropValue::asInt).orElse(0);
    }

    /** ModifyStatusRow(STATUSROW_UPDATE): merges into the owner's first row (adds one if it has none). */
    void updateRow(Object owner, RowIdentity identity, List<PropValue> providerProps) {
        Integer rowId;
        synchronized (this) {
            List<Integer> rows = rowsByOwner.get(owner);
            rowId = rows == null || rows.isEmpty() ? null : rows.get(0);
        }
        if (rowId == null) {
            addRow(owner, identity, providerProps);
            return;
        }
        Row current = data.row(instanceKey(rowId)).orElseThrow();
        Map<Integer, PropValue> merged = new LinkedHashMap<>();
        for (PropValue v : current.values()) {
            merged.put(v.id(), v);
        }
        for (PropValue v : providerProps) {
            if (!MAPI_COLUMNS.contains(v.id()) && v.tag() != PropTag.PR_NULL && !v.isError()) {
                merged.put(v.id(), v);
            }
        }
        data.modifyRow(new ArrayList<>(merged.values()));
    }

    /** Removes every row of {@code owner} (R-ST-5). @return how many */
    int removeRows(Object owner) {
        List<Integer> rows;
        synchronized (this) {
            rows = rowsByOwner.remove(owner);
            if (rows == null) {
                return 0;
            }
            rows.forEach(ownerByRow::remove);
        }
        for (int rowId : rows) {
            data.deleteRow(instanceKey(rowId));
        }
        return rows.size();
    }

    synchronized Optional<Object> ownerOf(int rowId) {
        return Optional.ofNullable(ownerByRow.get(rowId));
    }

    synchronized int rowCount(Object owner) {
        List<Integer> rows = rowsByOwner.get(owner);
        return rows == null ? 0 : rows.size();
    }

    Optional<Row> firstRow(Object owner) {
        Integer rowId;
        synchronized (this) {
            List<Integer> rows = rowsByOwner.get(owner);
            rowId = rows == null || rows.isEmpty() ? null : rows.get(0);
        }
        return rowId == null ? Optional.empty() : data.row(instanceKey(rowId));
    }

    int size() {
        return data.size();
    }

    MapiTable openView() {
        return data.openView();
    }

    void invalidateViews() {
        data.invalidateViews();
    }
}
