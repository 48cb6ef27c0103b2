package org.jmapi.client;

import org.jmapi.MapiUid;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;

import java.util.List;

/**
 * IMsgServiceAdmin: the message services of one profile (spec &sect;3).
 *
 * <p>Creating, configuring and deleting a service calls its entry point with MSG_SERVICE_CREATE / CONFIGURE /
 * DELETE (R-PROF-6). <b>Ownership:</b> the caller owns one reference. <b>Threads:</b> any; changes are persisted
 * at once and seen by sessions logged on later.
 */
public interface MsgServiceAdmin extends org.jmapi.MapiObject {
    /**
     * IMsgServiceAdmin::CreateMsgServiceEx.
     *
     * @param serviceName the {@code MessageService.name()} of an installed service
     * @param displayName the display name in this profile
     * @param uiParam     parent window handle (no UI in jmapi)
     * @param flags       SERVICE_UI_ALWAYS, SERVICE_UI_ALLOWED, or 0
     * @return the new service's UID
     * @throws org.jmapi.MapiException MAPI_E_NOT_FOUND for an unknown service; MAPI_E_NO_ACCESS when a
     *                                 SERVICE_SINGLE_COPY service is already in the profile (R-PROF-7)
     */
    MapiUid createMsgService(String serviceName, String displayName, long uiParam, int flags);

    /**
     * IMsgServiceAdmin::ConfigureMsgService: calls the entry point with MSG_SERVICE_CONFIGURE.
     *
     * @param serviceUid the service
     * @param uiParam    parent window handle
     * @param flags      SERVICE_UI_ALWAYS, SERVICE_UI_ALLOWED, MSG_SERVICE_UI_READ_ONLY, or 0
     * @param props      the configuration values
     */
    void configureMsgService(MapiUid serviceUid, long uiParam, int flags, List<PropValue> props);

    /**
     * IMsgServiceAdmin::DeleteMsgService: calls the entry point with MSG_SERVICE_DELETE, then removes the service
     * and its sections.
     *
     * @param serviceUid the service
     */
    void deleteMsgService(MapiUid serviceUid);

    /**
     * IMsgServiceAdmin::GetMsgServiceTable.
     *
     * @param flags 0 or MAPI_UNICODE
     * @return one row per service: PR_SERVICE_UID, PR_SERVICE_NAME, PR_DISPLAY_NAME, PR_RESOURCE_FLAGS,
     *         PR_INSTANCE_KEY
     */
    MapiTable getMsgServiceTable(int flags);

    /**
     * IMsgServiceAdmin::GetProviderTable: every provider of the profile, a snapshot (R-PROF-7).
     *
     * @param flags 0 or MAPI_UNICODE
     * @return one row per provider
     */
    MapiTable getProviderTable(int flags);

    /**
     * IMsgServiceAdmin::MsgServiceTransportOrder (R-PROF-5).
     *
     * @param transportUids every transport provider UID of the profile, in the wanted order
     * @param flags         0
     */
    void msgServiceTransportOrder(List<MapiUid> transportUids, int flags);

    /**
     * IMsgServiceAdmin::AdminProviders.
     *
     * @param serviceUid the service
     * @param flags      0
     * @return its provider admin
     */
    ProviderAdmin adminProviders(MapiUid serviceUid, int flags);

    /**
     * IMsgServiceAdmin::OpenProfileSection (R-PROF-2).
     *
     * @param uid   the section
     * @param flags 0 or MAPI_MODIFY
     * @return the section
     * @throws org.jmapi.MapiException MAPI_E_NOT_FOUND when absent and opened read-only
     */
    ProfileSection openProfileSection(MapiUid uid, int flags);
}
