package org.jmapi.transport.smtp;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.transport.smtp.SmtpFixture.await;
import static org.jmapi.transport.smtp.SmtpFixture.recipient;

/**
 * Sending through GreenMail in-process, in a real session on the SQLite store: recipients and their types, the
 * envelope, the fate of the sent message, connection reuse and a connection the server dropped.
 */
class SmtpSendTest {
    private GreenMail greenMail;

    @BeforeEach
    void startPeer() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
    }

    @AfterEach
    void stopPeer() {
        greenMail.stop();
    }

    private int port() {
        return greenMail.getSmtp().getPort();
    }

    /** @return how many copies GreenMail delivered, per mailbox address */
    private Map<String, Long> deliveredPerMailbox() {
        return greenMail.getUserManager().listUser().stream()
                .collect(Collectors.toMap(u -> u.getEmail(), u -> greenMail.findReceivedMessages(
                        x -> x.getEmail().equals(u.getEmail()), m -> true).count()));
    }

    @Test
    void R_XPS_3_toCcAndBccAreAllReachedAndTheBccOnlyThroughTheEnvelope(@TempDir Path home) throws Exception {
        try (SmtpFixture f = SmtpFixture.start(home, SmtpFixture.smtp(port(), "none"))) {
            f.submit("four recipients", List.of(
                    recipient("Ann", "ann@example.org", Flags.MAPI_TO),
                    recipient("Bob", "bob@example.org", Flags.MAPI_TO),
                    recipient("Cid", "cid@example.org", Flags.MAPI_CC),
                    recipient("Dee", "dee@example.org", Flags.MAPI_BCC)));

            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("four recipients"),
                    () -> "the message in Sent Items; status: " + f.statusString());
            assertThat(deliveredPerMailbox()).containsOnly(Map.entry("ann@example.org", 1L),
                    Map.entry("bob@example.org", 1L), Map.entry("cid@example.org", 1L),
                    Map.entry("dee@example.org", 1L));
            MimeMessage got = greenMail.getReceivedMessages()[0];
            assertThat(got.getSubject()).isEqualTo("four recipients");
            assertThat(Arrays.stream(got.getRecipients(jakarta.mail.Message.RecipientType.TO)).map(Address::toString))
                    .containsExactly("Ann <ann@example.org>", "Bob <bob@example.org>");
            assertThat(Arrays.stream(got.getRecipients(jakarta.mail.Message.RecipientType.CC)).map(Address::toString))
                    .containsExactly("Cid <cid@example.org>");
            assertThat(got.getHeader("Bcc")).isNull();
            StringBuilder raw = new StringBuilder();
            for (var h = got.getAllHeaderLines(); h.hasMoreElements(); ) {
                raw.append(h.nextElement()).append('\n');
            }
            assertThat(raw.toString()).doesNotContain("dee@example.org").doesNotContain("Dee");
            assertThat(got.getHeader("Return-Path")[0]).isEqualTo("<" + SmtpFixture.SENDER + ">");
            assertThat(got.getContent().toString()).contains("\r\n.a line starting with a dot\r\n");
            assertThat(f.queued()).isEmpty();
            assertThat(f.subjects(PropTags.PR_IPM_OUTBOX_ENTRYID)).isEmpty();
            assertThat(f.inboxSubjects()).as("no report").isEmpty();
        }
    }

    @Test
    void R_XPS_3_eachRecipientIsMarkedResponsibleAndTheMessageIdIsKept(@TempDir Path home) throws Exception {
        try (SmtpFixture f = SmtpFixture.start(home, SmtpFixture.smtp(port(), "none"))) {
            f.submit("marked", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO),
                    recipient("Bob", "bob@example.org", Flags.MAPI_BCC)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("marked"), () -> "the sent message");
            EntryId sent;
            try (var sentItems = f.folder(PropTags.PR_IPM_SENTMAIL_ENTRYID);
                 var t = sentItems.getContentsTable(0)) {
                t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
                sent = EntryId.of(t.queryRows(1, 0).get(0).get(PropTags.PR_ENTRYID).asBinary());
            }
            try (Message m = (Message) f.store().openEntry(sent, 0); var rt = m.getRecipientTable(0)) {
                rt.setColumns(new int[] {PropTags.PR_EMAIL_ADDRESS, PropTags.PR_RESPONSIBILITY}, 0);
                assertThat(rt.queryRows(10, 0)).hasSize(2).allSatisfy(r ->
                        assertThat(r.find(PropTags.PR_RESPONSIBILITY).map(PropValue::asBoolean)).contains(true));
                String id = m.getProp(PropTags.PR_INTERNET_MESSAGE_ID).orElseThrow().asString();
                assertThat(greenMail.getReceivedMessages()[0].getMessageID()).isEqualTo(id);
            }
        }
    }

    @Test
    void R_XPS_2_deleteAfterSubmitLeavesNothingBehind(@TempDir Path home) {
        try (SmtpFixture f = SmtpFixture.start(home, SmtpFixture.smtp(port(), "none"))) {
            EntryId id = f.submit("gone after sending", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)),
                    PropValue.ofBoolean(PropTags.PR_DELETE_AFTER_SUBMIT, true),
                    PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID, new byte[0]));
            await(() -> greenMail.getReceivedMessages().length == 1 && f.subjects(PropTags.PR_IPM_OUTBOX_ENTRYID)
                    .isEmpty(), () -> "delivery and the Outbox emptied");
            assertThat(f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID)).isEmpty();
            assertThatThrownBy(() -> f.store().openEntry(id, 0)).isInstanceOfSatisfying(MapiException.class,
                    e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_NOT_FOUND));
        }
    }
}
