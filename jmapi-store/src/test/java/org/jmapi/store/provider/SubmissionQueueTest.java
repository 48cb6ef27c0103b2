package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.Notification;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.sqlite.SqliteStorage;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Restriction;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * Submission (spec &sect;10.1, R-SUB-1..3) and the store's spooler-only methods with the outgoing queue (&sect;10.2,
 * R-OQ-1..7, R-MAIL-1), driven on the provider directly so that the tests hold the spooler's store object
 * ({@link Direct}).
 */
class SubmissionQueueTest {

    /** Creates a message with a subject and one recipient in the Outbox; it is saved (writable). */
    private static Message draft(MsgStore store, String subject) {
        try (MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID)) {
            Message m = outbox.createMessage(0);
            m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, subject)));
            m.modifyRecipients(0, List.of(recipient("Alice", Flags.MAPI_TO)));
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            return m;
        }
    }

    /** Submits a new message; @return its entry id */
    private static EntryId submitted(MsgStore store, String subject, PropValue... more) {
        Message m = draft(store, subject);
        if (more.length > 0) {
            m.setProps(List.of(more));
        }
        EntryId id = entryId(m, PropTags.PR_ENTRYID);
        m.submitMessage(0);
        m.release();
        return id;
    }

    @Test
    void R_SUB_1_noRecipients_noRecipientsError_messageStaysValid(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder outbox = folder(d.store(), PropTags.PR_IPM_OUTBOX_ENTRYID);
             Message m = outbox.createMessage(0)) {
            m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "nobody")));
            assertCode(HResult.MAPI_E_NO_RECIPIENTS, () -> m.submitMessage(0));
            assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo("nobody");
            m.modifyRecipients(0, List.of(recipient("Alice", Flags.MAPI_TO)));
            m.submitMessage(Message.FORCE_SUBMIT);
            assertThat(d.spoolerStore().getOutgoingQueue(0).getRowCount(0)).isEqualTo(1);
            assertThat(d.clientSupport.spoolerNotifies).containsExactly(Flags.NOTIFY_READYTOSEND);
        }
    }

    @Test
    void R_SUB_1_success_messageAttachmentsAndTablesInvalid_releaseStillWorks(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            Message m = draft(d.store(), "sub-objects");
            Attach a = m.createAttach(0);
            MapiTable recipients = m.getRecipientTable(0);
            MapiTable attachments = m.getAttachmentTable(0);
            m.submitMessage(0);
            assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> m.getProps(null, 0));
            assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> a.getProps(null, 0));
            assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> recipients.getRowCount(0));
            assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> attachments.getRowCount(0));
            assertThat(recipients.release()).isZero();
            assertThat(attachments.release()).isZero();
            assertThat(a.release()).isZero();
            assertThat(m.release()).isZero();
        }
    }

    @Test
    void R_SUB_2_submit_savesAndQueues_submitFlag_responsibilityFalse_clientSubmitTime(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            Instant before = Instant.now();
            Message m = draft(d.store(), "queued");
            m.setProps(List.of(PropValue.ofString(PropTags.PR_BODY, "unsaved until submit")));
            m.modifyRecipients(Flags.MODRECIP_ADD, List.of(List.of(
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Carol"),
                    PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_CC),
                    PropValue.ofBoolean(PropTags.PR_RESPONSIBILITY, true))));
            EntryId id = entryId(m, PropTags.PR_ENTRYID);
            m.submitMessage(0);
            m.release();

            try (Message q = (Message) d.store().openEntry(id, Flags.MAPI_BEST_ACCESS)) {
                assertThat(integer(q, PropTags.PR_MESSAGE_FLAGS) & Flags.MSGFLAG_SUBMIT).isNotZero();
                assertThat(string(q, PropTags.PR_BODY)).isEqualTo("unsaved until submit");
                assertThat(q.getProp(PropTags.PR_CLIENT_SUBMIT_TIME).orElseThrow().asTime()).isAfterOrEqualTo(before);
                try (MapiTable rt = q.getRecipientTable(0)) {
                    rt.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_RESPONSIBILITY}, 0);
                    List<Row> rows = rt.queryRows(10, 0);
                    assertThat(rows).hasSize(2).allSatisfy(r ->
                            assertThat(r.get(PropTags.PR_RESPONSIBILITY).asBoolean()).isFalse());
                }
            }
        }
    }

    @Test
    void R_SUB_3_readyToSend_oncePerLogon_beforeTheFirstSubmission(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            assertThat(d.clientSupport.spoolerNotifies).isEmpty();
            submitted(d.store(), "one");
            submitted(d.store(), "two");
            submitted(d.store(), "three");
            assertThat(d.clientSupport.spoolerNotifies).containsExactly(Flags.NOTIFY_READYTOSEND);
        }
    }

    @Test
    void R_OQ_1_outgoingQueue_requiredColumns_ascendingSubmitTime_notifiesChanges(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            EntryId first = submitted(d.store(), "first");
            submitted(d.store(), "second");
            MapiTable q = d.spoolerStore().getOutgoingQueue(0);
            assertThat(q.queryColumns(0)).contains(PropTags.PR_CLIENT_SUBMIT_TIME, PropTags.PR_DISPLAY_BCC,
                    PropTags.PR_DISPLAY_CC, PropTags.PR_DISPLAY_TO, PropTags.PR_ENTRYID, PropTags.PR_MESSAGE_FLAGS,
                    PropTags.PR_MESSAGE_SIZE, PropTags.PR_PRIORITY, PropTags.PR_SENDER_NAME, PropTags.PR_SUBJECT,
                    PropTags.PR_SUBMIT_FLAGS);
            List<Row> rows = q.queryRows(10, 0);
            assertThat(rows).extracting(r -> r.get(PropTags.PR_SUBJECT).asString()).containsExactly("first", "second");
            assertThat(rows).extracting(r -> r.get(PropTags.PR_DISPLAY_TO).asString()).containsOnly("Alice");
            assertThat(EntryId.of(rows.get(0).get(PropTags.PR_ENTRYID).asBinary())).isEqualTo(first);

            ShutdownPathsTest.CountingSink sink = new ShutdownPathsTest.CountingSink();
            q.advise(Flags.fnevTableModified, sink);
            submitted(d.store(), "third");
            await(() -> sink.received.stream().anyMatch(n -> n instanceof Notification.Table t
                    && t.tableEvent() == Flags.TABLE_ROW_ADDED), () -> "TABLE_ROW_ADDED on the outgoing queue");
            assertThat(subjects(q)).containsExactly("first", "second", "third");
            q.release();
            sink.release();
        }
    }

    @Test
    void R_OQ_2_setLockState_savesTheMessage_lockedFlag_clientCannotOpenOrAbort(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            EntryId id = submitted(d.store(), "to lock");
            MsgStore spooler = d.spoolerStore();
            try (Message m = (Message) spooler.openEntry(id, Flags.MAPI_MODIFY)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "edited by the spooler")));
                spooler.setLockState(m, Flags.MSG_LOCKED);
            }
            try (Message m = (Message) spooler.openEntry(id, 0)) {
                assertThat(string(m, PropTags.PR_SUBJECT)).as("SetLockState saved it").isEqualTo("edited by the spooler");
                assertThat(integer(m, PropTags.PR_SUBMIT_FLAGS) & Flags.SUBMITFLAG_LOCKED).isNotZero();
            }
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> d.store().openEntry(id, Flags.MAPI_BEST_ACCESS));
            assertCode(HResult.MAPI_E_UNABLE_TO_ABORT, () -> d.store().abortSubmit(id, 0));
            try (MapiTable q = spooler.getOutgoingQueue(0)) {
                q.restrict(new Restriction.Not(new Restriction.Bitmask(Restriction.BMR_NEZ, PropTags.PR_SUBMIT_FLAGS,
                        Flags.SUBMITFLAG_LOCKED)), 0);
                assertThat(q.getRowCount(0)).as("no unlocked queued message").isZero();
            }
            try (Message m = (Message) spooler.openEntry(id, 0)) {
                spooler.setLockState(m, Flags.MSG_UNLOCKED);
            }
            d.store().abortSubmit(id, 0);
        }
    }

    @Test
    void R_OQ_1_aLongOutgoingQueue_notifiesToo_rereadLaterOnceForManyChanges(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            int n = LogonTable.SYNC_REFRESH_ROWS + 20;
            for (int i = 0; i < n; i++) {
                submitted(d.store(), "m" + i);
            }
            MapiTable q = d.spoolerStore().getOutgoingQueue(0);
            assertThat(q.getRowCount(0)).isEqualTo(n);
            ShutdownPathsTest.CountingSink sink = new ShutdownPathsTest.CountingSink();
            q.advise(Flags.fnevTableModified, sink);
            EntryId late = submitted(d.store(), "late one");
            submitted(d.store(), "later one");
            await(() -> sink.received.stream().filter(x -> x instanceof Notification.Table t
                    && t.tableEvent() == Flags.TABLE_ROW_ADDED).count() == 2, () -> "two TABLE_ROW_ADDED");
            d.store().abortSubmit(late, 0);
            await(() -> sink.received.stream().anyMatch(x -> x instanceof Notification.Table t
                    && t.tableEvent() == Flags.TABLE_ROW_DELETED), () -> "TABLE_ROW_DELETED");
            assertThat(q.getRowCount(0)).isEqualTo(n + 1);
            q.release();
            sink.release();
        }
    }

    @Test
    void R_OQ_2_setLockState_onAMessageAnotherSpoolerHolds_noAccess_thenItsOwnOnceReleased(@TempDir Path dir) {
        // two provider objects on one store: two spoolers sharing its queue (other processes, other hosts)
        try (Direct here = Direct.open(dir); Direct there = Direct.open(dir)) {
            EntryId id = submitted(here.store(), "contested");
            MsgStore mine = here.spoolerStore();
            MsgStore theirs = there.spoolerStore();
            Message held = (Message) theirs.openEntry(id, Flags.MAPI_MODIFY);
            theirs.setLockState(held, Flags.MSG_LOCKED);
            try (Message m = (Message) mine.openEntry(id, Flags.MAPI_MODIFY)) {
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> mine.setLockState(m, Flags.MSG_LOCKED));
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> mine.finishedMsg(0, id));
            }
            theirs.setLockState(held, Flags.MSG_UNLOCKED);
            held.release();
            try (Message m = (Message) mine.openEntry(id, Flags.MAPI_MODIFY)) {
                mine.setLockState(m, Flags.MSG_LOCKED);
            }
            mine.finishedMsg(0, id);
            try (Message m = (Message) theirs.openEntry(id, Flags.MAPI_MODIFY)) {
                assertCode(HResult.MAPI_E_NOT_IN_QUEUE, () -> theirs.setLockState(m, Flags.MSG_LOCKED));
            }
        }
    }

    @Test
    void R_OQ_3_queuedMessage_modifyIsSubmitted_bestAccessOpensReadOnly(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            EntryId id = submitted(d.store(), "queued");
            assertCode(HResult.MAPI_E_SUBMITTED, () -> d.store().openEntry(id, Flags.MAPI_MODIFY));
            try (Message m = (Message) d.store().openEntry(id, Flags.MAPI_BEST_ACCESS)) {
                assertCode(HResult.MAPI_E_NO_ACCESS,
                        () -> m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "changed"))));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> m.saveChanges(0));
            }
        }
    }

    @Test
    void R_OQ_4_abortSubmit_dequeues_keepsTheMessage_thenNotInQueue(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            EntryId id = submitted(d.store(), "abort me");
            d.store().abortSubmit(id, 0);
            try (Message m = (Message) d.store().openEntry(id, Flags.MAPI_MODIFY)) {
                assertThat(integer(m, PropTags.PR_MESSAGE_FLAGS) & Flags.MSGFLAG_SUBMIT).isZero();
            }
            assertThat(d.spoolerStore().getOutgoingQueue(0).getRowCount(0)).isZero();
            assertCode(HResult.MAPI_E_NOT_IN_QUEUE, () -> d.store().abortSubmit(id, 0));
            assertCode(HResult.MAPI_E_INVALID_ENTRYID, () -> d.store().abortSubmit(
                    EntryId.create(0, org.jmapi.MapiUid.random(), new byte[] {2, 1, 0, 0, 0, 0, 0, 0, 0, 1}), 0));
        }
    }

    @Test
    void R_OQ_5_finishedMsg_neither_staysInOutbox(@TempDir Path dir) {
        finished(dir, false, false, "Outbox");
    }

    @Test
    void R_OQ_5_finishedMsg_sentMailOnly_movedThere(@TempDir Path dir) {
        finished(dir, true, false, "Sent Items");
    }

    @Test
    void R_OQ_5_finishedMsg_deleteAfterSubmitOnly_deleted(@TempDir Path dir) {
        finished(dir, false, true, null);
    }

    @Test
    void R_OQ_5_finishedMsg_both_movedThenDeleted(@TempDir Path dir) {
        finished(dir, true, true, null);
    }

    private static void finished(Path dir, boolean sentMail, boolean deleteAfter, String expectedFolder) {
        try (Direct d = Direct.open(dir)) {
            EntryId sent = entryId(d.store(), PropTags.PR_IPM_SENTMAIL_ENTRYID);
            PropValue[] more = sentMail && deleteAfter
                    ? new PropValue[] {PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID, sent.toBytes()),
                        PropValue.ofBoolean(PropTags.PR_DELETE_AFTER_SUBMIT, true)}
                    : sentMail ? new PropValue[] {PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID, sent.toBytes())}
                    : deleteAfter ? new PropValue[] {PropValue.ofBoolean(PropTags.PR_DELETE_AFTER_SUBMIT, true)}
                    : new PropValue[0];
            EntryId id = submitted(d.store(), "sent", more);
            MsgStore spooler = d.spoolerStore();
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> spooler.finishedMsg(0, id));
            try (Message m = (Message) spooler.openEntry(id, Flags.MAPI_MODIFY)) {
                spooler.setLockState(m, Flags.MSG_LOCKED);
            }
            ShutdownPathsTest.CountingSink sink = new ShutdownPathsTest.CountingSink();
            int c = d.store().advise(null, Flags.fnevObjectMoved | Flags.fnevObjectDeleted | Flags.fnevObjectModified,
                    sink);
            spooler.finishedMsg(0, id);
            assertThat(spooler.getOutgoingQueue(0).getRowCount(0)).isZero();
            d.clientSupport.drain();
            int expectedEvent = deleteAfter ? Flags.fnevObjectDeleted
                    : sentMail ? Flags.fnevObjectMoved : Flags.fnevObjectModified;
            assertThat(sink.received).singleElement().isInstanceOfSatisfying(Notification.ObjectEvent.class, n -> {
                assertThat(n.eventType()).isEqualTo(expectedEvent);
                assertThat(n.entryId()).isEqualTo(id);
                if (expectedEvent == Flags.fnevObjectMoved) {
                    assertThat(n.parentId()).isEqualTo(sent);
                    assertThat(n.oldParentId()).isEqualTo(entryId(d.store(), PropTags.PR_IPM_OUTBOX_ENTRYID));
                }
            });
            d.store().unadvise(c);
            d.clientSupport.drain();
            assertThat(sink.release()).isZero();
            if (expectedFolder == null) {
                assertCode(HResult.MAPI_E_NOT_FOUND, () -> d.store().openEntry(id, 0));
            } else {
                try (Message m = (Message) d.store().openEntry(id, Flags.MAPI_MODIFY)) {
                    EntryId parent = entryId(m, PropTags.PR_PARENT_ENTRYID);
                    try (MapiFolder f = (MapiFolder) d.store().openEntry(parent, 0)) {
                        assertThat(string(f, PropTags.PR_DISPLAY_NAME)).isEqualTo(expectedFolder);
                    }
                    int flags = integer(m, PropTags.PR_MESSAGE_FLAGS);
                    assertThat(flags & (Flags.MSGFLAG_SUBMIT | Flags.MSGFLAG_UNSENT)).isZero();
                }
            }
            assertCode(expectedFolder == null ? HResult.MAPI_E_NOT_FOUND : HResult.MAPI_E_NOT_IN_QUEUE,
                    () -> spooler.finishedMsg(0, id));
        }
    }

    @Test
    void R_OQ_6_spoolerOnlyMethods_onTheClientsStore_noSupport(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            EntryId id = submitted(d.store(), "x");
            Message m = (Message) d.store().openEntry(id, 0);
            assertCode(HResult.MAPI_E_NO_SUPPORT, () -> d.store().getOutgoingQueue(0));
            assertCode(HResult.MAPI_E_NO_SUPPORT, () -> d.store().setLockState(m, Flags.MSG_LOCKED));
            assertCode(HResult.MAPI_E_NO_SUPPORT, () -> d.store().finishedMsg(0, id));
            assertCode(HResult.MAPI_E_NO_SUPPORT, () -> d.store().notifyNewMail(
                    new Notification.NewMail(id, null, 0, "IPM.Note", 0)));
            m.release();
        }
    }

    @Test
    void R_OQ_7_notifyNewMail_reachesStoreSinks_asGiven(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            EntryId inbox = d.store().getReceiveFolder("IPM.Note", 0).folderId();
            EntryId msg;
            try (MapiFolder f = (MapiFolder) d.store().openEntry(inbox, Flags.MAPI_MODIFY)) {
                msg = saved(f, "arrived");
            }
            ShutdownPathsTest.CountingSink sink = new ShutdownPathsTest.CountingSink();
            int c = d.store().advise(null, Flags.fnevNewMail, sink);
            Notification.NewMail n = new Notification.NewMail(msg, inbox, 0, "IPM.Note", Flags.MSGFLAG_UNMODIFIED);
            d.spoolerStore().notifyNewMail(n);
            d.clientSupport.drain();
            await(() -> !sink.received.isEmpty(), () -> "fnevNewMail");
            assertThat(sink.received).containsExactly(n);
            d.store().unadvise(c);
            d.clientSupport.drain();
            assertThat(sink.release()).isZero();
        }
    }

    @Test
    void R_MAIL_1_theSpoolersLockEndsWithItsLogon_messageStaysQueuedUnlocked(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            EntryId id = submitted(d.store(), "locked then logged off");
            try (Message m = (Message) d.spoolerStore().openEntry(id, 0)) {
                d.spoolerStore().setLockState(m, Flags.MSG_LOCKED);
            }
            d.logoffSpooler();
            try (Message m = (Message) d.store().openEntry(id, Flags.MAPI_BEST_ACCESS)) {
                assertThat(integer(m, PropTags.PR_SUBMIT_FLAGS) & Flags.SUBMITFLAG_LOCKED).isZero();
                assertThat(integer(m, PropTags.PR_MESSAGE_FLAGS) & Flags.MSGFLAG_SUBMIT).isNotZero();
            }
        }
        try (SqliteStorage s = SqliteStorage.open(dir.resolve("store.jmapi"))) {
            assertThat(s.queue()).hasSize(1);
            assertThat(s.queue().get(0).info().queue().locked()).isFalse();
        }
    }
}
