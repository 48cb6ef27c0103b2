package org.jmapi.transport.local;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.client.MapiSession;
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

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.local.LocalFixture.*;

/**
 * Receiving from the maildrop in a real session (profile "bob"): mail written by other software, entries that
 * cannot be read, and a receive interrupted by logoff (R-MAIL-3).
 */
class LocalReceiveTest {

    @TempDir
    Path home;
    private LocalFixture fixture;

    @AfterEach
    void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** @return shared/testdata/eml: -Djmapi.testdata, else the first shared/testdata above the working directory */
    private static Path emlDir() {
        String prop = System.getProperty("jmapi.testdata");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize().resolve("eml");
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("shared").resolve("testdata").resolve("eml"))) {
                return dir.resolve("shared").resolve("testdata").resolve("eml");
            }
        }
        throw new AssertionError("the shared test data is missing: no shared/testdata/eml above " + start
                + "; pass -Djmapi.testdata=<path to shared/testdata>");
    }

    private Path incoming() {
        return fixture.maildrop.resolve("bob").resolve("new");
    }

    /** Delivers bytes into bob's Maildir the way a sender does (tmp, force, rename); @return the file in new/ */
    private Path deliver(Maildrop.Content content) throws IOException {
        Maildrop drop = new Maildrop(fixture.maildrop);
        return drop.commit(drop.stage("bob", content));
    }

    @Test
    void R_RCV_2_mailFromOtherSoftware_malformedToo_everyFileStoredThenRemoved() throws Exception {
        fixture = LocalFixture.start(home, "bob");
        List<Path> emls;
        Path dir = emlDir();
        try (Stream<Path> s = Files.list(dir)) {
            emls = s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
        assertThat(emls).as("the shared test data in " + dir).hasSizeGreaterThan(10);
        for (Path eml : emls) {
            deliver(out -> Files.copy(eml, out));
        }
        MapiSession bob = logon("bob");
        MsgStore store = open(bob);
        await(() -> inboxContents(store).size() == emls.size(), () -> emls.size() + " messages in the Inbox; it has "
                + inboxContents(store).size() + ", new/ has " + entries(incoming()));
        await(() -> entries(incoming()).isEmpty(), () -> "new/ emptied; it holds " + entries(incoming()));
        assertThat(entries(incoming().resolveSibling("bad"))).as("nothing was unreadable").isEmpty();
        assertThat(inboxContents(store)).extracting(Item::subject).contains("Simple Subject");
        Item plain = inboxContents(store).stream().filter(i -> "Simple Subject".equals(i.subject())).findFirst()
                .orElseThrow();
        try (Message m = (Message) store.openEntry(plain.id(), 0)) {
            assertThat(string(m, PropTags.PR_TRANSPORT_MESSAGE_HEADERS)).contains("Subject: Simple Subject");
            assertThat(string(m, PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS)).isEqualTo("foo@example.com");
        }
        endSession(bob, store);
    }

    @Test
    void R_RCV_1_mailArrivingInNew_isReceivedAtOnce_notAtTheNextPoll() throws Exception {
        fixture = LocalFixture.start(home, "bob");
        String poll = System.getProperty("jmapi.spooler.poll");
        System.setProperty("jmapi.spooler.poll", "600000"); // no second Poll within the test: only the arrival wakes it
        try {
            TraceRecorder trace = new TraceRecorder();
            Runnable stopTrace = Mapi.trace().addListener(trace);
            MapiSession bob = logon("bob");
            MsgStore store = open(bob);
            await(() -> calls(trace, "IXPLogon::Poll", TraceEvent.Phase.RETURN) == 1, () -> "the first Poll");
            assertThat(MaildropWatch.running()).as("the logon watches its new/").isTrue();

            deliver(out -> out.write("Subject: arrived\r\n\r\nwhile nobody polled\r\n".getBytes(
                    StandardCharsets.US_ASCII)));
            awaitInbox(store, "arrived");
            assertThat(trace.events()).as("the transport told the spooler (R-RCV-1)").anySatisfy(e -> {
                assertThat(e.call()).isEqualTo("IMAPISupport::SpoolerNotify");
                assertThat(e.flags()).isEqualTo(Flags.NOTIFY_NEWMAIL);
            });
            assertThat(calls(trace, "IXPLogon::Poll", TraceEvent.Phase.CALL)).as("received without a second Poll")
                    .isEqualTo(1);
            await(() -> entries(incoming()).isEmpty(), () -> "new/ emptied; it holds " + entries(incoming()));

            endSession(bob, store);
            stopTrace.run();
            assertThat(MaildropWatch.running()).as("the watch ends with the last logon that used it").isFalse();
        } finally {
            System.setProperty("jmapi.spooler.poll", poll);
        }
    }

    private static long calls(TraceRecorder trace, String call, TraceEvent.Phase phase) {
        return trace.events().stream().filter(e -> e.call().equals(call) && e.phase() == phase).count();
    }

    @Test
    void R_RCV_2_entryThatCannotBeRead_movedToBadWithStatusNote_laterMailStillReceived() throws Exception {
        fixture = LocalFixture.start(home, "bob");
        new Maildrop(fixture.maildrop).ensure("bob");
        Path odd = Files.createDirectory(incoming().resolve("1000000000.1_1.elsewhere"));
        Files.writeString(odd.resolve("inside"), "not mail");
        deliver(out -> out.write("Subject: after the odd one\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));

        MapiSession bob = logon("bob");
        MsgStore store = open(bob);
        awaitInbox(store, "after the odd one");
        await(() -> entries(incoming()).isEmpty(), () -> "new/ emptied; it holds " + entries(incoming()));
        Path bad = incoming().resolveSibling("bad");
        assertThat(entries(bad)).extracting(p -> p.getFileName().toString()).containsExactly("1000000000.1_1.elsewhere");
        assertThat(Files.readString(bad.resolve("1000000000.1_1.elsewhere").resolve("inside"))).isEqualTo("not mail");
        assertThat(statusStrings(bob)).anySatisfy(s -> assertThat(s).contains("1000000000.1_1.elsewhere")
                .contains(bad.toString()).contains("not a regular file"));
        assertThat(inboxContents(store)).hasSize(1);
        endSession(bob, store);
    }

    @Test
    void stagedLeftOversOfACrash_neverReadAsMail_removedOnceOld() throws Exception {
        fixture = LocalFixture.start(home, "bob");
        Maildrop drop = new Maildrop(fixture.maildrop);
        drop.ensure("bob");
        Path tmp = incoming().resolveSibling("tmp");
        Path old = Files.writeString(tmp.resolve("1.1_1.crashed"), "Subject: half a message\r\n");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(java.time.Instant.now()
                .minus(LocalLogon.STAGED_LIFETIME).minusSeconds(60)));
        Path fresh = Files.writeString(tmp.resolve("2.1_1.writing"), "Subject: being written\r\n");
        deliver(out -> out.write("Subject: real mail\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));

        MapiSession bob = logon("bob");
        MsgStore store = open(bob);
        awaitInbox(store, "real mail");
        assertThat(entries(tmp)).containsExactly(fresh);
        assertThat(inboxContents(store)).extracting(Item::subject).containsExactly("real mail");
        endSession(bob, store);
    }

    /** @return PR_STATUS_STRING of every status row of the session */
    private static List<String> statusStrings(MapiSession session) {
        try (MapiTable t = session.getStatusTable(0)) {
            t.setColumns(new int[] {PropTags.PR_STATUS_STRING}, 0);
            return t.queryRows(100, 0).stream().map(r -> r.find(PropTags.PR_STATUS_STRING)
                    .map(PropValue::asString).orElse("")).toList();
        }
    }

    /**
     * A message large enough that converting it takes a while: a text body and one 24 MiB attachment in base64
     * lines. The session is logged off as soon as the spooler's StartMessage began; the read stops, nothing is
     * saved, and the file stays in new/. The next session receives it exactly once.
     */
    @Test
    void R_MAIL_3_receiveInterruptedByLogoff_fileStays_nextSessionReceivesItOnce() throws Exception {
        fixture = LocalFixture.start(home, "bob");
        byte[] payload = new byte[24 << 20];
        new Random(7).nextBytes(payload);
        Path file = deliver(out -> {
            out.write(("From: alice@localhost\r\nTo: bob@localhost\r\nSubject: the big one\r\n"
                    + "Message-ID: <big@localhost>\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n--b0\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n\r\nsee attached\r\n--b0\r\n"
                    + "Content-Type: application/octet-stream; name=\"big.bin\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            OutputStream enc = Base64.getMimeEncoder().wrap(new NonClosing(out));
            enc.write(payload);
            enc.close();
            out.write("\r\n--b0--\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        TraceRecorder trace = new TraceRecorder();
        Runnable stopTrace = Mapi.trace().addListener(trace);
        try {
            MapiSession bob = logon("bob");
            MsgStore store = open(bob);
            await(() -> trace.events().stream().anyMatch(e -> e.call().equals("IXPLogon::StartMessage")
                    && e.phase() == TraceEvent.Phase.CALL), () -> "the spooler's StartMessage");
            bob.logoff(0, 0, 0); // ends the transport first (R-SESOFF-2): the receive in progress is abandoned
            store.release();
            bob.release();
            TraceEvent returned = trace.events().stream().filter(e -> e.call().equals("IXPLogon::StartMessage")
                    && e.phase() == TraceEvent.Phase.RETURN).findFirst().orElseThrow();
            assertThat(HResult.name(returned.hresult())).as("StartMessage was interrupted")
                    .isEqualTo(HResult.name(HResult.MAPI_E_USER_CANCEL));
        } finally {
            stopTrace.run();
        }
        assertThat(entries(incoming())).containsExactly(file);
        MapiSession look = logonNoMail("bob");
        MsgStore lookStore = open(look);
        assertThat(inboxContents(lookStore)).as("nothing was committed").isEmpty();
        endSession(look, lookStore);

        MapiSession again = logon("bob");
        MsgStore store = open(again);
        Item big = awaitInbox(store, "the big one");
        await(() -> entries(incoming()).isEmpty(), () -> "new/ emptied");
        assertThat(inboxContents(store)).extracting(Item::subject).containsExactly("the big one");
        try (Message m = (Message) store.openEntry(big.id(), 0);
             MapiTable at = m.getAttachmentTable(0)) {
            at.setColumns(new int[] {PropTags.PR_ATTACH_SIZE, PropTags.PR_ATTACH_LONG_FILENAME}, 0);
            List<Row> rows = at.queryRows(10, 0);
            assertThat(rows).extracting(r -> r.get(PropTags.PR_ATTACH_LONG_FILENAME).asString())
                    .containsExactly("big.bin");
        }
        endSession(again, store);
    }

    /** Lets a base64 encoder be closed (to flush its last line) without closing the file under it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
