package org.jmapi.runtime.testproviders;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.prop.PropertyBag;
import org.jmapi.table.MapiTable;

import java.util.ArrayList;
import java.util.List;

/**
 * A folder of a memory store (R-FM-2). Not transacted: property changes go straight to the folder's shared bag and
 * its row in the parent's hierarchy table; SaveChanges is a no-op. Folder changes need a writable logon, not
 * MAPI_MODIFY on the folder itself. An open folder whose folder was deleted answers MAPI_E_OBJECT_DELETED.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class MemoryFolder extends MemoryStoreObject implements MapiFolder {
    /** MAPI_ASSOCIATED = 0x40: the folder-associated contents. */
    static final int MAPI_ASSOCIATED = 0x40;
    /** CONVENIENT_DEPTH = 0x1 (GetHierarchyTable). */
    static final int CONVENIENT_DEPTH = 0x1;
    /** MESSAGE_DIALOG / FOLDER_DIALOG = 0x2: progress UI, meaningless without UI and accepted. */
    static final int DIALOG = 0x2;

    private final long id;

    /** @param store the logon @param id the folder id */
    MemoryFolder(MemoryStore store, long id) {
        super(store);
        this.id = id;
    }

    @Override
    protected PropertyBag bag() {
        return store.data().liveFolder(id).props;
    }

    @Override
    protected void checkWritable() {
        store.checkWritable();
    }

    @Override
    public MapiTable getContentsTable(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, MAPI_ASSOCIATED | Flags.MAPI_DEFERRED_ERRORS | Flags.MAPI_UNICODE,
                    "IMAPIContainer::GetContentsTable");
            MemoryStoreData.Folder f = store.data().liveFolder(id);
            return store.openTable((flags & MAPI_ASSOCIATED) != 0 ? f.associated : f.contents, List.of(), null);
        }
    }

    @Override
    public MapiTable getHierarchyTable(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, CONVENIENT_DEPTH | Flags.MAPI_DEFERRED_ERRORS | Flags.MAPI_UNICODE,
                    "IMAPIContainer::GetHierarchyTable");
            if ((flags & CONVENIENT_DEPTH) != 0) {
                throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "the memory store lists direct subfolders only");
            }
            return store.openTable(store.data().liveFolder(id).hierarchy, List.of(), null);
        }
    }

    @Override
    public MapiObject openEntry(EntryId entryId, int flags) {
        try (var pass = enter()) {
            return store.openObject(entryId, flags);
        }
    }

    @Override
    public Message createMessage(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, MAPI_ASSOCIATED | Flags.MAPI_DEFERRED_ERRORS, "IMAPIFolder::CreateMessage");
            store.checkWritable();
            store.data().liveFolder(id);
            return store.track(MemoryMessage.create(store, id, (flags & MAPI_ASSOCIATED) != 0));
        }
    }

    @Override
    public MapiFolder createFolder(int folderType, String name, String comment, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, OPEN_IF_EXISTS | Flags.MAPI_UNICODE | Flags.MAPI_DEFERRED_ERRORS,
                    "IMAPIFolder::CreateFolder");
            store.checkWritable();
            if (folderType == FOLDER_SEARCH) {
                throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "the memory store has no search folders");
            }
            if (folderType != FOLDER_GENERIC || name == null || name.isBlank()) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CreateFolder needs FOLDER_GENERIC and a name");
            }
            long child = store.data().createFolder(id, name, comment, (flags & OPEN_IF_EXISTS) != 0);
            return store.track(new MemoryFolder(store, child));
        }
    }

    @Override
    public int deleteMessages(List<EntryId> entryIds, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, DIALOG, "IMAPIFolder::DeleteMessages");
            store.checkWritable();
            if (entryIds == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "DeleteMessages: no entry ids");
            }
            List<Long> ids = new ArrayList<>();
            for (EntryId e : entryIds) {
                try {
                    ids.add(store.data().parse(e, MemoryStoreData.KIND_MESSAGE));
                } catch (MapiException notOurs) {
                    ids.add(-1L);
                }
            }
            return store.data().deleteMessages(id, ids);
        }
    }

    @Override
    public void deleteFolder(EntryId entryId, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, DEL_MESSAGES | DEL_FOLDERS | DIALOG, "IMAPIFolder::DeleteFolder");
            store.checkWritable();
            store.data().deleteFolder(id, store.data().parse(entryId, MemoryStoreData.KIND_FOLDER), flags);
        }
    }

    @Override
    protected String describe() {
        return "memory-store folder " + id;
    }
}
