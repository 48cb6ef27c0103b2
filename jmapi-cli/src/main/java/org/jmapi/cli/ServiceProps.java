package org.jmapi.cli;

import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.transport.ServerProps;
import org.jmapi.transport.imap.ImapService;
import org.jmapi.transport.local.LocalTransportService;
import org.jmapi.transport.pop3.Pop3Service;
import org.jmapi.transport.smtp.SmtpTransportService;

/**
 * The message services the CLI configures and the profile-section properties it writes for them (the tags are
 * {@link ServerProps}'s; the transport services' names are fixed by the transport work).
 */
final class ServiceProps {
    private ServiceProps() {}

    /** The SQLite message store service. */
    static final String STORE = SqliteStoreService.NAME;
    /** Local delivery between the mailboxes of one home (Maildir per address under the maildrop). */
    static final String LOCAL = LocalTransportService.NAME;
    /** SMTP submission. */
    static final String SMTP = SmtpTransportService.NAME;
    /** POP3 retrieval. */
    static final String POP3 = "jmapi.pop3";
    /** IMAP retrieval. */
    static final String IMAP = "jmapi.imap";

    /** PR_LOCAL_MAILDROP: the maildrop root directory. */
    static final int PR_LOCAL_MAILDROP = ServerProps.PR_LOCAL_MAILDROP;
    /** PR_LOCAL_ADDRESS: this mailbox's own address; inbound reads {@code <maildrop>/<localpart>/new}. */
    static final int PR_LOCAL_ADDRESS = ServerProps.PR_LOCAL_ADDRESS;
    /** PR_LOCAL_DOMAINS: the domains delivered locally (default localhost). */
    static final int PR_LOCAL_DOMAINS = ServerProps.PR_LOCAL_DOMAINS;

    /**
     * The server properties of one submission or retrieval service; 0 where the service has no such property.
     * {@code trustStore}, {@code trustStorePassword} and {@code certFingerprint} say how the server's TLS certificate
     * is trusted (the transports' shared rules, {@code org.jmapi.transport.ServerTrust}).
     */
    record Server(String service, int host, int port, int security, int user, int password, int poll, int folder,
                  int trustStore, int trustStorePassword, int certFingerprint) {}

    /** SMTP's tags (no poll interval, no folder). */
    static final Server SMTP_SERVER = new Server(SMTP, ServerProps.PR_SMTP_HOST, ServerProps.PR_SMTP_PORT,
            ServerProps.PR_SMTP_SECURITY, ServerProps.PR_SMTP_USER, ServerProps.PR_SMTP_PASSWORD, 0, 0,
            SmtpTransportService.PR_SMTP_TRUST_STORE, SmtpTransportService.PR_SMTP_TRUST_STORE_PASSWORD,
            SmtpTransportService.PR_SMTP_CERT_FINGERPRINT);
    /** POP3's tags (no folder). */
    static final Server POP3_SERVER = new Server(POP3, ServerProps.PR_POP3_HOST, ServerProps.PR_POP3_PORT,
            ServerProps.PR_POP3_SECURITY, ServerProps.PR_POP3_USER, ServerProps.PR_POP3_PASSWORD,
            ServerProps.PR_POLL_SECONDS, 0, Pop3Service.PR_POP3_TRUST_STORE, Pop3Service.PR_POP3_TRUST_STORE_PASSWORD,
            Pop3Service.PR_POP3_CERT_FINGERPRINT);
    /** IMAP's tags. */
    static final Server IMAP_SERVER = new Server(IMAP, ServerProps.PR_IMAP_HOST, ServerProps.PR_IMAP_PORT,
            ServerProps.PR_IMAP_SECURITY, ServerProps.PR_IMAP_USER, ServerProps.PR_IMAP_PASSWORD,
            ServerProps.PR_IMAP_POLL_SECONDS, ServerProps.PR_IMAP_FOLDER, ImapService.PR_IMAP_TRUST_STORE,
            ImapService.PR_IMAP_TRUST_STORE_PASSWORD, ImapService.PR_IMAP_CERT_FINGERPRINT);
}
