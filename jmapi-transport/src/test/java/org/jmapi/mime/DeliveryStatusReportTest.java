package org.jmapi.mime;

import org.jmapi.Flags;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 3464 delivery status notifications read into what a MAPI client expects of a report: the recipients reported
 * on with PR_NDR_* / PR_REPORT_TEXT, the PR_ORIGINAL_* of the returned message. The two Postfix reports are real,
 * captured from the interop peers ({@code src/test/resources/mailpeers/README.md}).
 */
class DeliveryStatusReportTest {

    private static byte[] resource(String name) {
        try (InputStream in = DeliveryStatusReportTest.class.getResourceAsStream("/mailpeers/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource mailpeers/" + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PropValue p(Map<Integer, PropValue> row, int tag) {
        return row.get(tag);
    }

    @Test
    void postfixBounceIsAnNdrListingTheRefusedRecipientWithTheServersWords() {
        InMemoryMessage m = Mapi.read(resource("postfix-ndr-ghost.eml"));

        assertThat(m.string(PropTags.PR_MESSAGE_CLASS)).isEqualTo("REPORT.IPM.Note.NDR");
        assertThat(m.string(PropTags.PR_SUBJECT)).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(m.string(PropTags.PR_BODY)).contains("could not", "be delivered to one or more recipients");
        assertThat(m.recipients()).hasSize(1);
        Map<Integer, PropValue> r = m.recipients().get(0);
        assertThat(p(r, PropTags.PR_RECIPIENT_TYPE).asInt()).isEqualTo(Flags.MAPI_TO);
        assertThat(p(r, PropTags.PR_EMAIL_ADDRESS).asString()).isEqualTo("ghost@example.test");
        assertThat(p(r, PropTags.PR_DISPLAY_NAME).asString()).isEqualTo("ghost@example.test");
        assertThat(p(r, PropTags.PR_ADDRTYPE).asString()).isEqualTo("SMTP");
        assertThat(p(r, MimeProps.PR_SMTP_ADDRESS).asString()).isEqualTo("ghost@example.test");
        assertThat(new String(p(r, PropTags.PR_SEARCH_KEY).asBinary(), StandardCharsets.UTF_8))
                .isEqualTo("SMTP:GHOST@EXAMPLE.TEST\0");
        assertThat(p(r, PropTags.PR_NDR_REASON_CODE).asInt()).isEqualTo(Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE);
        assertThat(p(r, PropTags.PR_NDR_DIAG_CODE).asInt()).isEqualTo(Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED);
        assertThat(p(r, PropTags.PR_NDR_STATUS_CODE).asInt()).isEqualTo(550);
        assertThat(p(r, PropTags.PR_REPORT_TEXT).asString())
                .isEqualTo("550 5.1.1 <ghost@example.test> User doesn't exist: ghost@example.test");
        assertThat(p(r, MimeProps.PR_SUPPLEMENTARY_INFO).asString()).isEqualTo(
                "<mail.example.test #5.1.1 smtp;550 5.1.1 <ghost@example.test> User doesn't exist: ghost@example.test>");
        Instant date = Instant.parse("2026-11-21T09:18:35Z");
        assertThat(p(r, PropTags.PR_REPORT_TIME).asTime()).isEqualTo(date);
        assertThat(r).doesNotContainKey(PropTags.PR_DELIVER_TIME);

        assertThat(m.prop(PropTags.PR_REPORT_TIME).asTime()).isEqualTo(date);
        assertThat(m.string(MimeProps.PR_RECEIVED_BY_EMAIL_ADDRESS)).isEqualTo("alice@example.test");
        assertThat(m.string(MimeProps.PR_RECEIVED_BY_ADDRTYPE)).isEqualTo("SMTP");
        assertThat(m.string(PropTags.PR_SENDER_EMAIL_ADDRESS)).isEqualTo("MAILER-DAEMON@example.test");
        assertThat(m.string(PropTags.PR_ORIGINAL_SUBJECT)).isEqualTo("capture ghost bounce");
        assertThat(m.string(MimeProps.PR_ORIGINAL_MESSAGE_ID)).isEqualTo("<20261121091835.027554@vm>");
        assertThat(m.string(MimeProps.PR_ORIGINAL_DISPLAY_TO)).isEqualTo("ghost@example.test");
        assertThat(m.prop(PropTags.PR_ORIGINAL_SUBMIT_TIME).asTime()).isEqualTo(date);

        // The machine-readable part and the returned message stay, so the report can be written out again.
        assertThat(m.attachments()).hasSize(2);
        assertThat(Mapi.string(m.attachments().get(0), PropTags.PR_ATTACH_MIME_TAG))
                .isEqualTo("message/delivery-status");
        assertThat(Mapi.embedded(m.attachments().get(1))).isTrue();
        assertThat(Mapi.open(m.attachments().get(1)).string(PropTags.PR_SUBJECT)).isEqualTo("capture ghost bounce");
    }

    @Test
    void postfixSuccessNotificationIsADeliveryReportWithTheDeliverTime() {
        InMemoryMessage m = Mapi.read(resource("postfix-dsn-relayed.eml"));

        assertThat(m.string(PropTags.PR_MESSAGE_CLASS)).isEqualTo("REPORT.IPM.Note.DR");
        assertThat(m.recipients()).hasSize(1);
        Map<Integer, PropValue> r = m.recipients().get(0);
        assertThat(p(r, PropTags.PR_EMAIL_ADDRESS).asString()).isEqualTo("bob@example.test");
        assertThat(p(r, PropTags.PR_REPORT_TEXT).asString())
                .isEqualTo("250 2.0.0 <bob@example.test> mJshHvNhAWuobAAAg+zDdQ Saved");
        assertThat(p(r, PropTags.PR_DELIVER_TIME).asTime()).isEqualTo(Instant.parse("2026-11-21T09:18:43Z"));
        assertThat(r).doesNotContainKeys(PropTags.PR_NDR_REASON_CODE, PropTags.PR_NDR_DIAG_CODE,
                PropTags.PR_NDR_STATUS_CODE);
        // The header-only return (RET=HDRS) still names the original.
        assertThat(m.string(PropTags.PR_ORIGINAL_SUBJECT)).isEqualTo("capture success dsn");
        assertThat(m.string(MimeProps.PR_ORIGINAL_MESSAGE_ID)).isEqualTo("<capture-dsn-1@example.test>");
        assertThat(m.prop(PropTags.PR_ORIGINAL_SUBMIT_TIME).asTime()).isEqualTo(Instant.parse("2026-11-21T09:20:00Z"));
        assertThat(m.string(MimeProps.PR_RECEIVED_BY_EMAIL_ADDRESS)).isEqualTo("alice@example.test");
    }

    /** A report mixing outcomes, in the forms other MTAs write. */
    private static final String MIXED = String.join("\r\n",
            "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example>",
            "To: Ann Sender <ann@example.org>",
            "Date: Tue, 3 Mar 2026 10:00:00 +0000",
            "Subject: Returned mail",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=b",
            "",
            "--b",
            "Content-Type: text/plain",
            "",
            "Some did not arrive.",
            "--b",
            "Content-Type: message/delivery-status",
            "",
            "Reporting-MTA: dns; mx.example",
            "",
            "Original-Recipient: rfc822; <Bea@Example.org>",
            "Final-Recipient: rfc822; bea@mail.example.org",
            "X-Display-Name: Bea Both",
            "Action: failed (gave up)",
            "Status: 4.4.7",
            "",
            "Final-Recipient: rfc822;cid@example.org",
            "Action: delivered",
            "Status: 2.0.0",
            "",
            "Final-Recipient: rfc822;dee@example.org",
            "Action: failed",
            "Status: 5.2.2 (mailbox full)",
            "Remote-MTA: dns; mx.example.org",
            "Diagnostic-Code: smtp; 552-5.2.2 The mailbox is full",
            "  and cannot take more mail",
            "",
            "Final-Recipient: rfc822;",
            "Action: failed",
            "",
            "--b",
            "Content-Type: text/rfc822-headers",
            "",
            "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=",
            "To: Bea Both <bea@example.org>, cid@example.org, dee@example.org",
            "Message-ID: <orig@example.org>",
            "",
            "--b--",
            "");

    @Test
    void onlyTheFailedRecipientsAreListedInAnNdrEachWithItsOwnCodes() {
        InMemoryMessage m = Mapi.read(MIXED.getBytes(StandardCharsets.UTF_8));

        assertThat(m.string(PropTags.PR_MESSAGE_CLASS)).isEqualTo("REPORT.IPM.Note.NDR");
        assertThat(Mapi.recipients(m, Flags.MAPI_TO)).containsExactly("Bea Both <Bea@Example.org>", "dee@example.org");
        Map<Integer, PropValue> bea = m.recipients().get(0);
        assertThat(p(bea, PropTags.PR_NDR_REASON_CODE).asInt()).isEqualTo(Flags.MAPI_REASON_TRANSFER_FAILED);
        assertThat(p(bea, PropTags.PR_NDR_DIAG_CODE).asInt()).isEqualTo(Flags.MAPI_DIAG_MAXIMUM_TIME_EXPIRED);
        assertThat(bea).doesNotContainKey(PropTags.PR_NDR_STATUS_CODE);
        assertThat(p(bea, PropTags.PR_REPORT_TEXT).asString()).isEqualTo("Status 4.4.7 (failed)");
        Map<Integer, PropValue> dee = m.recipients().get(1);
        assertThat(p(dee, PropTags.PR_NDR_REASON_CODE).asInt()).isEqualTo(Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE);
        assertThat(p(dee, PropTags.PR_NDR_DIAG_CODE).asInt()).isEqualTo(Flags.MAPI_DIAG_RECIPIENT_UNAVAILABLE);
        assertThat(p(dee, PropTags.PR_NDR_STATUS_CODE).asInt()).isEqualTo(552);
        assertThat(p(dee, PropTags.PR_REPORT_TEXT).asString())
                .isEqualTo("552-5.2.2 The mailbox is full and cannot take more mail");
        assertThat(m.string(PropTags.PR_ORIGINAL_SUBJECT)).isEqualTo("Grüße");
        assertThat(m.string(MimeProps.PR_ORIGINAL_DISPLAY_TO)).isEqualTo("Bea Both; cid@example.org; dee@example.org");
        assertThat(m.string(MimeProps.PR_RECEIVED_BY_NAME)).isEqualTo("Ann Sender");
        assertThat(m.string(MimeProps.PR_RECEIVED_BY_EMAIL_ADDRESS)).isEqualTo("ann@example.org");
    }

    @Test
    void aReportWhoseBlocksCannotBeReadKeepsItsToAndSaysSo() {
        String mime = String.join("\r\n",
                "To: ann@example.org",
                "Content-Type: multipart/report; report-type=delivery-status; boundary=b",
                "",
                "--b",
                "Content-Type: message/delivery-status",
                "",
                "Reporting-MTA: dns; mx.example",
                "",
                "Action: failed",
                "Status: 5.0.0",
                "--b--",
                "");
        InMemoryMessage m = new InMemoryMessage();
        MimeReader.Result result = new MimeReader().withDeliveryTime(Mapi.DELIVERED)
                .read(mime.getBytes(StandardCharsets.US_ASCII), m);

        assertThat(result.messageClass()).isEqualTo("REPORT.IPM.Note.NDR");
        assertThat(Mapi.recipients(m, Flags.MAPI_TO)).containsExactly("ann@example.org");
        assertThat(m.prop(MimeProps.PR_RECEIVED_BY_EMAIL_ADDRESS)).isNull();
        assertThat(m.prop(PropTags.PR_REPORT_TIME).asTime()).isEqualTo(Mapi.DELIVERED);
        assertThat(result.defects()).anyMatch(d -> d.contains("names no recipient"));
    }

    @Test
    void anOrdinaryMessageGetsNoReportProperties() {
        InMemoryMessage m = Mapi.read(("To: ann@example.org\r\nSubject: hi\r\nDate: Tue, 3 Mar 2026 10:00:00 +0000"
                + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(m.prop(PropTags.PR_REPORT_TIME)).isNull();
        assertThat(m.prop(MimeProps.PR_RECEIVED_BY_EMAIL_ADDRESS)).isNull();
        assertThat(Mapi.recipients(m, Flags.MAPI_TO)).containsExactly("ann@example.org");
    }

    @Test
    void writingTheReportOutAndReadingItBackGivesTheSameReport() {
        InMemoryMessage first = Mapi.read(resource("postfix-ndr-ghost.eml"));
        InMemoryMessage second = Mapi.read(new MimeWriter().toBytes(first));

        assertThat(second.string(PropTags.PR_MESSAGE_CLASS)).isEqualTo("REPORT.IPM.Note.NDR");
        List<Integer> tags = List.of(PropTags.PR_EMAIL_ADDRESS, PropTags.PR_NDR_REASON_CODE, PropTags.PR_NDR_DIAG_CODE,
                PropTags.PR_NDR_STATUS_CODE, PropTags.PR_REPORT_TEXT);
        assertThat(second.recipients()).hasSize(1);
        for (int tag : tags) {
            assertThat(second.recipients().get(0).get(tag)).as(PropTags.name(tag))
                    .isEqualTo(first.recipients().get(0).get(tag));
        }
        assertThat(second.string(PropTags.PR_ORIGINAL_SUBJECT)).isEqualTo("capture ghost bounce");
    }
}
