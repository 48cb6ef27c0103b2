package org.jmapi.spi;

import org.jmapi.Flags;
import org.jmapi.MapiObject;

/**
 * What the three provider-object interfaces share: a version and a last call.
 *
 * <p><b>Ownership:</b> the runtime owns the provider object's reference from the init call until its final
 * release, which follows {@link #shutdown}. <b>Threads:</b> any.
 */
public interface ServiceProvider extends MapiObject {

    /**
     * The SPI version the provider was built for (the init function's {@code lpulProviderVer}). The runtime
     * releases a provider whose major version differs from its own and treats the init as failed with
     * MAPI_E_VERSION (R-LOAD-2).
     *
     * @return the version, normally {@link Flags#CURRENT_SPI_VERSION}
     */
    default int spiVersion() {
        return Flags.CURRENT_SPI_VERSION;
    }

    /**
     * IXXProvider::Shutdown: the last call the provider object receives before its final release, made only after
     * every logon of the object has been released (R-SR-3, R-LOFF-2, R-AB-3).
     *
     * @param flags 0 (reserved)
     */
    void shutdown(int flags);
}
