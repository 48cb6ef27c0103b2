package org.jmapi.transport.local;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.jmapi.Flags;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.local.LocalFixture.*;

/**
 * Local delivery between two real sessions (profiles "alice" and "bob" in one jmapi home, each with a SQLite store
 * and the local transport): sending, routing, Bcc, reports, and receiving.
 */
class LocalDeliveryTest {
    @TempDir
    Path home;
    private LocalFixture fixture;

    @AfterEach
    void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private Path incoming(String mailbox) {
        return fixture.maildrop.resolve(mailbox).resolve("new");
    }

    @Test
    void R_XPS_1_localRecipients_deliveredToEachMailbox_bccInTheEnvelopeOnly() throws Exception {
        fixture = LocalFixture.start(home, "alice", "bob");
        byte[] pdf = "%PDF-1.4 not really a pdf \u0000\u0001\u0002".getBytes(StandardCharsets.ISO_8859_1);
        MapiSession alice = logon("alice");
        MsgStore aliceStore = open(alice);
        submit(aliceStore, "alice@localhost", "Quarterly figures", "Hello Bob,\r\nthe figures are attached.\r\n",
                List.of(recipient("bob@localhost", Flags.MAPI_TO), recipient("carol@localhost", Flags.MAPI_CC),
                        recipient("dave@localhost", Flags.MAPI_BCC)),
                new Attachment("figures.pdf", "application/pdf", pdf));

        // Sent: the message went to Sent Items, carol and dave (no session) have their copy waiting in the maildrop.
        await(() -> contents(aliceStore, PropTags.PR_IPM_SENTMAIL_ENTRYID).stream()
                .anyMatch(i -> "Quarterly figures".equals(i.subject())), () -> "the message in alice's Sent Items");
        assertThat(contents(aliceStore, PropTags.PR_IPM_OUTBOX_ENTRYID)).isEmpty();
        assertThat(entries(incoming("carol"))).hasSize(1);
        assertThat(entries(incoming("dave"))).hasSize(1);
        assertThat(entries(fixture.maildrop.resolve("dave").resolve("tmp"))).as("nothing left staged").isEmpty();

        // dave's copy: the headers name bob and carol, never dave (Bcc); the same Message-ID as every copy.
        MimeMessage daves;
        try (InputStream in = Files.newInputStream(entries(incoming("dave")).get(0))) {
            daves = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(daves.getSubject()).isEqualTo("Quarterly figures");
        assertThat(daves.getHeader("To", ",")).contains("bob@localhost");
        assertThat(daves.getHeader("Cc", ",")).contains("carol@localhost");
        assertThat(daves.getHeader("Bcc")).isNull();
        String daveHeaders = new String(Files.readAllBytes(entries(incoming("dave")).get(0)), StandardCharsets.UTF_8);
        daveHeaders = daveHeaders.substring(0, daveHeaders.indexOf("\r\n\r\n"));
        assertThat(daveHeaders).doesNotContainIgnoringCase("dave");
        String carolsCopy = Files.readString(entries(incoming("carol")).get(0), StandardCharsets.ISO_8859_1);
        assertThat(carolsCopy).isEqualTo(Files.readString(entries(incoming("dave")).get(0),
                StandardCharsets.ISO_8859_1));

        // Received: bob's session takes his copy into his Inbox and removes the file.
        MapiSession bob = logon("bob");
        MsgStore bobStore = open(bob);
        Item item = awaitInbox(bobStore, "Quarterly figures");
        await(() -> entries(incoming("bob")).isEmpty(), () -> "bob's file removed after the save");
        try (Message m = (Message) bobStore.openEntry(item.id(), 0)) {
            assertThat(string(m, PropTags.PR_BODY)).isEqualTo("Hello Bob,\r\nthe figures are attached.\r\n");
            assertThat(string(m, PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS)).isEqualTo("alice@localhost");
            assertThat(string(m, PropTags.PR_INTERNET_MESSAGE_ID)).isEqualTo(daves.getMessageID());
            assertThat(string(m, PropTags.PR_TRANSPORT_MESSAGE_HEADERS)).contains("Subject: Quarterly figures")
                    .doesNotContainIgnoringCase("dave");
            List<Row> recips = recipients(m);
            assertThat(recips).extracting(r -> r.get(PropTags.PR_EMAIL_ADDRESS).asString() + "/"
                    + r.get(PropTags.PR_RECIPIENT_TYPE).asInt())
                    .containsExactly("bob@localhost/" + Flags.MAPI_TO, "carol@localhost/" + Flags.MAPI_CC);
            try (MapiTable at = m.getAttachmentTable(0)) {
                at.setColumns(new int[] {PropTags.PR_ATTACH_NUM, PropTags.PR_ATTACH_LONG_FILENAME}, 0);
                List<Row> rows = at.queryRows(10, 0);
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0).get(PropTags.PR_ATTACH_LONG_FILENAME).asString()).isEqualTo("figures.pdf");
                try (Attach a = m.openAttach(rows.get(0).get(PropTags.PR_ATTACH_NUM).asInt(), 0)) {
                    assertThat(a.getProp(PropTags.PR_ATTACH_DATA_BIN).map(PropValue::asBinary).orElseThrow())
                            .isEqualTo(pdf);
                    assertThat(string(a, PropTags.PR_ATTACH_MIME_TAG)).isEqualTo("application/pdf");
                }
            }
        }
        assertThat(inboxContents(bobStore)).extracting(Item::subject).containsExactly("Quarterly figures");
        assertThat(inboxContents(aliceStore)).as("no report for alice").isEmpty();
        end(bob, bobStore);
        end(alice, aliceStore);
    }
}
