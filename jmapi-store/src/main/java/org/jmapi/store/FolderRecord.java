package org.jmapi.store;

import org.jmapi.prop.PropValue;

import java.time.Instant;
import java.util.List;

/**
 * A folder as stored: its place in the tree, the properties the storage gives columns to, its other properties and
 * the counts the storage maintains. Immutable snapshot; owned by the caller.
 *
 * @param id                     the folder id: 64-bit, never reused, kept when the folder moves (R-UID-9)
 * @param parentId               the parent folder, 0 for the root
 * @param displayName            PR_DISPLAY_NAME; unique among its siblings, compared ignoring case (R-FM-2)
 * @param folderType             PR_FOLDER_TYPE: {@link #FOLDER_ROOT}, {@link #FOLDER_GENERIC} or {@link #FOLDER_SEARCH}
 * @param comment                PR_COMMENT, or null
 * @param properties             the folder's other properties, as last set
 * @param contentCount           PR_CONTENT_COUNT: ordinary messages in the folder
 * @param unreadCount            PR_CONTENT_UNREAD: ordinary messages without MSGFLAG_READ
 * @param associatedContentCount PR_ASSOC_CONTENT_COUNT: associated (FAI) messages
 * @param subfolderCount         direct subfolders (PR_SUBFOLDERS is {@code subfolderCount > 0})
 * @param created                PR_CREATION_TIME
 * @param modified               PR_LAST_MODIFICATION_TIME of the folder itself (not of its messages)
 */
public record FolderRecord(long id, long parentId, String displayName, int folderType, String comment,
                           List<PropValue> properties, int contentCount, int unreadCount, int associatedContentCount,
                           int subfolderCount, Instant created, Instant modified) {
    /** FOLDER_ROOT = 0: the store's root folder. */
    public static final int FOLDER_ROOT = 0;
    /** FOLDER_GENERIC = 1: an ordinary folder. */
    public static final int FOLDER_GENERIC = 1;
    /** FOLDER_SEARCH = 2: a search-results folder. */
    public static final int FOLDER_SEARCH = 2;

    /**
     * Copies the list.
     *
     * @param id the folder id: 64-bit, never reused, kept when the folder moves (R-UID-9)
     * @param parentId the parent folder, 0 for the root
     * @param displayName PR_DISPLAY_NAME
     * @param folderType PR_FOLDER_TYPE: {@link #FOLDER_ROOT}, {@link #FOLDER_GENERIC} or {@link #FOLDER_SEARCH}
     * @param comment PR_COMMENT, or null
     * @param properties the folder's other properties, as last set
     * @param contentCount PR_CONTENT_COUNT: ordinary messages in the folder
     * @param unreadCount PR_CONTENT_UNREAD: ordinary messages without MSGFLAG_READ
     * @param associatedContentCount PR_ASSOC_CONTENT_COUNT: associated (FAI) messages
     * @param subfolderCount direct subfolders (PR_SUBFOLDERS is {@code subfolderCount > 0})
     * @param created PR_CREATION_TIME
     * @param modified PR_LAST_MODIFICATION_TIME of the folder itself (not of its messages)
     */
    public FolderRecord {
        properties = List.copyOf(properties);
    }

    /** @return PR_SUBFOLDERS */
    public boolean hasSubfolders() {
        return subfolderCount > 0;
    }
}
