package org.jmapi.client;

import org.jmapi.EntryId;
import org.jmapi.MapiObject;
import org.jmapi.prop.MapiProp;
import org.jmapi.table.MapiTable;

import java.util.List;

/**
 * IMAPIFolder (with IMAPIContainer): a folder of a message store.
 *
 * <p>Folders are not transacted: changes take effect at once (R-PROP-5). <b>Ownership:</b> the caller owns the
 * references this interface returns (R-REF-1). <b>After logoff</b> of the store's logon: MAPI_E_INVALID_OBJECT
 * (R-INV-2). <b>Threads:</b> any.
 */
public interface MapiFolder extends MapiProp {
    /** DEL_MESSAGES = 0x8, for {@link #deleteFolder}. */
    int DEL_MESSAGES = 0x8;
    /** DEL_FOLDERS = 0x4, for {@link #deleteFolder}. */
    int DEL_FOLDERS = 0x4;
    /** OPEN_IF_EXISTS = 0x1, for {@link #createFolder}. */
    int OPEN_IF_EXISTS = 0x1;
    /** FOLDER_GENERIC = 1. */
    int FOLDER_GENERIC = 1;
    /** FOLDER_SEARCH = 2. */
    int FOLDER_SEARCH = 2;

    /**
     * IMAPIContainer::GetContentsTable.
     *
     * @param flags 0, MAPI_ASSOCIATED (0x40), MAPI_DEFERRED_ERRORS
     * @return the messages; one reference owned by the caller
     */
    MapiTable getContentsTable(int flags);

    /**
     * IMAPIContainer::GetHierarchyTable.
     *
     * @param flags 0 or CONVENIENT_DEPTH (0x1)
     * @return the subfolders
     */
    MapiTable getHierarchyTable(int flags);

    /**
     * IMAPIContainer::OpenEntry.
     *
     * @param entryId a message or folder id
     * @param flags   0, MAPI_MODIFY, MAPI_BEST_ACCESS
     * @return the object
     */
    MapiObject openEntry(EntryId entryId, int flags);

    /**
     * IMAPIFolder::CreateMessage (R-FM-1): the message has no entry id until its first SaveChanges.
     *
     * @param flags 0 or MAPI_ASSOCIATED
     * @return the new, unsaved message
     */
    Message createMessage(int flags);

    /**
     * IMAPIFolder::CreateFolder (R-FM-2).
     *
     * @param folderType FOLDER_GENERIC or FOLDER_SEARCH
     * @param name       the display name, unique among siblings
     * @param comment    PR_COMMENT, may be null
     * @param flags      0 or OPEN_IF_EXISTS
     * @return the folder
     * @throws org.jmapi.MapiException MAPI_E_COLLISION when a sibling has that name
     */
    MapiFolder createFolder(int folderType, String name, String comment, int flags);

    /**
     * IMAPIFolder::DeleteMessages (R-FM-2).
     *
     * @param entryIds the messages
     * @param flags    0
     * @return S_OK or MAPI_W_PARTIAL_COMPLETION when some could not be deleted (submitted, open, missing)
     */
    int deleteMessages(List<EntryId> entryIds, int flags);

    /**
     * IMAPIFolder::DeleteFolder (R-FM-2).
     *
     * @param entryId the subfolder
     * @param flags   DEL_MESSAGES, DEL_FOLDERS
     * @throws org.jmapi.MapiException MAPI_E_HAS_FOLDERS, MAPI_E_HAS_MESSAGES for non-empty folders
     */
    void deleteFolder(EntryId entryId, int flags);
}
