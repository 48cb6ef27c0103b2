package org.jmapi.runtime.profile;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.client.ProviderAdmin;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;

import java.util.List;

/**
 * IMsgServiceAdmin over a {@link Profile}. Every method reloads the profile first, so it acts on what is on disk;
 * the work is done by the profile (see its package-private service methods). Thread-safe; the caller owns its
 * references, and every object returned carries one reference owned by the caller (R-REF-1).
 */
final class LocalMsgServiceAdmin extends BaseMapiObject implements MsgServiceAdmin {
    /** MSG_SERVICE_UI_READ_ONLY = 0x8: ConfigureMsgService shows its property sheet read-only. */
    static final int MSG_SERVICE_UI_READ_ONLY = 0x8;
    private static final int UI_FLAGS = Flags.SERVICE_UI_ALWAYS | Flags.SERVICE_UI_ALLOWED;

    private final Profile profile;

    LocalMsgServiceAdmin(Profile profile) {
        this.profile = profile;
    }

    /**
     * Calls the entry point with MSG_SERVICE_INSTALL the first time the service is used under this jmapi home,
     * then with MSG_SERVICE_CREATE; adds the service, its providers and their sections only if both returned
     * normally (R-PROF-6). A SERVICE_SINGLE_COPY service already in the profile gives MAPI_E_NO_ACCESS (R-PROF-7).
     */
    @Override
    public MapiUid createMsgService(String serviceName, String displayName, long uiParam, int flags) {
        checkValid();
        Flags.checkKnown(flags, UI_FLAGS | Flags.MAPI_UNICODE, "CreateMsgService");
        return profile.createService(serviceName, displayName, flags & UI_FLAGS);
    }

    /** Calls the entry point with MSG_SERVICE_CONFIGURE and, if it returned normally, stores the props in the
     * service's section (PR_SERVICE_UID and PR_SERVICE_NAME stay MAPI's). */
    @Override
    public void configureMsgService(MapiUid serviceUid, long uiParam, int flags, List<PropValue> props) {
        checkValid();
        Flags.checkKnown(flags, UI_FLAGS | MSG_SERVICE_UI_READ_ONLY | Flags.MAPI_UNICODE, "ConfigureMsgService");
        profile.configureService(serviceUid, flags & (UI_FLAGS | MSG_SERVICE_UI_READ_ONLY), props);
    }

    /** Calls the entry point with MSG_SERVICE_DELETE (when the service is still installed), then removes the service,
     * its providers, their sections, the sections it created and its transports from the transport order. */
    @Override
    public void deleteMsgService(MapiUid serviceUid) {
        checkValid();
        profile.deleteService(serviceUid);
    }

    /** A static snapshot of the services (R-PROF-7); the caller owns the table's reference. */
    @Override
    public MapiTable getMsgServiceTable(int flags) {
        checkValid();
        Flags.checkKnown(flags, Flags.MAPI_UNICODE, "GetMsgServiceTable");
        profile.reload();
        return AdminTables.serviceTable(profile.services(), flags);
    }

    /** A snapshot of every provider, transports last in transport order (R-PROF-7); the caller owns the table's
     * reference. */
    @Override
    public MapiTable getProviderTable(int flags) {
        checkValid();
        Flags.checkKnown(flags, Flags.MAPI_UNICODE, "GetProviderTable");
        profile.reload();
        ProfileData d = profile.data();
        return AdminTables.providerTable(List.copyOf(d.providers.values()), d.transportOrder, flags);
    }

    /** Replaces the transport order (R-PROF-5); MAPI_E_INVALID_PARAMETER unless the list names every transport of
     * the profile exactly once. */
    @Override
    public void msgServiceTransportOrder(List<MapiUid> transportUids, int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "MsgServiceTransportOrder");
        profile.setTransportOrder(transportUids);
    }

    /** @return a new IProviderAdmin for the service; the caller owns one reference */
    @Override
    public ProviderAdmin adminProviders(MapiUid serviceUid, int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "AdminProviders");
        profile.requireService(serviceUid);
        return new LocalProviderAdmin(profile, serviceUid);
    }

    /** Any section of the profile (R-PROF-2); MAPI_E_INVALID_PARAMETER for a null UID. */
    @Override
    public ProfileSection openProfileSection(MapiUid uid, int flags) {
        checkValid();
        return profile.openSection(uid, flags, false);
    }

    @Override
    protected String describe() {
        return "msgserviceadmin:" + profile.name();
    }
}
