package org.jmapi.runtime.testproviders;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.MsProvider;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;

import java.util.List;

/**
 * The message service {@value #NAME}: one in-memory message store provider (key {@code "store"}, display
 * {@value #DISPLAY_NAME}, STATUS_DEFAULT_STORE). Found by {@link java.util.ServiceLoader} in the runtime's tests;
 * see {@link MemoryStoreProvider} for what the store does and {@link TestHooks} for the configuration values that
 * make its logon fail on purpose.
 *
 * <p>Stateless, like every {@link MessageService}: each {@link #msProviderInit} returns a new provider object
 * (R-LOAD-1).
 */
public final class MemoryStoreService implements MessageService {
    /** PR_SERVICE_NAME of the service. */
    public static final String NAME = "test.memstore";
    /** Display name of the service and of its store provider. */
    public static final String DISPLAY_NAME = "Memory Store";

    /** Creates the service; ServiceLoader calls this. */
    public MemoryStoreService() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String displayName() {
        return DISPLAY_NAME;
    }

    @Override
    public List<ProviderInfo> providers() {
        return List.of(new ProviderInfo("store", ProviderKind.STORE, DISPLAY_NAME, Flags.STATUS_DEFAULT_STORE));
    }

    /**
     * MSGSERVICEENTRY (R-PROF-6): every context is accepted; CREATE and CONFIGURE store the given properties in
     * the service's section; PROVIDER_CREATE / PROVIDER_DELETE are not allowed (MAPI_E_NO_SUPPORT).
     */
    @Override
    public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
        serviceEntry(NAME, context, support, props);
    }

    /** The entry point the three test services share. */
    static void serviceEntry(String service, int context, MapiSupport support, List<PropValue> props) {
        switch (context) {
            case Flags.MSG_SERVICE_INSTALL, Flags.MSG_SERVICE_DELETE, Flags.MSG_SERVICE_UNINSTALL -> {
            }
            case Flags.MSG_SERVICE_CREATE, Flags.MSG_SERVICE_CONFIGURE -> {
                if (props != null && !props.isEmpty()) {
                    try (ProfileSection section = support.openProfileSection(null, Flags.MAPI_MODIFY)) {
                        section.setProps(props);
                    }
                }
            }
            case Flags.MSG_SERVICE_PROVIDER_CREATE, Flags.MSG_SERVICE_PROVIDER_DELETE ->
                    throw new MapiException(HResult.MAPI_E_NO_SUPPORT, service + " has a fixed set of providers");
            default -> throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                    service + ": unknown service entry context " + context);
        }
    }

    @Override
    public MsProvider msProviderInit(int mapiSpiVersion) {
        if (mapiSpiVersion < Flags.CURRENT_SPI_VERSION) {
            throw new MapiException(HResult.MAPI_E_VERSION, NAME + " needs SPI version "
                    + HResult.hex(Flags.CURRENT_SPI_VERSION) + ", MAPI offers " + HResult.hex(mapiSpiVersion));
        }
        return new MemoryStoreProvider();
    }
}
