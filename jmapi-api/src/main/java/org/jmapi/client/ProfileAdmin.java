package org.jmapi.client;

import org.jmapi.table.MapiTable;

/**
 * IProfAdmin: the profiles of a jmapi home (MAPIAdminProfiles).
 *
 * <p>Profiles are persisted under the jmapi home and shared by every process using that home. <b>Ownership:</b>
 * the caller owns one reference. <b>Threads:</b> any.
 */
public interface ProfileAdmin extends org.jmapi.MapiObject {
    /**
     * IProfAdmin::CreateProfile.
     *
     * @param name     at most 64 characters, no leading or trailing space
     * @param password must be null (profile passwords are not supported, as in current MAPI)
     * @param uiParam  parent window handle
     * @param flags    0 or MAPI_DEFAULT_SERVICES (0x1, not supported: MAPI_E_NO_SUPPORT)
     * @throws org.jmapi.MapiException MAPI_E_INVALID_PARAMETER for a bad name; MAPI_E_NO_ACCESS when it exists
     */
    void createProfile(String name, String password, long uiParam, int flags);

    /**
     * IProfAdmin::DeleteProfile.
     *
     * @param name  the profile
     * @param flags 0
     * @throws org.jmapi.MapiException MAPI_E_NOT_FOUND when absent
     */
    void deleteProfile(String name, int flags);

    /**
     * IProfAdmin::GetProfileTable.
     *
     * @param flags 0
     * @return one row per profile: PR_DISPLAY_NAME, PR_DEFAULT_PROFILE (0x3D04000B)
     */
    MapiTable getProfileTable(int flags);

    /**
     * IProfAdmin::SetDefaultProfile.
     *
     * @param name the profile, or null for none
     */
    void setDefaultProfile(String name);

    /**
     * IProfAdmin::AdminServices.
     *
     * @param profileName the profile
     * @param flags       0
     * @return its service admin
     */
    MsgServiceAdmin adminServices(String profileName, int flags);
}
