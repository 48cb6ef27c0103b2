package org.jmapi.transport.pop3;

import org.jmapi.spi.MapiSupport;
import org.jmapi.transport.inbound.BaseInboundLogon;
import org.jmapi.transport.inbound.BaseInboundProvider;
import org.jmapi.transport.inbound.InboundSettings;

/**
 * The POP3 transport's IXPProvider, one per session (created by {@link Pop3Service#xpProviderInit}): TransportLogon
 * reads the account from the profile and returns a new {@link Pop3Logon} with LOGON_SP_POLL; see
 * {@link BaseInboundProvider}.
 */
final class Pop3Provider extends BaseInboundProvider {
    Pop3Provider() {
        super(Pop3Service.TAGS);
    }

    @Override
    protected BaseInboundLogon<?> newLogon(MapiSupport support, int flags, InboundSettings settings) {
        return new Pop3Logon(support, flags, settings);
    }
}
