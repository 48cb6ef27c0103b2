package org.jmapi.client;

import org.jmapi.EntryId;
import org.jmapi.MapiObject;

/**
 * IAddrBook: the session's integrated address book, routing entry ids to the address-book provider logons made
 * when it was opened (R-AB-1, R-UID-3).
 *
 * <p><b>Ownership:</b> the caller of {@code MapiSession.openAddressBook} owns one reference. <b>After session
 * logoff:</b> MAPI_E_INVALID_OBJECT. <b>Threads:</b> any.
 */
public interface AddrBook extends MapiObject {
    /**
     * IAddrBook::OpenEntry.
     *
     * @param entryId an address-book entry id
     * @param flags   0 or MAPI_MODIFY
     * @return the entry, one reference owned by the caller
     * @throws org.jmapi.MapiException MAPI_E_UNKNOWN_ENTRYID when no address-book logon registered its UID
     */
    MapiObject openEntry(EntryId entryId, int flags);

    /**
     * IAddrBook::CompareEntryIDs.
     *
     * @param a     an entry id
     * @param b     another
     * @param flags 0
     * @return whether both name the same entry
     */
    boolean compareEntryIds(EntryId a, EntryId b, int flags);
}
