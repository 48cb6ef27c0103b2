package org.jmapi.transport.interop;

import org.jmapi.client.Message;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Row;
import org.jmapi.transport.smtp.SmtpFixture;
import org.jmapi.transport.smtp.SmtpTransportService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.interop.Mailbox.string;
import static org.jmapi.transport.interop.MailPeers.address;

/**
 * Mail through the real peers: alice's jmapi session sends with {@code jmapi.smtp} to Postfix (port 2525), Postfix
 * hands it to Dovecot, and bob's jmapi session receives it with {@code jmapi.imap} and, in the other test, with
 * {@code jmapi.pop3}. Subject, body, attachments and Message-ID arrive as sent, alice's copy is in Sent Items, and
 * the server's copy is gone once bob's store has the message. A third test sends twelve messages over four
 * connections at once (PR_SMTP_MAX_CONNECTIONS): Postfix takes each exactly once.
 */
@Tag("interop")
class SendReceiveInteropTest {
    /** 2 KiB holding every byte value: survives only a clean base64 round trip. */
    private static final byte[] BINARY = new byte[2048];

    static {
        for (int i = 0; i < BINARY.length; i++) {
            BINARY[i] = (byte) (i * 7 + i / 256);
        }
    }

    @BeforeAll
    static void peers() {
        MailPeers.require();
    }

    @Test
    void aliceSendsOverSmtpAndBobReceivesOverImap(@TempDir Path aliceHome, @TempDir Path bobHome) {
        sendThenReceive(aliceHome, bobHome, "IMAP", Mailbox.imap("bob", "none"));
    }

    @Test
    void aliceSendsOverSmtpAndBobReceivesOverPop3(@TempDir Path aliceHome, @TempDir Path bobHome) {
        sendThenReceive(aliceHome, bobHome, "POP3", Mailbox.pop3("bob", "none"));
    }

    @Test
    void aliceSendsTwelveMessagesOverFourConnectionsAtOnce_eachArrivesOnce(@TempDir Path aliceHome) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<String> subjects = new ArrayList<>();
        try (Mailbox alice = Mailbox.open(aliceHome, "alice", Mailbox.smtp(MailPeers.SMTP_PORT, "none",
                PropValue.ofInt(SmtpTransportService.PR_SMTP_MAX_CONNECTIONS, 4)))) {
            for (int i = 0; i < 12; i++) {
                subjects.add("Parallel " + tag + " #" + i);
                alice.send(subjects.get(i), "message " + i + "\r\n", List.of(address("bob")), List.of());
            }
            SmtpFixture.await(() -> alice.rows(PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 12,
                    () -> "12 in alice's Sent Items; transport status: " + alice.statuses());
            assertThat(alice.f.queued()).isEmpty();
        }
        SmtpFixture.await(() -> MailPeers.peerInbox("bob", tag, false).size() >= 12,
                () -> "12 messages '" + tag + "' in bob's INBOX at Dovecot");
        List<MailPeers.PeerMessage> arrived = MailPeers.peerInbox("bob", tag, true);
        assertThat(arrived).extracting(MailPeers.PeerMessage::subject).as("each once")
                .containsExactlyInAnyOrderElementsOf(subjects);
        assertThat(arrived).allSatisfy(m -> assertThat(String.join("\n", m.received()))
                .contains("(Postfix) with ESMTP"));
    }

    private static void sendThenReceive(Path aliceHome, Path bobHome, String protocol, SmtpFixture.Transport in) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Interop " + protocol + " " + tag + " — Grüße aus Köln";
        String body = "Hello Bob,\r\n\r\nthis went through Postfix and Dovecot: ✓ äöü ß\r\n"
                + ".a line starting with a dot\r\n" + "x".repeat(200) + "\r\n";
        Mailbox.Attachment binary = new Mailbox.Attachment("data.bin", "application/octet-stream", BINARY);
        Mailbox.Attachment text = new Mailbox.Attachment("Bericht für Bob.txt", "text/plain",
                "Zeile 1: Größe\r\nZeile 2\r\n".getBytes(StandardCharsets.UTF_8));

        String messageId;
        try (Mailbox alice = Mailbox.open(aliceHome, "alice", Mailbox.smtp(MailPeers.SMTP_PORT, "none"))) {
            alice.send(subject, body, List.of(address("bob")), List.of(binary, text));
            Row sent = alice.await(PropTags.PR_IPM_SENTMAIL_ENTRYID, r -> subject.equals(string(r, PropTags.PR_SUBJECT)),
                    "alice's copy in Sent Items");
            assertThat(alice.f.queued()).isEmpty();
            messageId = string(sent, PropTags.PR_INTERNET_MESSAGE_ID);
            assertThat(messageId).as("the Message-ID alice's copy was sent with").matches("<[^<>@\\s]+@[^<>@\\s]+>");
        }

        try (Mailbox bob = Mailbox.open(bobHome, "bob", in)) {
            Row row = bob.await(0, r -> subject.equals(string(r, PropTags.PR_SUBJECT)),
                    "alice's message in bob's Inbox over " + protocol);
            try (Message m = bob.open(row)) {
                assertThat(string(m, PropTags.PR_MESSAGE_CLASS)).isEqualTo("IPM.Note");
                assertThat(string(m, PropTags.PR_INTERNET_MESSAGE_ID)).isEqualTo(messageId);
                assertThat(string(m, PropTags.PR_BODY)).isEqualToNormalizingNewlines(body);
                assertThat(string(m, PropTags.PR_SENDER_EMAIL_ADDRESS)).isEqualTo(address("alice"));
                assertThat(string(m, PropTags.PR_SENDER_NAME)).isEqualTo("Alice");
                Map<String, byte[]> attachments = Mailbox.attachments(m);
                assertThat(attachments).containsOnlyKeys("data.bin", "Bericht für Bob.txt");
                assertThat(attachments.get("data.bin")).isEqualTo(BINARY);
                assertThat(attachments.get("Bericht für Bob.txt")).isEqualTo(text.data());
                assertThat(Mailbox.recipients(m)).singleElement().satisfies(r ->
                        assertThat(r.get(PropTags.PR_EMAIL_ADDRESS).asString()).isEqualTo(address("bob")));
                // It really came through the peers: Dovecot's and Postfix's trace fields are in the header.
                assertThat(string(m, PropTags.PR_TRANSPORT_MESSAGE_HEADERS))
                        .contains("Delivered-To: " + address("bob"))
                        .contains("(Postfix) with ESMTP");
            }
        }
        // Removed at the server only after bob's store committed it (and the session said goodbye).
        assertThat(MailPeers.peerInbox("bob", tag, false)).as("bob's INBOX at Dovecot").isEmpty();
    }
}
