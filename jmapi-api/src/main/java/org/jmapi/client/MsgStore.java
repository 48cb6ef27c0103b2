package org.jmapi.client;

import org.jmapi.AdviseSink;
import org.jmapi.EntryId;
import org.jmapi.MapiObject;
import org.jmapi.Notification;
import org.jmapi.prop.MapiProp;
import org.jmapi.table.MapiTable;

/**
 * IMsgStore: a message store as a client (or the spooler) sees it.
 *
 * <p><b>Ownership.</b> {@code MapiSession.openMsgStore} hands the caller one reference (R-REF-1). Re-opening an
 * open store returns the same object with one more reference (R-MS-3). The store's last release ends the client
 * store logon: {@code storeLogoffTransports(LOGOFF_ABORT)} if {@link #storeLogoff} was never called (R-SL-4), then
 * MAPI's release chain (R-SR-1).
 *
 * <p><b>After logoff.</b> Once {@link #storeLogoff} answered LOGOFF_COMPLETE, or the session was logged off, every
 * method but IUnknown throws MAPI_E_INVALID_OBJECT (R-SL-6, R-INV-2); objects opened through the store are invalid
 * after the logon's {@code MsLogon.logoff}.
 *
 * <p><b>Spooler-only methods</b> ({@link #getOutgoingQueue}, {@link #setLockState}, {@link #finishedMsg},
 * {@link #notifyNewMail}) work on the spooler's store object only; on a client's they throw MAPI_E_NO_SUPPORT
 * (R-OQ-6).
 *
 * <p><b>Threads.</b> Safe from any thread; calls that race with a logoff either complete before the logoff
 * invalidates the store or fail with MAPI_E_INVALID_OBJECT, never half-run.
 */
public interface MsgStore extends MapiProp {

    /**
     * IMsgStore::StoreLogoff (R-SL-1..9): hands the flag unchanged to {@code IMAPISupport::StoreLogoffTransports}
     * and returns what it answered.
     *
     * @param flags exactly one of LOGOFF_NO_WAIT, LOGOFF_ORDERLY, LOGOFF_PURGE, LOGOFF_ABORT, LOGOFF_QUIET
     * @return the output bits: LOGOFF_COMPLETE (the store is now logged off, only release should follow) and the
     *         activity bits LOGOFF_INBOUND / LOGOFF_OUTBOUND / LOGOFF_OUTBOUND_QUEUE; without LOGOFF_COMPLETE the
     *         logoff was refused and the store stays fully usable (R-SL-7)
     * @throws org.jmapi.MapiException MAPI_E_INVALID_PARAMETER for zero or several LOGOFF bits,
     *                                 MAPI_E_UNKNOWN_FLAGS for other bits (nothing happens then);
     *                                 MAPI_E_INVALID_OBJECT after a completed logoff
     */
    int storeLogoff(int flags);

    /**
     * IMsgStore::OpenEntry.
     *
     * @param entryId a folder or message id of this store; null opens the root folder
     * @param flags   0 (read-only), MAPI_MODIFY, MAPI_BEST_ACCESS, MAPI_DEFERRED_ERRORS
     * @return the object, one reference owned by the caller
     * @throws org.jmapi.MapiException MAPI_E_NOT_FOUND, MAPI_E_INVALID_ENTRYID, MAPI_E_NO_ACCESS,
     *                                 MAPI_E_SUBMITTED (R-OQ-3)
     */
    MapiObject openEntry(EntryId entryId, int flags);

    /**
     * IMsgStore::CompareEntryIDs.
     *
     * @param a     an entry id
     * @param b     another
     * @param flags 0
     * @return whether both name the same object
     */
    boolean compareEntryIds(EntryId a, EntryId b, int flags);

    /**
     * IMsgStore::Advise (R-NTF-6): null entry id = the whole store.
     *
     * @param entryId   the object to watch, or null
     * @param eventMask fnev* bits
     * @param sink      receives the notifications on the dispatcher thread
     * @return a non-zero connection
     */
    int advise(EntryId entryId, int eventMask, AdviseSink sink);

    /**
     * IMsgStore::Unadvise.
     *
     * @param connection from {@link #advise}
     */
    void unadvise(int connection);

    /**
     * IMsgStore::GetReceiveFolder (R-RF-1).
     *
     * @param messageClass the class, null or empty for the default
     * @param flags        0 or MAPI_UNICODE
     * @return the folder and the explicit class that matched ("" for the default)
     */
    ReceiveFolder getReceiveFolder(String messageClass, int flags);

    /**
     * IMsgStore::SetReceiveFolder (R-RF-1).
     *
     * @param messageClass the class
     * @param flags        0 or MAPI_UNICODE
     * @param folderId     the folder, or null to restore the default for that class
     */
    void setReceiveFolder(String messageClass, int flags, EntryId folderId);

    /**
     * IMsgStore::AbortSubmit (R-OQ-4).
     *
     * @param entryId the submitted message
     * @param flags   0
     * @throws org.jmapi.MapiException MAPI_E_NOT_IN_QUEUE, MAPI_E_UNABLE_TO_ABORT while the spooler has it locked
     */
    void abortSubmit(EntryId entryId, int flags);

    /**
     * IMsgStore::GetOutgoingQueue (R-OQ-1), spooler store object only.
     *
     * @param flags 0
     * @return the queue, ascending by PR_CLIENT_SUBMIT_TIME; one reference owned by the caller
     */
    MapiTable getOutgoingQueue(int flags);

    /**
     * IMsgStore::SetLockState (R-OQ-2), spooler store object only.
     *
     * @param message   the queued message
     * @param lockState MSG_LOCKED or MSG_UNLOCKED
     */
    void setLockState(Message message, int lockState);

    /**
     * IMsgStore::FinishedMsg (R-OQ-5), spooler store object only.
     *
     * @param flags   0
     * @param entryId the locked message the spooler is done with
     */
    void finishedMsg(int flags, EntryId entryId);

    /**
     * IMsgStore::NotifyNewMail (R-OQ-7), spooler store object only.
     *
     * @param notification the new-mail event; not modified, copied if kept
     */
    void notifyNewMail(Notification.NewMail notification);

    /**
     * The answer of {@link #getReceiveFolder}.
     *
     * @param folderId      the receive folder
     * @param explicitClass the class that matched, "" when the default folder was used
     */
    record ReceiveFolder(EntryId folderId, String explicitClass) {}
}
