package org.jmapi.store.provider;

import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MsLogonResult;
import org.jmapi.store.sqlite.SqliteStorage;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * The store provider's logons (spec &sect;6.2, R-MS-1..9) and its entry ids (R-UID-3/6/9), through the runtime
 * where the rule is about MAPI's view, on the provider directly where it is about what the provider returns.
 */
class ProviderLogonTest {

    @Test
    void R_MS_6_firstOpen_publishesIdsInItsSection_registersTheStoreUid_addsAStatusRow(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            MapiUid storeUid;
            try (SqliteStorage s = SqliteStorage.open(f.storeFile)) {
                storeUid = s.identity().storeUid();
            }
            MapiSession s = f.logon();
            MsgStore store = open(s);
            assertThat(store.getProp(PropTags.PR_RECORD_KEY).orElseThrow().asBinary()).isEqualTo(storeUid.toBytes());
            try (MapiTable stores = s.getMsgStoresTable(0)) {
                stores.setColumns(new int[] {PropTags.PR_RECORD_KEY, PropTags.PR_DEFAULT_STORE}, 0);
                Row row = stores.queryRows(1, 0).get(0);
                assertThat(row.get(PropTags.PR_RECORD_KEY).asBinary()).isEqualTo(storeUid.toBytes());
                assertThat(row.get(PropTags.PR_DEFAULT_STORE).asBoolean()).isTrue();
            }
            assertThat(f.trace.briefs()).contains("IMAPISupport::SetProviderUID call " + f.trace.events().stream()
                    .filter(e -> e.call().equals("IMSProvider::Logon")).findFirst().orElseThrow().object()
                    + " 0x00000000");
            // R-UID-3: the session routes this store's folder ids to the logon by the registered UID.
            EntryId inbox = store.getReceiveFolder(null, 0).folderId();
            assertThat(inbox.providerUid()).isEqualTo(storeUid);
            try (MapiFolder folder = (MapiFolder) s.openEntry(inbox, 0)) {
                assertThat(string(folder, PropTags.PR_DISPLAY_NAME)).isEqualTo("Inbox");
            }
            try (MapiTable status = s.getStatusTable(0)) {
                status.setColumns(new int[] {PropTags.PR_RESOURCE_TYPE, PropTags.PR_STATUS_CODE,
                    PropTags.PR_ENTRYID}, 0);
                List<Row> rows = status.queryRows(100, 0).stream()
                        .filter(r -> r.get(PropTags.PR_RESOURCE_TYPE).asInt() == Flags.MAPI_STORE_PROVIDER).toList();
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0).get(PropTags.PR_STATUS_CODE).asInt()).isEqualTo(Flags.STATUS_AVAILABLE);
                try (MapiStatus st = (MapiStatus) s.openEntry(EntryId.of(rows.get(0).get(PropTags.PR_ENTRYID)
                        .asBinary()), 0)) {
                    st.validateState(0, 0);
                    assertCode(HResult.MAPI_E_NO_SUPPORT, () -> st.flushQueues(0, null, Flags.FLUSH_UPLOAD));
                    assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> st.validateState(0, 0x4000_0000));
                    assertThat(integer(st, PropTags.PR_OBJECT_TYPE)).isEqualTo(Flags.MAPI_STATUS);
                }
            }
            store.release();
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    @Test
    void R_MS_3_reopenInTheSameSession_returnsTheSameStore_noSecondRegistration(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            MapiSession s = f.logon();
            MsgStore first = f.openAndAwaitSpooler(s).store();
            long m = f.mark();
            MsgStore second = open(s);
            assertThat(second).isSameAs(first);
            assertThat(f.briefsSince(m)).noneMatch(b -> b.startsWith("IMAPISupport::SetProviderUID")
                    || b.startsWith("IMAPISupport::ModifyStatusRow"));
            second.release();
            assertThat(string(first, PropTags.PR_DISPLAY_NAME)).isEqualTo("personal");
            first.release();
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    @Test
    void R_MS_1_R_MS_5_logonAndStoreAPair_spoolSecurityIsTheStoreUid(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            MsLogonResult r = d.client;
            assertThat(r.logon()).isNotNull();
            assertThat(r.hresult()).isEqualTo(HResult.S_OK);
            assertThat(r.spoolSecurity()).isEqualTo(d.store().getProp(PropTags.PR_RECORD_KEY).orElseThrow().asBinary());
            assertThat(d.clientSupport.providerUids).containsExactly(MapiUid.of(r.spoolSecurity()));
            assertThat(((BaseMapiObject) d.clientSupport).refCount()).as("the logon AddRef'ed its support object")
                    .isEqualTo(2);
            assertThat(d.clientSupport.statusRows).hasSize(1);
            assertThat(d.clientSupport.section.getProp(PropTags.PR_ENTRYID)).isPresent();
            EntryId unwrapped = d.storeId();
            assertThat(unwrapped.providerUid()).isEqualTo(MapiUid.of(r.spoolSecurity()));
            assertThat(d.store().getProp(PropTags.PR_ENTRYID).orElseThrow().asBinary())
                    .as("clients see the wrapped id (R-UID-8)").isEqualTo(d.clientSupport.wrapStoreEntryId(unwrapped)
                            .toBytes());
        }
    }

    @Test
    void R_MS_3_directReopen_returnsTheSameStore_noLogon_noSupportAddRef(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            FakeSupport other = new FakeSupport(new FakeSupport.FakeSection(
                    PropValue.ofString(SqliteStoreService.PR_STORE_PATH, d.path.toString())), d.hub);
            MsLogonResult again = d.provider.logon(other, 0, "test", d.storeId(), Flags.MDB_WRITE, MsgStore.class);
            assertThat(again.logon()).isNull();
            assertThat(again.store()).isSameAs(d.store());
            assertThat(again.spoolSecurity()).isEmpty();
            assertThat(other.refCount()).isEqualTo(1);
            assertThat(other.providerUids).isEmpty();
            assertThat(other.statusRows).isEmpty();
            again.store().release();
            other.release();
        }
    }

    @Test
    void R_MS_4_entryIdOfAnotherStore_notFound(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            FakeSupport other = new FakeSupport(new FakeSupport.FakeSection(
                    PropValue.ofString(SqliteStoreService.PR_STORE_PATH, d.path.toString())), d.hub);
            EntryId foreign = new StoreIds(MapiUid.random()).store();
            assertCode(HResult.MAPI_E_NOT_FOUND,
                    () -> d.provider.logon(other, 0, "test", foreign, Flags.MDB_WRITE, null));
            assertThat(other.refCount()).as("a failed logon keeps no support reference").isEqualTo(1);
            assertThat(d.provider.compareStoreIds(d.storeId(), foreign, 0)).isFalse();
            assertThat(d.provider.compareStoreIds(d.storeId(), EntryId.of(d.storeId().toBytes()), 0)).isTrue();
            other.release();
        }
    }

    @Test
    void R_MS_7_spoolerLogon_sameStorageInstance_spoolerMarked_alwaysWritable(@TempDir Path dir) {
        try (Direct d = Direct.open(dir, 0)) {
            MsgStore spooler = d.spoolerStore();
            assertThat(d.provider.openFiles()).isEqualTo(1);
            assertThat(((SqliteMsgStore) spooler).isSpoolerLogon()).isTrue();
            assertThat(((SqliteMsgStore) spooler).file()).isSameAs(((SqliteMsgStore) d.store()).file());
            assertThat(d.spoolerSupport.statusRows).isEmpty();
            assertThat(d.spoolerSupport.providerUids).containsExactlyElementsOf(d.clientSupport.providerUids);
            assertThat(integer(spooler, PropTags.PR_STORE_SUPPORT_MASK) & SqliteMsgStore.STORE_MODIFY_OK).isNotZero();
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> d.provider.spoolerLogon(
                    new FakeSupport(new FakeSupport.FakeSection(), d.hub), 0, "test", d.storeId(), 0,
                    MapiUid.random().toBytes()));
        }
    }

    @Test
    void R_MS_9_readOnlyStore_noModifyOrCreate_everyChangeNoAccess(@TempDir Path dir) {
        try (Direct d = Direct.open(dir, 0)) {
            MsgStore store = d.store();
            int mask = integer(store, PropTags.PR_STORE_SUPPORT_MASK);
            assertThat(mask & (SqliteMsgStore.STORE_MODIFY_OK | SqliteMsgStore.STORE_CREATE_OK)).isZero();
            assertThat(mask & SqliteMsgStore.STORE_READONLY).isNotZero();
            EntryId inboxId = store.getReceiveFolder("", 0).folderId();
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> store.openEntry(inboxId, Flags.MAPI_MODIFY));
            assertCode(HResult.MAPI_E_NO_ACCESS,
                    () -> store.setProps(List.of(PropValue.ofString(PropTags.PR_COMMENT, "x"))));
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> store.deleteProps(new int[] {PropTags.PR_COMMENT}));
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> store.setReceiveFolder("IPM.X", 0, inboxId));
            try (MapiFolder inbox = (MapiFolder) store.openEntry(inboxId, 0)) {
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> inbox.createMessage(0));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> inbox.createFolder(MapiFolder.FOLDER_GENERIC, "x", null, 0));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> inbox.deleteMessages(List.of(), 0));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> inbox.deleteFolder(inboxId, 0));
                assertCode(HResult.MAPI_E_NO_ACCESS,
                        () -> inbox.setProps(List.of(PropValue.ofString(PropTags.PR_COMMENT, "x"))));
            }
            // The spooler's logon on the same file writes; the client sees the message read-only.
            EntryId saved;
            try (MapiFolder inbox = (MapiFolder) d.spoolerStore().openEntry(inboxId, Flags.MAPI_MODIFY)) {
                saved = saved(inbox, "delivered");
            }
            try (Message m = (Message) store.openEntry(saved, Flags.MAPI_BEST_ACCESS)) {
                assertCode(HResult.MAPI_E_NO_ACCESS,
                        () -> m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "changed"))));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> m.openProperty(PropTags.PR_BODY, Flags.STGM_READWRITE,
                        Flags.MAPI_CREATE | Flags.MAPI_MODIFY));
            }
            // OpenProperty with MAPI_MODIFY, CopyMessages / CopyFolder / CopyTo into the read-only store all fail
            try (MapiFolder inbox = (MapiFolder) store.openEntry(inboxId, 0);
                 MapiFolder spoolerInbox = (MapiFolder) d.spoolerStore().openEntry(inboxId, Flags.MAPI_MODIFY);
                 MapiFolder spoolerSub = spoolerInbox.createFolder(MapiFolder.FOLDER_GENERIC, "sub", null, 0);
                 Message m = (Message) d.spoolerStore().openEntry(saved, 0)) {
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> inbox.openProperty(PropTags.PR_COMMENT,
                        Flags.STGM_READWRITE, Flags.MAPI_CREATE | Flags.MAPI_MODIFY));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> store.openProperty(PropTags.PR_DISPLAY_NAME,
                        Flags.STGM_READWRITE, Flags.MAPI_MODIFY));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> spoolerInbox.copyMessages(List.of(saved), inbox, 0));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> spoolerInbox.copyFolder(entryId(spoolerSub,
                        PropTags.PR_ENTRYID), inbox, "copy", 0));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> spoolerSub.copyTo(null, null, MapiFolder.class, inbox, 0));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> inbox.copyMessages(List.of(saved), spoolerSub,
                        Flags.MESSAGE_MOVE));
                assertThat(integer(spoolerSub, PropTags.PR_CONTENT_COUNT)).isZero();
                assertThat(integer(inbox, PropTags.PR_CONTENT_COUNT)).isEqualTo(1);
                assertThat(m.getProp(PropTags.PR_SUBJECT).orElseThrow().asString()).isEqualTo("delivered");
            }
        }
    }

    @Test
    void R_MS_8_openMsgStoreWithoutMdbWrite_isReadOnly(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            MapiSession s = f.logon();
            try (MsgStore store = s.openMsgStore(0, storeId(s), Flags.MDB_NO_DIALOG)) {
                assertThat(integer(store, PropTags.PR_STORE_SUPPORT_MASK) & SqliteMsgStore.STORE_MODIFY_OK).isZero();
                try (MapiFolder root = (MapiFolder) store.openEntry(null, 0)) {
                    assertCode(HResult.MAPI_E_NO_ACCESS, () -> root.createFolder(MapiFolder.FOLDER_GENERIC, "x", null, 0));
                }
            }
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    @Test
    void R_UID_3_idsOfAnotherStore_invalidEntryId_compareUnknownEntryId(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            StoreIds foreign = new StoreIds(MapiUid.random());
            EntryId inbox = d.store().getReceiveFolder("", 0).folderId();
            assertCode(HResult.MAPI_E_INVALID_ENTRYID, () -> d.store().openEntry(foreign.folder(5), 0));
            assertCode(HResult.MAPI_E_INVALID_ENTRYID, () -> d.store().openEntry(
                    EntryId.create(0, inbox.providerUid(), new byte[] {9, 1, 0}), 0));
            assertCode(HResult.MAPI_E_UNKNOWN_ENTRYID, () -> d.store().compareEntryIds(inbox, foreign.folder(5), 0));
            assertThat(d.store().compareEntryIds(inbox, EntryId.of(inbox.toBytes()), 0)).isTrue();
            EntryId outbox = entryId(d.store(), PropTags.PR_IPM_OUTBOX_ENTRYID);
            assertThat(d.store().compareEntryIds(inbox, outbox, 0)).isFalse();
            assertThat(inbox.isLongTerm()).isTrue();
            try (MapiObject same = d.store().openEntry(EntryId.of(d.store().getProp(PropTags.PR_ENTRYID)
                    .orElseThrow().asBinary()), 0)) {
                assertThat(same).isSameAs(d.store());
            }
        }
    }

    @Test
    void R_SR_3_shutdownClosesTheStoreFile_andFreesTheSpoolersLocks(@TempDir Path dir) {
        Direct d = Direct.open(dir);
        SqliteMsgStore store = (SqliteMsgStore) d.store();
        StoreFile file = store.file();
        assertThat(d.provider.openFiles()).isEqualTo(1);
        d.close();
        assertThat(d.provider.isShutdown()).isTrue();
        assertThat(d.provider.openFiles()).isZero();
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> file.storage().changeCounter());
        assertThat(d.clientSupport.sltCalls).as("the client's release called SLT(ABORT) once (R-SL-3)")
                .containsExactly(Flags.LOGOFF_ABORT);
    }
}
