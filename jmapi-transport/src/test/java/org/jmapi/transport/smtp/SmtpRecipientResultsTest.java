package org.jmapi.transport.smtp;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.smtp.SmtpFixture.await;
import static org.jmapi.transport.smtp.SmtpFixture.recipient;

/**
 * What each server reply does to each recipient, in a real session on the SQLite store, against
 * {@link SmtpResponder}: delivered, refused for good (a non-delivery report in the sender's Inbox with the server's
 * text), or tried again later &mdash; and the message is finished only when every recipient was dealt with.
 */
class SmtpRecipientResultsTest {
    private SmtpResponder server;

    @BeforeEach
    void start() {
        server = SmtpResponder.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SmtpFixture fixture(Path home) {
        return SmtpFixture.start(home, SmtpFixture.smtp(server.port(), "none"));
    }

    /** @return the rows of the recipient table of the only report in the Inbox */
    private static List<Row> reportRecipients(SmtpFixture f) {
        List<EntryId> ids = f.inboxIds();
        assertThat(ids).as("one report in the Inbox").hasSize(1);
        try (Message report = (Message) f.store().openEntry(ids.get(0), 0); MapiTable t = report.getRecipientTable(0)) {
            assertThat(report.getProp(PropTags.PR_MESSAGE_CLASS).orElseThrow().asString())
                    .isEqualTo("REPORT.IPM.Note.NDR");
            t.setColumns(new int[] {PropTags.PR_EMAIL_ADDRESS, PropTags.PR_DISPLAY_NAME, PropTags.PR_ADDRTYPE,
                    PropTags.PR_RECIPIENT_TYPE, PropTags.PR_NDR_REASON_CODE, PropTags.PR_NDR_DIAG_CODE,
                    PropTags.PR_NDR_STATUS_CODE, PropTags.PR_REPORT_TEXT}, 0);
            return t.queryRows(100, 0);
        }
    }

    private static String s(Row r, int tag) {
        return r.find(tag).map(PropValue::asString).orElse(null);
    }

    private static Integer i(Row r, int tag) {
        return r.find(tag).map(PropValue::asInt).orElse(null);
    }

    @Test
    void R_XPS_5_aPermanentRefusalAtRcptBecomesOneReportAndTheOthersAreDelivered(@TempDir Path home) {
        String refusal = "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown";
        server.rcptReply = a -> a.equals("nobody@example.org") ? refusal : "250 2.1.5 ok";
        try (SmtpFixture f = fixture(home)) {
            f.submit("one refused", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO),
                    recipient("Nobody", "nobody@example.org", Flags.MAPI_CC)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("one refused"),
                    () -> "the message finished; status " + f.statusString());
            assertThat(server.received()).singleElement()
                    .satisfies(r -> assertThat(r.recipients()).containsExactly("ann@example.org"));
            assertThat(f.inboxSubjects()).containsExactly("Undeliverable: one refused");
            Row r = reportRecipients(f).get(0);
            assertThat(reportRecipients(f)).hasSize(1);
            assertThat(s(r, PropTags.PR_EMAIL_ADDRESS)).isEqualTo("nobody@example.org");
            assertThat(s(r, PropTags.PR_DISPLAY_NAME)).isEqualTo("Nobody");
            assertThat(s(r, PropTags.PR_ADDRTYPE)).isEqualTo("SMTP");
            assertThat(i(r, PropTags.PR_RECIPIENT_TYPE) & 0xF).isEqualTo(Flags.MAPI_CC);
            assertThat(i(r, PropTags.PR_NDR_REASON_CODE)).isEqualTo(Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE);
            assertThat(i(r, PropTags.PR_NDR_DIAG_CODE)).isEqualTo(Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED);
            assertThat(i(r, PropTags.PR_NDR_STATUS_CODE)).isEqualTo(550);
            assertThat(s(r, PropTags.PR_REPORT_TEXT)).isEqualTo(refusal);
            assertThat(f.queued()).isEmpty();
        }
    }

    @Test
    void R_XPS_5_everyRecipientRefusedMeansNoDataAndOneReportListingAll(@TempDir Path home) {
        server.rcptReply = a -> "550 5.7.1 relaying denied for <" + a + ">";
        try (SmtpFixture f = fixture(home)) {
            f.submit("all refused", List.of(recipient("A", "a@example.org", Flags.MAPI_TO),
                    recipient("B", "b@example.org", Flags.MAPI_BCC)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("all refused"), () -> "finished");
            assertThat(server.commands()).noneMatch(l -> l.equals("DATA"));
            assertThat(reportRecipients(f)).extracting(r -> s(r, PropTags.PR_REPORT_TEXT)).containsExactly(
                    "550 5.7.1 relaying denied for <a@example.org>", "550 5.7.1 relaying denied for <b@example.org>");
        }
    }

    @Test
    void R_XPS_5_aPermanentRefusalAfterDataRefusesEveryAcceptedRecipient(@TempDir Path home) {
        server.rcptReply = a -> a.startsWith("x") ? "550 5.1.1 unknown" : "250 ok";
        server.dataReply = r -> "554 5.6.0 message content rejected";
        try (SmtpFixture f = fixture(home)) {
            f.submit("content refused", List.of(recipient("A", "a@example.org", Flags.MAPI_TO),
                    recipient("B", "b@example.org", Flags.MAPI_TO), recipient("X", "x@example.org", Flags.MAPI_TO)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("content refused"), () -> "finished");
            List<Row> rows = reportRecipients(f);
            assertThat(rows).extracting(r -> s(r, PropTags.PR_EMAIL_ADDRESS))
                    .containsExactlyInAnyOrder("a@example.org", "b@example.org", "x@example.org");
            assertThat(rows).filteredOn(r -> !s(r, PropTags.PR_EMAIL_ADDRESS).startsWith("x"))
                    .allSatisfy(r -> {
                        assertThat(s(r, PropTags.PR_REPORT_TEXT)).isEqualTo("554 5.6.0 message content rejected");
                        assertThat(i(r, PropTags.PR_NDR_STATUS_CODE)).isEqualTo(554);
                    });
        }
    }

    @Test
    void R_XPS_4_aTemporaryRefusalAtRcptIsTriedAgainForThatRecipientOnly(@TempDir Path home) {
        AtomicInteger bobAttempts = new AtomicInteger();
        server.rcptReply = a -> a.equals("bob@example.org") && bobAttempts.incrementAndGet() <= 2
                ? "450 4.2.1 mailbox busy, try later" : a.equals("nobody@example.org") ? "550 5.1.1 unknown"
                : "250 ok";
        try (SmtpFixture f = fixture(home)) {
            f.submit("later for bob", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO),
                    recipient("Bob", "bob@example.org", Flags.MAPI_TO),
                    recipient("Nobody", "nobody@example.org", Flags.MAPI_TO)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("later for bob"),
                    () -> "finished after the retries; status " + f.statusString());
            assertThat(bobAttempts.get()).isEqualTo(3);
            assertThat(server.received()).extracting(SmtpResponder.Received::recipients)
                    .containsExactly(List.of("ann@example.org"), List.of("bob@example.org"));
            assertThat(server.commands().stream().filter(l -> l.startsWith("RCPT TO:<ann@"))).hasSize(1);
            assertThat(server.commands().stream().filter(l -> l.startsWith("RCPT TO:<nobody@")))
                    .as("a refused recipient is not tried again").hasSize(1);
            assertThat(reportRecipients(f)).as("one report, for nobody, not repeated by the retries")
                    .extracting(r -> s(r, PropTags.PR_EMAIL_ADDRESS)).containsExactly("nobody@example.org");
            String firstId = server.received().get(0).text().lines().filter(l -> l.startsWith("Message-ID:"))
                    .findFirst().orElseThrow();
            assertThat(server.received().get(1).text()).as("the retry keeps the Message-ID").contains(firstId);
            assertThat(server.received().get(1).text()).as("the headers still name everybody")
                    .contains("ann@example.org").contains("bob@example.org");
        }
    }

    @Test
    void R_MAIL_2_aTemporaryFailureAfterDataKeepsTheMessageQueuedUntilTheServerRecovers(@TempDir Path home) {
        AtomicInteger attempts = new AtomicInteger();
        server.dataReply = r -> attempts.incrementAndGet() <= 2 ? "451 4.3.0 temporary local problem" : "250 ok";
        try (SmtpFixture f = fixture(home)) {
            f.submit("retried", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
            await(() -> attempts.get() >= 1, () -> "the first attempt");
            await(() -> f.statusString().contains("451 4.3.0"), () -> "the failure in the status row, got "
                    + f.statusString());
            assertThat(f.statusRow().find(PropTags.PR_STATUS_CODE).orElseThrow().asInt() & Flags.STATUS_FAILURE)
                    .isNotZero();
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("retried"), () -> "sent at last");
            assertThat(attempts.get()).isEqualTo(3);
            assertThat(server.received()).hasSize(1);
            assertThat(f.inboxSubjects()).as("no report for a temporary failure").isEmpty();
            assertThat(f.statusRow().find(PropTags.PR_STATUS_CODE).orElseThrow().asInt() & Flags.STATUS_FAILURE)
                    .as("cleared by the success").isZero();
        }
    }

    @Test
    void R_XPS_3_anAddressThatCouldInjectACommandIsRefusedLocally(@TempDir Path home) {
        try (SmtpFixture f = fixture(home)) {
            f.submit("injection", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO),
                    recipient("Evil", "evil@example.org>\r\nRCPT TO:<victim@example.org", Flags.MAPI_TO)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("injection"), () -> "finished");
            assertThat(server.commands()).noneMatch(l -> l.contains("victim"));
            assertThat(server.received()).singleElement()
                    .satisfies(r -> assertThat(r.recipients()).containsExactly("ann@example.org"));
            assertThat(reportRecipients(f)).singleElement().satisfies(r -> {
                assertThat(i(r, PropTags.PR_NDR_STATUS_CODE)).isEqualTo(553);
                assertThat(s(r, PropTags.PR_REPORT_TEXT)).startsWith("553 5.1.3");
            });
        }
    }

    @Test
    void R_XPS_5_aMessageLargerThanTheServerTakesIsRefusedWithoutSendingIt(@TempDir Path home) {
        server.extensions = List.of("SIZE 2000");
        try (SmtpFixture f = fixture(home)) {
            f.submit("too big", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)),
                    PropValue.ofString(PropTags.PR_BODY, "x".repeat(5000)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("too big"), () -> "finished");
            assertThat(server.commands()).noneMatch(l -> l.startsWith("MAIL"));
            assertThat(reportRecipients(f)).singleElement().satisfies(r -> {
                assertThat(i(r, PropTags.PR_NDR_STATUS_CODE)).isEqualTo(552);
                assertThat(s(r, PropTags.PR_REPORT_TEXT)).contains("at most 2000");
            });
        }
    }

    @Test
    void R_XPS_3_p1RecipientsGoInTheEnvelopeButNeverInTheContent(@TempDir Path home) {
        try (SmtpFixture f = fixture(home)) {
            f.submit("p1", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO),
                    recipient("Resend", "resend@example.org", Flags.MAPI_TO | Flags.MAPI_P1)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("p1"), () -> "finished");
            SmtpResponder.Received r = server.received().get(0);
            assertThat(r.recipients()).containsExactly("ann@example.org", "resend@example.org");
            assertThat(r.text()).contains("ann@example.org").doesNotContain("resend@example.org");
        }
    }

    @Test
    void R_XPS_3_anAddressNeedingSmtputf8GoesOnlyToAServerOfferingIt(@TempDir Path home) {
        try (SmtpFixture f = fixture(home)) {
            f.submit("utf8 refused", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO),
                    recipient("J\u00fcrgen", "j\u00fcrgen@example.org", Flags.MAPI_TO)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("utf8 refused"), () -> "finished");
            assertThat(reportRecipients(f)).singleElement()
                    .satisfies(r -> assertThat(s(r, PropTags.PR_REPORT_TEXT)).startsWith("553 5.6.7"));
            server.extensions = List.of("SMTPUTF8", "8BITMIME");
            server.dropConnections(); // the kept connection knows the old EHLO; the next one asks again
            f.submit("utf8 sent", List.of(recipient("J\u00fcrgen", "j\u00fcrgen@example.org", Flags.MAPI_TO)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("utf8 sent"), () -> "finished");
        }
        assertThat(server.received()).extracting(SmtpResponder.Received::recipients)
                .containsExactly(List.of("ann@example.org"), List.of("j\u00fcrgen@example.org"));
        assertThat(server.received().get(1).mailLine()).endsWith(" SMTPUTF8");
    }

    @Test
    void R_XPS_3_theEnvelopeSenderIsTheSenderElseTheRepresentedElseNull(@TempDir Path home) {
        try (SmtpFixture f = fixture(home)) {
            f.submit("represented", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)),
                    PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, ""),
                    PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, "boss@example.org"));
            await(() -> server.received().size() == 1, () -> "first sent");
            f.submit("null sender", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)),
                    PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, "not an address"));
            await(() -> server.received().size() == 2, () -> "second sent");
        }
        assertThat(server.received()).extracting(SmtpResponder.Received::from)
                .containsExactly("boss@example.org", "");
    }
}
