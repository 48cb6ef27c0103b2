package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiUid;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.spi.BaseMsgStore;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * The store object, folders, messages, recipients and attachments (spec &sect;9.2, &sect;9.4, R-PROP-1..5,
 * R-FM-1..4, R-RF-1), on the provider directly.
 */
class StoreObjectsTest {
    private static final MapiUid PS_TEST = MapiUid.parse("00112233445566778899aabbccddeeff");

    // ---- the store ----------------------------------------------------------------------------------------

    @Test
    void store_computedProperties_defaultFolders_supportMask(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            MsgStore store = d.store();
            assertThat(integer(store, PropTags.PR_OBJECT_TYPE)).isEqualTo(Flags.MAPI_STORE);
            int mask = integer(store, PropTags.PR_STORE_SUPPORT_MASK);
            assertThat(mask).as("STORE_MODIFY_OK | STORE_CREATE_OK | STORE_NOTIFY_OK | STORE_SUBMIT_OK")
                    .matches(x -> (x & 0x8) != 0 && (x & 0x10) != 0 && (x & 0x100) != 0 && (x & 0x80) != 0);
            assertThat(store.getProp(PropTags.PR_MDB_PROVIDER).orElseThrow().asBinary())
                    .isEqualTo(SqliteStoreService.MDB_PROVIDER);
            assertThat(integer(store, PropTags.PR_VALID_FOLDER_MASK)).isEqualTo(0x1F);
            List<String> names = new ArrayList<>();
            for (int tag : new int[] {PropTags.PR_IPM_SUBTREE_ENTRYID, PropTags.PR_IPM_OUTBOX_ENTRYID,
                PropTags.PR_IPM_SENTMAIL_ENTRYID, PropTags.PR_IPM_WASTEBASKET_ENTRYID, PropTags.PR_IPM_DRAFTS_ENTRYID}) {
                try (MapiFolder f = (MapiFolder) store.openEntry(entryId(store, tag), 0)) {
                    names.add(string(f, PropTags.PR_DISPLAY_NAME));
                }
            }
            assertThat(names).containsExactly("Top of Information Store", "Outbox", "Sent Items", "Deleted Items",
                    "Drafts");
            try (MapiFolder root = (MapiFolder) store.openEntry(null, 0)) {
                assertThat(integer(root, PropTags.PR_FOLDER_TYPE)).isZero();
                try (MapiFolder subtree = folder(store, PropTags.PR_IPM_SUBTREE_ENTRYID);
                     MapiTable h = subtree.getHierarchyTable(0)) {
                    h.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_DEPTH}, 0);
                    assertThat(h.queryRows(10, 0)).extracting(r -> r.get(PropTags.PR_DISPLAY_NAME).asString())
                            .containsExactly("Inbox", "Outbox", "Sent Items", "Deleted Items", "Drafts");
                }
                try (MapiTable deep = root.getHierarchyTable(SqliteFolder.CONVENIENT_DEPTH)) {
                    deep.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_DEPTH}, 0);
                    List<Row> rows = deep.queryRows(10, 0);
                    assertThat(rows).hasSize(6);
                    assertThat(rows.get(0).get(PropTags.PR_DEPTH).asInt()).isZero();
                    assertThat(rows.get(1).get(PropTags.PR_DEPTH).asInt()).isEqualTo(1);
                }
            }
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> {
                try (MapiFolder subtree = folder(store, PropTags.PR_IPM_SUBTREE_ENTRYID)) {
                    subtree.deleteFolder(entryId(store, PropTags.PR_IPM_OUTBOX_ENTRYID), MapiFolder.DEL_MESSAGES
                            | MapiFolder.DEL_FOLDERS);
                }
            });
        }
    }

    @Test
    void R_PROP_2_storeSetProps_storedAtOnce_computedRefused_seenByAnotherLogon(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            List<PropProblem> problems = d.store().setProps(List.of(
                    PropValue.ofString(PropTags.PR_COMMENT, "my mail"),
                    PropValue.ofInt(PropTags.PR_OBJECT_TYPE, 99),
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Renamed")));
            assertThat(problems).singleElement().satisfies(p -> {
                assertThat(p.index()).isEqualTo(1);
                assertThat(p.scode()).isEqualTo(HResult.MAPI_E_COMPUTED);
            });
            assertThat(string(d.spoolerStore(), PropTags.PR_COMMENT)).isEqualTo("my mail");
            assertThat(string(d.spoolerStore(), PropTags.PR_DISPLAY_NAME)).isEqualTo("Renamed");
            assertThat(d.store().getProps(null, 0).values()).noneMatch(v -> PropTag.isSecure(v.tag()));
            assertThat(d.store().setProps(List.of(PropValue.of(StoreLayout.PR_LAYOUT_IDS, List.of(1L, 2L, 3L,
                    4L, 5L, 6L))))).singleElement().satisfies(p -> assertThat(p.scode())
                    .isEqualTo(HResult.MAPI_E_NO_ACCESS));
            assertThat(d.store().deleteProps(new int[] {PropTags.PR_COMMENT})).isEmpty();
            assertThat(d.spoolerStore().getProp(PropTags.PR_COMMENT)).isEmpty();
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> d.store().setProps(List.of()));
        }
    }

    /**
     * R-SLT-4 across processes: a message the spooler's logon creates (a received message being written) is an
     * INBOUND record of the store while its object lives, seen by every logon through PR_TRANSPORT_ACTIVITY; a
     * client's new message is not; the property cannot be set.
     */
    @Test
    void R_SLT_4_transportActivity_inboundWhileTheSpoolersNewMessageLives(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            MsgStore store = d.store();
            assertThat(activity(store)).isZero();
            assertThat(store.getProps(null, 0).values()).as("secure: only by tag")
                    .noneMatch(v -> v.id() == (BaseMsgStore.PR_TRANSPORT_ACTIVITY >>> 16));
            EntryId inboxId = store.getReceiveFolder("IPM.Note", 0).folderId();
            try (MapiFolder inbox = (MapiFolder) store.openEntry(inboxId, Flags.MAPI_MODIFY);
                 Message draft = inbox.createMessage(0)) {
                assertThat(activity(store)).as("a client's new message").isZero();
            }
            try (MapiFolder inbox = (MapiFolder) d.spoolerStore().openEntry(inboxId, Flags.MAPI_MODIFY)) {
                Message received = inbox.createMessage(0);
                assertThat(activity(store)).isEqualTo(Flags.LOGOFF_INBOUND);
                received.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "arriving")));
                received.saveChanges(Flags.KEEP_OPEN_READWRITE);
                assertThat(activity(d.spoolerStore())).as("until the object goes").isEqualTo(Flags.LOGOFF_INBOUND);
                received.release();
                assertThat(activity(store)).isZero();
            }
            assertThat(store.setProps(List.of(PropValue.ofInt(BaseMsgStore.PR_TRANSPORT_ACTIVITY, 0))))
                    .singleElement().satisfies(p -> assertThat(p.scode()).isEqualTo(HResult.MAPI_E_NO_ACCESS));
        }
    }

    private static int activity(MsgStore store) {
        return store.getProp(BaseMsgStore.PR_TRANSPORT_ACTIVITY).orElseThrow().asInt();
    }

    @Test
    void R_RF_1_receiveFolders_classThenBaseClassesThenDefault(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            MsgStore store = d.store();
            MsgStore.ReceiveFolder def = store.getReceiveFolder(null, 0);
            assertThat(def.explicitClass()).isEmpty();
            try (MapiFolder inbox = (MapiFolder) store.openEntry(def.folderId(), 0)) {
                assertThat(string(inbox, PropTags.PR_DISPLAY_NAME)).isEqualTo("Inbox");
            }
            EntryId reports;
            try (MapiFolder subtree = folder(store, PropTags.PR_IPM_SUBTREE_ENTRYID);
                 MapiFolder r = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "Reports", null, 0)) {
                reports = entryId(r, PropTags.PR_ENTRYID);
            }
            store.setReceiveFolder("Report.IPM", 0, reports);
            assertThat(store.getReceiveFolder("Report.IPM.Note.NDR", 0)).satisfies(rf -> {
                assertThat(store.compareEntryIds(rf.folderId(), reports, 0)).isTrue();
                assertThat(rf.explicitClass()).isEqualToIgnoringCase("Report.IPM");
            });
            assertThat(store.getReceiveFolder("IPM.Note", 0).explicitClass()).isEmpty();
            assertThat(store.compareEntryIds(store.getReceiveFolder("", 0).folderId(), def.folderId(), 0)).isTrue();

            assertCode(HResult.MAPI_E_INVALID_ENTRYID, () -> store.setReceiveFolder("IPM.Other", 0,
                    new StoreIds(MapiUid.random()).folder(3)));
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> store.setReceiveFolder("IPM.Other", 0,
                    ((SqliteMsgStore) store).ids().folder(999_999)));
            assertThat(store.getReceiveFolder("IPM.Other", 0).explicitClass()).as("a failed call changes nothing")
                    .isEmpty();

            store.setReceiveFolder("Report.IPM", 0, null);
            assertThat(store.getReceiveFolder("Report.IPM.Note.NDR", 0).explicitClass()).isEmpty();
            store.setReceiveFolder("Never.Set", 0, null);
            store.setReceiveFolder("", 0, reports);
            assertThat(store.compareEntryIds(store.getReceiveFolder("X", 0).folderId(), reports, 0)).isTrue();
            store.setReceiveFolder("", 0, null);
            assertThat(store.compareEntryIds(store.getReceiveFolder("X", 0).folderId(), def.folderId(), 0))
                    .as("the default receive folder always exists").isTrue();
        }
    }

    // ---- folders ------------------------------------------------------------------------------------------

    @Test
    void R_FM_2_createFolder_collision_openIfExists_deleteFolderRules(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder inbox = folder(d.store(), PropTags.PR_IPM_SUBTREE_ENTRYID)) {
            EntryId projects;
            try (MapiFolder p = inbox.createFolder(MapiFolder.FOLDER_GENERIC, "Projects", "work", 0)) {
                projects = entryId(p, PropTags.PR_ENTRYID);
                assertThat(string(p, PropTags.PR_COMMENT)).isEqualTo("work");
                saved(p, "inside");
                p.createFolder(MapiFolder.FOLDER_GENERIC, "Sub", null, 0).release();
            }
            assertCode(HResult.MAPI_E_COLLISION, () -> inbox.createFolder(MapiFolder.FOLDER_GENERIC, "PROJECTS", null, 0));
            try (MapiFolder again = inbox.createFolder(MapiFolder.FOLDER_GENERIC, "projects", null,
                    MapiFolder.OPEN_IF_EXISTS)) {
                assertThat(d.store().compareEntryIds(entryId(again, PropTags.PR_ENTRYID), projects, 0)).isTrue();
            }
            assertCode(HResult.MAPI_E_NO_SUPPORT, () -> inbox.createFolder(MapiFolder.FOLDER_SEARCH, "s", null, 0));
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> inbox.createFolder(MapiFolder.FOLDER_GENERIC, " ", null,
                    0));

            assertCode(HResult.MAPI_E_HAS_FOLDERS, () -> inbox.deleteFolder(projects, MapiFolder.DEL_MESSAGES));
            assertCode(HResult.MAPI_E_HAS_MESSAGES, () -> inbox.deleteFolder(projects, MapiFolder.DEL_FOLDERS));
            MapiFolder open = (MapiFolder) d.store().openEntry(projects, 0);
            inbox.deleteFolder(projects, MapiFolder.DEL_FOLDERS | MapiFolder.DEL_MESSAGES);
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> d.store().openEntry(projects, 0));
            assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> open.getProps(null, 0));
            open.release();
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> inbox.deleteFolder(projects, 0));
        }
    }

    @Test
    void folderProperties_renameAndComment_commitAtOnce_countsComputed(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder subtree = folder(d.store(), PropTags.PR_IPM_SUBTREE_ENTRYID);
             MapiFolder f = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "Old", null, 0)) {
            List<PropProblem> problems = f.setProps(List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "New"),
                    PropValue.ofInt(PropTags.PR_CONTENT_COUNT, 7),
                    PropValue.ofString(PropTags.PR_CONTAINER_CLASS, "IPF.Note")));
            assertThat(problems).singleElement().satisfies(p -> assertThat(p.scode()).isEqualTo(HResult.MAPI_E_COMPUTED));
            try (MapiFolder same = (MapiFolder) d.spoolerStore().openEntry(entryId(f, PropTags.PR_ENTRYID), 0)) {
                assertThat(string(same, PropTags.PR_DISPLAY_NAME)).isEqualTo("New");
                assertThat(string(same, PropTags.PR_CONTAINER_CLASS)).isEqualTo("IPF.Note");
            }
            assertCode(HResult.MAPI_E_COLLISION,
                    () -> f.setProps(List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Inbox"))));
            saved(f, "one");
            saved(f, "two");
            assertThat(integer(f, PropTags.PR_CONTENT_COUNT)).isEqualTo(2);
            assertThat(integer(f, PropTags.PR_CONTENT_UNREAD)).isEqualTo(2);
            try (MapiTable t = f.getContentsTable(0)) {
                t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
                EntryId first = EntryId.of(t.queryRows(1, 0).get(0).get(PropTags.PR_ENTRYID).asBinary());
                try (Message m = (Message) f.openEntry(first, 0)) {
                    m.setReadFlag(0);
                }
            }
            assertThat(integer(f, PropTags.PR_CONTENT_UNREAD)).isEqualTo(1);
            assertThat(f.getProp(PropTags.PR_SUBFOLDERS).orElseThrow().asBoolean()).isFalse();
            assertThat(f.deleteProps(new int[] {PropTags.PR_DISPLAY_NAME})).singleElement()
                    .satisfies(p -> assertThat(p.scode()).isEqualTo(HResult.MAPI_E_NO_ACCESS));
        }
    }

    @Test
    void R_FM_2_deleteMessages_skipsSubmittedOpenForWritingAndMissing_partialCompletion(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder outbox = folder(d.store(), PropTags.PR_IPM_OUTBOX_ENTRYID)) {
            EntryId plain = saved(outbox, "plain");
            EntryId other = saved(outbox, "other");
            Message submitted = outbox.createMessage(0);
            submitted.modifyRecipients(0, List.of(recipient("Alice", Flags.MAPI_TO)));
            submitted.saveChanges(Flags.KEEP_OPEN_READWRITE);
            EntryId queued = entryId(submitted, PropTags.PR_ENTRYID);
            submitted.submitMessage(0);
            submitted.release();
            Message writing = (Message) outbox.openEntry(other, Flags.MAPI_MODIFY);
            EntryId missing = ((SqliteMsgStore) d.store()).ids().message(987_654);

            assertThat(outbox.deleteMessages(List.of(plain, queued, other, missing), 0))
                    .isEqualTo(HResult.MAPI_W_PARTIAL_COMPLETION);
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> outbox.openEntry(plain, 0));
            outbox.openEntry(queued, 0).release();
            writing.release();
            assertThat(outbox.deleteMessages(List.of(other), 0)).isEqualTo(HResult.S_OK);
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> outbox.openEntry(other, 0));
        }
    }

    // ---- messages -----------------------------------------------------------------------------------------

    @Test
    void R_FM_1_newMessage_hasNoEntryIdOrRowBeforeSaveChanges(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID);
             MapiTable contents = drafts.getContentsTable(0); Message m = drafts.createMessage(0)) {
            m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "draft")));
            assertThat(m.getProp(PropTags.PR_ENTRYID)).isEmpty();
            assertThat(contents.getRowCount(0)).isZero();
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            assertThat(m.getProp(PropTags.PR_ENTRYID)).isPresent();
            assertThat(contents.getRowCount(0)).isEqualTo(1);
            assertThat(integer(m, PropTags.PR_OBJECT_TYPE)).isEqualTo(Flags.MAPI_MESSAGE);
            assertThat(d.store().compareEntryIds(entryId(m, PropTags.PR_PARENT_ENTRYID),
                    entryId(drafts, PropTags.PR_ENTRYID), 0)).isTrue();
        }
    }

    @Test
    void R_PROP_5_transacted_keepOpenFlags_objectChanged_forceSave_objectDeleted(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            EntryId id = saved(drafts, "v1");
            Message a = (Message) drafts.openEntry(id, Flags.MAPI_MODIFY);
            Message b = (Message) drafts.openEntry(id, Flags.MAPI_MODIFY);
            a.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "from a")));
            try (Message reader = (Message) drafts.openEntry(id, 0)) {
                assertThat(string(reader, PropTags.PR_SUBJECT)).as("nothing before SaveChanges").isEqualTo("v1");
            }
            a.saveChanges(Flags.KEEP_OPEN_READWRITE);
            b.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "from b")));
            assertCode(HResult.MAPI_E_OBJECT_CHANGED, () -> b.saveChanges(Flags.KEEP_OPEN_READWRITE));
            assertThat(string(b, PropTags.PR_SUBJECT)).as("a failed save keeps the object open").isEqualTo("from b");
            b.saveChanges(Flags.KEEP_OPEN_READWRITE | Flags.FORCE_SAVE);
            try (Message reader = (Message) drafts.openEntry(id, 0)) {
                assertThat(string(reader, PropTags.PR_SUBJECT)).isEqualTo("from b");
            }
            b.saveChanges(Flags.KEEP_OPEN_READONLY);
            assertCode(HResult.MAPI_E_NO_ACCESS,
                    () -> b.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "refused"))));
            assertThat(drafts.deleteMessages(List.of(id), 0)).as("a is open for writing")
                    .isEqualTo(HResult.MAPI_W_PARTIAL_COMPLETION);
            a.release();
            assertThat(drafts.deleteMessages(List.of(id), 0)).isEqualTo(HResult.S_OK);
            b.release();
            // A message deleted while open: its save fails with MAPI_E_OBJECT_DELETED, also with FORCE_SAVE.
            EntryId doomed = saved(drafts, "doomed");
            Message open = (Message) drafts.openEntry(doomed, Flags.MAPI_MODIFY);
            open.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "too late")));
            try (MapiFolder viaSpooler = (MapiFolder) d.spoolerStore().openEntry(entryId(drafts, PropTags.PR_ENTRYID),
                    Flags.MAPI_MODIFY)) {
                // deleteMessages refuses messages open for writing through the same instance, so delete through the
                // storage, as another process would.
                ((SqliteMsgStore) d.store()).storage().deleteMessage(
                        ((SqliteMsgStore) d.store()).ids().parse(doomed, StoreIds.KIND_MESSAGE));
                assertThat(viaSpooler.getProp(PropTags.PR_CONTENT_COUNT).orElseThrow().asInt()).isZero();
            }
            assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> open.saveChanges(Flags.KEEP_OPEN_READWRITE));
            assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> open.saveChanges(Flags.FORCE_SAVE));
            assertThat(string(open, PropTags.PR_SUBJECT)).isEqualTo("too late");
            open.release();
        }
    }

    @Test
    void R_PROP_1_largeValues_readOnDemand_tooLargeIsNotEnoughMemory(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            String medium = "m".repeat(100_000);
            byte[] huge = new byte[(int) WorkingProps.LIMIT + 1];
            huge[huge.length - 1] = 7;
            EntryId id = saved(drafts, "large", PropValue.ofString(PropTags.PR_BODY, medium),
                    PropValue.ofBinary(PropTags.PR_RTF_COMPRESSED, huge));
            try (Message m = (Message) drafts.openEntry(id, Flags.MAPI_MODIFY)) {
                PropValues v = m.getProps(new int[] {PropTags.PR_BODY, PropTags.PR_RTF_COMPRESSED,
                    PropTags.PR_SUBJECT}, 0);
                assertThat(v.hresult()).isEqualTo(HResult.MAPI_W_ERRORS_RETURNED);
                assertThat(v.values().get(0).asString()).isEqualTo(medium);
                assertThat(v.values().get(1).isError()).isTrue();
                assertThat(v.values().get(1).errorCode()).isEqualTo(HResult.MAPI_E_NOT_ENOUGH_MEMORY);
                assertThat(v.values().get(1).id()).isEqualTo(PropTag.id(PropTags.PR_RTF_COMPRESSED));
                assertThat(m.getPropList(0)).contains(PropTags.PR_BODY, PropTags.PR_RTF_COMPRESSED);
                // Untouched large values are kept by reference through a save; a deleted one is gone.
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "changed")));
                assertThat(m.deleteProps(new int[] {PropTags.PR_RTF_COMPRESSED})).isEmpty();
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            }
            try (Message m = (Message) drafts.openEntry(id, 0)) {
                assertThat(string(m, PropTags.PR_BODY)).isEqualTo(medium);
                assertThat(m.getProp(PropTags.PR_RTF_COMPRESSED)).isEmpty();
                assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo("changed");
            }
        }
    }

    @Test
    void R_FM_3_modifyRecipients_allModes_rowIds_callerListUntouched(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID);
             Message m = drafts.createMessage(0)) {
            List<List<PropValue>> input = new ArrayList<>(List.of(recipient("Alice", Flags.MAPI_TO),
                    recipient("Bob", Flags.MAPI_CC)));
            List<List<PropValue>> copy = List.copyOf(input);
            m.modifyRecipients(0, input);
            assertThat(input).isEqualTo(copy);
            m.modifyRecipients(Flags.MODRECIP_ADD, List.of(recipient("Carol", Flags.MAPI_BCC)));
            assertThat(string(m, PropTags.PR_DISPLAY_TO)).isEqualTo("Alice");
            assertThat(string(m, PropTags.PR_DISPLAY_BCC)).isEqualTo("Carol");
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.modifyRecipients(Flags.MODRECIP_ADD, List.of(
                    List.of(PropValue.ofInt(PropTags.PR_ROWID, 0), PropValue.ofString(PropTags.PR_DISPLAY_NAME, "x")))));
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.modifyRecipients(Flags.MODRECIP_ADD, List.of(
                    List.of(PropValue.of(PropTag.tag(PropType.PT_NULL, 0x3001), null)))));
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> m.modifyRecipients(Flags.MODRECIP_REMOVE, List.of(
                    List.of(PropValue.ofInt(PropTags.PR_ROWID, 99)))));
            // MODIFY replaces the whole row: PR_EMAIL_ADDRESS not supplied is gone; PT_ERROR values are ignored.
            m.modifyRecipients(Flags.MODRECIP_MODIFY, List.of(List.of(PropValue.ofInt(PropTags.PR_ROWID, 1),
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Robert"),
                    PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_TO),
                    PropValue.error(PropTags.PR_ADDRTYPE, HResult.MAPI_E_NOT_FOUND))));
            m.modifyRecipients(Flags.MODRECIP_REMOVE, List.of(List.of(PropValue.ofInt(PropTags.PR_ROWID, 0))));
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            try (Message again = (Message) drafts.openEntry(entryId(m, PropTags.PR_ENTRYID), 0);
                 MapiTable t = again.getRecipientTable(0)) {
                t.setColumns(new int[] {PropTags.PR_ROWID, PropTags.PR_DISPLAY_NAME, PropTags.PR_EMAIL_ADDRESS,
                    PropTags.PR_ADDRTYPE}, 0);
                List<Row> rows = t.queryRows(10, 0);
                assertThat(rows).extracting(r -> r.get(PropTags.PR_ROWID).asInt()).containsExactly(1, 2);
                assertThat(rows.get(0).get(PropTags.PR_DISPLAY_NAME).asString()).isEqualTo("Robert");
                assertThat(rows.get(0).find(PropTags.PR_EMAIL_ADDRESS)).isEmpty();
                assertThat(rows.get(0).find(PropTags.PR_ADDRTYPE)).isEmpty();
                assertThat(string(again, PropTags.PR_DISPLAY_TO)).isEqualTo("Robert");
            }
        }
    }

    @Test
    void R_FM_4_attachments_visibleAfterBothSaves_numbersUnique_deletePermanentWithTheMessage(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            EntryId id = saved(drafts, "with attachments");
            try (Message m = (Message) drafts.openEntry(id, Flags.MAPI_MODIFY)) {
                Attach a0 = m.createAttach(0);
                Attach a1 = m.createAttach(0);
                assertThat(integer(a0, PropTags.PR_ATTACH_NUM)).isNotEqualTo(integer(a1, PropTags.PR_ATTACH_NUM));
                a0.setProps(List.of(PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "a.txt"),
                        PropValue.ofInt(PropTags.PR_ATTACH_METHOD, 1)));
                assertThat(m.getAttachmentTable(0).getRowCount(0)).as("not before the attachment's save").isZero();
                a0.saveChanges(Flags.KEEP_OPEN_READWRITE);
                a1.release(); // never saved: never part of the message
                a0.release();
                try (MapiTable t = m.getAttachmentTable(0)) {
                    assertThat(t.getRowCount(0)).isEqualTo(1);
                }
                try (Message other = (Message) drafts.openEntry(id, 0)) {
                    assertThat(other.getAttachmentTable(0).getRowCount(0)).as("not before the message's save")
                            .isZero();
                }
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                assertThat(m.getProp(PropTags.PR_HASATTACH).orElseThrow().asBoolean()).isTrue();
            }
            try (Message m = (Message) drafts.openEntry(id, Flags.MAPI_MODIFY)) {
                assertThat(integer(m, PropTags.PR_MESSAGE_FLAGS) & Flags.MSGFLAG_HASATTACH).isNotZero();
                try (Attach a = m.openAttach(0, 0)) {
                    assertThat(string(a, PropTags.PR_ATTACH_FILENAME)).isEqualTo("a.txt");
                    assertCode(HResult.MAPI_E_NO_ACCESS, () -> a.setProps(List.of(
                            PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "b.txt"))));
                }
                assertCode(HResult.MAPI_E_NOT_FOUND, () -> m.openAttach(1, 0));
                try (Attach next = m.createAttach(0)) {
                    assertThat(integer(next, PropTags.PR_ATTACH_NUM)).as("unique within the message").isEqualTo(1);
                }
                m.deleteAttach(0, 0);
                try (Message other = (Message) drafts.openEntry(id, 0)) {
                    assertThat(other.getAttachmentTable(0).getRowCount(0)).isEqualTo(1);
                }
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            }
            try (Message m = (Message) drafts.openEntry(id, 0)) {
                assertThat(m.getAttachmentTable(0).getRowCount(0)).isZero();
                assertThat(m.getProp(PropTags.PR_HASATTACH).orElseThrow().asBoolean()).isFalse();
            }
        }
    }

    @Test
    void namedProperties_createdOnDemand_sameIdEverywhere_namesBack(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID);
             Message m = drafts.createMessage(0)) {
            NamedProperty color = NamedProperty.ofName(PS_TEST, "color");
            NamedProperty size = NamedProperty.ofId(PS_TEST, 0x8001);
            int[] none = m.getIdsFromNames(List.of(color), 0);
            assertThat(PropTag.id(none[0])).isEqualTo(PropTag.PROP_ID_INVALID);
            int[] ids = m.getIdsFromNames(List.of(color, size), Flags.MAPI_CREATE);
            assertThat(PropTag.id(ids[0])).isGreaterThanOrEqualTo(PropTag.PROP_ID_NAMED_MIN);
            assertThat(ids[1]).isNotEqualTo(ids[0]);
            assertThat(d.spoolerStore().getIdsFromNames(List.of(size, color), 0)).containsExactly(ids[1], ids[0]);
            assertThat(d.store().getNamesFromIds(new int[] {ids[0], ids[1], PropTag.tag(PropType.PT_LONG, 0x9999)}))
                    .containsExactly(color, size, null);
            m.setProps(List.of(PropValue.ofString(PropTag.withType(ids[0], PropType.PT_UNICODE), "red")));
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            assertThat(m.getProp(PropTag.withType(ids[0], PropType.PT_UNICODE)).orElseThrow().asString())
                    .isEqualTo("red");
        }
        try (Direct d = Direct.open(dir, 0)) {
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> d.store().getIdsFromNames(
                    List.of(NamedProperty.ofName(PS_TEST, "new")), Flags.MAPI_CREATE));
            assertThat(PropTag.id(d.store().getIdsFromNames(List.of(NamedProperty.ofName(PS_TEST, "color")), 0)[0]))
                    .as("persisted in the file").isGreaterThanOrEqualTo(PropTag.PROP_ID_NAMED_MIN);
        }
    }
}
