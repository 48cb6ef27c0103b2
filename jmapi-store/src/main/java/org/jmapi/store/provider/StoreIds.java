package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The entry ids of one SQLite store: {@code [0,0,0,0] + storeUid + [kind, version] (+ 8-byte big-endian id)}.
 *
 * <p>Bytes 4..19 are the store's MAPIUID (its {@code StoreIdentity.storeUid}), which the provider registers with
 * SetProviderUID, so MAPI routes every id of the store to a logon on it (R-UID-3). The kind byte says what the id
 * names ({@link #KIND_STORE}, {@link #KIND_FOLDER}, {@link #KIND_MESSAGE}): folder and message ids are separate
 * number spaces in the storage, so the kind is part of the identity. The version byte lets a later format be told
 * apart. Ids are long-term (abFlags all zero, R-UID-6), never reused and kept across moves, because the storage's
 * ids are (R-UID-9). Immutable and thread-safe.
 *
 * @param uid the store's MAPIUID
 */
record StoreIds(MapiUid uid) {
    /** Kind byte of the store's own (unwrapped) entry id. */
    static final int KIND_STORE = 0;
    /** Kind byte of folder ids. */
    static final int KIND_FOLDER = 1;
    /** Kind byte of message ids. */
    static final int KIND_MESSAGE = 2;
    /** The entry-id format version this provider writes and reads. */
    static final int VERSION = 1;

    /**
     * What an entry id of this store names.
     *
     * @param kind {@link #KIND_STORE}, {@link #KIND_FOLDER} or {@link #KIND_MESSAGE}
     * @param id   the folder or message id in the storage; 0 for the store
     */
    record Ref(int kind, long id) {
        /** @return "folder 12", "message 7" or "the store", for messages */
        String describe() {
            return switch (kind) {
                case KIND_FOLDER -> "folder " + id;
                case KIND_MESSAGE -> "message " + id;
                default -> "the store";
            };
        }
    }

    /** @return the store's unwrapped entry id (what IMSProvider::Logon receives, R-MS-4, R-UID-8) */
    EntryId store() {
        return EntryId.create(0, uid, new byte[] {KIND_STORE, VERSION});
    }

    /**
     * @param folderId a storage folder id
     * @return its long-term entry id
     */
    EntryId folder(long folderId) {
        return object(KIND_FOLDER, folderId);
    }

    /**
     * @param messageId a storage message id
     * @return its long-term entry id
     */
    EntryId message(long messageId) {
        return object(KIND_MESSAGE, messageId);
    }

    private EntryId object(int kind, long id) {
        return EntryId.create(0, uid, ByteBuffer.allocate(10).put((byte) kind).put((byte) VERSION).putLong(id).array());
    }

    /**
     * @param e an entry id, any flag byte (short-term ids are accepted as well as long-term ones)
     * @return whether it names something in this store (or the store itself)
     */
    boolean isOurs(EntryId e) {
        try {
            parse(e);
            return true;
        } catch (MapiException notOurs) {
            return false;
        }
    }

    /**
     * @param e an entry id
     * @return what it names
     * @throws MapiException MAPI_E_INVALID_PARAMETER for null; MAPI_E_INVALID_ENTRYID for an id of another store
     *                       (another MAPIUID) or a malformed one, with a message saying which
     */
    Ref parse(EntryId e) {
        if (e == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "null entry id");
        }
        if (!e.hasProviderUid() || !e.providerUid().equals(uid)) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "entry id " + e.toHex()
                    + " does not belong to this store (store MAPIUID " + uid + ")");
        }
        byte[] d = e.providerData();
        if (d.length == 2 && d[0] == KIND_STORE && d[1] == VERSION) {
            return new Ref(KIND_STORE, 0);
        }
        if (d.length != 10 || (d[0] != KIND_FOLDER && d[0] != KIND_MESSAGE) || d[1] != VERSION) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "malformed entry id " + e.toHex()
                    + " for this store: expected kind, version " + VERSION + " and an 8-byte id after the MAPIUID");
        }
        long id = ByteBuffer.wrap(d, 2, 8).getLong();
        if (id <= 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "entry id " + e.toHex() + " names id " + id
                    + ", which is never a valid folder or message id");
        }
        return new Ref(d[0], id);
    }

    /**
     * @param e    an entry id
     * @param kind the kind it must name
     * @return the storage id
     * @throws MapiException MAPI_E_INVALID_ENTRYID for a foreign or malformed id, or one naming another kind
     */
    long parse(EntryId e, int kind) {
        Ref r = parse(e);
        if (r.kind() != kind) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "entry id " + e.toHex() + " names "
                    + r.describe() + ", not a " + (kind == KIND_FOLDER ? "folder" : kind == KIND_MESSAGE ? "message"
                    : "store"));
        }
        return r.id();
    }

    /**
     * @param a an entry id of this provider
     * @param b another
     * @return whether both are store ids of the same store (IMSProvider::CompareStoreIDs)
     */
    static boolean sameStore(EntryId a, EntryId b) {
        return isStoreId(a) && isStoreId(b) && a.providerUid().equals(b.providerUid());
    }

    /**
     * @param e an entry id
     * @return whether it has the shape of an SQLite store's own (unwrapped) entry id
     */
    static boolean isStoreId(EntryId e) {
        return e != null && e.hasProviderUid()
                && Arrays.equals(e.providerData(), new byte[] {KIND_STORE, VERSION});
    }
}
