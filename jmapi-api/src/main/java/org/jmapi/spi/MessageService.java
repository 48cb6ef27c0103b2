package org.jmapi.spi;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropValue;

import java.util.List;

/**
 * A message service: the Java form of a service DLL with its MSGSERVICEENTRY and the MSProviderInit /
 * XPProviderInit / ABProviderInit entry points of its providers.
 *
 * <p>Found by {@link java.util.ServiceLoader} (list the class in {@code META-INF/services/org.jmapi.spi.MessageService});
 * the runtime never names a concrete provider class. One instance may serve every profile and session: it must
 * keep no per-profile state itself, and every {@code *ProviderInit} call must return a brand-new provider object
 * (R-LOAD-1). The runtime calls each init at most once per configured provider per session (R-LOAD-3) and, after
 * the provider object's last logon, its {@code shutdown} and final {@code release} (R-SR-3, R-LOFF-2). After the
 * last {@code Mapi.uninitialize} the runtime drops its service instances ("unloads" them, R-INIT-5).
 *
 * <p><b>Threads:</b> entry points may be called from any thread, concurrently for different profiles.
 */
public interface MessageService {

    /** @return PR_SERVICE_NAME, the name profiles refer to, e.g. {@code "jmapi.sqlite-store"} */
    String name();

    /** @return the default display name of the service */
    String displayName();

    /** @return PR_RESOURCE_FLAGS of the service (SERVICE_SINGLE_COPY, SERVICE_DEFAULT_STORE, ...); default 0 */
    default int serviceFlags() {
        return 0;
    }

    /** @return the providers the service adds to a profile; at least one */
    List<ProviderInfo> providers();

    /**
     * MSGSERVICEENTRY (R-PROF-6). The support object is valid only during the call and must not be kept.
     *
     * @param context  MSG_SERVICE_INSTALL, CREATE, CONFIGURE, DELETE, UNINSTALL, PROVIDER_CREATE, PROVIDER_DELETE
     * @param support  the service support object: OpenProfileSection (the service's sections), NewUID, MakeInvalid;
     *                 other methods throw MAPI_E_NO_SUPPORT (spec &sect;8.1)
     * @param uiFlags  SERVICE_UI_ALWAYS / SERVICE_UI_ALLOWED or 0; jmapi has no UI, so a service that would need
     *                 a dialog fails with MAPI_E_UNCONFIGURED instead
     * @param props    configuration values for CONFIGURE (and CREATE), else empty
     * @throws MapiException MAPI_E_UNCONFIGURED when the configuration is missing or invalid, MAPI_E_USER_CANCEL,
     *                       MAPI_E_NO_SUPPORT for PROVIDER_CREATE/DELETE when the service does not allow them
     */
    void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props);

    /**
     * MSProviderInit: a new store provider object.
     *
     * @param mapiSpiVersion the runtime's SPI version ({@link Flags#CURRENT_SPI_VERSION})
     * @return a new provider object; one reference owned by the runtime
     * @throws MapiException MAPI_E_VERSION when the provider needs a newer SPI (R-LOAD-2); MAPI_E_NO_SUPPORT
     *                       when the service has no store provider
     */
    default MsProvider msProviderInit(int mapiSpiVersion) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, name() + " has no message store provider");
    }

    /**
     * XPProviderInit: a new transport provider object.
     *
     * @param mapiSpiVersion the runtime's SPI version
     * @return a new provider object; one reference owned by the runtime
     */
    default XpProvider xpProviderInit(int mapiSpiVersion) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, name() + " has no transport provider");
    }

    /**
     * ABProviderInit: a new address-book provider object.
     *
     * @param mapiSpiVersion the runtime's SPI version
     * @return a new provider object; one reference owned by the runtime
     */
    default AbProvider abProviderInit(int mapiSpiVersion) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, name() + " has no address-book provider");
    }
}
