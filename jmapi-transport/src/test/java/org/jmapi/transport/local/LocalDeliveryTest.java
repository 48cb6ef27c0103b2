package org.jmapi.transport.local;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.runtime.trace.TraceRecorder;
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
        endSession(bob, bobStore);
        endSession(alice, aliceStore);
    }

    /**
     * A send in progress when the session logs off (30 MB of attachments being written to the maildrop): the
     * transport stops, removes what it staged, and the message stays queued; nothing appears in new/. The next
     * session sends it once.
     */
    @Test
    void R_MAIL_2_sendInterruptedByLogoff_messageStaysQueued_nothingDelivered_nextSessionSendsIt() throws Exception {
        fixture = LocalFixture.start(home, "alice");
        java.util.Random random = new java.util.Random(11);
        Attachment[] parts = new Attachment[30];
        for (int i = 0; i < parts.length; i++) {
            byte[] payload = new byte[1_000_000];
            random.nextBytes(payload);
            parts[i] = new Attachment("part" + i + ".bin", "application/octet-stream", payload);
        }
        TraceRecorder trace = new TraceRecorder();
        Runnable stopTrace = Mapi.trace().addListener(trace);
        try {
            MapiSession alice = logon("alice");
            MsgStore store = open(alice);
            submit(store, "alice@localhost", "Big one", "see attached", List.of(recipient("bob@localhost",
                    Flags.MAPI_TO)), parts);
            await(() -> trace.events().stream().anyMatch(e -> e.call().equals("IXPLogon::SubmitMessage")
                    && e.phase() == TraceEvent.Phase.CALL), () -> "the spooler's SubmitMessage");
            alice.logoff(0, 0, 0); // ends the transport first (R-SESOFF-2): the send in progress is abandoned
            store.release();
            alice.release();
            TraceEvent returned = trace.events().stream().filter(e -> e.call().equals("IXPLogon::SubmitMessage")
                    && e.phase() == TraceEvent.Phase.RETURN).findFirst().orElseThrow();
            assertThat(HResult.name(returned.hresult())).as("SubmitMessage was interrupted")
                    .isEqualTo(HResult.name(HResult.MAPI_E_USER_CANCEL));
        } finally {
            stopTrace.run();
        }
        assertThat(entries(incoming("bob"))).isEmpty();
        assertThat(entries(fixture.maildrop.resolve("bob").resolve("tmp"))).as("the staged copy was removed").isEmpty();
        MapiSession look = logonNoMail("alice");
        MsgStore lookStore = open(look);
        assertThat(contents(lookStore, PropTags.PR_IPM_OUTBOX_ENTRYID)).extracting(Item::subject)
                .containsExactly("Big one");
        assertThat(contents(lookStore, PropTags.PR_IPM_SENTMAIL_ENTRYID)).isEmpty();
        endSession(look, lookStore);

        MapiSession again = logon("alice");
        MsgStore store = open(again);
        await(() -> contents(store, PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 1, () -> "the message sent");
        assertThat(entries(incoming("bob"))).hasSize(1);
        assertThat(Files.size(entries(incoming("bob")).get(0))).isGreaterThan(30_000_000L);
        endSession(again, store);
    }

    /**
     * A body and an attachment each just over what the store hands out through GetProps (1 MiB): the transport reads
     * them through OpenProperty streams, bob's session writes them into his store the same way, and both arrive
     * whole (they used to be refused with a 554 non-delivery report).
     */
    @Test
    void R_XPS_1_valuesOverTheGetPropsLimit_deliveredWhole() throws Exception {
        fixture = LocalFixture.start(home, "alice", "bob");
        byte[] data = new byte[(1 << 20) + 1];
        new java.util.Random(9).nextBytes(data);
        String body = "a line of the body \u00e9\u20ac\r\n".repeat(30_000); // 1.26 MB of UTF-16
        MapiSession alice = logon("alice");
        MsgStore aliceStore = open(alice);
        submit(aliceStore, "alice@localhost", "Huge", body, List.of(recipient("bob@localhost", Flags.MAPI_TO)),
                new Attachment("huge.bin", "application/octet-stream", data));
        await(() -> contents(aliceStore, PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 1, () -> "the message sent");
        MapiSession bob = logon("bob");
        MsgStore bobStore = open(bob);
        Item item = awaitInbox(bobStore, "Huge");
        try (Message m = (Message) bobStore.openEntry(item.id(), 0)) {
            assertThat(m.getProps(new int[] {PropTags.PR_BODY}, 0).values().get(0).errorCode())
                    .as("too large for GetProps in bob's store too").isEqualTo(HResult.MAPI_E_NOT_ENOUGH_MEMORY);
            try (MapiStream s = m.openProperty(PropTags.PR_BODY, Flags.STGM_READ, 0)) {
                assertThat(new String(s.asInputStream().readAllBytes(), StandardCharsets.UTF_16LE)).isEqualTo(body);
            }
            try (Attach a = m.openAttach(0, 0); MapiStream s = a.openProperty(PropTags.PR_ATTACH_DATA_BIN,
                    Flags.STGM_READ, 0)) {
                assertThat(s.asInputStream().readAllBytes()).isEqualTo(data);
                assertThat(string(a, PropTags.PR_ATTACH_LONG_FILENAME)).isEqualTo("huge.bin");
            }
        }
        assertThat(inboxContents(aliceStore)).as("no report for alice").isEmpty();
        endSession(bob, bobStore);
        endSession(alice, aliceStore);
    }

    @Test
    void R_XPS_5_localPartThatCannotBeAMailbox_refusedWithOneNonDeliveryReport_othersDelivered() throws Exception {
        fixture = LocalFixture.start(home, "alice");
        MapiSession alice = logon("alice");
        MsgStore store = open(alice);
        submit(store, "alice@localhost", "Escape attempt", "body",
                List.of(recipient("bob@localhost", Flags.MAPI_TO), recipient("x/../../escape@localhost", Flags.MAPI_TO),
                        recipient("...@LOCALHOST", Flags.MAPI_CC)));

        Item report = awaitInbox(store, "Undeliverable: Escape attempt");
        assertThat(report.messageClass()).isEqualTo("REPORT.IPM.Note.NDR");
        await(() -> contents(store, PropTags.PR_IPM_SENTMAIL_ENTRYID).stream()
                .anyMatch(i -> "Escape attempt".equals(i.subject())), () -> "the message in Sent Items");
        assertThat(inboxContents(store)).as("one report for both refusals").hasSize(1);
        try (Message m = (Message) store.openEntry(report.id(), 0)) {
            List<Row> rows = recipients(m);
            assertThat(rows).extracting(r -> r.get(PropTags.PR_EMAIL_ADDRESS).asString())
                    .containsExactlyInAnyOrder("x/../../escape@localhost", "...@LOCALHOST");
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.get(PropTags.PR_NDR_REASON_CODE).asInt()).isEqualTo(Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE);
                assertThat(r.get(PropTags.PR_NDR_DIAG_CODE).asInt()).isEqualTo(Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED);
                assertThat(r.get(PropTags.PR_NDR_STATUS_CODE).asInt()).isEqualTo(553);
                assertThat(r.get(PropTags.PR_ADDRTYPE).asString()).isEqualTo("SMTP");
            });
            assertThat(rows).anySatisfy(r -> assertThat(r.get(PropTags.PR_REPORT_TEXT).asString())
                    .contains("path separator"));
            assertThat(rows).anySatisfy(r -> assertThat(r.get(PropTags.PR_REPORT_TEXT).asString())
                    .contains("dots only"));
        }
        assertThat(entries(incoming("bob"))).hasSize(1);
        try (var s = Files.list(fixture.maildrop)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("no mailbox but bob's and alice's own").containsExactly("alice", "bob");
        }
        assertThat(home.resolve("escape")).doesNotExist();
        endSession(alice, store);
    }

    @Test
    void R_XPS_1_otherDomain_notTaken_withoutAnotherTransportTheSpoolerReportsIt() throws Exception {
        fixture = LocalFixture.start(home, "alice");
        MapiSession alice = logon("alice");
        MsgStore store = open(alice);
        submit(store, "alice@localhost", "Mixed", "body",
                List.of(recipient("someone@example.org", Flags.MAPI_TO), recipient("bob@localhost", Flags.MAPI_CC)));
        submit(store, "alice@localhost", "Only remote", "body", List.of(recipient("far@example.net", Flags.MAPI_TO)));

        Item mixed = awaitInbox(store, "Undeliverable: Mixed");
        Item remote = awaitInbox(store, "Undeliverable: Only remote");
        await(() -> contents(store, PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 2, () -> "both in Sent Items");
        for (Item i : List.of(mixed, remote)) {
            try (Message m = (Message) store.openEntry(i.id(), 0)) {
                List<Row> rows = recipients(m);
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0).get(PropTags.PR_EMAIL_ADDRESS).asString()).endsWith("@example." + (i == mixed
                        ? "org" : "net"));
                assertThat(rows.get(0).get(PropTags.PR_REPORT_TEXT).asString()).contains("no transport");
            }
        }
        assertThat(entries(incoming("bob"))).as("the local recipient of the mixed message").hasSize(1);
        try (var s = Files.list(fixture.maildrop)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("alice", "bob");
        }
        endSession(alice, store);
    }

    @Test
    void R_XPS_3_messageToItsOwnSender_andTwoRowsForOneMailbox_deliveredOnce() throws Exception {
        fixture = LocalFixture.start(home, "alice");
        MapiSession alice = logon("alice");
        MsgStore store = open(alice);
        submit(store, "alice@localhost", "Note to self", "remember",
                List.of(recipient("alice@localhost", Flags.MAPI_TO), recipient("Alice@LocalHost.", Flags.MAPI_CC)));
        awaitInbox(store, "Note to self");
        await(() -> contents(store, PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 1, () -> "the message in Sent Items");
        await(() -> entries(incoming("alice")).isEmpty(), () -> "alice's new/ emptied");
        assertThat(inboxContents(store)).extracting(Item::subject).containsExactly("Note to self");
        endSession(alice, store);
    }
}
