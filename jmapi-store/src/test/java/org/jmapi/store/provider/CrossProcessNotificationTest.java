package org.jmapi.store.provider;

import org.jmapi.AdviseSink;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.Notification;
import org.jmapi.client.Message;
import org.jmapi.client.MapiFolder;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * Issue 3, build item 6: changes made by another process reach this one. A change written by a child JVM
 * ({@link ForeignWriter}, with its own storage) reaches a contents table this process has open with an advise sink,
 * through the store file's change poll (R-TBL-9). Store and folder notifications a child JVM's provider raises
 * ({@link ForeignClient}: new mail through the spooler's NotifyNewMail, objects created) reach this process's store
 * and folder sinks through the store's event log (R-NTF-3..6), as do those of another session in this process.
 */
class CrossProcessNotificationTest {

    @Test
    void R_TBL_9_anotherProcessAddsAMessage_openInboxTableNotified_rowVisible(@TempDir Path dir) throws Exception {
        try (Direct d = Direct.open(dir);
             MapiFolder inbox = (MapiFolder) d.store().openEntry(d.store().getReceiveFolder("", 0).folderId(), 0);
             MapiTable table = inbox.getContentsTable(0)) {
            try (MapiFolder writable = (MapiFolder) d.store().openEntry(d.store().getReceiveFolder("", 0).folderId(),
                    Flags.MAPI_MODIFY)) {
                saved(writable, "local");
            }
            table.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_INSTANCE_KEY}, 0);
            ShutdownPathsTest.CountingSink sink = new ShutdownPathsTest.CountingSink();
            int connection = table.advise(Flags.fnevTableModified, sink);
            long inboxId = ((SqliteMsgStore) d.store()).ids().parse(entryId(inbox, PropTags.PR_ENTRYID),
                    StoreIds.KIND_FOLDER);

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ForeignWriter.class.getName(), d.path.toString(), Long.toString(inboxId), "from another process")
                    .redirectErrorStream(true).start();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(out).isZero();
            assertThat(out).startsWith("SAVED ");

            await(() -> sink.received.stream().anyMatch(n -> n instanceof Notification.Table t
                    && (t.tableEvent() == Flags.TABLE_ROW_ADDED || t.tableEvent() == Flags.TABLE_CHANGED)),
                    () -> "a table notification for the other process's message; got " + sink.received);
            List<Notification.Table> events = sink.received.stream().map(n -> (Notification.Table) n).toList();
            assertThat(events).noneMatch(t -> t.tableEvent() == Flags.TABLE_ERROR);
            events.stream().filter(t -> t.tableEvent() == Flags.TABLE_ROW_ADDED).findFirst().ifPresent(t ->
                    assertThat(t.row().get(PropTags.PR_SUBJECT).asString()).isEqualTo("from another process"));

            table.seekRow(Flags.BOOKMARK_BEGINNING, 0);
            List<Row> rows = table.queryRows(10, 0);
            assertThat(rows).extracting(r -> r.get(PropTags.PR_SUBJECT).asString())
                    .containsExactlyInAnyOrder("local", "from another process");
            table.unadvise(connection);
        }
    }

    /** Records notifications and the thread they arrived on. */
    private static final class Recorder implements AdviseSink {
        final List<Notification> received = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public int onNotify(List<Notification> notifications) {
            received.addAll(notifications);
            threads.add(Thread.currentThread().getName());
            return 0;
        }

        List<Notification.ObjectEvent> objects(int event) {
            return received.stream().filter(n -> n instanceof Notification.ObjectEvent o && o.eventType() == event)
                    .map(n -> (Notification.ObjectEvent) n).toList();
        }

        List<Notification.NewMail> newMail() {
            return received.stream().filter(n -> n instanceof Notification.NewMail).map(n -> (Notification.NewMail) n)
                    .toList();
        }
    }

    private static final int ALL = Flags.fnevNewMail | Flags.fnevObjectCreated | Flags.fnevObjectDeleted
            | Flags.fnevObjectModified | Flags.fnevObjectMoved | Flags.fnevObjectCopied;

    @Test
    void R_NTF_6_anotherProcessDeliversNewMail_storeAndInboxSinksNotified_withItsIds(@TempDir Path dir)
            throws Exception {
        try (Direct d = Direct.open(dir)) {
            EntryId inboxId = d.store().getReceiveFolder("IPM.Note", 0).folderId();
            Recorder storeSink = new Recorder();
            Recorder inboxSink = new Recorder();
            int c1 = d.store().advise(null, ALL, storeSink);
            int c2 = d.store().advise(inboxId, Flags.fnevNewMail | Flags.fnevObjectCreated, inboxSink);

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ForeignClient.class.getName(), dir.toString()).redirectErrorStream(true).start();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(out).isZero();
            EntryId delivered = EntryId.parseHex(line(out, "DELIVERED "));
            EntryId folder = EntryId.parseHex(line(out, "FOLDER "));

            await(() -> storeSink.newMail().size() == 1 && inboxSink.newMail().size() == 1
                    && storeSink.objects(Flags.fnevObjectCreated).size() == 2,
                    () -> "new mail and two objects created; got " + storeSink.received);
            Notification.NewMail nm = storeSink.newMail().get(0);
            assertThat(nm.entryId()).isEqualTo(delivered);
            assertThat(nm.parentId()).isEqualTo(inboxId);
            assertThat(nm.messageClass()).isEqualTo("IPM.Note");
            assertThat(storeSink.objects(Flags.fnevObjectCreated)).extracting(Notification.ObjectEvent::entryId)
                    .containsExactly(delivered, folder);
            assertThat(inboxSink.objects(Flags.fnevObjectCreated)).extracting(Notification.ObjectEvent::entryId)
                    .as("the folder sink hears of the message created in it, not of the folder elsewhere")
                    .containsExactly(delivered);
            assertThat(storeSink.threads).allSatisfy(t -> assertThat(t).isEqualTo("fake-notify"));
            try (Message m = (Message) d.store().openEntry(delivered, 0)) {
                assertThat(m.getProp(PropTags.PR_SUBJECT).orElseThrow().asString())
                        .isEqualTo("delivered by another process");
            }
            d.store().unadvise(c1);
            d.store().unadvise(c2);
        }
    }

    @Test
    void R_NTF_5_anotherSessionsChanges_reachThisSessionsSinks_once_ownChangesNotTwice(@TempDir Path dir) {
        try (Direct here = Direct.open(dir); Direct there = Direct.open(dir)) {
            Recorder sink = new Recorder();
            int c = here.store().advise(null, ALL, sink);
            EntryId drafts = entryId(here.store(), PropTags.PR_IPM_DRAFTS_ENTRYID);
            EntryId sent = entryId(here.store(), PropTags.PR_IPM_SENTMAIL_ENTRYID);
            EntryId mine;
            try (MapiFolder f = (MapiFolder) here.store().openEntry(drafts, Flags.MAPI_MODIFY)) {
                mine = saved(f, "mine");
            }
            EntryId theirs;
            try (MapiFolder f = (MapiFolder) there.store().openEntry(drafts, Flags.MAPI_MODIFY);
                 MapiFolder to = (MapiFolder) there.store().openEntry(sent, Flags.MAPI_MODIFY)) {
                theirs = saved(f, "theirs");
                assertThat(f.copyMessages(List.of(theirs), to, 0)).isZero();
                assertThat(f.copyMessages(List.of(mine), to, Flags.MESSAGE_MOVE)).isZero();
                assertThat(to.deleteMessages(List.of(mine), 0)).isZero();
            }
            await(() -> sink.objects(Flags.fnevObjectDeleted).size() == 1, () -> "the other session's delete; got "
                    + sink.received);
            assertThat(sink.received).extracting(Notification::eventType).containsExactly(Flags.fnevObjectCreated,
                    Flags.fnevObjectCreated, Flags.fnevObjectCopied, Flags.fnevObjectMoved, Flags.fnevObjectDeleted);
            assertThat(sink.objects(Flags.fnevObjectCreated)).extracting(Notification.ObjectEvent::entryId)
                    .containsExactly(mine, theirs);
            Notification.ObjectEvent copied = sink.objects(Flags.fnevObjectCopied).get(0);
            assertThat(copied.oldId()).isEqualTo(theirs);
            assertThat(copied.parentId()).isEqualTo(sent);
            Notification.ObjectEvent moved = sink.objects(Flags.fnevObjectMoved).get(0);
            assertThat(moved.entryId()).isEqualTo(mine);
            assertThat(moved.oldParentId()).isEqualTo(drafts);
            // a few more polls bring nothing twice
            try {
                Thread.sleep(StoreFile.POLL_INTERVAL.toMillis() * 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(sink.received).hasSize(5);
            here.store().unadvise(c);
        }
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + "line in: " + out));
    }
}
