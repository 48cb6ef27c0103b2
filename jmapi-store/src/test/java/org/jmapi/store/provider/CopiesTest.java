package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.Notification;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.MessageImage;
import org.jmapi.store.Recipient;
import org.jmapi.store.SaveRequest;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * IMAPIProp::CopyTo / CopyProps (R-PROP-7), IMAPIFolder::CopyMessages and CopyFolder with their notifications
 * (R-NTF-5) and MAPI_E_OBJECT_DELETED for objects deleted while open, on the SQLite store, within one store file and
 * between two.
 */
class CopiesTest {
    private static final MapiUid PS_TEST = MapiUid.parse("00112233445566778899aabbccddeeff");

    /** A message with everything a copy must carry: small and large values, a named property, recipients, an
     *  attachment by value with large data and one with an embedded message (saved through the storage). */
    private record Source(EntryId id, byte[] body, byte[] data, int namedTag) {}

    private static Source source(Direct d, MapiFolder folder) {
        byte[] body = new byte[200_000];
        new Random(1).nextBytes(body);
        byte[] data = new byte[300_000];
        new Random(2).nextBytes(data);
        int namedId = PropTag.id(d.store().getIdsFromNames(List.of(NamedProperty.ofName(PS_TEST, "Colour")),
                Flags.MAPI_CREATE)[0]);
        int namedTag = PropTag.tag(PropType.PT_UNICODE, namedId);
        SqliteMsgStore store = (SqliteMsgStore) d.store();
        long folderId = store.ids().parse(entryId(folder, PropTags.PR_ENTRYID), StoreIds.KIND_FOLDER);
        MessageImage inner = MessageImage.builder()
                .set(PropValue.ofString(PropTags.PR_SUBJECT, "inner"))
                .set(PropValue.ofBinary(PropTags.PR_RTF_COMPRESSED, new byte[10_000]))
                .recipient(new Recipient(0, recipient("Dora", Flags.MAPI_TO))).build();
        MessageImage image = MessageImage.builder()
                .set(PropValue.ofString(PropTags.PR_SUBJECT, "original"))
                .set(PropValue.ofInt(PropTags.PR_IMPORTANCE, 2))
                .set(PropValue.ofBinary(PropTags.PR_HTML, body))
                .set(PropValue.ofString(namedTag, "blue"))
                .recipient(new Recipient(0, recipient("Alice", Flags.MAPI_TO)))
                .recipient(new Recipient(1, recipient("Bob", Flags.MAPI_CC)))
                .attachment(Attachment.of(0, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, Flags.ATTACH_BY_VALUE),
                        PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "data.bin"),
                        PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, data))))
                .attachment(Attachment.of(1, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD,
                        Flags.ATTACH_EMBEDDED_MSG))).withEmbeddedMessage(inner))
                .build();
        long id = store.storage().saveMessage(SaveRequest.create(folderId, image)).id();
        return new Source(store.ids().message(id), body, data, namedTag);
    }

    private static byte[] stream(MapiProp o, int tag) {
        try (MapiStream s = o.openProperty(tag, 0, 0)) {
            return s.asInputStream().readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> contents(MapiFolder f) {
        try (MapiTable t = f.getContentsTable(0)) {
            return subjects(t);
        }
    }

    private static List<String> names(MapiTable t, int tag) {
        t.setColumns(new int[] {tag}, 0);
        List<String> out = new ArrayList<>();
        for (Row r : t.queryRows(100, 0)) {
            out.add(r.find(tag).map(PropValue::asString).orElse(null));
        }
        return out;
    }

    /** Checks a full copy of {@link #source} in {@code m}. */
    private static void assertFullCopy(Message m, Source src, int namedTag) {
        assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo("original");
        assertThat(stream(m, PropTags.PR_HTML)).isEqualTo(src.body());
        assertThat(string(m, namedTag)).isEqualTo("blue");
        try (MapiTable r = m.getRecipientTable(0)) {
            assertThat(names(r, PropTags.PR_DISPLAY_NAME)).containsExactly("Alice", "Bob");
        }
        try (MapiTable a = m.getAttachmentTable(0)) {
            assertThat(a.getRowCount(0)).isEqualTo(2);
        }
        try (Attach a = m.openAttach(0, 0)) {
            assertThat(string(a, PropTags.PR_ATTACH_FILENAME)).isEqualTo("data.bin");
            assertThat(stream(a, PropTags.PR_ATTACH_DATA_BIN)).isEqualTo(src.data());
        }
        try (Attach a = m.openAttach(1, 0);
             Message inner = a.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0, 0)) {
            assertThat(string(inner, PropTags.PR_SUBJECT)).isEqualTo("inner");
            assertThat(stream(inner, PropTags.PR_RTF_COMPRESSED)).hasSize(10_000);
            try (MapiTable r = inner.getRecipientTable(0)) {
                assertThat(names(r, PropTags.PR_DISPLAY_NAME)).containsExactly("Dora");
            }
        }
    }

    @Test
    void R_PROP_7_copyTo_argumentRules(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            Source src = source(d, drafts);
            try (Message m = (Message) drafts.openEntry(src.id(), Flags.MAPI_MODIFY);
                 Message readOnly = (Message) drafts.openEntry(src.id(), 0);
                 Message dest = drafts.createMessage(0)) {
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.copyTo(null, null, null, dest, 0));
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.copyTo(null, null, Message.class, null, 0));
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.copyTo(null, new int[0], Message.class, dest, 0));
                assertCode(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED, () -> m.copyTo(null, null, MapiFolder.class, dest,
                        0));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> m.copyTo(null, null, Message.class, m, 0));
                assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> m.copyTo(null, null, Message.class, dest, 0x100));
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.copyProps(null, Message.class, dest, 0));
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.copyProps(new int[0], Message.class, dest, 0));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> m.copyTo(null, null, Message.class, readOnly, 0));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> readOnly.copyTo(null, null, Message.class, dest,
                        Flags.MAPI_MOVE));
                // nothing reached the destination
                assertThat(dest.getProp(PropTags.PR_SUBJECT)).isEmpty();
                try (MapiTable r = dest.getRecipientTable(0)) {
                    assertThat(r.getRowCount(0)).isZero();
                }
            }
        }
    }

    @Test
    void R_PROP_7_copyTo_messageWhole_withinOneStore_subobjectsLargeValuesNamedProperties(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID);
             MapiFolder inbox = folder(d.store(), PropTags.PR_IPM_SUBTREE_ENTRYID)) {
            Source src = source(d, drafts);
            EntryId copyId;
            try (Message m = (Message) drafts.openEntry(src.id(), 0); Message dest = drafts.createMessage(0)) {
                // exclusion by id: the type in the exclusion does not matter
                List<PropProblem> p = m.copyTo(null, new int[] {PropTag.withType(PropTags.PR_IMPORTANCE,
                        PropType.PT_STRING8)}, Message.class, dest, 0);
                assertThat(p).isEmpty();
                assertThat(dest.getProp(PropTags.PR_IMPORTANCE)).isEmpty();
                assertThat(dest.getProp(PropTags.PR_ENTRYID)).as("nothing saved yet").isEmpty();
                dest.saveChanges(Flags.KEEP_OPEN_READWRITE);
                copyId = entryId(dest, PropTags.PR_ENTRYID);
                assertThat(copyId).isNotEqualTo(src.id());
            }
            try (Message c = (Message) drafts.openEntry(copyId, 0)) {
                assertFullCopy(c, src, src.namedTag());
                assertThat(c.getProp(PropTags.PR_IMPORTANCE)).isEmpty();
            }
            try (Message m = (Message) drafts.openEntry(src.id(), 0)) {
                assertFullCopy(m, src, src.namedTag()); // the source is untouched
            }
        }
    }

    @Test
    void R_PROP_7_copyTo_exclusions_subobjectPropertiesAndInterfaces_noReplace_copyProps(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            Source src = source(d, drafts);
            try (Message m = (Message) drafts.openEntry(src.id(), 0)) {
                try (Message dest = drafts.createMessage(0)) {
                    m.copyTo(null, new int[] {PropTags.PR_MESSAGE_RECIPIENTS, PropTags.PR_MESSAGE_ATTACHMENTS},
                            Message.class, dest, 0);
                    assertThat(string(dest, PropTags.PR_SUBJECT)).isEqualTo("original");
                    try (MapiTable r = dest.getRecipientTable(0); MapiTable a = dest.getAttachmentTable(0)) {
                        assertThat(r.getRowCount(0)).isZero();
                        assertThat(a.getRowCount(0)).isZero();
                    }
                }
                try (Message dest = drafts.createMessage(0)) {
                    m.copyTo(List.of(Attach.class), null, Message.class, dest, 0);
                    try (MapiTable r = dest.getRecipientTable(0); MapiTable a = dest.getAttachmentTable(0)) {
                        assertThat(r.getRowCount(0)).isEqualTo(2);
                        assertThat(a.getRowCount(0)).isZero();
                    }
                }
                try (Message dest = drafts.createMessage(0)) {
                    // excluding MapiProp excludes every subobject interface derived from it
                    m.copyTo(List.of(MapiProp.class), null, Message.class, dest, 0);
                    try (MapiTable a = dest.getAttachmentTable(0)) {
                        assertThat(a.getRowCount(0)).isZero();
                    }
                }
                try (Message dest = drafts.createMessage(0)) {
                    // excluding Message keeps the attachments but not the embedded message
                    m.copyTo(List.of(Message.class), null, Message.class, dest, 0);
                    try (Attach a = dest.openAttach(1, 0)) {
                        assertCode(HResult.MAPI_E_NOT_FOUND, () -> a.openProperty(PropTags.PR_ATTACH_DATA_OBJ,
                                Message.class, 0, 0));
                    }
                    try (Attach a = dest.openAttach(0, 0)) {
                        assertThat(stream(a, PropTags.PR_ATTACH_DATA_BIN)).isEqualTo(src.data());
                    }
                }
                try (Message dest = drafts.createMessage(0)) {
                    dest.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "kept")));
                    dest.modifyRecipients(0, List.of(recipient("Zed", Flags.MAPI_TO)));
                    m.copyTo(null, null, Message.class, dest, Flags.MAPI_NOREPLACE);
                    assertThat(string(dest, PropTags.PR_SUBJECT)).isEqualTo("kept");
                    assertThat(integer(dest, PropTags.PR_IMPORTANCE)).isEqualTo(2);
                    try (MapiTable r = dest.getRecipientTable(0)) {
                        assertThat(names(r, PropTags.PR_DISPLAY_NAME)).containsExactly("Zed");
                    }
                }
                try (Message dest = drafts.createMessage(0)) {
                    List<PropProblem> p = m.copyProps(new int[] {PropTags.PR_SUBJECT, PropTags.PR_SENDER_NAME,
                        PropTags.PR_HTML, PropTags.PR_MESSAGE_ATTACHMENTS}, Message.class, dest, 0);
                    assertThat(p).containsExactly(new PropProblem(1, PropTags.PR_SENDER_NAME,
                            HResult.MAPI_E_NOT_FOUND));
                    assertThat(string(dest, PropTags.PR_SUBJECT)).isEqualTo("original");
                    assertThat(stream(dest, PropTags.PR_HTML)).isEqualTo(src.body());
                    assertThat(dest.getProp(PropTags.PR_IMPORTANCE)).isEmpty();
                    try (MapiTable r = dest.getRecipientTable(0); MapiTable a = dest.getAttachmentTable(0)) {
                        assertThat(r.getRowCount(0)).as("recipients were not listed").isZero();
                        assertThat(a.getRowCount(0)).isEqualTo(2);
                    }
                }
            }
        }
    }

    @Test
    void R_PROP_7_copyTo_move_theSourceLosesWhatWasCopied_atItsSave(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            Source src = source(d, drafts);
            EntryId copyId;
            try (Message m = (Message) drafts.openEntry(src.id(), Flags.MAPI_MODIFY);
                 Message dest = drafts.createMessage(0)) {
                m.copyProps(new int[] {PropTags.PR_SUBJECT, PropTags.PR_HTML, PropTags.PR_MESSAGE_RECIPIENTS},
                        Message.class, dest, Flags.MAPI_MOVE);
                dest.saveChanges(Flags.KEEP_OPEN_READWRITE);
                copyId = entryId(dest, PropTags.PR_ENTRYID);
                m.saveChanges(0);
            }
            try (Message m = (Message) drafts.openEntry(src.id(), 0); Message c = (Message) drafts.openEntry(copyId, 0)) {
                assertThat(m.getProp(PropTags.PR_SUBJECT)).isEmpty();
                assertThat(m.getProp(PropTags.PR_HTML)).isEmpty();
                assertThat(integer(m, PropTags.PR_IMPORTANCE)).isEqualTo(2);
                try (MapiTable r = m.getRecipientTable(0); MapiTable a = m.getAttachmentTable(0)) {
                    assertThat(r.getRowCount(0)).isZero();
                    assertThat(a.getRowCount(0)).isEqualTo(2);
                }
                assertThat(string(c, PropTags.PR_SUBJECT)).isEqualTo("original");
                assertThat(stream(c, PropTags.PR_HTML)).isEqualTo(src.body());
            }
        }
    }

    @Test
    void R_PROP_7_copyTo_intoAnotherStoreFile_valuesStreamed_namedPropertiesMappedByName(@TempDir Path dir)
            throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        try (Direct da = Direct.open(a); Direct db = Direct.open(b);
             MapiFolder from = folder(da.store(), PropTags.PR_IPM_DRAFTS_ENTRYID);
             MapiFolder to = folder(db.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            // store b gets another named property first, so the same name has another id there
            db.store().getIdsFromNames(List.of(NamedProperty.ofName(PS_TEST, "Other")), Flags.MAPI_CREATE);
            Source src = source(da, from);
            int namedInB = PropTag.tag(PropType.PT_UNICODE, PropTag.id(db.store().getIdsFromNames(
                    List.of(NamedProperty.ofName(PS_TEST, "Colour")), Flags.MAPI_CREATE)[0]));
            assertThat(PropTag.id(namedInB)).as("precondition: the id differs").isNotEqualTo(PropTag.id(src.namedTag()))
                    .isGreaterThanOrEqualTo(PropTag.PROP_ID_NAMED_MIN);
            EntryId copyId;
            try (Message m = (Message) from.openEntry(src.id(), 0); Message dest = to.createMessage(0)) {
                assertThat(m.copyTo(null, null, Message.class, dest, 0)).isEmpty();
                dest.saveChanges(Flags.KEEP_OPEN_READWRITE);
                copyId = entryId(dest, PropTags.PR_ENTRYID);
            }
            try (Message c = (Message) to.openEntry(copyId, 0)) {
                assertFullCopy(c, src, namedInB);
            }
        }
    }

    @Test
    void R_PROP_7_copyTo_anotherProvidersObject_declineOkDeclines_otherwiseGenericCopy(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            var s = f.logon();
            try (MsgStore store = open(s); MapiFolder drafts = folder(store, PropTags.PR_IPM_DRAFTS_ENTRYID);
                 var admin = org.jmapi.runtime.Mapi.adminProfiles(0);
                 var services = admin.adminServices(StoreFixture.PROFILE, 0);
                 var section = services.openProfileSection(f.service, Flags.MAPI_MODIFY)) {
                EntryId id = saved(drafts, "to a profile section",
                        PropValue.ofBinary(PropTags.PR_HTML, new byte[5_000]));
                try (Message m = (Message) store.openEntry(id, 0)) {
                    assertCode(HResult.MAPI_E_DECLINE_COPY, () -> m.copyProps(new int[] {PropTags.PR_SUBJECT},
                            MapiProp.class, section, Flags.MAPI_DECLINE_OK));
                    assertThat(section.getProp(PropTags.PR_SUBJECT)).isEmpty();
                    List<PropProblem> p = m.copyProps(new int[] {PropTags.PR_SUBJECT, PropTags.PR_HTML},
                            MapiProp.class, section, 0);
                    assertThat(p).isEmpty();
                    assertThat(string(section, PropTags.PR_SUBJECT)).isEqualTo("to a profile section");
                    assertThat(section.getProp(PropTags.PR_HTML).orElseThrow().asBinary()).hasSize(5_000);
                }
            }
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    @Test
    void R_PROP_7_folderCopyTo_propertiesMessagesAssociatedAndSubfolders_cycleAndSelf(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder subtree = folder(d.store(), PropTags.PR_IPM_SUBTREE_ENTRYID);
             MapiFolder a = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "A", "comment A", 0);
             MapiFolder a1 = a.createFolder(MapiFolder.FOLDER_GENERIC, "A1", null, 0);
             MapiFolder sibling = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "Sibling", null, 0);
             MapiFolder elsewhere = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "Elsewhere", null, 0);
             MapiFolder target = elsewhere.createFolder(MapiFolder.FOLDER_GENERIC, "Target", null, 0)) {
            a.setProps(List.of(PropValue.ofString(PropTags.PR_CONTAINER_CLASS, "IPF.Note")));
            saved(a, "one");
            saved(a, "two");
            try (Message fai = a.createMessage(Flags.MAPI_ASSOCIATED)) {
                fai.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "view settings")));
                fai.saveChanges(0);
            }
            saved(a1, "deep");
            try (MapiFolder sameA = (MapiFolder) d.store().openEntry(entryId(a, PropTags.PR_ENTRYID), 0)) {
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> a.copyTo(null, null, MapiFolder.class, sameA, 0));
            }
            assertCode(HResult.MAPI_E_FOLDER_CYCLE, () -> a.copyTo(null, null, MapiFolder.class, a1, 0));
            // without the hierarchy, copying into a subfolder is fine
            a.copyTo(null, new int[] {PropTags.PR_CONTAINER_HIERARCHY, PropTags.PR_DISPLAY_NAME},
                    MapiFolder.class, a1, 0);
            assertThat(contents(a1)).containsExactlyInAnyOrder("deep", "one", "two");

            // PR_DISPLAY_NAME is copied too: into a sibling of A it collides, a global error, nothing copied
            assertCode(HResult.MAPI_E_COLLISION, () -> a.copyTo(null, null, MapiFolder.class, sibling, 0));
            assertThat(string(sibling, PropTags.PR_DISPLAY_NAME)).isEqualTo("Sibling");
            assertThat(integer(sibling, PropTags.PR_CONTENT_COUNT)).isZero();

            assertThat(a.copyTo(null, null, MapiFolder.class, target, 0)).isEmpty();
            assertThat(string(target, PropTags.PR_DISPLAY_NAME)).isEqualTo("A");
            assertThat(string(target, PropTags.PR_COMMENT)).isEqualTo("comment A");
            assertThat(string(target, PropTags.PR_CONTAINER_CLASS)).isEqualTo("IPF.Note");
            try (MapiTable t = target.getContentsTable(0); MapiTable fai = target.getContentsTable(Flags.MAPI_ASSOCIATED);
                 MapiTable h = target.getHierarchyTable(0)) {
                assertThat(subjects(t)).containsExactlyInAnyOrder("one", "two");
                assertThat(subjects(fai)).containsExactly("view settings");
                assertThat(names(h, PropTags.PR_DISPLAY_NAME)).containsExactly("A1");
            }
            assertThat(integer(a, PropTags.PR_CONTENT_COUNT)).isEqualTo(2);
        }
    }

    /** Records notifications. */
    private static final class Recorder implements org.jmapi.AdviseSink {
        final List<Notification> received = new CopyOnWriteArrayList<>();

        @Override
        public int onNotify(List<Notification> notifications) {
            received.addAll(notifications);
            return 0;
        }

        List<Notification.ObjectEvent> objects(int event) {
            return received.stream().filter(n -> n instanceof Notification.ObjectEvent o && o.eventType() == event)
                    .map(n -> (Notification.ObjectEvent) n).toList();
        }
    }

    @Test
    void R_NTF_5_copyMessages_copyAndMove_newIdsKeptIds_notificationsWithOldIds_partialCompletion(
            @TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID);
             MapiFolder sent = folder(d.store(), PropTags.PR_IPM_SENTMAIL_ENTRYID);
             MapiFolder outbox = folder(d.store(), PropTags.PR_IPM_OUTBOX_ENTRYID)) {
            EntryId one = saved(drafts, "one");
            EntryId two = saved(drafts, "two");
            EntryId queued;
            try (Message q = outbox.createMessage(0)) {
                q.modifyRecipients(0, List.of(recipient("Alice", Flags.MAPI_TO)));
                q.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "queued")));
                q.saveChanges(Flags.KEEP_OPEN_READWRITE);
                queued = entryId(q, PropTags.PR_ENTRYID);
                q.submitMessage(0);
            }
            Recorder sink = new Recorder();
            int c = d.store().advise(null, Flags.fnevObjectCopied | Flags.fnevObjectMoved, sink);
            Recorder sentSink = new Recorder();
            int c2 = d.store().advise(entryId(sent, PropTags.PR_ENTRYID), Flags.fnevObjectCopied
                    | Flags.fnevObjectMoved, sentSink);

            assertThat(drafts.copyMessages(List.of(one, two), sent, 0)).isEqualTo(HResult.S_OK);
            assertThat(contents(sent)).containsExactlyInAnyOrder("one", "two");
            assertThat(contents(drafts)).containsExactlyInAnyOrder("one", "two");
            await(() -> sink.objects(Flags.fnevObjectCopied).size() == 2, () -> "two fnevObjectCopied");
            Notification.ObjectEvent copied = sink.objects(Flags.fnevObjectCopied).get(0);
            assertThat(copied.oldId()).isEqualTo(one);
            assertThat(copied.entryId()).isNotEqualTo(one);
            assertThat(copied.parentId()).isEqualTo(entryId(sent, PropTags.PR_ENTRYID));
            assertThat(copied.oldParentId()).isEqualTo(entryId(drafts, PropTags.PR_ENTRYID));
            assertThat(copied.objectType()).isEqualTo(Flags.MAPI_MESSAGE);
            try (Message m = (Message) d.store().openEntry(copied.entryId(), 0)) {
                assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo("one");
            }

            // a move keeps the id; a submitted message and one of another folder are skipped: partial completion
            assertThat(drafts.copyMessages(List.of(one, queued), sent, Flags.MESSAGE_MOVE))
                    .isEqualTo(HResult.MAPI_W_PARTIAL_COMPLETION);
            assertThat(outbox.copyMessages(List.of(queued), sent, Flags.MESSAGE_MOVE))
                    .isEqualTo(HResult.MAPI_W_PARTIAL_COMPLETION);
            await(() -> sink.objects(Flags.fnevObjectMoved).size() == 1, () -> "one fnevObjectMoved");
            Notification.ObjectEvent moved = sink.objects(Flags.fnevObjectMoved).get(0);
            assertThat(moved.entryId()).isEqualTo(one);
            assertThat(moved.oldId()).isEqualTo(one);
            assertThat(moved.oldParentId()).isEqualTo(entryId(drafts, PropTags.PR_ENTRYID));
            await(() -> sentSink.objects(Flags.fnevObjectMoved).size() == 1, () -> "the move, on the destination");
            assertThat(contents(drafts)).containsExactly("two");
            try (Message m = (Message) d.store().openEntry(one, 0)) {
                assertThat(entryId(m, PropTags.PR_PARENT_ENTRYID)).isEqualTo(entryId(sent, PropTags.PR_ENTRYID));
            }
            assertThat(integer(sent, PropTags.PR_CONTENT_COUNT)).isEqualTo(3);
            d.store().unadvise(c);
            d.store().unadvise(c2);

            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> drafts.copyMessages(null, sent, 0));
            assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> drafts.copyMessages(List.of(two), sent, 0x100));
        }
    }

    @Test
    void R_MS_9_copyMessagesIntoAReadOnlyStore_noAccess_nothingCopied(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            EntryId one = saved(drafts, "one");
            try (Direct readOnly = Direct.open(dir, 0);
                 MapiFolder target = (MapiFolder) readOnly.store().openEntry(
                         entryId(readOnly.store(), PropTags.PR_IPM_SENTMAIL_ENTRYID), 0)) {
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> drafts.copyMessages(List.of(one), target, 0));
                assertThat(integer(target, PropTags.PR_CONTENT_COUNT)).isZero();
                try (MapiFolder roDrafts = (MapiFolder) readOnly.store().openEntry(
                        entryId(readOnly.store(), PropTags.PR_IPM_DRAFTS_ENTRYID), 0)) {
                    assertCode(HResult.MAPI_E_NO_ACCESS, () -> roDrafts.copyMessages(List.of(one), drafts,
                            Flags.MESSAGE_MOVE));
                }
            }
        }
    }

    @Test
    void R_NTF_5_copyFolder_copyMoveSubfolders_collisionCycleDefaultFolders(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder subtree = folder(d.store(), PropTags.PR_IPM_SUBTREE_ENTRYID);
             MapiFolder a = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "A", null, 0);
             MapiFolder a1 = a.createFolder(MapiFolder.FOLDER_GENERIC, "A1", null, 0);
             MapiFolder b = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "B", null, 0)) {
            saved(a, "in a");
            saved(a1, "in a1");
            EntryId aId = entryId(a, PropTags.PR_ENTRYID);
            Recorder sink = new Recorder();
            int c = d.store().advise(null, Flags.fnevObjectCopied | Flags.fnevObjectMoved, sink);

            assertThat(subtree.copyFolder(aId, b, null, 0)).isEqualTo(HResult.S_OK);
            assertThat(subtree.copyFolder(aId, b, "A deep", Flags.COPY_SUBFOLDERS)).isEqualTo(HResult.S_OK);
            try (MapiTable h = b.getHierarchyTable(Flags.MAPI_UNICODE | 0x1)) {
                h.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_DEPTH, PropTags.PR_CONTENT_COUNT}, 0);
                List<String> rows = new ArrayList<>();
                for (Row r : h.queryRows(10, 0)) {
                    rows.add(r.get(PropTags.PR_DISPLAY_NAME).asString() + "/" + r.get(PropTags.PR_DEPTH).asInt() + "/"
                            + r.get(PropTags.PR_CONTENT_COUNT).asInt());
                }
                assertThat(rows).containsExactly("A/0/1", "A deep/0/1", "A1/1/1");
            }
            await(() -> sink.objects(Flags.fnevObjectCopied).size() == 2, () -> "two fnevObjectCopied");
            Notification.ObjectEvent copied = sink.objects(Flags.fnevObjectCopied).get(0);
            assertThat(copied.objectType()).isEqualTo(Flags.MAPI_FOLDER);
            assertThat(copied.oldId()).isEqualTo(aId);
            assertThat(copied.parentId()).isEqualTo(entryId(b, PropTags.PR_ENTRYID));

            assertCode(HResult.MAPI_E_COLLISION, () -> subtree.copyFolder(aId, b, "a", 0));
            assertCode(HResult.MAPI_E_FOLDER_CYCLE, () -> subtree.copyFolder(aId, a1, null, Flags.COPY_SUBFOLDERS));
            assertCode(HResult.MAPI_E_FOLDER_CYCLE, () -> subtree.copyFolder(aId, a1, null, Flags.FOLDER_MOVE));
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> b.copyFolder(aId, a1, null, 0));
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> subtree.copyFolder(entryId(d.store(),
                    PropTags.PR_IPM_OUTBOX_ENTRYID), b, null, Flags.FOLDER_MOVE));

            assertThat(subtree.copyFolder(aId, b, "A moved", Flags.FOLDER_MOVE)).isEqualTo(HResult.S_OK);
            await(() -> sink.objects(Flags.fnevObjectMoved).size() == 1, () -> "fnevObjectMoved");
            assertThat(sink.objects(Flags.fnevObjectMoved).get(0).entryId()).isEqualTo(aId);
            assertThat(string(a, PropTags.PR_DISPLAY_NAME)).isEqualTo("A moved");
            assertThat(entryId(a, PropTags.PR_PARENT_ENTRYID)).isEqualTo(entryId(b, PropTags.PR_ENTRYID));
            d.store().unadvise(c);
        }
    }

    @Test
    void copyMessagesAndCopyFolder_intoAnotherStoreFile_copiesEverything_moveRemovesTheOriginals(
            @TempDir Path dir) throws IOException {
        Path pa = Files.createDirectories(dir.resolve("a"));
        Path pb = Files.createDirectories(dir.resolve("b"));
        try (Direct da = Direct.open(pa); Direct db = Direct.open(pb);
             MapiFolder drafts = folder(da.store(), PropTags.PR_IPM_DRAFTS_ENTRYID);
             MapiFolder subtree = folder(da.store(), PropTags.PR_IPM_SUBTREE_ENTRYID);
             MapiFolder target = folder(db.store(), PropTags.PR_IPM_SUBTREE_ENTRYID)) {
            Source src = source(da, drafts);
            try (MapiFolder inB = target.createFolder(MapiFolder.FOLDER_GENERIC, "Copies", null, 0)) {
                assertThat(drafts.copyMessages(List.of(src.id()), inB, Flags.MESSAGE_MOVE)).isEqualTo(HResult.S_OK);
                assertThat(integer(drafts, PropTags.PR_CONTENT_COUNT)).isZero();
                try (MapiTable t = inB.getContentsTable(0)) {
                    t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
                    EntryId copy = EntryId.of(t.queryRows(1, 0).get(0).get(PropTags.PR_ENTRYID).asBinary());
                    try (Message m = (Message) db.store().openEntry(copy, 0)) {
                        int namedInB = PropTag.tag(PropType.PT_UNICODE, PropTag.id(db.store().getIdsFromNames(
                                List.of(NamedProperty.ofName(PS_TEST, "Colour")), 0)[0]));
                        assertFullCopy(m, src, namedInB);
                    }
                }
            }
            try (MapiFolder x = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "X", "x comment", 0);
                 MapiFolder x1 = x.createFolder(MapiFolder.FOLDER_GENERIC, "X1", null, 0)) {
                saved(x, "x msg");
                saved(x1, "x1 msg");
                EntryId xId = entryId(x, PropTags.PR_ENTRYID);
                assertThat(subtree.copyFolder(xId, target, null, Flags.COPY_SUBFOLDERS)).isEqualTo(HResult.S_OK);
                assertThat(subtree.copyFolder(xId, target, "X moved", Flags.FOLDER_MOVE)).isEqualTo(HResult.S_OK);
                assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> x.getContentsTable(0));
            }
            try (MapiTable h = target.getHierarchyTable(0x1)) {
                h.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_CONTENT_COUNT, PropTags.PR_COMMENT}, 0);
                List<String> rows = new ArrayList<>();
                for (Row r : h.queryRows(20, 0)) {
                    rows.add(r.get(PropTags.PR_DISPLAY_NAME).asString() + "/" + r.get(PropTags.PR_CONTENT_COUNT).asInt()
                            + "/" + r.find(PropTags.PR_COMMENT).map(PropValue::asString).orElse("-"));
                }
                assertThat(rows).contains("Copies/1/-", "X/1/x comment", "X1/1/-", "X moved/1/x comment");
            }
        }
    }

    @Test
    void R_INV_3_objectsDeletedWhileOpen_objectDeleted(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder subtree = folder(d.store(), PropTags.PR_IPM_SUBTREE_ENTRYID);
             MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            EntryId id = saved(drafts, "doomed", PropValue.ofBinary(PropTags.PR_HTML, new byte[100_000]));
            MapiFolder gone = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "Gone", null, 0);
            try (Message m = (Message) drafts.openEntry(id, 0); MapiStream s = m.openProperty(PropTags.PR_HTML, 0, 0)) {
                byte[] piece = new byte[10];
                assertThat(s.read(piece, 0, 10)).isEqualTo(10);
                assertThat(drafts.deleteMessages(List.of(id), 0)).isEqualTo(HResult.S_OK);
                s.seek(50_000, Flags.STREAM_SEEK_SET);
                assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> s.read(piece, 0, 10));
            }
            subtree.deleteFolder(entryId(gone, PropTags.PR_ENTRYID), 0);
            assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> gone.copyMessages(List.of(id), drafts, 0));
            assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> drafts.copyMessages(List.of(id), gone, 0));
            assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> gone.openProperty(PropTags.PR_DISPLAY_NAME, 0, 0));
            gone.release();
        }
    }
}
