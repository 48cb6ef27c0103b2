package org.jmapi.store;

import org.jmapi.MapiException;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restriction;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The persistent state of one message store: the layer below jmapi's MAPI store objects (MsgStore, MapiFolder,
 * Message, tables), implemented once per storage engine ({@code org.jmapi.store.sqlite},
 * {@code org.jmapi.store.postgres}) and checked by one contract suite.
 *
 * <p><b>Atomicity and durability.</b> Every mutating method is one transaction: it happens completely or not at
 * all, and when it returns the change is durable as far as the engine promises (the SQLite engine: it survives
 * {@code kill -9} of the process, and power loss on a disk that honours fsync). Failures are {@link MapiException}s
 * with MAPI's code and a message naming what to fix; after a failure nothing has changed.
 *
 * <p><b>Threads and processes.</b> Implementations are thread-safe: any thread may call any method at any time;
 * reads run concurrently, writes are serialised. Several instances (in this or other processes) may have the same
 * store open; each sees the others' committed changes on its next call, and {@link #changeCounter()} tells cheaply
 * whether anything changed. The outgoing queue and the activity records are shared through the store, so a spooler
 * in one process and a client in another meet there (ARCHITECTURE.md &sect;5).
 *
 * <p><b>Ownership.</b> Values passed in are immutable records the storage does not keep; values returned are fresh
 * snapshots owned by the caller. Streams returned by {@code openValueStream} are owned by the caller and must be
 * closed.
 *
 * <p><b>Identifiers.</b> Folder and message ids are positive 64-bit numbers, never reused (also not after a
 * delete), and kept when the object moves (R-UID-9); a copied message gets a new id. Folder ids and message ids are
 * separate number spaces: an entry id must say which kind it names.
 *
 * <p><b>Lifecycle.</b> Open with an engine's factory ({@code SqliteStorage.open}/{@code create}); {@link #close()}
 * releases the instance's spooler locks and activities and its resources. After close every method except
 * {@code close} throws MAPI_E_INVALID_OBJECT. It is safe to close more than once.
 */
public interface Storage extends AutoCloseable {

    // ---- store ---------------------------------------------------------------------------------------------

    /** @return the store's identity row (MAPIUID, display name, creation time, root folder, schema version) */
    StoreIdentity identity();

    /**
     * @return this instance's owner id: the lock owner recorded for the spooler locks and activities it takes;
     *         unique per open instance
     */
    String ownerId();

    /**
     * A number that increases with every committed change to folders, messages, the queue (spooler locks included)
     * or the store's properties, made by any process (it may also increase when a write turned out to change
     * nothing). The MAPI layer polls it to notice changes made elsewhere (R-NTF-3..6). Reads, lease renewals and
     * activity records do not change it. Cheap: one indexed read.
     *
     * @return the current value
     */
    long changeCounter();

    /**
     * What the calling thread's own committed writes did to the {@link #changeCounter() change counter}.
     *
     * @param counter the counter's value right after the thread's last committed write that changed it
     * @param writes  how many committed writes of the thread changed it so far
     */
    record OwnChanges(long counter, long writes) {}

    /**
     * The calling thread's own changes, known from the writes themselves: a caller that took this before its writes
     * and again after them learns, without a read, the counter's value just before them, as long as no other
     * writer came in between (the counter then is {@code counter - (writes after - writes before)}).
     *
     * @return the thread's changes so far, or null when this storage does not keep them (then read
     *         {@link #changeCounter()} before and after)
     */
    default OwnChanges ownChanges() {
        return null;
    }

    /** @return the store object's own properties (PR_IPM_SUBTREE_ENTRYID and the like), as last set */
    List<PropValue> storeProperties();

    /**
     * Changes the store's properties (IMsgStore::SetProps / DeleteProps commit at once, R-PROP-5).
     *
     * @param set        values to set, replacing values with the same id
     * @param deleteTags tags to delete (ids matter, R-PROP-3); deleting an absent property is not an error
     * @throws MapiException MAPI_E_INVALID_PARAMETER for values that cannot be stored (PT_ERROR, PT_NULL, PT_OBJECT)
     */
    void setStoreProperties(List<PropValue> set, List<Integer> deleteTags);

    // ---- folders -------------------------------------------------------------------------------------------

    /**
     * @param folderId a folder id
     * @return the folder with its counts
     * @throws MapiException MAPI_E_NOT_FOUND when there is no such folder
     */
    FolderRecord loadFolder(long folderId);

    /**
     * @param parentId a folder id
     * @return its direct subfolders, ordered by id (creation order)
     * @throws MapiException MAPI_E_NOT_FOUND when there is no such folder
     */
    List<FolderRecord> listFolders(long parentId);

    /**
     * Creates a folder (IMAPIFolder::CreateFolder, R-FM-2).
     *
     * @param parentId    the parent folder
     * @param displayName the name; not blank, unique among the parent's subfolders ignoring case
     * @param folderType  {@link FolderRecord#FOLDER_GENERIC} or {@link FolderRecord#FOLDER_SEARCH}
     * @param comment     PR_COMMENT, or null
     * @param properties  other properties (not PR_DISPLAY_NAME, PR_COMMENT or PR_FOLDER_TYPE, which are the
     *                    parameters above, and not the counts the storage computes)
     * @return the new folder
     * @throws MapiException MAPI_E_COLLISION when a sibling has that name; MAPI_E_NOT_FOUND for an unknown parent;
     *                       MAPI_E_INVALID_PARAMETER for a blank name, an unknown folder type or a property that
     *                       cannot be set this way
     */
    FolderRecord createFolder(long parentId, String displayName, int folderType, String comment,
                              List<PropValue> properties);

    /**
     * @param folderId the folder
     * @param newName  the new name
     * @return the renamed folder
     * @throws MapiException MAPI_E_COLLISION when a sibling has that name; MAPI_E_NOT_FOUND; MAPI_E_NO_ACCESS for
     *                       the root folder; MAPI_E_INVALID_PARAMETER for a blank name
     */
    FolderRecord renameFolder(long folderId, String newName);

    /**
     * @param folderId the folder
     * @param comment  the new PR_COMMENT, or null to remove it
     * @return the changed folder
     * @throws MapiException MAPI_E_NOT_FOUND
     */
    FolderRecord setFolderComment(long folderId, String comment);

    /**
     * Changes a folder's other properties (IMAPIFolder::SetProps / DeleteProps commit at once, R-PROP-5).
     *
     * @param folderId   the folder
     * @param set        values to set
     * @param deleteTags tags to delete (ids matter)
     * @return the changed folder
     * @throws MapiException MAPI_E_NOT_FOUND; MAPI_E_INVALID_PARAMETER as for {@link #createFolder}
     */
    FolderRecord setFolderProperties(long folderId, List<PropValue> set, List<Integer> deleteTags);

    /**
     * Deletes a folder (IMAPIFolder::DeleteFolder, R-FM-2), with everything in it when allowed.
     *
     * @param folderId         the folder
     * @param deleteSubfolders DEL_FOLDERS: also delete its subfolders, recursively
     * @param deleteMessages   DEL_MESSAGES: also delete its messages (and those of deleted subfolders)
     * @throws MapiException MAPI_E_HAS_FOLDERS / MAPI_E_HAS_MESSAGES when it is not empty and that was not allowed
     *                       (associated messages count as messages); MAPI_E_SUBMITTED when a message in the deleted
     *                       tree is in the outgoing queue (abort it first); MAPI_E_NO_ACCESS for the root;
     *                       MAPI_E_NOT_FOUND
     */
    void deleteFolder(long folderId, boolean deleteSubfolders, boolean deleteMessages);

    /**
     * Moves a folder to another parent (IMAPIFolder::CopyFolder with FOLDER_MOVE); it keeps its id, its messages
     * and its subfolders.
     *
     * @param folderId    the folder
     * @param newParentId the new parent
     * @param newName     the name there, or null to keep the current one
     * @return the moved folder
     * @throws MapiException MAPI_E_FOLDER_CYCLE when the new parent is the folder itself or lies inside it;
     *                       MAPI_E_COLLISION when the new parent has a subfolder of that name; MAPI_E_NO_ACCESS for
     *                       the root; MAPI_E_NOT_FOUND
     */
    FolderRecord moveFolder(long folderId, long newParentId, String newName);

    /**
     * Copies a folder (IMAPIFolder::CopyFolder without FOLDER_MOVE): a new folder under {@code newParentId} with the
     * original's type, comment and other properties, and copies (new ids, not submitted) of its messages and
     * associated messages; with {@code subfolders}, the same for its whole subtree, as it was when the copy
     * started.
     *
     * <p>The default implementation is built from {@link #loadFolder}, {@link #createFolder}, {@link #query},
     * {@link #copyMessage} and {@link #listFolders}: correct, but not one transaction (a failure part-way leaves the
     * part copied so far). Engines override it with one transaction.
     *
     * @param folderId    the folder to copy
     * @param newParentId where the copy goes
     * @param newName     the copy's name, or null for the original's
     * @param subfolders  COPY_SUBFOLDERS: copy the subtree too
     * @return the copy
     * @throws MapiException MAPI_E_NOT_FOUND for an unknown folder; MAPI_E_NO_ACCESS for the root;
     *                       MAPI_E_COLLISION when the new parent has a subfolder of that name;
     *                       MAPI_E_FOLDER_CYCLE when copying the subtree into the folder itself or a folder inside
     *                       it; MAPI_E_INVALID_PARAMETER for a blank new name
     */
    default FolderRecord copyFolder(long folderId, long newParentId, String newName, boolean subfolders) {
        FolderRecord f = loadFolder(folderId);
        if (f.parentId() == 0) {
            throw new MapiException(org.jmapi.HResult.MAPI_E_NO_ACCESS, "the root folder cannot be copied");
        }
        loadFolder(newParentId);
        if (subfolders) {
            for (long p = newParentId; p != 0; p = loadFolder(p).parentId()) {
                if (p == folderId) {
                    throw new MapiException(org.jmapi.HResult.MAPI_E_FOLDER_CYCLE, "folder " + folderId
                            + " cannot be copied with its subfolders into itself or a folder inside it ("
                            + newParentId + ")");
                }
            }
        }
        return copyFolderTree(f, newParentId, newName == null ? f.displayName() : newName, subfolders);
    }

    /**
     * The recursion of the default {@link #copyFolder}: copies one folder, its messages and (optionally) its
     * subfolders as listed before the copy was made.
     *
     * @param f           the folder to copy
     * @param newParentId where the copy goes
     * @param name        the copy's name
     * @param subfolders  whether to copy the subtree
     * @return the copy
     */
    private FolderRecord copyFolderTree(FolderRecord f, long newParentId, String name, boolean subfolders) {
        List<FolderRecord> children = subfolders ? listFolders(f.id()) : List.of();
        FolderRecord copy = createFolder(newParentId, name, f.folderType(), f.comment(), f.properties());
        for (boolean associated : new boolean[] {false, true}) {
            List<Long> ids = new ArrayList<>();
            for (MessageRow r : query(ContentsQuery.of(f.id()).withAssociated(associated))) {
                ids.add(r.id());
            }
            for (long id : ids) {
                copyMessage(id, copy.id());
            }
        }
        for (FolderRecord child : children) {
            copyFolderTree(child, copy.id(), child.displayName(), true);
        }
        return loadFolder(copy.id());
    }

    // ---- messages ------------------------------------------------------------------------------------------

    /**
     * Writes a whole message image atomically: inserts a new message or replaces a stored one
     * (IMessage::SaveChanges, R-PROP-5, R-FM-1, R-FM-3, R-FM-4). Strings and binaries longer than the engine's inline
     * limit, and values given as {@link ValueStream}s, are written out of line in chunks, never whole in memory.
     * Optimistic concurrency: an update names the version it read.
     *
     * @param request what to save
     * @return the saved message's metadata (its id, for a new message, and its new version)
     * @throws MapiException MAPI_E_OBJECT_CHANGED when the stored version differs from the expected one and
     *                       {@code force} is not set; MAPI_E_OBJECT_DELETED when the message no longer exists (also
     *                       with force) or a kept {@link LargeValue} no longer exists; MAPI_E_NOT_FOUND for an
     *                       unknown folder; MAPI_E_SUBMITTED when asked to submit a message already queued;
     *                       MAPI_E_INVALID_PARAMETER for a malformed image (duplicate property ids, duplicate PR_ROWID
     *                       or PR_ATTACH_NUM, non-storable values); MAPI_E_INVALID_TYPE for a table column property
     *                       of the wrong type (PR_SUBJECT not a string, say); MAPI_E_BAD_VALUE for a table column
     *                       string holding U+0000; MAPI_E_CALL_FAILED when a stream source fails
     */
    MessageInfo saveMessage(SaveRequest request);

    /**
     * Saves several messages in one transaction: all or none (bulk import, delivery of a batch).
     *
     * @param requests what to save, in order
     * @return the saved messages' metadata, in request order
     * @throws MapiException as {@link #saveMessage}, for the first request that fails
     */
    List<MessageInfo> saveMessages(List<SaveRequest> requests);

    /**
     * @param messageId a message id
     * @return the message's metadata and image, read consistently; large values as {@link LargeValue} references
     * @throws MapiException MAPI_E_NOT_FOUND when there is no such message
     */
    StoredMessage loadMessage(long messageId);

    /**
     * @param messageId a message id
     * @return the message's metadata only
     * @throws MapiException MAPI_E_NOT_FOUND when there is no such message
     */
    MessageInfo messageInfo(long messageId);

    /**
     * One message as the outgoing queue or a contents table shows it: its metadata and top-level properties (large
     * ones as references), without recipients and attachments — for a caller that needs a property or two
     * (FinishedMsg reads PR_SENTMAIL_ENTRYID and PR_DELETE_AFTER_SUBMIT). Read consistently, like
     * {@link #loadMessage}.
     *
     * <p>The default takes them from {@link #loadMessage}; engines override it with a read of the message row alone.
     *
     * @param messageId a message id
     * @return the message's metadata and top-level properties
     * @throws MapiException MAPI_E_NOT_FOUND when there is no such message
     */
    default MessageRow messageRow(long messageId) {
        StoredMessage m = loadMessage(messageId);
        return new MessageRow(m.info(), m.image().properties(), m.image().largeValues());
    }

    /**
     * Opens a top-level property of a message as a stream (IMAPIProp::OpenProperty with IID_IStream, R-PROP-6), in
     * the value's stream form (see {@link ValueStream}). Works for inline and out-of-line values alike; out-of-line
     * values are read chunk by chunk.
     *
     * @param messageId the message
     * @param tag       the property (PT_BINARY, PT_UNICODE or PT_STRING8)
     * @return a stream owned by the caller; reading it after the value was replaced fails with an IOException
     * @throws MapiException MAPI_E_NOT_FOUND when the message or the property does not exist;
     *                       MAPI_E_INVALID_TYPE when the property has another type or no stream form
     */
    InputStream openValueStream(long messageId, int tag);

    /**
     * Opens a property of an attachment as a stream (PR_ATTACH_DATA_BIN, typically).
     *
     * @param messageId the message
     * @param attachNum PR_ATTACH_NUM of the attachment
     * @param tag       the property
     * @return a stream owned by the caller
     * @throws MapiException as {@link #openValueStream(long, int)}, MAPI_E_NOT_FOUND also for an unknown attachment
     */
    InputStream openAttachmentValueStream(long messageId, int attachNum, int tag);

    /**
     * Opens an out-of-line value by the reference a load returned (attachments of embedded messages included).
     *
     * @param value the reference
     * @return a stream owned by the caller
     * @throws MapiException MAPI_E_OBJECT_DELETED when the value no longer exists
     */
    InputStream openValueStream(LargeValue value);

    /**
     * Opens an out-of-line value from a byte offset on (IStream::Seek followed by Read on a property stream): the
     * stream's first byte is byte {@code offset} of the value; an offset at or past the end gives an empty stream.
     *
     * <p>The default implementation opens {@link #openValueStream(LargeValue)} and skips {@code offset} bytes (reading
     * them); engines that store values in chunks override it to start at the right chunk.
     *
     * @param value  the reference
     * @param offset the first byte wanted; not negative
     * @return a stream owned by the caller
     * @throws MapiException MAPI_E_OBJECT_DELETED when the value no longer exists; MAPI_E_INVALID_PARAMETER for a
     *                       negative offset
     */
    default InputStream openValueStream(LargeValue value, long offset) {
        if (offset < 0) {
            throw new MapiException(org.jmapi.HResult.MAPI_E_INVALID_PARAMETER, "negative stream offset " + offset);
        }
        InputStream in = openValueStream(value);
        try {
            long left = Math.min(offset, value.size());
            while (left > 0) {
                long n = in.skip(left);
                if (n <= 0) {
                    if (in.read() < 0) {
                        break;
                    }
                    n = 1;
                }
                left -= n;
            }
            return in;
        } catch (IOException e) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the read already failed; that failure is the one to report
            }
            throw new MapiException(org.jmapi.HResult.MAPI_E_OBJECT_DELETED, "reading "
                    + org.jmapi.prop.PropTag.toString(value.tag()) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Changes bits of PR_MESSAGE_FLAGS without rewriting the image (IMessage::SetReadFlag,
     * IMAPIFolder::SetReadFlags); keeps the folder's unread count right.
     *
     * @param messageId the message
     * @param setBits   bits to set
     * @param clearBits bits to clear
     * @return the message's new metadata (its version increased)
     * @throws MapiException MAPI_E_NOT_FOUND; MAPI_E_INVALID_PARAMETER when asked to change MSGFLAG_ASSOCIATED or
     *                       MSGFLAG_SUBMIT, which the storage maintains
     */
    MessageInfo updateMessageFlags(long messageId, int setBits, int clearBits);

    /**
     * Deletes a message.
     *
     * @param messageId the message
     * @throws MapiException MAPI_E_NOT_FOUND; MAPI_E_SUBMITTED when it is in the outgoing queue (R-FM-2: submitted
     *                       messages cannot be deleted; abort the submission first)
     */
    void deleteMessage(long messageId);

    /**
     * Deletes several messages in one transaction (IMAPIFolder::DeleteMessages, R-FM-2): every deletable one is
     * deleted, the others are reported.
     *
     * @param messageIds the messages
     * @return the ones not deleted, each with its reason (MAPI_E_NOT_FOUND or MAPI_E_SUBMITTED); empty when all
     *         were deleted
     */
    Map<Long, Integer> deleteMessages(List<Long> messageIds);

    /**
     * Moves a message to another folder; it keeps its id (R-UID-9), its version and its queue state.
     *
     * @param messageId      the message
     * @param targetFolderId the destination
     * @return the moved message's metadata
     * @throws MapiException MAPI_E_NOT_FOUND for an unknown message or folder
     */
    MessageInfo moveMessage(long messageId, long targetFolderId);

    /**
     * Copies a message (image, recipients, attachments, large values) into a folder under a new id. The copy is not
     * submitted.
     *
     * @param messageId      the message
     * @param targetFolderId the destination
     * @return the copy's metadata
     * @throws MapiException MAPI_E_NOT_FOUND for an unknown message or folder
     */
    MessageInfo copyMessage(long messageId, long targetFolderId);

    // ---- contents tables -----------------------------------------------------------------------------------

    /**
     * Reads a page of a folder's contents table (spec &sect;9.3). The restriction and the order are pushed into
     * the engine's query language wherever they touch the columns the storage indexes (PR_MESSAGE_DELIVERY_TIME,
     * PR_CLIENT_SUBMIT_TIME, PR_LAST_MODIFICATION_TIME, PR_SUBJECT, PR_MESSAGE_SIZE, PR_MESSAGE_FLAGS,
     * PR_SENDER_NAME, PR_MESSAGE_CLASS, PR_IMPORTANCE), so that "sort by one of them, read the first rows" is an
     * index walk; everything else is evaluated in Java with {@link org.jmapi.table.Restrictions} semantics. Both
     * ways give the same rows in the same order. RES_COUNT nodes limit matches in table order, as
     * {@link org.jmapi.table.Restrictions#scan} does.
     *
     * @param query folder, table, restriction, order and page
     * @return the rows, in order
     * @throws MapiException MAPI_E_INVALID_PARAMETER / MAPI_E_TOO_COMPLEX for a restriction
     *                       {@link org.jmapi.table.Restrictions#validate} refuses; MAPI_E_TOO_COMPLEX for a sort key
     *                       with MV_INSTANCE (jmapi contents tables do not expand multi-valued columns) or for more
     *                       than 16 keys; MAPI_E_NOT_FOUND for an unknown folder
     */
    List<MessageRow> query(ContentsQuery query);

    /**
     * Counts a contents table's rows (IMAPITable::GetRowCount, R-TBL-8), with the same restriction semantics as
     * {@link #query}.
     *
     * @param folderId    the folder
     * @param associated  whether to count the associated (FAI) table
     * @param restriction the filter, or null
     * @return the exact count
     * @throws MapiException as {@link #query}
     */
    int count(long folderId, boolean associated, Restriction restriction);

    // ---- named properties ----------------------------------------------------------------------------------

    /**
     * Maps names to property ids (IMAPIProp::GetIDsFromNames). Ids come from 0x8000..0xFFFE, are created on demand
     * when asked, are never reassigned, and are the same for every process and after reopening.
     *
     * @param names  the names
     * @param create MAPI_CREATE: assign ids to unknown names
     * @return the ids, in request order; 0 for an unknown name when not creating
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a name without property set;
     *                       MAPI_E_NOT_ENOUGH_RESOURCES when all 32,767 ids are taken
     */
    int[] getIdsFromNames(List<NamedProperty> names, boolean create);

    /**
     * Maps property ids back to names (IMAPIProp::GetNamesFromIDs).
     *
     * @param propIds property ids (0x8000..0xFFFE), or property tags (the type half is ignored)
     * @return the names, in request order; null for an id that has no name
     */
    List<NamedProperty> getNamesFromIds(int[] propIds);

    /** @return every named property of the store, by id */
    Map<Integer, NamedProperty> namedProperties();

    // ---- receive folders -----------------------------------------------------------------------------------

    /**
     * Registers the receive folder for a message class (IMsgStore::SetReceiveFolder, R-RF-1), replacing any earlier
     * registration of that class.
     *
     * @param messageClass the class ("IPM.Note"); compared ignoring ASCII case; "" or null registers the default
     * @param folderId     the folder
     * @throws MapiException MAPI_E_NOT_FOUND for an unknown folder; MAPI_E_INVALID_PARAMETER for a class with an
     *                       empty segment ("IPM..Note", ".IPM", "IPM.")
     */
    void setReceiveFolder(String messageClass, long folderId);

    /**
     * Removes the registration of exactly this class, so that its base classes decide again
     * (IMsgStore::SetReceiveFolder with a null entry id). Not an error when nothing was registered.
     *
     * @param messageClass the class; "" or null removes the default registration
     */
    void clearReceiveFolder(String messageClass);

    /**
     * Finds the receive folder for a class (IMsgStore::GetReceiveFolder, R-RF-1): the class's own registration,
     * else that of its nearest base class (trailing ".segment"s stripped one by one), else the default ("").
     *
     * @param messageClass the class; "" or null asks for the default
     * @return the registration used (its class is the explicit class matched, "" for the default), or empty when
     *         not even a default is registered
     */
    Optional<ReceiveFolder> getReceiveFolder(String messageClass);

    /** @return every registration, ordered by class (IMsgStore::GetReceiveFolderTable) */
    List<ReceiveFolder> receiveFolders();

    // ---- outgoing queue ------------------------------------------------------------------------------------

    /**
     * Puts a saved message into the outgoing queue (the store's part of IMessage::SubmitMessage, R-SUB-2): sets
     * MSGFLAG_SUBMIT, PR_SUBMIT_FLAGS and PR_CLIENT_SUBMIT_TIME. The queue is persistent: the message stays queued
     * across logoff, close and crash until finished or aborted (R-MAIL-1).
     *
     * @param messageId   the message
     * @param submitTime  the submit time, the queue's order
     * @param submitFlags SUBMITFLAG_PREPROCESS or 0
     * @return the message's new metadata
     * @throws MapiException MAPI_E_NOT_FOUND; MAPI_E_SUBMITTED when it is already queued;
     *                       MAPI_E_INVALID_PARAMETER for an associated message or for SUBMITFLAG_LOCKED in the flags
     */
    MessageInfo submitMessage(long messageId, Instant submitTime, int submitFlags);

    /**
     * The outgoing queue (IMsgStore::GetOutgoingQueue, R-OQ-1): every queued message with its row properties and
     * queue state, ordered by submit time, then id.
     *
     * @return the queued messages
     */
    List<MessageRow> queue();

    /**
     * Locks a queued message for this instance (IMsgStore::SetLockState MSG_LOCKED, R-OQ-2). The lock lasts while
     * this instance is open and keeps renewing its lease; it is not persisted across a crash or close (R-MAIL-1).
     * Locking a message this instance already holds renews it.
     *
     * @param messageId the message
     * @return the message's metadata, queue state locked by {@link #ownerId()}
     * @throws MapiException MAPI_E_NOT_IN_QUEUE when it is not queued; MAPI_E_BUSY when another live owner holds
     *                       it; MAPI_E_NOT_FOUND
     */
    MessageInfo lockMessage(long messageId);

    /**
     * Locks the oldest queued message nobody holds, atomically, so that each message goes to exactly one spooler
     * (ARCHITECTURE.md &sect;5).
     *
     * @return the locked message's row, or empty when every queued message is locked or the queue is empty
     */
    Optional<MessageRow> lockNextQueued();

    /**
     * Unlocks a message this instance holds (SetLockState MSG_UNLOCKED); it stays queued. Not an error when it is
     * not locked.
     *
     * @param messageId the message
     * @throws MapiException MAPI_E_NOT_IN_QUEUE when it is not queued; MAPI_E_NO_ACCESS when another live owner holds
     *                       it; MAPI_E_NOT_FOUND
     */
    void unlockMessage(long messageId);

    /**
     * Takes a sent message out of the queue and disposes of it (IMsgStore::FinishedMsg then DoSentMail, R-OQ-5), in
     * one transaction: MSGFLAG_SUBMIT and PR_SUBMIT_FLAGS are cleared, then the message stays, moves or is deleted
     * as {@code disposal} says.
     *
     * @param messageId the message; must be locked by this instance
     * @param disposal  what to do with it
     * @throws MapiException MAPI_E_NOT_IN_QUEUE when it is not queued; MAPI_E_NO_ACCESS when this instance does not
     *                       hold its lock; MAPI_E_NOT_FOUND for an unknown message or destination folder
     */
    void finishMessage(long messageId, Disposal disposal);

    /**
     * FinishedMsg as one step: clears {@code clearFlags} in PR_MESSAGE_FLAGS (IMsgStore::FinishedMsg clears
     * MSGFLAG_UNSENT of a message that is kept) and then does what {@link #finishMessage} does. An implementation
     * that can, does both in one transaction (one commit instead of two); this default runs
     * {@link #finishMessage} then {@link #updateMessageFlags}, so a refused FinishedMsg changes nothing.
     *
     * @param messageId  the message; must be locked by this instance
     * @param disposal   what to do with it
     * @param clearFlags PR_MESSAGE_FLAGS bits to clear when the message is kept (0 for none); never MSGFLAG_READ,
     *                   MSGFLAG_ASSOCIATED or MSGFLAG_SUBMIT
     * @throws MapiException as {@link #finishMessage}; MAPI_E_INVALID_PARAMETER for a bit the store maintains
     */
    default void finishMessage(long messageId, Disposal disposal, int clearFlags) {
        finishMessage(messageId, disposal);
        if (clearFlags != 0 && !disposal.delete()) {
            updateMessageFlags(messageId, 0, clearFlags);
        }
    }

    /**
     * Cancels a submission (IMsgStore::AbortSubmit, R-OQ-4): the message leaves the queue and stays in its folder,
     * MSGFLAG_SUBMIT and PR_SUBMIT_FLAGS cleared.
     *
     * @param messageId the message
     * @throws MapiException MAPI_E_NOT_IN_QUEUE when it is not (any longer) queued, also when it does not exist;
     *                       MAPI_E_UNABLE_TO_ABORT when a live spooler holds it locked
     */
    void abortSubmit(long messageId);

    // ---- deferred durability (group commit) ------------------------------------------------------------------

    /**
     * Runs {@code writes} with deferred durability: the writes the calling thread makes inside it may return before
     * their commit is flushed to stable storage. The spooler asks for this for the writes that record the outcome of
     * a send (the save of PR_RESPONSIBILITY, FinishedMsg), so that one flush covers many messages (group commit).
     *
     * <p>What stays promised: each such write is still one atomic transaction, visible to every instance at once,
     * and it survives a crash of the process. What is relaxed: a power loss (or a crash of the OS or the database
     * server) may undo the deferred writes not yet flushed. The engine's log is sequential, so what survives is a
     * prefix of the commits in order: never a later commit without the earlier ones, and never a durable commit
     * (every write outside this scope, e.g. a client's SubmitMessage) without the commits before it.
     *
     * <p>The window: a deferred write is durable after the next {@link #flushDeferred()}, the next durable write of
     * this instance, or the engine's bound, whichever comes first: at most
     * {@value org.jmapi.store.engine.GroupCommit#MAX_DEFERRED} - 1 undurable commits and 50 ms
     * ({@link org.jmapi.store.engine.GroupCommit}), and before {@link #close()} returns.
     *
     * <p>Only the calling thread is affected; scopes nest. The default runs {@code writes} as they are (every write
     * durable), which is always allowed.
     *
     * @param writes the writes
     * @param <T>    their result
     * @return their result
     */
    default <T> T deferDurability(java.util.function.Supplier<T> writes) {
        return writes.get();
    }

    /**
     * Makes every write this instance committed under {@link #deferDurability} durable; returns when it is (at once
     * when nothing is pending). The default does nothing: without deferral every write is durable already.
     *
     * @throws MapiException when the engine's flush fails (the writes stay committed; the engine's timer tries again)
     */
    default void flushDeferred() {
    }

    /**
     * @return how many writes committed under {@link #deferDurability} are not yet known to be durable (for tests
     *         and diagnostics); 0 for an engine without deferral
     */
    default long undurableWrites() {
        return 0;
    }

    // ---- activity ------------------------------------------------------------------------------------------

    /**
     * Records spooler work in progress, visible to every process that has the store open until the returned handle
     * is closed (or its owner goes away).
     *
     * @param kind      inbound or outbound
     * @param spoolerId who does the work, for people reading it
     * @param messageId the message concerned, or 0
     * @return the handle; close it when the work ends
     */
    Activity beginActivity(ActivityKind kind, String spoolerId, long messageId);

    /** @return every live activity of every process, oldest first */
    List<ActivityRecord> activities();

    /** @return the activity counts StoreLogoffTransports decides from, over every process */
    ActivitySummary activitySummary();

    // ---- events for other instances ------------------------------------------------------------------------

    /**
     * Appends notifications to the store's event log, so that other instances (other processes, other sessions)
     * can deliver them to their own advise sinks (store and folder notifications seen across processes, R-NTF-3..6).
     * The payloads are opaque to the storage; the MAPI layer encodes and decodes them. Each is recorded with this
     * instance's {@link #ownerId()} as origin. The log is not durable like the store's data (an engine may lose the
     * last events on power loss, not on a process crash) and keeps only recent events; a reader that fell further
     * behind misses the older ones.
     *
     * <p>The default does nothing: an engine without an event log delivers no object notifications to other
     * instances (their open tables still refresh through {@link #changeCounter()}).
     *
     * @param payloads the encoded notifications, in event order
     */
    default void publishEvents(List<byte[]> payloads) {
    }

    /**
     * @return the sequence number of the newest event in the log, 0 when there is none (or the engine keeps no
     *         log); a new reader starts after it
     */
    default long lastEventSeq() {
        return 0;
    }

    /**
     * Reads the event log after a sequence number, oldest first, events of every origin (this instance's included;
     * readers skip their own).
     *
     * @param afterSeq the last sequence number already seen
     * @param limit    at most this many events
     * @return the events; empty when there are none (the default: no log)
     */
    default List<StoreEvent> eventsAfter(long afterSeq, int limit) {
        return List.of();
    }

    /**
     * @return the store's change signal, when the engine has one and it is turned on: wake-ups after other
     *         instances' commits, so that a reader of {@link #changeCounter()} and {@link #eventsAfter} need not poll
     *         fast; empty (the default) when the reader must poll. Owned by this storage (it ends with
     *         {@link #close()}); the same object on every call.
     */
    default Optional<ChangeSignal> changeSignal() {
        return Optional.empty();
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    /**
     * Releases this instance: ends its activities, drops its spooler locks (the messages stay queued), stops lease
     * renewal and closes its connections. In-flight calls on other threads finish first. Safe to call more than
     * once.
     */
    @Override
    void close();
}
