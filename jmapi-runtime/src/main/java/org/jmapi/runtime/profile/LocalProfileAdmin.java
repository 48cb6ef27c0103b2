package org.jmapi.runtime.profile;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.table.MapiTable;

/**
 * IProfAdmin over a {@link ProfileStore}. Thread-safe; objects returned carry one reference owned by the caller.
 */
final class LocalProfileAdmin extends BaseMapiObject implements ProfileAdmin {
    /** MAPI_DEFAULT_SERVICES = 0x1 (CreateProfile): not supported. */
    static final int MAPI_DEFAULT_SERVICES = 0x1;

    private final ProfileStore store;

    LocalProfileAdmin(ProfileStore store) {
        this.store = store;
    }

    @Override
    public void createProfile(String name, String password, long uiParam, int flags) {
        checkValid();
        Flags.checkKnown(flags, MAPI_DEFAULT_SERVICES, "CreateProfile");
        if ((flags & MAPI_DEFAULT_SERVICES) != 0) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                    "CreateProfile: MAPI_DEFAULT_SERVICES is not supported (there is no MAPISVC.INF default list)");
        }
        ProfileStore.checkName(name);
        if (password != null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CreateProfile: the password must be null");
        }
        store.createProfile(name);
    }

    /** Deletes each service as DeleteMsgService does (MSG_SERVICE_DELETE first), then the profile file. */
    @Override
    public void deleteProfile(String name, int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "DeleteProfile");
        ProfileStore.checkName(name);
        store.deleteProfile(name);
    }

    /** One row per profile, sorted by name: PR_DISPLAY_NAME, PR_DEFAULT_PROFILE, PR_INSTANCE_KEY; a snapshot. */
    @Override
    public MapiTable getProfileTable(int flags) {
        checkValid();
        Flags.checkKnown(flags, Flags.MAPI_UNICODE, "GetProfileTable");
        return AdminTables.profileTable(store.profileNames(), store.defaultProfile().orElse(null), flags);
    }

    @Override
    public void setDefaultProfile(String name) {
        checkValid();
        store.setDefaultProfile(name);
    }

    @Override
    public MsgServiceAdmin adminServices(String profileName, int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "AdminServices");
        ProfileStore.checkName(profileName);
        return store.load(profileName).serviceAdmin();
    }

    @Override
    protected String describe() {
        return "profadmin";
    }
}
