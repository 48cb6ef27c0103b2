package org.jmapi.transport.interop;

import org.jmapi.Flags;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Row;
import org.jmapi.transport.imap.ImapService;
import org.jmapi.transport.pop3.Pop3Service;
import org.jmapi.transport.smtp.SmtpFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.interop.Mailbox.string;
import static org.jmapi.transport.interop.MailPeers.address;

/**
 * STARTTLS on Dovecot's IMAP and POP3 ports with the peers' self-signed certificate. The receive transports check a
 * server against the JVM's default trust, so each test first lets them meet the certificate with the JDK's own trust
 * anchors (refused: the upgrade really happens and the certificate is really checked; nothing is received, the
 * message stays at the server), then trusts the peers' certificate and sees the message arrive.
 */
@Tag("interop")
class StartTlsInteropTest {

    @BeforeAll
    static void peers() {
        MailPeers.require();
    }

    @AfterEach
    void jdkTrust() {
        MailPeers.restoreJdkTrust();
    }

    @Test
    void imapStartTlsChecksThePeersCertificateAndReceives(@TempDir Path home) {
        startTls(home, "IMAP", Mailbox.imap("bob", "starttls"), ImapService.DISPLAY_NAME);
    }

    @Test
    void pop3StartTlsChecksThePeersCertificateAndReceives(@TempDir Path home) {
        startTls(home, "POP3", Mailbox.pop3("bob", "starttls"), Pop3Service.DISPLAY_NAME);
    }

    private static void startTls(Path home, String protocol, SmtpFixture.Transport in, String display) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Interop STARTTLS " + protocol + " " + tag;
        MailPeers.peerSend(address("carol"), address("bob"), subject, "Fetched over TLS.\r\n");
        MailPeers.awaitPeerInbox("bob", tag, false);

        MailPeers.restoreJdkTrust();
        try (Mailbox bob = Mailbox.open(home, "bob", in)) {
            SmtpFixture.await(() -> status(bob, display).contains("MAPI_E_NETWORK_ERROR"),
                    () -> "the certificate refused with the JDK's trust anchors; status: " + status(bob, display));
            assertThat(status(bob, display)).contains("PKIX");
            assertThat(statusCode(bob, display) & Flags.STATUS_FAILURE).isNotZero();
            assertThat(bob.rows(0)).noneMatch(r -> subject.equals(string(r, PropTags.PR_SUBJECT)));
            assertThat(MailPeers.peerInbox("bob", tag, false)).as("still at the server").hasSize(1);

            MailPeers.trustPeersForInbound();
            Row got = bob.await(0, r -> subject.equals(string(r, PropTags.PR_SUBJECT)),
                    "the message received over " + protocol + " STARTTLS once the peers' certificate is trusted");
            assertThat(string(got, PropTags.PR_SUBJECT)).isEqualTo(subject);
            SmtpFixture.await(() -> (statusCode(bob, display) & Flags.STATUS_FAILURE) == 0,
                    () -> "STATUS_FAILURE cleared; status: " + status(bob, display));
        }
        assertThat(MailPeers.peerInbox("bob", tag, false)).as("removed at the server once received").isEmpty();
    }

    private static String status(Mailbox m, String display) {
        return m.f.statusRow(display).flatMap(r -> r.find(PropTags.PR_STATUS_STRING)).map(PropValue::asString)
                .orElse("");
    }

    private static int statusCode(Mailbox m, String display) {
        return m.f.statusRow(display).flatMap(r -> r.find(PropTags.PR_STATUS_CODE)).map(PropValue::asInt).orElse(0);
    }
}
