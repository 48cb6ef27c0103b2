package org.jmapi.runtime.profile;

import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;

/**
 * Which sections a message service may open through its support object or its {@link org.jmapi.client.ProviderAdmin}
 * (R-PROF-2, R-PROF-6): its own section (for a null UID), its providers' sections, sections it created, and free
 * sections no service owns. Another service's sections answer MAPI_E_NO_ACCESS. Thread-safe.
 */
interface SectionScope {

    /**
     * IMAPISupport::OpenProfileSection / IProviderAdmin::OpenProfileSection.
     *
     * @param uid   the section, or null for the service's own section
     * @param flags 0 (read-only) or MAPI_MODIFY
     * @return the section, one reference owned by the caller
     * @throws org.jmapi.MapiException MAPI_E_UNKNOWN_FLAGS; MAPI_E_NOT_FOUND when absent and opened read-only (with
     *                                 MAPI_MODIFY it is created and owned by the service); MAPI_E_NO_ACCESS for
     *                                 another service's section
     */
    ProfileSection open(MapiUid uid, int flags);
}
