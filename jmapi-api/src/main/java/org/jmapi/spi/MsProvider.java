package org.jmapi.spi;

import org.jmapi.EntryId;
import org.jmapi.MapiObject;

/**
 * IMSProvider: a message store provider object, one per configured store provider per session (R-LOAD-3).
 *
 * <p><b>Ownership:</b> the runtime owns it (see {@link ServiceProvider}). <b>Threads:</b> any; logons of one
 * provider object may run concurrently.
 */
public interface MsProvider extends ServiceProvider {

    /**
     * IMSProvider::Logon (R-MS-1..6). On a first open the provider AddRefs {@code support} and keeps it for the
     * logon's life (R-LOGON-1), registers its MAPIUID(s) with {@link MapiSupport#setProviderUid} and may add its
     * status row, then returns a logon and a store that live and die together. On a re-open of a store this
     * provider object already has open (found by comparing {@code entryId} with its open stores) it returns
     * the existing store AddRef'ed, no logon, no support AddRef, no UID, no row, no spool data (R-MS-3).
     *
     * @param support     the store's own support object (R-MS-2)
     * @param uiParam     parent window handle (no UI in jmapi)
     * @param profileName the profile
     * @param entryId     the provider's own (unwrapped) store entry id, or null when no store was chosen yet: use
     *                    the profile section, else throw MAPI_E_UNCONFIGURED (R-MS-4)
     * @param flags       MDB_NO_DIALOG, MDB_WRITE, MDB_TEMPORARY, MDB_NO_MAIL, MAPI_DEFERRED_ERRORS
     * @param iface       the wanted store interface; null means {@code MsgStore}
     * @return the logon result; its objects' references belong to the runtime (logon) and the client (store)
     * @throws org.jmapi.MapiException MAPI_E_LOGON_FAILED, MAPI_E_UNCONFIGURED, MAPI_E_FAILONEPROVIDER,
     *                                 MAPI_E_USER_CANCEL (R-LOGON-2, R-LOGON-3), MAPI_E_INTERFACE_NOT_SUPPORTED
     */
    MsLogonResult logon(MapiSupport support, long uiParam, String profileName, EntryId entryId, int flags,
                        Class<? extends MapiObject> iface);

    /**
     * IMSProvider::SpoolerLogon (R-MS-7): a separate, spooler-marked logon/store pair over the same store, on which
     * the spooler-only methods work. Never called for MDB_NO_MAIL stores or MAPI_NO_MAIL sessions.
     *
     * @param support       the spooler logon's own support object
     * @param uiParam       parent window handle
     * @param profileName   the profile
     * @param entryId       the unwrapped store entry id
     * @param flags         as for {@link #logon}
     * @param spoolSecurity the blob the client logon returned (R-MS-5), possibly empty
     * @return the spooler logon result (its {@code spoolSecurity} is ignored)
     */
    MsLogonResult spoolerLogon(MapiSupport support, long uiParam, String profileName, EntryId entryId, int flags,
                               byte[] spoolSecurity);

    /**
     * IMSProvider::CompareStoreIDs: whether two unwrapped ids of this provider name the same store, possibly with
     * no store open.
     *
     * @param a     an unwrapped store id
     * @param b     another
     * @param flags 0
     * @return whether they name the same store
     */
    boolean compareStoreIds(EntryId a, EntryId b, int flags);
}
