package org.jmapi.client;

import org.jmapi.AdviseSink;
import org.jmapi.EntryId;
import org.jmapi.MapiObject;
import org.jmapi.table.MapiTable;

/**
 * IMAPISession: one client's logon to a profile (MAPILogonEx).
 *
 * <p><b>Ownership.</b> {@code Mapi.logonEx} hands the caller one reference. {@link #logoff} ends every provider
 * logon of the session in the order of R-SESOFF-2; afterwards only {@code release} works (R-SESOFF-1) and every
 * object obtained through the session is invalid (R-INV-2). Releasing the last reference without logoff logs off
 * first.
 *
 * <p><b>Threads.</b> Safe from any thread. Notifications registered with {@link #advise} arrive on the
 * notification dispatcher thread (R-INIT-4).
 */
public interface MapiSession extends MapiObject {

    /** @return the profile this session logged on to */
    String profileName();

    /**
     * IMAPISession::GetMsgStoresTable (R-MST-1): one row per store of the profile, dynamic and notifying.
     *
     * @param flags 0 or MAPI_UNICODE
     * @return the table; one reference owned by the caller
     */
    MapiTable getMsgStoresTable(int flags);

    /**
     * IMAPISession::OpenMsgStore (R-MS-8, R-MS-3).
     *
     * @param uiParam parent window handle (no UI in jmapi)
     * @param entryId the wrapped store entry id from the message-store table
     * @param flags   MDB_WRITE, MDB_NO_DIALOG, MDB_NO_MAIL, MDB_TEMPORARY, MAPI_DEFERRED_ERRORS
     * @return the store, one reference owned by the caller; the same object when already open in this session
     * @throws org.jmapi.MapiException MAPI_E_INVALID_PARAMETER for a null id; MAPI_E_NOT_FOUND for an unknown
     *                                 store; MAPI_E_LOGON_FAILED, MAPI_E_NO_ACCESS, MAPI_E_UNCONFIGURED from logon
     */
    MsgStore openMsgStore(long uiParam, EntryId entryId, int flags);

    /**
     * IMAPISession::OpenEntry (R-UID-3): routes by the MAPIUID in bytes 4..19 to the logon that registered it;
     * store ids open the store (MDB_NO_DIALOG), status-row ids the status object (R-ST-6).
     *
     * @param entryId the id
     * @param flags   0, MAPI_MODIFY, MAPI_BEST_ACCESS
     * @return the object, one reference owned by the caller
     * @throws org.jmapi.MapiException MAPI_E_UNKNOWN_ENTRYID when no live logon registered the UID (R-SR-5)
     */
    MapiObject openEntry(EntryId entryId, int flags);

    /**
     * IMAPISession::CompareEntryIDs (R-UID-7).
     *
     * @param a     an entry id
     * @param b     another
     * @param flags 0
     * @return whether both name the same object
     * @throws org.jmapi.MapiException MAPI_E_UNKNOWN_ENTRYID when the ids do not route to one provider
     */
    boolean compareEntryIds(EntryId a, EntryId b, int flags);

    /**
     * IMAPISession::GetStatusTable (R-ST-1): MAPI's three rows plus one or more per transport logon, and any
     * provider rows. May wait until the spooler has logged the transports on (R-SES-4).
     *
     * @param flags 0 or MAPI_UNICODE
     * @return the table; one reference owned by the caller
     */
    MapiTable getStatusTable(int flags);

    /**
     * IMAPISession::Advise: a null entry id registers for session-level critical errors (R-NTF-6).
     *
     * @param entryId   the object to watch, or null
     * @param eventMask fnev* bits
     * @param sink      receives the notifications on the dispatcher thread
     * @return a non-zero connection
     */
    int advise(EntryId entryId, int eventMask, AdviseSink sink);

    /**
     * IMAPISession::Unadvise.
     *
     * @param connection from {@link #advise}
     */
    void unadvise(int connection);

    /**
     * IMAPISession::OpenAddressBook (R-AB-1): logs the address-book providers on at the first call.
     *
     * @param uiParam parent window handle
     * @param flags   0, AB_NO_DIALOG
     * @return the integrated address book, one reference owned by the caller
     */
    AddrBook openAddressBook(long uiParam, int flags);

    /**
     * IMAPISession::AdminServices: the services of this session's profile.
     *
     * @param flags 0
     * @return the admin object
     */
    MsgServiceAdmin adminServices(int flags);

    /**
     * IMAPISession::Logoff (R-SESOFF-1..4).
     *
     * @param uiParam  parent window handle, used only with MAPI_LOGOFF_UI
     * @param flags    MAPI_LOGOFF_SHARED, MAPI_LOGOFF_UI, or 0
     * @param reserved 0
     * @throws org.jmapi.MapiException MAPI_E_UNKNOWN_FLAGS, MAPI_E_INVALID_PARAMETER for non-zero reserved,
     *                                 MAPI_E_INVALID_OBJECT after the first logoff
     */
    void logoff(long uiParam, int flags, int reserved);
}
