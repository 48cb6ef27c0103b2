package org.jmapi.store.provider;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.Storage;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The default folder tree a MAPI client expects, and where it lives in one store file: the root folder, the IPM
 * subtree ("Top of Information Store") and, under it, Inbox, Outbox, Sent Items, Deleted Items and Drafts.
 *
 * <p>{@link #ensure(Storage)} creates whatever is missing the first time a store file is opened (or repairs a
 * tree whose creation a crash interrupted) and records the folder ids in provider-private store properties
 * ({@link #PR_LAYOUT_IDS}), so later opens find the folders by id even if a client renamed them. It also registers
 * the Inbox as the default receive folder (R-RF-1) when no default is registered. Creation is idempotent and safe
 * against another process doing the same at the same time: a name collision means the other process created the
 * folder, which is then used. Immutable and thread-safe.
 *
 * @param root        the store's root folder (PR_FOLDER_TYPE FOLDER_ROOT)
 * @param ipmSubtree  "Top of Information Store" (PR_IPM_SUBTREE_ENTRYID)
 * @param inbox       the Inbox, the default receive folder
 * @param outbox      the Outbox (PR_IPM_OUTBOX_ENTRYID)
 * @param sentItems   Sent Items (PR_IPM_SENTMAIL_ENTRYID)
 * @param deletedItems Deleted Items (PR_IPM_WASTEBASKET_ENTRYID)
 * @param drafts      Drafts (PR_IPM_DRAFTS_ENTRYID)
 */
record StoreLayout(long root, long ipmSubtree, long inbox, long outbox, long sentItems, long deletedItems,
                   long drafts) {
    /** Display name of the IPM subtree. */
    static final String IPM_SUBTREE_NAME = "Top of Information Store";
    /** Display name of the Inbox. */
    static final String INBOX_NAME = "Inbox";
    /** Display name of the Outbox. */
    static final String OUTBOX_NAME = "Outbox";
    /** Display name of Sent Items. */
    static final String SENT_ITEMS_NAME = "Sent Items";
    /** Display name of Deleted Items. */
    static final String DELETED_ITEMS_NAME = "Deleted Items";
    /** Display name of Drafts. */
    static final String DRAFTS_NAME = "Drafts";

    /**
     * PROP_TAG(PT_MV_I8, 0x6701): provider-private store property holding the six folder ids of the layout, in
     * the order IPM subtree, Inbox, Outbox, Sent Items, Deleted Items, Drafts. Secure (0x6600..0x67FF), so
     * clients see it only when they ask for it by tag.
     */
    static final int PR_LAYOUT_IDS = PropTag.tag(PropType.MV_FLAG | PropType.PT_I8, 0x6701);

    /**
     * @param folderId a folder id
     * @return whether it is one of the folders a client may not delete (the IPM subtree and the default
     *         folders; the root cannot be deleted anyway)
     */
    boolean isSpecial(long folderId) {
        return folderId == root || folderId == ipmSubtree || folderId == inbox || folderId == outbox
                || folderId == sentItems || folderId == deletedItems || folderId == drafts;
    }

    /**
     * Finds the layout of a store file, creating what is missing.
     *
     * @param storage the open store
     * @return the layout
     * @throws MapiException whatever the storage throws (MAPI_E_BUSY when another process holds the write lock too
     *                       long, MAPI_E_NO_ACCESS / MAPI_E_DISK_ERROR style failures), with the path in the message
     */
    static StoreLayout ensure(Storage storage) {
        long root = storage.identity().rootFolderId();
        Optional<StoreLayout> known = recorded(storage, root);
        StoreLayout layout;
        if (known.isPresent()) {
            layout = known.get();
        } else {
            long subtree = folder(storage, root, IPM_SUBTREE_NAME);
            layout = new StoreLayout(root, subtree, folder(storage, subtree, INBOX_NAME),
                    folder(storage, subtree, OUTBOX_NAME), folder(storage, subtree, SENT_ITEMS_NAME),
                    folder(storage, subtree, DELETED_ITEMS_NAME), folder(storage, subtree, DRAFTS_NAME));
            storage.setStoreProperties(List.of(PropValue.of(PR_LAYOUT_IDS, List.of(layout.ipmSubtree,
                    layout.inbox, layout.outbox, layout.sentItems, layout.deletedItems, layout.drafts))), List.of());
        }
        if (storage.getReceiveFolder("").isEmpty()) {
            storage.setReceiveFolder("", layout.inbox);
        }
        return layout;
    }

    /** @return the layout recorded in the store properties, if complete and every folder still exists */
    private static Optional<StoreLayout> recorded(Storage storage, long root) {
        for (PropValue v : storage.storeProperties()) {
            if (v.id() == PropTag.id(PR_LAYOUT_IDS) && v.value() instanceof List<?> list && list.size() == 6) {
                long[] ids = list.stream().mapToLong(x -> (Long) x).toArray();
                for (long id : ids) {
                    try {
                        storage.loadFolder(id);
                    } catch (MapiException e) {
                        if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
                            return Optional.empty();
                        }
                        throw e;
                    }
                }
                return Optional.of(new StoreLayout(root, ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]));
            }
        }
        return Optional.empty();
    }

    /** @return the id of {@code parent}'s subfolder named {@code name}, created when there is none */
    private static long folder(Storage storage, long parent, String name) {
        Optional<Long> existing = find(storage, parent, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return storage.createFolder(parent, name, FolderRecord.FOLDER_GENERIC, null, List.of()).id();
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_COLLISION) {
                // Another process created it between our look-up and our create: use theirs.
                return find(storage, parent, name).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /**
     * @param storage the store
     * @param parent  a folder
     * @param name    a display name, compared ignoring case as the storage does
     * @return the id of the subfolder with that name
     */
    static Optional<Long> find(Storage storage, long parent, String name) {
        String key = name.toLowerCase(Locale.ROOT);
        for (FolderRecord f : storage.listFolders(parent)) {
            if (f.displayName().toLowerCase(Locale.ROOT).equals(key)) {
                return Optional.of(f.id());
            }
        }
        return Optional.empty();
    }

    /** @return the six folder ids below the root, for tests and diagnostics */
    List<Long> defaultFolders() {
        return List.of(ipmSubtree, inbox, outbox, sentItems, deletedItems, drafts);
    }
}
