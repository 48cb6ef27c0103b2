package org.jmapi.transport.interop;

import org.jmapi.Flags;
import org.jmapi.client.Message;
import org.jmapi.mime.MimeProps;
import org.jmapi.prop.PropTags;
import org.jmapi.table.Row;
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
 * Non-delivery, both ways Postfix reports it: a synchronous 550 at RCPT TO (an unknown user), which the SMTP
 * transport reports through StatusRecips so the spooler writes an NDR into alice's Inbox; and an asynchronous bounce
 * (ghost@ is accepted, then refused by Dovecot), which Postfix mails to alice as an RFC 3464 multipart/report and
 * alice's IMAP transport receives into her store as a MAPI report.
 */
@Tag("interop")
class ReportsInteropTest {

    @BeforeAll
    static void peers() {
        MailPeers.require();
    }

    @Test
    void aRefusalAtRcptBecomesAnNdrInAlicesInboxAndTheOtherRecipientGetsTheMessage(@TempDir Path home) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Interop 550 " + tag;
        try (Mailbox alice = Mailbox.open(home, "alice", Mailbox.smtp(MailPeers.SMTP_PORT, "none"))) {
            alice.send(subject, "One of two recipients does not exist.\r\n",
                    List.of(address("nobody"), address("carol")), List.of());

            Row ndr = alice.await(0, r -> "REPORT.IPM.Note.NDR".equals(string(r, PropTags.PR_MESSAGE_CLASS))
                    && subject.equals(string(r, PropTags.PR_ORIGINAL_SUBJECT)), "the NDR in alice's Inbox");
            alice.await(PropTags.PR_IPM_SENTMAIL_ENTRYID, r -> subject.equals(string(r, PropTags.PR_SUBJECT)),
                    "the message in Sent Items (carol took it)");
            assertThat(alice.f.queued()).isEmpty();
            try (Message m = alice.open(ndr)) {
                List<Row> rows = Mailbox.recipients(m);
                assertThat(rows).as("only the refused recipient is reported").hasSize(1);
                Row r = rows.get(0);
                assertThat(r.get(PropTags.PR_EMAIL_ADDRESS).asString()).isEqualTo(address("nobody"));
                assertThat(r.get(PropTags.PR_ADDRTYPE).asString()).isEqualTo("SMTP");
                assertThat(r.get(PropTags.PR_NDR_REASON_CODE).asInt()).isEqualTo(Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE);
                assertThat(r.get(PropTags.PR_NDR_DIAG_CODE).asInt()).isEqualTo(Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED);
                assertThat(r.get(PropTags.PR_NDR_STATUS_CODE).asInt()).isEqualTo(550);
                // Postfix's own words, as it answered RCPT TO
                assertThat(r.get(PropTags.PR_REPORT_TEXT).asString()).contains("5.1.1 <" + address("nobody")
                        + ">: Recipient address rejected: User unknown in virtual mailbox table");
                assertThat(string(m, PropTags.PR_BODY)).contains(address("nobody"));
            }
        }
        assertThat(MailPeers.awaitPeerInbox("carol", tag, true)).as("carol's copy at Dovecot").hasSize(1);
    }

    @Test
    void ghostIsAcceptedThenPostfixsBounceArrivesOverImapAsAReport(@TempDir Path home) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Interop ghost " + tag + " Grüße";
        try (Mailbox alice = Mailbox.open(home, "alice", Mailbox.smtp(MailPeers.SMTP_PORT, "none"),
                Mailbox.imap("alice", "none"))) {
            alice.send(subject, "Accepted by Postfix, refused by Dovecot.\r\n", List.of(address("ghost")), List.of());
            Row sent = alice.await(PropTags.PR_IPM_SENTMAIL_ENTRYID, r -> subject.equals(string(r, PropTags.PR_SUBJECT)),
                    "the message accepted and in Sent Items");
            String messageId = string(sent, PropTags.PR_INTERNET_MESSAGE_ID);

            Row report = alice.await(0, r -> subject.equals(string(r, PropTags.PR_ORIGINAL_SUBJECT)),
                    "Postfix's bounce received over IMAP into alice's store");
            assertThat(string(report, PropTags.PR_MESSAGE_CLASS)).isEqualTo("REPORT.IPM.Note.NDR");
            try (Message m = alice.open(report)) {
                assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo("Undelivered Mail Returned to Sender");
                assertThat(string(m, MimeProps.PR_ORIGINAL_MESSAGE_ID)).isEqualTo(messageId);
                assertThat(string(m, MimeProps.PR_RECEIVED_BY_EMAIL_ADDRESS)).isEqualTo(address("alice"));
                assertThat(string(m, PropTags.PR_TRANSPORT_MESSAGE_HEADERS))
                        .contains("Delivered-To: " + address("alice"))
                        .contains("report-type=delivery-status");
                assertThat(m.getProp(PropTags.PR_REPORT_TIME)).isPresent();
                List<Row> rows = Mailbox.recipients(m);
                assertThat(rows).hasSize(1);
                Row r = rows.get(0);
                assertThat(r.get(PropTags.PR_EMAIL_ADDRESS).asString()).isEqualTo(address("ghost"));
                assertThat(r.get(PropTags.PR_ADDRTYPE).asString()).isEqualTo("SMTP");
                assertThat(r.get(PropTags.PR_RECIPIENT_TYPE).asInt()).isEqualTo(Flags.MAPI_TO);
                assertThat(r.get(PropTags.PR_NDR_REASON_CODE).asInt()).isEqualTo(Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE);
                assertThat(r.get(PropTags.PR_NDR_DIAG_CODE).asInt()).isEqualTo(Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED);
                assertThat(r.get(PropTags.PR_NDR_STATUS_CODE).asInt()).isEqualTo(550);
                // Dovecot's refusal as Postfix relays it in the Diagnostic-Code
                assertThat(r.get(PropTags.PR_REPORT_TEXT).asString())
                        .isEqualTo("550 5.1.1 <" + address("ghost") + "> User doesn't exist: " + address("ghost"));
            }
            // Nothing was refused at RCPT: the only report about the message is Postfix's, none of the spooler's.
            assertThat(alice.rows(0).stream().filter(r -> subject.equals(string(r, PropTags.PR_ORIGINAL_SUBJECT))))
                    .hasSize(1);
        }
        assertThat(MailPeers.peerInbox("alice", tag, false)).as("the bounce removed from alice's INBOX").isEmpty();
    }
}
