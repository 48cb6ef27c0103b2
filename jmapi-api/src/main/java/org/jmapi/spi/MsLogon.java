package org.jmapi.spi;

import org.jmapi.AdviseSink;
import org.jmapi.EntryId;
import org.jmapi.MapiObject;
import org.jmapi.client.MapiStatus;

/**
 * IMSLogon: MAPI's side of a store logon. Created with its {@link org.jmapi.client.MsgStore} and destroyed with it
 * (R-MS-1).
 *
 * <p><b>Ownership:</b> the runtime owns the logon's reference and releases it at the end of the release chain
 * (R-SR-1 step 5). <b>Threads:</b> any.
 */
public interface MsLogon extends MapiObject {

    /**
     * IMSLogon::OpenEntry: MAPI's route for session-level OpenEntry (R-UID-3).
     *
     * @param entryId an id carrying this logon's registered UID; null opens the root folder
     * @param flags   0, MAPI_MODIFY, MAPI_BEST_ACCESS
     * @return the object, one reference owned by the caller
     * @throws org.jmapi.MapiException MAPI_E_NOT_FOUND, MAPI_E_INVALID_ENTRYID
     */
    MapiObject openEntry(EntryId entryId, int flags);

    /**
     * IMSLogon::CompareEntryIDs: receives unwrapped ids (R-UID-8).
     *
     * @param a     an id
     * @param b     another
     * @param flags 0
     * @return whether they name the same object
     */
    boolean compareEntryIds(EntryId a, EntryId b, int flags);

    /**
     * IMSLogon::Advise.
     *
     * @param entryId   the object to watch, or null for the store
     * @param eventMask fnev* bits
     * @param sink      the sink
     * @return a non-zero connection
     */
    int advise(EntryId entryId, int eventMask, AdviseSink sink);

    /**
     * IMSLogon::Unadvise.
     *
     * @param connection from {@link #advise}
     */
    void unadvise(int connection);

    /**
     * IMSLogon::OpenStatusEntry (R-ST-6): the logon's status object, created once and AddRef'ed per call.
     *
     * @param flags 0 or MAPI_MODIFY (a read-only status object is still returned)
     * @return the status object, one reference owned by the caller
     * @throws org.jmapi.MapiException MAPI_E_NO_SUPPORT when the store keeps no status row
     */
    MapiStatus openStatusEntry(int flags);

    /**
     * IMSLogon::Logoff (R-SR-2, R-LOFF-1): a forced logoff. Releases and invalidates every object still open under
     * the logon (folders, messages, attachments, tables, the status object, the store object itself), cleans up,
     * and releases the support object last. For a client logon whose StoreLogoffTransports was never called, calls
     * it with LOGOFF_ABORT first (R-SL-3).
     *
     * @param flags 0 (reserved)
     */
    void logoff(int flags);
}
