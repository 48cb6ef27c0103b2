package org.jmapi.transport;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;

/**
 * The profile-section properties jmapi's transport services are configured with (given to
 * {@code ConfigureMsgService}, read by each transport logon from its own section through
 * {@code IMAPISupport::OpenProfileSection}). Passwords live only in the profile (mode 0600) and are never written
 * to a log, a trace or a status row.
 *
 * <p>Local delivery ({@code jmapi.local}): {@link #PR_LOCAL_MAILDROP}, {@link #PR_LOCAL_ADDRESS},
 * {@link #PR_LOCAL_DOMAINS}. SMTP ({@code jmapi.smtp}): 0x6720.. . POP3 ({@code jmapi.pop3}): 0x6730.. . IMAP
 * ({@code jmapi.imap}): 0x6740.. , each with host, port, security ("none", "starttls", "tls"), user, password.
 * Each service's own settings, among them how the server's TLS certificate is trusted ({@link ServerTrust}), are
 * defined by the service in the same range: {@code SmtpTransportService} 0x6725..0x672A, {@code Pop3Service}
 * 0x6736..0x6738, {@code ImapService} 0x6747..0x6749.
 */
public final class ServerProps {
    private ServerProps() {
    }

    /** Local delivery: the maildrop root directory; a Maildir per local address under it (PT_UNICODE 0x6710). */
    public static final int PR_LOCAL_MAILDROP = PropTag.tag(PropType.PT_UNICODE, 0x6710);
    /** Local delivery: this mailbox's own address, whose Maildir inbound mail is read from (PT_UNICODE 0x6711). */
    public static final int PR_LOCAL_ADDRESS = PropTag.tag(PropType.PT_UNICODE, 0x6711);
    /** Local delivery: the domains delivered locally, default "localhost" (PT_MV_UNICODE 0x6712). */
    public static final int PR_LOCAL_DOMAINS = PropTag.tag(PropType.PT_MV_UNICODE, 0x6712);

    /** SMTP: server host name (PT_UNICODE 0x6720). */
    public static final int PR_SMTP_HOST = PropTag.tag(PropType.PT_UNICODE, 0x6720);
    /** SMTP: port, default 587 with starttls, 465 with tls, 25 with none (PT_LONG 0x6721). */
    public static final int PR_SMTP_PORT = PropTag.tag(PropType.PT_LONG, 0x6721);
    /** SMTP: "none", "starttls" or "tls" (PT_UNICODE 0x6722). */
    public static final int PR_SMTP_SECURITY = PropTag.tag(PropType.PT_UNICODE, 0x6722);
    /** SMTP: AUTH user name; no AUTH when absent (PT_UNICODE 0x6723). */
    public static final int PR_SMTP_USER = PropTag.tag(PropType.PT_UNICODE, 0x6723);
    /** SMTP: AUTH password (PT_UNICODE 0x6724). */
    public static final int PR_SMTP_PASSWORD = PropTag.tag(PropType.PT_UNICODE, 0x6724);

    /** POP3: server host name (PT_UNICODE 0x6730). */
    public static final int PR_POP3_HOST = PropTag.tag(PropType.PT_UNICODE, 0x6730);
    /** POP3: port, default 110, 995 with tls (PT_LONG 0x6731). */
    public static final int PR_POP3_PORT = PropTag.tag(PropType.PT_LONG, 0x6731);
    /** POP3: "none", "starttls" or "tls" (PT_UNICODE 0x6732). */
    public static final int PR_POP3_SECURITY = PropTag.tag(PropType.PT_UNICODE, 0x6732);
    /** POP3: user name (PT_UNICODE 0x6733). */
    public static final int PR_POP3_USER = PropTag.tag(PropType.PT_UNICODE, 0x6733);
    /** POP3: password (PT_UNICODE 0x6734). */
    public static final int PR_POP3_PASSWORD = PropTag.tag(PropType.PT_UNICODE, 0x6734);
    /** POP3 / IMAP: seconds between server checks, default 60 (PT_LONG 0x6735). */
    public static final int PR_POLL_SECONDS = PropTag.tag(PropType.PT_LONG, 0x6735);

    /** IMAP: server host name (PT_UNICODE 0x6740). */
    public static final int PR_IMAP_HOST = PropTag.tag(PropType.PT_UNICODE, 0x6740);
    /** IMAP: port, default 143, 993 with tls (PT_LONG 0x6741). */
    public static final int PR_IMAP_PORT = PropTag.tag(PropType.PT_LONG, 0x6741);
    /** IMAP: "none", "starttls" or "tls" (PT_UNICODE 0x6742). */
    public static final int PR_IMAP_SECURITY = PropTag.tag(PropType.PT_UNICODE, 0x6742);
    /** IMAP: user name (PT_UNICODE 0x6743). */
    public static final int PR_IMAP_USER = PropTag.tag(PropType.PT_UNICODE, 0x6743);
    /** IMAP: password (PT_UNICODE 0x6744). */
    public static final int PR_IMAP_PASSWORD = PropTag.tag(PropType.PT_UNICODE, 0x6744);
    /** IMAP: seconds between server checks, default 60 (PT_LONG 0x6745). */
    public static final int PR_IMAP_POLL_SECONDS = PropTag.tag(PropType.PT_LONG, 0x6745);
    /** IMAP: the folder mail is fetched from, default INBOX (PT_UNICODE 0x6746). */
    public static final int PR_IMAP_FOLDER = PropTag.tag(PropType.PT_UNICODE, 0x6746);
}
