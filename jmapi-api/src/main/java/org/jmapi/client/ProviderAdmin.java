package org.jmapi.client;

import org.jmapi.MapiUid;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;

import java.util.List;

/**
 * IProviderAdmin: the providers of one message service in a profile.
 *
 * <p><b>Ownership:</b> the caller owns one reference. <b>Threads:</b> any; changes are persisted at once.
 */
public interface ProviderAdmin extends org.jmapi.MapiObject {
    /**
     * IProviderAdmin::GetProviderTable: a snapshot, not updated by later changes (R-PROF-7).
     *
     * @param flags 0 or MAPI_UNICODE
     * @return one row per provider: PR_PROVIDER_UID, PR_DISPLAY_NAME, PR_RESOURCE_TYPE, PR_RESOURCE_FLAGS,
     *         PR_SERVICE_UID, PR_INSTANCE_KEY
     */
    MapiTable getProviderTable(int flags);

    /**
     * IProviderAdmin::CreateProvider.
     *
     * @param providerKey the provider's key within its message service (see the service's provider list)
     * @param props       initial properties of the new provider section
     * @param flags       0
     * @return the new provider's section UID
     */
    MapiUid createProvider(String providerKey, List<PropValue> props, int flags);

    /**
     * IProviderAdmin::DeleteProvider.
     *
     * @param providerUid the provider section UID
     */
    void deleteProvider(MapiUid providerUid);

    /**
     * IProviderAdmin::OpenProfileSection.
     *
     * @param uid   a section of this service, or null for the service's own section
     * @param flags 0 or MAPI_MODIFY
     * @return the section
     */
    ProfileSection openProfileSection(MapiUid uid, int flags);
}
