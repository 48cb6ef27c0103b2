package org.jmapi.runtime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.profile.ProviderRecord;
import org.jmapi.table.MapiTable;
import org.jmapi.table.TableData;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The session's message-store table (R-MST-1): one row per store of the profile, with the wrapped entry id
 * clients open it by (R-UID-8); dynamic and notifying. Stores whose section carries STATUS_TEMP_SECTION, and
 * stores opened only with MDB_TEMPORARY, are never listed. Thread-safe.
 */
final class MsgStoresTable {
    /** The UID in bytes 4..19 of a wrapped store entry id (MAPI's store-wrap UID). */
    static final MapiUid STORE_WRAP_UID = MapiUid.parse("6a6d6170692d73746f72652d77726170");

    static final int[] COLUMNS = {
        PropTags.PR_DEFAULT_STORE, PropTags.PR_DISPLAY_NAME, PropTags.PR_ENTRYID, PropTags.PR_INSTANCE_KEY,
        PropTags.PR_MDB_PROVIDER, PropTags.PR_OBJECT_TYPE, PropTags.PR_PROVIDER_DISPLAY, PropTags.PR_RECORD_KEY,
        PropTags.PR_RESOURCE_FLAGS, PropTags.PR_RESOURCE_TYPE,
    };

    private final TableData data;

    MsgStoresTable(Executor notifier) {
        this.data = new TableData(PropTags.PR_INSTANCE_KEY, COLUMNS, notifier);
    }

    /**
     * Wraps a provider's store id: {@code [0,0,0,0] STORE_WRAP_UID sectionUid unwrapped...} (R-UID-8).
     *
     * @param sectionUid the store provider's section
     * @param unwrapped  the provider's own id, or null when the store has not published one yet
     * @return the wrapped id
     */
    static EntryId wrap(MapiUid sectionUid, EntryId unwrapped) {
        byte[] section = sectionUid.toBytes();
        byte[] rest = unwrapped == null ? new byte[0] : unwrapped.toBytes();
        byte[] data = new byte[section.length + rest.length];
        System.arraycopy(section, 0, data, 0, section.length);
        System.arraycopy(rest, 0, data, section.length, rest.length);
        return EntryId.create(0, STORE_WRAP_UID, data);
    }

    static boolean isWrapped(EntryId id) {
        return id.hasProviderUid() && id.providerUid().equals(STORE_WRAP_UID) && id.providerData().length >= 16;
    }

    static MapiUid sectionOf(EntryId wrapped) {
        return MapiUid.of(wrapped.providerData(), 0);
    }

    /** @return the provider's own id inside a wrapped one, or null when it carries none */
    static EntryId unwrap(EntryId wrapped) {
        byte[] d = wrapped.providerData();
        if (d.length <= 16) {
            return null;
        }
        byte[] rest = new byte[d.length - 16];
        System.arraycopy(d, 16, rest, 0, rest.length);
        return EntryId.of(rest);
    }

    /** Adds or refreshes the row of one store. */
    void put(ProviderRecord store, boolean isDefault, EntryId unwrapped, byte[] recordKey, byte[] mdbProvider) {
        List<PropValue> row = new ArrayList<>();
        row.add(PropValue.ofBinary(PropTags.PR_INSTANCE_KEY, store.uid().toBytes()));
        row.add(PropValue.ofBoolean(PropTags.PR_DEFAULT_STORE, isDefault));
        row.add(PropValue.ofString(PropTags.PR_DISPLAY_NAME, store.displayName()));
        row.add(PropValue.ofBinary(PropTags.PR_ENTRYID, wrap(store.uid(), unwrapped).toBytes()));
        row.add(PropValue.ofBinary(PropTags.PR_MDB_PROVIDER,
                mdbProvider != null ? mdbProvider : store.serviceUid().toBytes()));
        row.add(PropValue.ofInt(PropTags.PR_OBJECT_TYPE, Flags.MAPI_STORE));
        row.add(PropValue.ofString(PropTags.PR_PROVIDER_DISPLAY, store.displayName()));
        row.add(PropValue.ofBinary(PropTags.PR_RECORD_KEY, recordKey != null ? recordKey : store.uid().toBytes()));
        row.add(PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, store.resourceFlags()));
        row.add(PropValue.ofInt(PropTags.PR_RESOURCE_TYPE, Flags.MAPI_STORE_PROVIDER));
        data.modifyRow(row);
    }

    void remove(MapiUid sectionUid) {
        data.deleteRow(PropValue.ofBinary(PropTags.PR_INSTANCE_KEY, sectionUid.toBytes()));
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
