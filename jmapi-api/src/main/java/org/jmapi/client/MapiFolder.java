package org.jmapi.client;

import org.jmapi.EntryId;
import org.jmapi.HResult;
import org.jmapi.MapiException;
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

    /**
     * IMAPIFolder::CopyMessages: copies (MESSAGE_MOVE: moves) messages of this folder to {@code destination}. A
     * copy gets a new entry id and is not submitted; a moved message keeps its entry id within one store. The store
     * raises fnevObjectCopied / fnevObjectMoved for each message (R-NTF-5), after the call returns (R-NTF-3).
     * Messages that cannot be copied or moved (not in this folder, missing, or, for a move, submitted or open for
     * writing, R-FM-2) are skipped and the call answers MAPI_W_PARTIAL_COMPLETION.
     *
     * <p>Folders that do not copy answer MAPI_E_NO_SUPPORT (the default here). <b>Ownership:</b> the destination is
     * only used during the call. <b>After logoff:</b> MAPI_E_INVALID_OBJECT. <b>Threads:</b> any.
     *
     * @param entryIds    the messages; not null
     * @param destination the folder to copy or move them to (of this store or another)
     * @param flags       0, MESSAGE_MOVE, MESSAGE_DIALOG (accepted, no UI), MAPI_DECLINE_OK
     * @return S_OK, or MAPI_W_PARTIAL_COMPLETION when some messages were skipped
     * @throws MapiException MAPI_E_INVALID_PARAMETER for null arguments; MAPI_E_NO_ACCESS when the destination's
     *                       store (or, for a move, this store) is read-only (R-MS-9); MAPI_E_DECLINE_COPY with
     *                       MAPI_DECLINE_OK when the destination belongs to another provider;
     *                       MAPI_E_OBJECT_DELETED when this folder or the destination was deleted;
     *                       MAPI_E_UNKNOWN_FLAGS
     */
    default int copyMessages(List<EntryId> entryIds, MapiFolder destination, int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                getClass().getSimpleName() + " does not copy messages (IMAPIFolder::CopyMessages)");
    }

    /**
     * IMAPIFolder::CopyFolder: copies (FOLDER_MOVE: moves) a subfolder of this folder into {@code destination},
     * optionally under a new name. A copy holds copies of the folder's properties, messages and associated messages,
     * and with COPY_SUBFOLDERS of its whole subtree; a moved folder keeps its entry id, its contents and its
     * subfolders. The store raises fnevObjectCopied / fnevObjectMoved for the folder (R-NTF-5).
     *
     * <p>Folders that do not copy answer MAPI_E_NO_SUPPORT (the default here). <b>Ownership:</b> the destination is
     * only used during the call. <b>After logoff:</b> MAPI_E_INVALID_OBJECT. <b>Threads:</b> any.
     *
     * @param entryId     the subfolder
     * @param destination the new parent
     * @param newName     the name in the destination, or null to keep the name
     * @param flags       0, FOLDER_MOVE, COPY_SUBFOLDERS, FOLDER_DIALOG (accepted, no UI), MAPI_UNICODE,
     *                    MAPI_DECLINE_OK
     * @return S_OK
     * @throws MapiException MAPI_E_NOT_FOUND when {@code entryId} is not a subfolder of this folder;
     *                       MAPI_E_COLLISION when the destination has a subfolder of that name;
     *                       MAPI_E_FOLDER_CYCLE when the destination is the folder or lies inside it (for a copy,
     *                       only with COPY_SUBFOLDERS); MAPI_E_NO_ACCESS for a read-only store or a default folder
     *                       moved; MAPI_E_DECLINE_COPY with MAPI_DECLINE_OK for a destination of another provider;
     *                       MAPI_E_UNKNOWN_FLAGS
     */
    default int copyFolder(EntryId entryId, MapiFolder destination, String newName, int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                getClass().getSimpleName() + " does not copy folders (IMAPIFolder::CopyFolder)");
    }
}
