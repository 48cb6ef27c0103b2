package org.jmapi.transport.pop3;

import org.jmapi.prop.PropValue;
import org.jmapi.transport.ServerProps;
import org.jmapi.transport.inbound.InboundTransportContract;
import org.jmapi.transport.inbound.MailPeer;
import org.jmapi.transport.inbound.MailProxy;

import java.util.List;

/** The POP3 transport ({@code jmapi.pop3}) against GreenMail's POP3 server: see {@link InboundTransportContract}. */
class Pop3TransportTest extends InboundTransportContract {
    @Override
    protected String serviceName() {
        return Pop3Service.NAME;
    }

    @Override
    protected String providerDisplay() {
        return Pop3Service.DISPLAY_NAME;
    }

    @Override
    protected MailProxy.Protocol protocol() {
        return MailProxy.Protocol.POP3;
    }

    @Override
    protected int plainPort() {
        return peer.pop3Port();
    }

    @Override
    protected List<PropValue> config(String host, int port, String security, String password, int pollSeconds) {
        return List.of(PropValue.ofString(ServerProps.PR_POP3_HOST, host),
                PropValue.ofInt(ServerProps.PR_POP3_PORT, port),
                PropValue.ofString(ServerProps.PR_POP3_SECURITY, security),
                PropValue.ofString(ServerProps.PR_POP3_USER, MailPeer.USER),
                PropValue.ofString(ServerProps.PR_POP3_PASSWORD, password),
                PropValue.ofInt(ServerProps.PR_POLL_SECONDS, pollSeconds));
    }

    @Override
    protected String fetchCommand() {
        return "RETR";
    }

    @Override
    protected String deleteCommand() {
        return "DELE";
    }

    /** POP3 sees new mail only in a new session: a check is a login. */
    @Override
    protected int serverChecks(MailProxy proxy) {
        return proxy.logins();
    }

    @Override
    protected int passwordTag() {
        return ServerProps.PR_POP3_PASSWORD;
    }

    @Override
    protected int hostTag() {
        return ServerProps.PR_POP3_HOST;
    }

    @Override
    protected int trustStoreTag() {
        return Pop3Service.PR_POP3_TRUST_STORE;
    }

    @Override
    protected int trustStorePasswordTag() {
        return Pop3Service.PR_POP3_TRUST_STORE_PASSWORD;
    }

    @Override
    protected int certFingerprintTag() {
        return Pop3Service.PR_POP3_CERT_FINGERPRINT;
    }
}
