package org.jmapi.runtime.profile;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.client.ProviderAdmin;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;

import java.util.List;

/**
 * IProviderAdmin for one message service of a {@link Profile}. Creating and deleting a provider first calls the
 * service entry point with MSG_SERVICE_PROVIDER_CREATE / MSG_SERVICE_PROVIDER_DELETE; if the service refuses
 * (MAPI_E_NO_SUPPORT, say) the error propagates and nothing changes (R-PROF-6). Thread-safe; objects returned carry
 * one reference owned by the caller.
 */
final class LocalProviderAdmin extends BaseMapiObject implements ProviderAdmin {
    private final Profile profile;
    private final MapiUid serviceUid;

    LocalProviderAdmin(Profile profile, MapiUid serviceUid) {
        this.profile = profile;
        this.serviceUid = serviceUid;
    }

    /** A snapshot of the service's providers, never updated afterwards (R-PROF-7). */
    @Override
    public MapiTable getProviderTable(int flags) {
        checkValid();
        Flags.checkKnown(flags, Flags.MAPI_UNICODE, "GetProviderTable");
        profile.requireService(serviceUid);
        ProfileData d = profile.data();
        List<ProviderRecord> mine = d.providers.values().stream()
                .filter(p -> p.serviceUid().equals(serviceUid)).toList();
        return AdminTables.providerTable(mine, d.transportOrder, flags);
    }

    /**
     * Adds a provider listed by the service under {@code providerKey} (MAPI_E_NOT_FOUND otherwise) after the entry
     * point accepted MSG_SERVICE_PROVIDER_CREATE with {@code props}. The new section holds MAPI's provider
     * properties plus {@code props}; PR_DISPLAY_NAME and PR_RESOURCE_FLAGS in {@code props} override the service's
     * defaults.
     */
    @Override
    public MapiUid createProvider(String providerKey, List<PropValue> props, int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "CreateProvider");
        return profile.createProvider(serviceUid, providerKey, props);
    }

    /** Removes one of the service's providers (MAPI_E_NOT_FOUND otherwise) after the entry point accepted
     * MSG_SERVICE_PROVIDER_DELETE, which receives PR_PROVIDER_UID. */
    @Override
    public void deleteProvider(MapiUid providerUid) {
        checkValid();
        profile.deleteProvider(serviceUid, providerUid);
    }

    /** The service's own section for a null UID; see {@link SectionScope} for the sections allowed. */
    @Override
    public ProfileSection openProfileSection(MapiUid uid, int flags) {
        checkValid();
        return profile.serviceScope(serviceUid).open(uid, flags);
    }

    @Override
    protected String describe() {
        return "provideradmin:" + serviceUid;
    }
}
