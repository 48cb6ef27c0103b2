package org.jmapi.transport.imap;

import org.jmapi.transport.ServerProps;
import org.jmapi.transport.inbound.BaseInboundProvider;
import org.jmapi.transport.inbound.BaseInboundService;
import org.jmapi.transport.inbound.InboundSettings;

/**
 * The message service {@value #NAME}: a receive-only IMAP transport (one TRANSPORT provider, key {@code "xp"},
 * display {@value #DISPLAY_NAME}). Found by {@link java.util.ServiceLoader}.
 *
 * <p><b>Configuration</b> ({@code ConfigureMsgService}, checked as {@link BaseInboundService} says):
 * {@link ServerProps#PR_IMAP_HOST} (required), {@link ServerProps#PR_IMAP_PORT} (default 143, 993 with tls),
 * {@link ServerProps#PR_IMAP_SECURITY} ({@code none} (default), {@code starttls}, {@code tls}),
 * {@link ServerProps#PR_IMAP_USER} and {@link ServerProps#PR_IMAP_PASSWORD} (required),
 * {@link ServerProps#PR_IMAP_FOLDER} (default {@code INBOX}), and the least time between two server checks:
 * {@link ServerProps#PR_IMAP_POLL_SECONDS}, or when absent {@link ServerProps#PR_POLL_SECONDS}, default 60.
 * <pre>{@code
 * MapiUid svc = services.createMsgService("jmapi.imap", "Mail from my provider", 0, 0);
 * services.configureMsgService(svc, 0, 0, List.of(
 *         PropValue.ofString(ServerProps.PR_IMAP_HOST, "imap.example.com"),
 *         PropValue.ofString(ServerProps.PR_IMAP_SECURITY, "tls"),
 *         PropValue.ofString(ServerProps.PR_IMAP_USER, "me"),
 *         PropValue.ofString(ServerProps.PR_IMAP_PASSWORD, secret)));
 * }</pre>
 * Received mail goes to the receive folder of the profile's default store and is removed from the IMAP folder: this
 * transport moves mail, it does not synchronise a mailbox. How: {@link ImapLogon}.
 */
public final class ImapService extends BaseInboundService {
    /** PR_SERVICE_NAME of the service. */
    public static final String NAME = "jmapi.imap";
    /** Display name of the service and its transport. */
    public static final String DISPLAY_NAME = "jmapi IMAP Transport";
    /** The IMAP account's profile properties. */
    static final InboundSettings.Tags TAGS = new InboundSettings.Tags("IMAP", ServerProps.PR_IMAP_HOST,
            ServerProps.PR_IMAP_PORT, ServerProps.PR_IMAP_SECURITY, ServerProps.PR_IMAP_USER,
            ServerProps.PR_IMAP_PASSWORD, new int[] {ServerProps.PR_IMAP_POLL_SECONDS, ServerProps.PR_POLL_SECONDS},
            ServerProps.PR_IMAP_FOLDER, 143, 993);

    /** Creates the service; ServiceLoader calls this. */
    public ImapService() {
        super(NAME, DISPLAY_NAME, TAGS);
    }

    @Override
    protected BaseInboundProvider newProvider() {
        return new ImapProvider();
    }
}
