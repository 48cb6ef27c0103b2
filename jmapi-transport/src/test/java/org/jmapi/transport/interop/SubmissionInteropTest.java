package org.jmapi.transport.interop;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.MapiStatus;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.transport.ServerProps;
import org.jmapi.transport.smtp.SmtpFixture;
import org.jmapi.transport.smtp.SmtpTransportService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.interop.Mailbox.string;
import static org.jmapi.transport.interop.MailPeers.address;

/**
 * Postfix's submission port (2587): STARTTLS, then AUTH, against the peers' self-signed certificate trusted through
 * the SMTP transport's own settings (a trust store file in one test, the pinned SHA-256 fingerprint in the other).
 */
@Tag("interop")
class SubmissionInteropTest {

    @BeforeAll
    static void peers() {
        MailPeers.require();
    }

    @Test
    void startTlsThenAuthWithTheRightPasswordSends(@TempDir Path home) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Interop submission " + tag;
        try (Mailbox alice = Mailbox.open(home, "alice", Mailbox.smtp(MailPeers.SUBMISSION_PORT, "starttls",
                PropValue.ofString(ServerProps.PR_SMTP_USER, address("alice")),
                PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, MailPeers.PASSWORD),
                PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, MailPeers.CERT.toString())))) {
            alice.send(subject, "Sent after STARTTLS and AUTH.\r\n", List.of(address("bob")), List.of());
            alice.await(PropTags.PR_IPM_SENTMAIL_ENTRYID, r -> subject.equals(string(r, PropTags.PR_SUBJECT)),
                    "the message sent through the submission port");
            assertThat(alice.f.statusCode() & Flags.STATUS_FAILURE).isZero();
        }
        List<MailPeers.PeerMessage> got = MailPeers.awaitPeerInbox("bob", tag, true);
        assertThat(got).hasSize(1);
        // Postfix records the session in its Received field: "ESMTPSA" is ESMTP over TLS with AUTH (RFC 3848).
        assertThat(got.get(0).received()).anyMatch(r -> r.contains("(Postfix) with ESMTPSA"));
    }

    @Test
    void aWrongPasswordKeepsTheMessageQueuedWithAClearStatusAndThePasswordNowhere(@TempDir Path home) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Interop wrong password " + tag;
        String wrong = "Wr0ng-" + tag + "-pa55";
        try (Mailbox alice = Mailbox.open(home, "alice", Mailbox.smtp(MailPeers.SUBMISSION_PORT, "starttls",
                PropValue.ofString(ServerProps.PR_SMTP_USER, address("alice")),
                PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, wrong),
                PropValue.ofString(SmtpTransportService.PR_SMTP_CERT_FINGERPRINT, MailPeers.fingerprint())))) {
            SmtpFixture f = alice.f;
            EntryId id = alice.send(subject, "Never sent with the wrong password.\r\n", List.of(address("bob")),
                    List.of());

            SmtpFixture.await(() -> f.statusString().contains("MAPI_E_LOGON_FAILED"),
                    () -> "the refused logon in the status row, got " + f.statusString());
            assertThat(f.statusString()).startsWith("Logon to " + MailPeers.HOST + ":" + MailPeers.SUBMISSION_PORT
                    + " failed (MAPI_E_LOGON_FAILED)").contains("535").contains(address("alice"));
            assertThat(f.statusCode() & Flags.STATUS_FAILURE).isNotZero();
            assertThat(f.queued()).containsExactly(subject);
            assertThat(f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID)).doesNotContain(subject);
            SmtpFixture.await(() -> (f.submitFlags(id) & Flags.SUBMITFLAG_LOCKED) == 0,
                    () -> "the queued message unlocked by the spooler");
            assertThat(MailPeers.peerInbox("bob", tag, false)).as("nothing reached bob").isEmpty();

            // The password, nor its AUTH PLAIN / LOGIN encodings, appears in the trace or the status row.
            String plain = Base64.getEncoder().encodeToString(("\0" + address("alice") + "\0" + wrong)
                    .getBytes(StandardCharsets.UTF_8));
            String login = Base64.getEncoder().encodeToString(wrong.getBytes(StandardCharsets.UTF_8));
            for (String secret : List.of(wrong, plain, login)) {
                assertThat(f.traceText()).as("trace").doesNotContain(secret);
                assertThat(f.statusString()).as("status row").doesNotContain(secret);
            }

            // Fixed in the profile: the same queued message goes.
            f.reconfigure(SmtpTransportService.NAME, List.of(
                    PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, MailPeers.PASSWORD)));
            try (MapiStatus status = f.transportStatus()) {
                status.validateState(0, Flags.CONFIG_CHANGED);
            }
            f.flushOutbound();
            alice.await(PropTags.PR_IPM_SENTMAIL_ENTRYID, r -> subject.equals(string(r, PropTags.PR_SUBJECT)),
                    "the message sent once the password was right");
            assertThat(f.statusCode() & Flags.STATUS_FAILURE).isZero();
        }
        assertThat(MailPeers.awaitPeerInbox("bob", tag, true)).hasSize(1);
    }
}
