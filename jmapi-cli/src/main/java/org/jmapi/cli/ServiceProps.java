package org.jmapi.cli;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.store.provider.SqliteStoreService;

/**
 * The message services the CLI configures and the profile-section properties it writes for them. The transport
 * services' names and tags are fixed by the transport work (org.jmapi.transport); they are spelled here by value
 * until those classes are on this branch.
 */
final class ServiceProps {
    private ServiceProps() {}

    /** The SQLite message store service. */
    static final String STORE = SqliteStoreService.NAME;
    /** Local delivery between the mailboxes of one home (Maildir per address under the maildrop). */
    static final String LOCAL = "jmapi.local";
    /** SMTP submission. */
    static final String SMTP = "jmapi.smtp";
    /** POP3 retrieval. */
    static final String POP3 = "jmapi.pop3";
    /** IMAP retrieval. */
    static final String IMAP = "jmapi.imap";

    /** PR_LOCAL_MAILDROP: the maildrop root directory. */
    static final int PR_LOCAL_MAILDROP = PropTag.tag(PropType.PT_UNICODE, 0x6710);
    /** PR_LOCAL_ADDRESS: this mailbox's own address; inbound reads {@code <maildrop>/<localpart>/new}. */
    static final int PR_LOCAL_ADDRESS = PropTag.tag(PropType.PT_UNICODE, 0x6711);
    /** PR_LOCAL_DOMAINS: the domains delivered locally (default localhost). */
    static final int PR_LOCAL_DOMAINS = PropTag.tag(PropType.MV_FLAG | PropType.PT_UNICODE, 0x6712);

    /** PR_SMTP_HOST. */
    static final int PR_SMTP_HOST = PropTag.tag(PropType.PT_UNICODE, 0x6720);
    /** PR_SMTP_PORT. */
    static final int PR_SMTP_PORT = PropTag.tag(PropType.PT_LONG, 0x6721);
    /** PR_SMTP_SECURITY: none, starttls or tls. */
    static final int PR_SMTP_SECURITY = PropTag.tag(PropType.PT_UNICODE, 0x6722);
    /** PR_SMTP_USER. */
    static final int PR_SMTP_USER = PropTag.tag(PropType.PT_UNICODE, 0x6723);
    /** PR_SMTP_PASSWORD (provider-private range: returned only when asked for by tag). */
    static final int PR_SMTP_PASSWORD = PropTag.tag(PropType.PT_UNICODE, 0x6724);

    /** First id of the POP3 block (host, port, security, user, password, poll seconds). */
    static final int POP3_BASE = 0x6730;
    /** First id of the IMAP block (host, port, security, user, password, poll seconds, folder). */
    static final int IMAP_BASE = 0x6740;

    /** The server properties of one retrieval or submission service, by id offset from its block. */
    record Server(String service, int host, int port, int security, int user, int password, int poll, int folder) {
        /**
         * @param service the service name
         * @param base    the first id of its block
         * @return the block's tags
         */
        static Server of(String service, int base) {
            return new Server(service, PropTag.tag(PropType.PT_UNICODE, base), PropTag.tag(PropType.PT_LONG, base + 1),
                    PropTag.tag(PropType.PT_UNICODE, base + 2), PropTag.tag(PropType.PT_UNICODE, base + 3),
                    PropTag.tag(PropType.PT_UNICODE, base + 4), PropTag.tag(PropType.PT_LONG, base + 5),
                    PropTag.tag(PropType.PT_UNICODE, base + 6));
        }
    }

    /** SMTP's tags (no poll interval, no folder). */
    static final Server SMTP_SERVER = new Server(SMTP, PR_SMTP_HOST, PR_SMTP_PORT, PR_SMTP_SECURITY, PR_SMTP_USER,
            PR_SMTP_PASSWORD, 0, 0);
    /** POP3's tags (no folder). */
    static final Server POP3_SERVER = Server.of(POP3, POP3_BASE);
    /** IMAP's tags. */
    static final Server IMAP_SERVER = Server.of(IMAP, IMAP_BASE);
}
