package org.jmapi.runtime;

import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.client.AddrBook;

import java.util.List;

/** IAddrBook: routes entry ids to the session's address-book logons by their registered UIDs (R-UID-3, R-UID-4). */
final class RealAddrBook extends BaseMapiObject implements AddrBook {
    private final RealSession session;

    RealAddrBook(RealSession session) {
        this.session = session;
    }

    @Override
    public MapiObject openEntry(EntryId entryId, int flags) {
        checkValid();
        Flags.checkKnown(flags, Flags.MAPI_MODIFY | Flags.MAPI_BEST_ACCESS, "IAddrBook::OpenEntry");
        List<AbLogonRecord> logons = session.abLogons();
        if (entryId == null) {
            if (logons.isEmpty()) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "the profile has no address-book provider");
            }
            return logons.get(0).logon().openEntry(null, flags);
        }
        if (!entryId.hasProviderUid()) {
            throw new MapiException(HResult.MAPI_E_UNKNOWN_ENTRYID, "entry id too short to route");
        }
        MapiException last = null;
        for (LogonRecord r : session.uids.routes(entryId.providerUid())) {
            if (r instanceof AbLogonRecord ab && ab.isActive()) {
                try {
                    return ab.logon().openEntry(entryId, flags);
                } catch (MapiException e) {
                    last = e; // R-UID-4: the next logon sharing the UID gets a chance
                }
            }
        }
        if (last != null) {
            throw last;
        }
        throw new MapiException(HResult.MAPI_E_UNKNOWN_ENTRYID,
                "no address-book logon registered MAPIUID " + entryId.providerUid());
    }

    @Override
    public boolean compareEntryIds(EntryId a, EntryId b, int flags) {
        checkValid();
        return session.compareEntryIds(a, b, flags);
    }

    @Override
    protected String describe() {
        return "address book of " + session.label;
    }
}
