package org.jmapi.client;

import org.jmapi.MapiUid;
import org.jmapi.prop.MapiProp;

/**
 * IProfSect: one section of a profile, named by a MAPIUID (spec &sect;3).
 *
 * <p>Not transacted: {@code setProps}, {@code deleteProps} take effect and are persisted at once;
 * {@code saveChanges} is a successful no-op; named-property methods throw MAPI_E_NO_SUPPORT (R-PROF-1). Ids
 * 0x6600..0x67FF are provider-private: only returned when asked for by tag (R-PROF-3). Opened read-only unless
 * MAPI_MODIFY was asked for and granted; a read-only section refuses changes with MAPI_E_NO_ACCESS.
 *
 * <p><b>Ownership:</b> the opener owns one reference. <b>After logoff:</b> a section opened by a provider through
 * its support object is invalid once that logon is logged off. <b>Threads:</b> any; another process sees changes
 * the next time it opens the section.
 */
public interface ProfileSection extends MapiProp {
    /** @return the MAPIUID naming this section */
    MapiUid uid();
}
