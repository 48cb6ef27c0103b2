package org.jmapi.transport.pop3;

import org.jmapi.transport.ServerProps;
import org.jmapi.transport.inbound.BaseInboundProvider;
import org.jmapi.transport.inbound.BaseInboundService;
import org.jmapi.transport.inbound.InboundSettings;

/**
 * The message service {@value #NAME}: a receive-only POP3 transport (one TRANSPORT provider, key {@code "xp"},
 * display {@value #DISPLAY_NAME}). Found by {@link java.util.ServiceLoader}.
 *
 * <p><b>Configuration</b> ({@code ConfigureMsgService}, checked as {@link BaseInboundService} says):
 * {@link ServerProps#PR_POP3_HOST} (required), {@link ServerProps#PR_POP3_PORT} (default 110, 995 with tls),
 * {@link ServerProps#PR_POP3_SECURITY} ({@code none} (default), {@code starttls}, {@code tls}),
 * {@link ServerProps#PR_POP3_USER} and {@link ServerProps#PR_POP3_PASSWORD} (required), and
 * {@link ServerProps#PR_POLL_SECONDS}, the least time between two server checks (default 60).
 * <pre>{@code
 * MapiUid svc = services.createMsgService("jmapi.pop3", "Mail from my provider", 0, 0);
 * services.configureMsgService(svc, 0, 0, List.of(
 *         PropValue.ofString(ServerProps.PR_POP3_HOST, "pop.example.com"),
 *         PropValue.ofString(ServerProps.PR_POP3_SECURITY, "tls"),
 *         PropValue.ofString(ServerProps.PR_POP3_USER, "me"),
 *         PropValue.ofString(ServerProps.PR_POP3_PASSWORD, secret)));
 * }</pre>
 * Received mail goes to the receive folder of the profile's default store. How the maildrop is read and when its
 * messages are deleted: {@link Pop3Logon}.
 */
public final class Pop3Service extends BaseInboundService {
    /** PR_SERVICE_NAME of the service. */
    public static final String NAME = "jmapi.pop3";
    /** Display name of the service and its transport. */
    public static final String DISPLAY_NAME = "jmapi POP3 Transport";
    /** The POP3 account's profile properties. */
    static final InboundSettings.Tags TAGS = new InboundSettings.Tags("POP3", ServerProps.PR_POP3_HOST,
            ServerProps.PR_POP3_PORT, ServerProps.PR_POP3_SECURITY, ServerProps.PR_POP3_USER,
            ServerProps.PR_POP3_PASSWORD, new int[] {ServerProps.PR_POLL_SECONDS}, 0, 110, 995);

    /** Creates the service; ServiceLoader calls this. */
    public Pop3Service() {
        super(NAME, DISPLAY_NAME, TAGS);
    }

    @Override
    protected BaseInboundProvider newProvider() {
        return new Pop3Provider();
    }
}
