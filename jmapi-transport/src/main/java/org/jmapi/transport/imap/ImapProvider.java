package org.jmapi.transport.imap;

import org.jmapi.spi.MapiSupport;
import org.jmapi.transport.inbound.BaseInboundLogon;
import org.jmapi.transport.inbound.BaseInboundProvider;
import org.jmapi.transport.inbound.InboundSettings;

/**
 * The IMAP transport's IXPProvider, one per session (created by {@link ImapService#xpProviderInit}): TransportLogon
 * reads the account from the profile and returns a new {@link ImapLogon} with LOGON_SP_POLL; see
 * {@link BaseInboundProvider}.
 */
final class ImapProvider extends BaseInboundProvider {
    ImapProvider() {
        super(ImapService.TAGS);
    }

    @Override
    protected BaseInboundLogon<?> newLogon(MapiSupport support, int flags, InboundSettings settings) {
        return new ImapLogon(support, flags, settings);
    }
}
