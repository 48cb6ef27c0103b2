package org.jmapi.transport.local;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.XpLogonResult;
import org.jmapi.spi.XpProvider;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local-delivery IXPProvider of {@link LocalTransportService}. Each TransportLogon reads the logon's
 * configuration ({@link LocalConfig#read}) and returns a new {@link LocalLogon}: polled (LOGON_SP_POLL) when an own
 * address is configured, send-only otherwise.
 *
 * <p><b>Ownership:</b> the runtime owns the provider object (one reference from XPProviderInit) and the spooler owns
 * each logon. <b>Shutdown</b> (R-LOFF-4) is allowed only once every logon of this object has done its
 * TransportLogoff; otherwise MAPI_E_CALL_FAILED. <b>Threads:</b> any.
 */
final class LocalTransportProvider extends BaseMapiObject implements XpProvider {
    private static final int LOGON_FLAGS = Flags.LOGON_NO_DIALOG | Flags.LOGON_NO_CONNECT | Flags.LOGON_NO_INBOUND
            | Flags.LOGON_NO_OUTBOUND;

    private final AtomicInteger liveLogons = new AtomicInteger();
    private volatile boolean shutdownCalled;

    /** Created by {@link LocalTransportService#xpProviderInit}. */
    LocalTransportProvider() {
    }

    /**
     * IXPProvider::TransportLogon.
     *
     * @throws MapiException MAPI_E_UNCONFIGURED when the service has no maildrop; MAPI_E_INVALID_PARAMETER for a
     *                       bad own address or domain; MAPI_E_CALL_FAILED after Shutdown
     */
    @Override
    public XpLogonResult transportLogon(MapiSupport support, long uiParam, String profileName, int flags) {
        checkValid();
        if (shutdownCalled) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "the provider object was already shut down");
        }
        Flags.checkKnown(flags, LOGON_FLAGS, "IXPProvider::TransportLogon");
        if (support == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "TransportLogon: no support object");
        }
        LocalConfig config = LocalConfig.read(support);
        LocalLogon logon = new LocalLogon(this, support, config, flags);
        liveLogons.incrementAndGet();
        return new XpLogonResult(logon, config.mailbox() != null ? Flags.LOGON_SP_POLL : 0);
    }

    @Override
    public void shutdown(int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "IXPProvider::Shutdown");
        if (liveLogons.get() > 0) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED,
                    "IXPProvider::Shutdown while " + liveLogons.get() + " logon(s) are not logged off (R-LOFF-4)");
        }
        shutdownCalled = true;
    }

    /** A logon of this object has logged off. */
    void logonEnded() {
        liveLogons.decrementAndGet();
    }

    @Override
    protected String describe() {
        return LocalTransportService.DISPLAY_NAME + " provider";
    }
}
