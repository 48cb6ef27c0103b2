package org.jmapi.runtime.testproviders;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;
import org.jmapi.spi.XpProvider;

import java.util.List;

/**
 * The message service {@value #NAME}: one in-memory transport provider (key {@code "xp"}, display
 * {@value #DISPLAY_NAME}, resource flags 0). See {@link MemoryTransportProvider}. Stateless; each
 * {@link #xpProviderInit} returns a new provider object (R-LOAD-1).
 */
public final class MemoryTransportService implements MessageService {
    /** PR_SERVICE_NAME of the service. */
    public static final String NAME = "test.memxp";
    /** Display name of the service and of its transport. */
    public static final String DISPLAY_NAME = "Memory Transport";

    /** Creates the service; ServiceLoader calls this. */
    public MemoryTransportService() {
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
        return List.of(new ProviderInfo("xp", ProviderKind.TRANSPORT, DISPLAY_NAME, 0));
    }

    /** MSGSERVICEENTRY: as {@link MemoryStoreService#serviceEntry}. */
    @Override
    public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
        MemoryStoreService.serviceEntry(NAME, context, support, props);
    }

    @Override
    public XpProvider xpProviderInit(int mapiSpiVersion) {
        if (mapiSpiVersion < Flags.CURRENT_SPI_VERSION) {
            throw new MapiException(HResult.MAPI_E_VERSION, NAME + " needs SPI version "
                    + HResult.hex(Flags.CURRENT_SPI_VERSION) + ", MAPI offers " + HResult.hex(mapiSpiVersion));
        }
        return new MemoryTransportProvider();
    }
}
