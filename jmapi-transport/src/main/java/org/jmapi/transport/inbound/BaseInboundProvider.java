package org.jmapi.transport.inbound;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.XpLogonResult;
import org.jmapi.spi.XpProvider;

/**
 * The IXPProvider of a receive-only mail-server transport: TransportLogon reads the account from the profile
 * ({@link InboundSettings#read}; MAPI_E_UNCONFIGURED when host, user or password are missing, so that MAPI runs the
 * service's configuration once, R-LOGON-2), creates a new logon, and answers LOGON_SP_POLL (R-XP-2). It never
 * connects at logon time, so LOGON_NO_CONNECT needs nothing: the first Poll connects.
 *
 * <p><b>Ownership:</b> the runtime owns the object from XPProviderInit to its final release after
 * {@link #shutdown}. <b>Threads:</b> any; the object keeps no state but whether it was shut down.
 */
public abstract class BaseInboundProvider extends BaseMapiObject implements XpProvider {
    private static final int LOGON_FLAGS = Flags.LOGON_NO_DIALOG | Flags.LOGON_NO_CONNECT | Flags.LOGON_NO_INBOUND
            | Flags.LOGON_NO_OUTBOUND;

    private final InboundSettings.Tags tags;
    private volatile boolean shutdown;

    /** @param tags the protocol's profile properties */
    protected BaseInboundProvider(InboundSettings.Tags tags) {
        this.tags = tags;
    }

    /**
     * Creates the protocol's logon.
     *
     * @param support  the logon's support object (the logon AddRefs it)
     * @param flags    the TransportLogon flags
     * @param settings the account, checked
     * @return the new logon
     */
    protected abstract BaseInboundLogon<?> newLogon(MapiSupport support, int flags, InboundSettings settings);

    @Override
    public final XpLogonResult transportLogon(MapiSupport support, long uiParam, String profileName, int flags) {
        checkValid();
        if (shutdown) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "the provider object was already shut down");
        }
        Flags.checkKnown(flags, LOGON_FLAGS, "IXPProvider::TransportLogon");
        if (support == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "TransportLogon: no support object");
        }
        InboundSettings settings = InboundSettings.read(support, tags);
        return new XpLogonResult(newLogon(support, flags, settings), Flags.LOGON_SP_POLL);
    }

    @Override
    public final void shutdown(int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "IXPProvider::Shutdown");
        shutdown = true;
    }

    @Override
    protected String describe() {
        return tags.protocol() + " transport provider";
    }
}
