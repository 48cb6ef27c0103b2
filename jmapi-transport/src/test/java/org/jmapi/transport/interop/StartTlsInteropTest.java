package org.jmapi.transport.interop;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.MapiStatus;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Row;
import org.jmapi.transport.imap.ImapService;
import org.jmapi.transport.pop3.Pop3Service;
import org.jmapi.transport.smtp.SmtpFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.interop.Mailbox.string;
import static org.jmapi.transport.interop.MailPeers.address;

/**
 * STARTTLS on Dovecot's IMAP and POP3 ports with the peers' self-signed certificate. Each test first lets the
 * receive transport meet the certificate with an account that has no trust setting, so the JVM's default trust, the
 * JDK's own trust anchors (refused: the upgrade really happens and the certificate is really checked; nothing is
 * received, the message stays at the server), then configures the account's trust store to the peers' certificate
 * ({@link MailPeers#CERT}; certificate and host-name checks stay fully on), asks the transport to re-read its
 * configuration (ValidateState, R-VS-1) and sees the message arrive in the same session. The JVM's default trust is
 * never changed.
 */
@Tag("interop")
class StartTlsInteropTest {

    @BeforeAll
    static void peers() {
        MailPeers.require();
    }

    @Test
    void imapStartTlsChecksThePeersCertificateAndReceives(@TempDir Path home) {
        startTls(home, "IMAP", Mailbox.imap("bob", "starttls"), ImapService.DISPLAY_NAME,
                ImapService.PR_IMAP_TRUST_STORE);
    }

    @Test
    void pop3StartTlsChecksThePeersCertificateAndReceives(@TempDir Path home) {
        startTls(home, "POP3", Mailbox.pop3("bob", "starttls"), Pop3Service.DISPLAY_NAME,
                Pop3Service.PR_POP3_TRUST_STORE);
    }

    /**
     * @param in            the transport, without trust settings
     * @param display       its status row's PR_PROVIDER_DISPLAY
     * @param trustStoreTag its trust store property
     */
    private static void startTls(Path home, String protocol, SmtpFixture.Transport in, String display,
                                 int trustStoreTag) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Interop STARTTLS " + protocol + " " + tag;
        MailPeers.peerSend(address("carol"), address("bob"), subject, "Fetched over TLS.\r\n");
        MailPeers.awaitPeerInbox("bob", tag, false);

        try (Mailbox bob = Mailbox.open(home, "bob", in)) {
            SmtpFixture.await(() -> status(bob, display).contains("MAPI_E_NETWORK_ERROR"),
                    () -> "the certificate refused with the JDK's trust anchors; status: " + status(bob, display));
            assertThat(status(bob, display)).contains("PKIX");
            assertThat(statusCode(bob, display) & Flags.STATUS_FAILURE).isNotZero();
            assertThat(bob.rows(0)).noneMatch(r -> subject.equals(string(r, PropTags.PR_SUBJECT)));
            assertThat(MailPeers.peerInbox("bob", tag, false)).as("still at the server").hasSize(1);

            bob.f.reconfigure(in.service(), List.of(PropValue.ofString(trustStoreTag, MailPeers.CERT.toString())));
            try (MapiStatus st = (MapiStatus) bob.f.session().openEntry(EntryId.of(bob.f.statusRow(display)
                    .orElseThrow().get(PropTags.PR_ENTRYID).asBinary()), 0)) {
                st.validateState(0, 0);
            }
            Row got = bob.await(0, r -> subject.equals(string(r, PropTags.PR_SUBJECT)),
                    "the message received over " + protocol + " STARTTLS once the peers' certificate is trusted");
            assertThat(string(got, PropTags.PR_SUBJECT)).isEqualTo(subject);
            SmtpFixture.await(() -> (statusCode(bob, display) & Flags.STATUS_FAILURE) == 0,
                    () -> "STATUS_FAILURE cleared; status: " + status(bob, display));
            // The server copy goes once the save is done (POP3: DELE, then QUIT commits it); a logoff in between
            // would cut the session before QUIT and leave it there (by design, fetched again later), so wait for it
            // while the session runs.
            SmtpFixture.await(() -> MailPeers.peerInbox("bob", tag, false).isEmpty(),
                    () -> "the message removed at the server once received; status: " + status(bob, display));
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
