package org.jmapi.store.provider;

import org.jmapi.AdviseSink;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.Notification;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.sqlite.SqliteStorage;
import org.jmapi.table.MapiTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * Store and folder notifications through the real runtime (spec &sect;9.5, R-NTF-3..6): object events after the call
 * that caused them, on MAPI's dispatcher thread, one notification per event with long-term ids; and changes made by
 * another session (another provider object and storage instance on the same file, as another process would be)
 * reaching open tables through the store file's change poll.
 */
class NotificationsTest {

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
    }

    @Test
    void R_NTF_3_R_NTF_6_storeAdvise_objectEvents_afterTheCall_onTheDispatcher(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            MapiSession s = f.logon();
            MsgStore store = open(s);
            Recorder storeSink = new Recorder();
            Recorder folderSink = new Recorder();
            MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID);
            EntryId outboxId = entryId(outbox, PropTags.PR_ENTRYID);
            int c1 = store.advise(null, Flags.fnevObjectCreated | Flags.fnevObjectModified | Flags.fnevObjectDeleted,
                    storeSink);
            int c2 = store.advise(outboxId, Flags.fnevObjectCreated, folderSink);
            assertThat(c1).isNotZero();
            assertThat(c2).isNotZero().isNotEqualTo(c1);
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> store.advise(null, Flags.fnevStatusObjectModified,
                    storeSink));

            EntryId id = saved(outbox, "watched");
            try (Message m = (Message) store.openEntry(id, Flags.MAPI_MODIFY)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "changed")));
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            }
            outbox.deleteMessages(List.of(id), 0);
            await(() -> storeSink.objects(Flags.fnevObjectDeleted).size() == 1, () -> "fnevObjectDeleted");
            await(() -> folderSink.objects(Flags.fnevObjectCreated).size() == 1, () -> "created, on the folder");

            Notification.ObjectEvent created = storeSink.objects(Flags.fnevObjectCreated).get(0);
            assertThat(created.entryId()).isEqualTo(id);
            assertThat(created.entryId().isLongTerm()).isTrue();
            assertThat(created.objectType()).isEqualTo(Flags.MAPI_MESSAGE);
            assertThat(created.parentId()).isEqualTo(outboxId);
            assertThat(storeSink.received).extracting(Notification::eventType).containsExactly(
                    Flags.fnevObjectCreated, Flags.fnevObjectModified, Flags.fnevObjectDeleted);
            assertThat(storeSink.threads).as("delivered asynchronously on MAPI's dispatcher, not in the call")
                    .allSatisfy(t -> assertThat(t).isNotEqualTo(Thread.currentThread().getName()));
            assertThat(folderSink.received).hasSize(1);

            store.unadvise(c1);
            store.unadvise(c2);
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> store.unadvise(c1));
            saved(outbox, "unwatched");
            outbox.release();
            store.release();
            s.logoff(0, 0, 0);
            s.release();
            assertThat(storeSink.received).hasSize(3);
        }
    }

    @Test
    void R_NTF_4_oneNotificationPerEvent_inOrder_evenForSeveralOfOneType(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            MapiSession s = f.logon();
            MsgStore store = open(s);
            Recorder sink = new Recorder();
            MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID);
            int c = store.advise(null, Flags.fnevObjectCreated | Flags.fnevObjectDeleted, sink);
            List<EntryId> ids = List.of(saved(outbox, "one"), saved(outbox, "two"), saved(outbox, "three"));
            outbox.deleteMessages(List.of(ids.get(2), ids.get(0)), 0); // two events of one call
            await(() -> sink.objects(Flags.fnevObjectDeleted).size() == 2, () -> "two fnevObjectDeleted");
            assertThat(sink.objects(Flags.fnevObjectCreated)).extracting(Notification.ObjectEvent::entryId)
                    .containsExactlyElementsOf(ids); // one NOTIFICATION per message, in event order
            assertThat(sink.objects(Flags.fnevObjectDeleted)).extracting(Notification.ObjectEvent::entryId)
                    .containsExactlyInAnyOrder(ids.get(2), ids.get(0));
            assertThat(sink.received).hasSize(5).allSatisfy(n ->
                    assertThat(((Notification.ObjectEvent) n).entryId().isLongTerm()).isTrue());
            store.unadvise(c);
            outbox.release();
            store.release();
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    @Test
    void anotherSessionsChange_reachesOpenTables_throughTheChangePoll(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            MapiSession first = f.logon();
            MapiSession second = f.logon();
            MsgStore a = open(first);
            MsgStore b = open(second);
            MapiFolder inboxA = (MapiFolder) a.openEntry(a.getReceiveFolder("", 0).folderId(), 0);
            MapiTable contents = inboxA.getContentsTable(0);
            MapiFolder subtree = (MapiFolder) a.openEntry(entryId(a, PropTags.PR_IPM_SUBTREE_ENTRYID), 0);
            MapiTable hierarchy = subtree.getHierarchyTable(0);
            ShutdownPathsTest.CountingSink contentsSink = new ShutdownPathsTest.CountingSink();
            ShutdownPathsTest.CountingSink hierarchySink = new ShutdownPathsTest.CountingSink();
            contents.advise(Flags.fnevTableModified, contentsSink);
            hierarchy.advise(Flags.fnevTableModified, hierarchySink);

            try (MapiFolder inboxB = (MapiFolder) b.openEntry(b.getReceiveFolder("", 0).folderId(), Flags.MAPI_MODIFY)) {
                saved(inboxB, "from the other session");
            }
            await(() -> contentsSink.received.stream().anyMatch(n -> n instanceof Notification.Table t
                    && t.tableEvent() == Flags.TABLE_ROW_ADDED), () -> "ROW_ADDED from the poll");
            await(() -> hierarchySink.received.stream().anyMatch(n -> n instanceof Notification.Table t
                    && t.tableEvent() == Flags.TABLE_ROW_MODIFIED), () -> "Inbox's count changed in the hierarchy");
            assertThat(subjects(contents)).containsExactly("from the other session");

            // A process that writes the file directly (no MAPI at all) is seen the same way.
            try (SqliteStorage other = SqliteStorage.open(f.storeFile)) {
                long inbox = ((SqliteMsgStore) a).ids().parse(a.getReceiveFolder("", 0).folderId(),
                        StoreIds.KIND_FOLDER);
                other.saveMessage(SaveRequest.create(inbox, MessageImage.of(List.of(
                        PropValue.ofString(PropTags.PR_SUBJECT, "from another process")))));
            }
            await(() -> contentsSink.received.stream().filter(n -> n instanceof Notification.Table t
                    && t.tableEvent() == Flags.TABLE_ROW_ADDED).count() == 2, () -> "second ROW_ADDED");
            contents.release();
            hierarchy.release();
            subtree.release();
            inboxA.release();
            a.release();
            b.release();
            first.logoff(0, 0, 0);
            second.logoff(0, 0, 0);
            first.release();
            second.release();
            assertThat(contentsSink.release()).isZero();
            assertThat(hierarchySink.release()).isZero();
        }
    }
}
