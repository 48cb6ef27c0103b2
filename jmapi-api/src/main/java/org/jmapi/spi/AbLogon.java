package org.jmapi.spi;

import org.jmapi.EntryId;
import org.jmapi.MapiObject;
import org.jmapi.client.MapiStatus;

/**
 * IABLogon: an address-book logon.
 *
 * <p><b>Ownership:</b> the runtime owns it and releases it after {@link #logoff} (R-LOFF-2). <b>Threads:</b> any.
 */
public interface AbLogon extends MapiObject {

    /**
     * IABLogon::OpenEntry.
     *
     * @param entryId an id carrying this logon's UID, or null for the root container
     * @param flags   0 or MAPI_MODIFY
     * @return the entry, one reference owned by the caller
     */
    MapiObject openEntry(EntryId entryId, int flags);

    /**
     * IABLogon::CompareEntryIDs.
     *
     * @param a     an id
     * @param b     another
     * @param flags 0
     * @return whether they name the same entry
     */
    boolean compareEntryIds(EntryId a, EntryId b, int flags);

    /**
     * IABLogon::OpenStatusEntry.
     *
     * @param flags 0 or MAPI_MODIFY
     * @return the status object
     * @throws org.jmapi.MapiException MAPI_E_NO_SUPPORT when the provider keeps no status row
     */
    MapiStatus openStatusEntry(int flags);

    /**
     * IABLogon::Logoff (R-LOFF-1): releases every open object, cleans up, releases the support object last.
     *
     * @param flags 0 (reserved)
     */
    void logoff(int flags);
}
