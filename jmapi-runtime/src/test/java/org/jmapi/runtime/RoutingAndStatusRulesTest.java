package org.jmapi.runtime;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.Notification;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.testproviders.MemoryAbProvider;
import org.jmapi.runtime.testproviders.MemoryTransportProvider;
import org.jmapi.runtime.testproviders.TestHooks;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MapiSupport.Kind;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.jmapi.runtime.Fixture.assertMapiError;
import static org.jmapi.runtime.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.prop.PropTags.PR_DISPLAY_NAME;
import static org.jmapi.prop.PropTags.PR_ENTRYID;
import static org.jmapi.prop.PropTags.PR_INSTANCE_KEY;
import static org.jmapi.prop.PropTags.PR_OBJECT_TYPE;
import static org.jmapi.prop.PropTags.PR_PROVIDER_DLL_NAME;
import static org.jmapi.prop.PropTags.PR_RECORD_KEY;
import static org.jmapi.prop.PropTags.PR_RESOURCE_FLAGS;
import static org.jmapi.prop.PropTags.PR_RESOURCE_METHODS;
import static org.jmapi.prop.PropTags.PR_RESOURCE_TYPE;
import static org.jmapi.prop.PropTags.PR_ROWID;
import static org.jmapi.prop.PropTags.PR_STATUS_CODE;
import static org.jmapi.prop.PropTags.PR_STATUS_STRING;

/**
 * Spec &sect;7 (MAPIUIDs, entry ids, routing: R-UID-1..9), &sect;8 (status table and status objects: R-ST-1..9,
 * R-VS-1 as far as MAPI's status objects go; message-store table: R-MST-1..2) and &sect;8.1 (the support-object
 * matrix, R-SUP-1), against the real runtime with the in-memory test providers.
 *
 * <p>Pending:
 * <ul>
 *   <li>R-MST-1, "stores removed" and "default-store changes" notifications: the runtime has no path that removes a
 *       store row or changes the default store while a session is open (profile changes are read at logon).</li>
 *   <li>R-MST-1, stores opened with MDB_TEMPORARY: a client can only open a store by the wrapped id taken from the
 *       message-store table, so a profile store is always listed before it is opened; a temporary store that is not
 *       in the profile cannot be opened yet. Stores whose section carries STATUS_TEMP_SECTION are tested.</li>
 *   <li>R-SUP-1 for the &sect;8.1 methods the Java SPI does not declare (PrepareSubmit, ExpandRecips, CompleteMsg,
 *       DoSentMail, CopyMessages, CopyFolder, DoCopyTo, DoCopyProps, ReadReceipt, StatusRecips,
 *       RegisterPreprocessor, CreateOneOff, OpenAddressBook, GetLastError, GetMemAllocRoutines, DoConfigPropsheet,
 *       GetSvcConfigSupportObj, IStorageFromStream): there is nothing to call. Service support objects are covered by
 *       the profile tests.</li>
 * </ul>
 */
class RoutingAndStatusRulesTest {
    private static final int PR_CUSTOM = PropTag.tag(PropType.PT_UNICODE, 0x6810);
    private static final int STATUS_BASIC = Flags.STATUS_AVAILABLE | Flags.STATUS_OFFLINE | Flags.STATUS_FAILURE;

    @TempDir
    Path home;

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static RealSession real(MapiSession s) {
        return (RealSession) s;
    }

    /** @return every row of the session's status table with all of MAPI's columns (waits for the spooler) */
    private static List<Row> statusRows(MapiSession s) {
        try (MapiTable t = s.getStatusTable(0)) {
            t.setColumns(StatusTable.COLUMNS, 0);
            return t.queryRows(1000, 0);
        }
    }

    private static List<Row> rowsOfType(MapiSession s, int resourceType) {
        return statusRows(s).stream().filter(r -> r.get(PR_RESOURCE_TYPE).asInt() == resourceType).toList();
    }

    private static Row rowOfType(MapiSession s, int resourceType) {
        List<Row> rows = rowsOfType(s, resourceType);
        assertThat(rows).as("status rows of resource type %d", resourceType).hasSize(1);
        return rows.get(0);
    }

    private static EntryId entryId(Row r) {
        return EntryId.of(r.get(PR_ENTRYID).asBinary());
    }

    private static EntryId entryIdProp(org.jmapi.prop.MapiProp object, int tag) {
        return EntryId.of(object.getProp(tag).orElseThrow().asBinary());
    }

    private static MapiUid recordKey(MsgStore store) {
        return MapiUid.of(store.getProp(PR_RECORD_KEY).orElseThrow().asBinary());
    }

    private static StoreLogonRecord clientStore(MapiSession s, int index) {
        return real(s).clientStores().get(index);
    }

    /** Opens the address book (its logon registers {@link MemoryAbProvider#AB_UID}) and returns its logon record. */
    private static AbLogonRecord openAddressBook(MapiSession s) {
        s.openAddressBook(0, 0).release();
        return real(s).abLogons().get(0);
    }

    /** Waits for the spooler's transport logons and returns the first one. */
    private static TransportLogonRecord transport(MapiSession s) {
        s.getStatusTable(0).release();
        return real(s).spooler.transports().get(0);
    }

    private static EntryId foreignId() {
        return EntryId.create(0, MapiUid.random(), new byte[] {1, 2, 3});
    }

    /** Records notifications and the threads they arrived on. */
    private static final class Recorder implements AdviseSink {
        final List<Notification> got = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public int onNotify(List<Notification> notifications) {
            threads.add(Thread.currentThread().getName());
            got.addAll(notifications);
            return 0;
        }

        List<Notification.Table> tableEvents() {
            return got.stream().filter(n -> n instanceof Notification.Table).map(n -> (Notification.Table) n).toList();
        }
    }

    private static boolean sameKey(Notification.Table n, byte[] instanceKey) {
        return n.propIndex() != null && !n.propIndex().isError()
                && Arrays.equals(n.propIndex().asBinary(), instanceKey);
    }

    // ---- R-UID-1 ------------------------------------------------------------------------------------------------

    @Test
    void R_UID_1_setProviderUidIsRefusedOnTransportSupport() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            TransportLogonRecord xp = transport(s);
            int before = real(s).registeredUids();
            assertMapiError(() -> xp.support.setProviderUid(MapiUid.random(), 0), HResult.MAPI_E_NO_SUPPORT);
            assertThat(real(s).uids.uidsOf(xp)).isEmpty();
            assertThat(real(s).registeredUids()).isEqualTo(before);
            s.release();
        }
    }

    @Test
    void R_UID_1_everyRegistrationAppendsDuplicatesIncluded_onStoreAndAbSupport() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            Fixture.spoolerStore(s, Fixture.storeId(s, 0)); // the spooler's own registration is done
            StoreLogonRecord rec = clientStore(s, 0);
            MapiUid own = recordKey(store);
            assertThat(real(s).uids.uidsOf(rec)).containsExactly(own);

            MapiUid extra = MapiUid.random();
            int before = real(s).registeredUids();
            rec.support.setProviderUid(extra, 0);
            rec.support.setProviderUid(extra, 0);
            rec.support.setProviderUid(own, 0);
            assertThat(real(s).uids.uidsOf(rec)).containsExactly(own, extra, extra, own);
            assertThat(real(s).registeredUids()).isEqualTo(before + 3);
            assertMapiError(() -> rec.support.setProviderUid(extra, 1), HResult.MAPI_E_UNKNOWN_FLAGS);
            assertThat(real(s).registeredUids()).isEqualTo(before + 3);

            AbLogonRecord ab = openAddressBook(s);
            assertThat(real(s).uids.uidsOf(ab)).containsExactly(MemoryAbProvider.AB_UID);
            ab.support.setProviderUid(MemoryAbProvider.AB_UID, 0);
            assertThat(real(s).uids.uidsOf(ab)).containsExactly(MemoryAbProvider.AB_UID, MemoryAbProvider.AB_UID);

            // There is no call that removes a registration: the SPI offers SetProviderUID and NewUID only.
            List<String> uidMethods = Arrays.stream(MapiSupport.class.getMethods()).map(Method::getName)
                    .filter(n -> n.toLowerCase().contains("uid")).sorted().toList();
            assertThat(uidMethods).containsExactly("newUid", "setProviderUid");

            // The registrations go only with the logon (MAPI unregisters them at the final support release).
            store.release();
            assertThat(real(s).uids.uidsOf(rec)).isEmpty();
            s.release();
        }
    }

    // ---- R-UID-2 ------------------------------------------------------------------------------------------------

    private static MapiUid registeredStoreUid(Fixture f) {
        MapiSession s = f.logon();
        try {
            MsgStore store = Fixture.open(s, 0);
            StoreLogonRecord rec = clientStore(s, 0);
            List<MapiUid> uids = real(s).uids.uidsOf(rec);
            assertThat(uids).hasSize(1);
            assertThat(uids.get(0)).isEqualTo(recordKey(store));
            try (ProfileSection own = rec.support.openProfileSection(null, 0)) {
                assertThat(MapiUid.of(own.getProp(TestHooks.PR_STORE_UID).orElseThrow().asBinary()))
                        .isEqualTo(uids.get(0));
            }
            store.release();
            return uids.get(0);
        } finally {
            s.release();
        }
    }

    @Test
    void R_UID_2_registeredStoreUidIsStableAcrossSessionsAndReinitialisation() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiUid first = registeredStoreUid(f);
            MapiUid second = registeredStoreUid(f);
            assertThat(second).isEqualTo(first);

            while (Mapi.initCount() > 0) {
                Mapi.uninitialize();
            }
            Mapi.initialize(MapiInit.home(f.home));
            MapiUid afterRestart = registeredStoreUid(f);
            assertThat(afterRestart).isEqualTo(first);
        }
    }

    @Test
    void R_UID_2_newUidIsFreshOnEveryCall() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            MapiSupport support = clientStore(s, 0).support;
            List<MapiUid> made = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                made.add(support.newUid());
            }
            assertThat(Set.copyOf(made)).hasSize(50);
            assertThat(made).doesNotContain(recordKey(store));
            store.release();
            s.release();
        }
    }

    // ---- R-UID-3 ------------------------------------------------------------------------------------------------

    @Test
    void R_UID_3_sessionOpenEntryRoutesByTheUidInBytes4To19() {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            MsgStore a = Fixture.open(s, 0);
            MsgStore b = Fixture.open(s, 1);
            EntryId subtreeA = entryIdProp(a, PropTags.PR_IPM_SUBTREE_ENTRYID);
            EntryId subtreeB = entryIdProp(b, PropTags.PR_IPM_SUBTREE_ENTRYID);
            assertThat(subtreeA.providerUid()).isEqualTo(recordKey(a));
            assertThat(subtreeB.providerUid()).isEqualTo(recordKey(b));

            try (MapiObject o = s.openEntry(subtreeA, 0)) {
                assertThat(o).isInstanceOf(MapiFolder.class);
                MapiFolder folder = (MapiFolder) o;
                assertThat(folder.getProp(PropTags.PR_STORE_RECORD_KEY).orElseThrow().asBinary())
                        .isEqualTo(recordKey(a).toBytes());
            }
            try (MapiFolder folder = (MapiFolder) s.openEntry(subtreeB, 0)) {
                assertThat(folder.getProp(PropTags.PR_STORE_RECORD_KEY).orElseThrow().asBinary())
                        .isEqualTo(recordKey(b).toBytes());
            }
            assertMapiError(() -> s.openEntry(foreignId(), 0), HResult.MAPI_E_UNKNOWN_ENTRYID);
            a.release();
            b.release();
            s.release();
        }
    }

    @Test
    void R_UID_3_sessionCompareEntryIdsRoutesToTheOwningLogon() {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            MsgStore a = Fixture.open(s, 0);
            MsgStore b = Fixture.open(s, 1);
            EntryId subtreeA = entryIdProp(a, PropTags.PR_IPM_SUBTREE_ENTRYID);
            EntryId outboxA = entryIdProp(a, PropTags.PR_IPM_OUTBOX_ENTRYID);
            EntryId subtreeB = entryIdProp(b, PropTags.PR_IPM_SUBTREE_ENTRYID);
            EntryId subtreeAgain;
            try (MapiFolder folder = (MapiFolder) s.openEntry(subtreeA, 0)) {
                subtreeAgain = entryIdProp(folder, PR_ENTRYID);
            }
            assertThat(s.compareEntryIds(subtreeA, subtreeAgain, 0)).isTrue();
            assertThat(s.compareEntryIds(subtreeA, outboxA, 0)).isFalse();
            assertMapiError(() -> s.compareEntryIds(subtreeA, subtreeB, 0), HResult.MAPI_E_UNKNOWN_ENTRYID);
            assertMapiError(() -> s.compareEntryIds(subtreeA, foreignId(), 0), HResult.MAPI_E_UNKNOWN_ENTRYID);
            a.release();
            b.release();
            s.release();
        }
    }

    @Test
    void R_UID_3_idOfAStoreThatIsNotOpenIsUnknown() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore a = Fixture.open(s, 0);
            EntryId subtree = entryIdProp(a, PropTags.PR_IPM_SUBTREE_ENTRYID);
            s.openEntry(subtree, 0).release();
            a.release(); // client logon (and, idle, the spooler's) ended: the UID is no longer registered
            await(() -> real(s).uids.route(subtree.providerUid()).isEmpty(), "the store's UIDs to be unregistered");
            assertMapiError(() -> s.openEntry(subtree, 0), HResult.MAPI_E_UNKNOWN_ENTRYID);
            s.release();
        }
    }

    // ---- R-UID-4 ------------------------------------------------------------------------------------------------

    @Test
    void R_UID_4_sameUidFromTwoLogonsRoutesToTheEarliestLiveRegistration() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            AbLogonRecord ab = openAddressBook(s);
            MsgStore store = Fixture.open(s, 0);
            StoreLogonRecord rec = clientStore(s, 0);
            rec.support.setProviderUid(MemoryAbProvider.AB_UID, 0); // a second, later registration of the AB's UID
            assertThat(real(s).uids.routes(MemoryAbProvider.AB_UID)).containsExactly(ab, rec);

            String address = MemoryAbProvider.DIRECTORY.keySet().iterator().next();
            EntryId user = MemoryAbProvider.entryIdOf(address);
            assertThat(real(s).uids.route(MemoryAbProvider.AB_UID)).containsSame(ab);
            try (MapiObject o = s.openEntry(user, 0)) {
                assertThat(((org.jmapi.prop.MapiProp) o).getProp(PR_OBJECT_TYPE).orElseThrow().asInt())
                        .isEqualTo(Flags.MAPI_MAILUSER);
            }

            ab.force(); // the earliest registration goes
            assertThat(real(s).uids.route(MemoryAbProvider.AB_UID)).containsSame(rec);
            // Now the store logon receives the id: it is not one of its own, so the store answers (not routing).
            assertMapiError(() -> s.openEntry(user, 0), HResult.MAPI_E_INVALID_ENTRYID);

            store.release();
            assertThat(real(s).uids.route(MemoryAbProvider.AB_UID)).isEmpty();
            assertMapiError(() -> s.openEntry(user, 0), HResult.MAPI_E_UNKNOWN_ENTRYID);
            s.release();
        }
    }

    // ---- R-UID-5 ------------------------------------------------------------------------------------------------

    @Test
    void R_UID_5_transportAddressTypeUidsAreNotRoutable() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            TransportLogonRecord xp = transport(s);
            assertThat(xp.addressTypes.uids()).contains(MemoryTransportProvider.ADDRESS_TYPE_UID);

            EntryId recipient = EntryId.create(0, MemoryTransportProvider.ADDRESS_TYPE_UID,
                    "bob@localhost".getBytes(StandardCharsets.UTF_8));
            assertThat(real(s).uids.route(MemoryTransportProvider.ADDRESS_TYPE_UID)).isEmpty();
            assertMapiError(() -> s.openEntry(recipient, 0), HResult.MAPI_E_UNKNOWN_ENTRYID);
            assertMapiError(() -> s.compareEntryIds(recipient, recipient, 0), HResult.MAPI_E_UNKNOWN_ENTRYID);
            store.release();
            s.release();
        }
    }

    // ---- R-UID-6 ------------------------------------------------------------------------------------------------

    @Test
    void R_UID_6_getPropsEntryIdsOfStoreFolderAndMessageAreLongTerm() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            List<EntryId> ids = new ArrayList<>();
            ids.add(entryIdProp(store, PR_ENTRYID));
            EntryId inboxId = store.getReceiveFolder("", 0).folderId();
            try (MapiFolder inbox = (MapiFolder) store.openEntry(inboxId, Flags.MAPI_MODIFY)) {
                ids.add(entryIdProp(inbox, PR_ENTRYID));
                try (Message m = inbox.createMessage(0)) {
                    m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "long-term")));
                    m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                    ids.add(entryIdProp(m, PR_ENTRYID));
                }
            }
            for (EntryId id : ids) {
                assertThat(id.flag0()).as("abFlags[0] of %s", id).isZero();
                assertThat(id.isLongTerm()).isTrue();
                assertThat(id.isShortTerm()).isFalse();
                assertThat(Arrays.copyOfRange(id.toBytes(), 1, 4)).as("reserved abFlags[1..3]").containsOnly(0);
            }
            store.release();
            s.release();
        }
    }

    @Test
    void R_UID_6_shortTermIffMapiShortTermIsSet() {
        MapiUid uid = MapiUid.random();
        EntryId shortTerm = EntryId.create(Flags.MAPI_SHORTTERM, uid, new byte[] {1});
        assertThat(Flags.MAPI_SHORTTERM).isEqualTo(0x80);
        assertThat(shortTerm.isShortTerm()).isTrue();
        assertThat(shortTerm.isLongTerm()).isFalse();
        EntryId now = EntryId.create(Flags.MAPI_NOW, uid, new byte[] {1});
        assertThat(now.isShortTerm()).isFalse();
        assertThat(now.isLongTerm()).isFalse();
        EntryId longTerm = EntryId.create(0, uid, new byte[] {1});
        assertThat(longTerm.isLongTerm()).isTrue();
        assertThat(longTerm.isShortTerm()).isFalse();
    }

    // ---- R-UID-7 ------------------------------------------------------------------------------------------------

    @Test
    void R_UID_7_compareEntryIdsFlagsAreReservedAndUninterpretablePairsAreUnknown() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            EntryId subtree = entryIdProp(store, PropTags.PR_IPM_SUBTREE_ENTRYID);
            assertMapiError(() -> s.compareEntryIds(subtree, subtree, 1), HResult.MAPI_E_UNKNOWN_FLAGS);
            assertMapiError(() -> s.compareEntryIds(foreignId(), foreignId(), 0), HResult.MAPI_E_UNKNOWN_ENTRYID);
            EntryId tooShort = EntryId.of(new byte[] {0, 0, 0, 0, 7});
            assertMapiError(() -> s.compareEntryIds(tooShort, tooShort, 0), HResult.MAPI_E_UNKNOWN_ENTRYID);
            // A store id and a folder id do not route to one logon.
            EntryId storeId = Fixture.storeId(s, 0);
            assertMapiError(() -> s.compareEntryIds(storeId, subtree, 0), HResult.MAPI_E_UNKNOWN_ENTRYID);
            store.release();
            s.release();
        }
    }

    // ---- R-UID-8 ------------------------------------------------------------------------------------------------

    @Test
    void R_UID_8_storeIdsSeenByClientsAreWrappedAndTheProviderGetsItsOwnForm() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            EntryId beforeOpen = Fixture.storeId(s, 0);
            MsgStore store = Fixture.open(s, 0);
            EntryId fromTable = Fixture.storeId(s, 0);
            EntryId fromStore = entryIdProp(store, PR_ENTRYID);
            EntryId storeEntryId = entryIdProp(store, PropTags.PR_STORE_ENTRYID);
            for (EntryId wrapped : List.of(beforeOpen, fromTable, fromStore, storeEntryId)) {
                assertThat(wrapped.providerUid()).as("bytes 4..19 of %s", wrapped)
                        .isEqualTo(MsgStoresTable.STORE_WRAP_UID);
            }
            EntryId unwrapped;
            try (ProfileSection section = clientStore(s, 0).support.openProfileSection(null, 0)) {
                unwrapped = entryIdProp(section, PR_ENTRYID);
            }
            assertThat(unwrapped.providerUid()).isEqualTo(recordKey(store));
            assertThat(fromTable).isNotEqualTo(unwrapped);
            assertThat(MsgStoresTable.unwrap(fromTable)).isEqualTo(unwrapped);

            assertThat(s.compareEntryIds(fromTable, fromStore, 0)).isTrue();
            assertThat(s.compareEntryIds(fromTable, storeEntryId, 0)).isTrue();
            MsgStore viaEarlyId = s.openMsgStore(0, beforeOpen, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
            assertThat(viaEarlyId).as("the id listed before the first logon reopens the open store").isSameAs(store);
            viaEarlyId.release();
            assertThat(real(s).clientStores()).hasSize(1);
            assertThat(s.compareEntryIds(beforeOpen, fromTable, 0))
                    .as("the id listed before the store's first logon names the same store").isTrue();
            store.release();
            s.release();

            // IMSProvider::Logon gets the unwrapped form: the memory store refuses ids that are not its own.
            MapiSession s2 = f.logon();
            EntryId id2 = Fixture.storeId(s2, 0);
            assertThat(MsgStoresTable.unwrap(id2)).isEqualTo(unwrapped);
            MsgStore again = s2.openMsgStore(0, id2, Flags.MDB_NO_DIALOG);
            assertThat(recordKey(again)).isEqualTo(unwrapped.providerUid());
            again.release();
            s2.release();
        }
    }

    @Test
    void R_UID_8_storesOfTwoSectionsCompareUnequal() {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            MsgStore a = Fixture.open(s, 0);
            MsgStore b = Fixture.open(s, 1);
            assertThat(s.compareEntryIds(Fixture.storeId(s, 0), Fixture.storeId(s, 1), 0)).isFalse();
            assertThat(s.compareEntryIds(entryIdProp(a, PR_ENTRYID), entryIdProp(b, PR_ENTRYID), 0)).isFalse();
            a.release();
            b.release();
            s.release();
        }
    }

    // ---- R-UID-9 ------------------------------------------------------------------------------------------------

    @Test
    void R_UID_9_idOfADeletedMessageIsNotReused() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            EntryId inboxId = store.getReceiveFolder("", 0).folderId();
            try (MapiFolder inbox = (MapiFolder) store.openEntry(inboxId, Flags.MAPI_MODIFY)) {
                EntryId first;
                try (Message m = inbox.createMessage(0)) {
                    m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                    first = entryIdProp(m, PR_ENTRYID);
                }
                inbox.deleteMessages(List.of(first), 0);
                assertMapiError(() -> s.openEntry(first, 0), HResult.MAPI_E_NOT_FOUND);
                for (int i = 0; i < 5; i++) {
                    try (Message m = inbox.createMessage(0)) {
                        m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                        EntryId next = entryIdProp(m, PR_ENTRYID);
                        assertThat(next).isNotEqualTo(first);
                        assertThat(s.compareEntryIds(first, next, 0)).isFalse();
                    }
                }
            }
            store.release();
            s.release();
        }
    }

    // ---- R-ST-1 -------------------------------------------------------------------------------------------------

    @Test
    void R_ST_1_mapiContributesThreeRowsAndEveryTransportAtLeastOne() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            List<Integer> types = statusRows(s).stream().map(r -> r.get(PR_RESOURCE_TYPE).asInt()).toList();
            assertThat(types).containsOnlyOnce(Flags.MAPI_SUBSYSTEM, Flags.MAPI_SPOOLER, Flags.MAPI_AB);
            assertThat(types).contains(Flags.MAPI_TRANSPORT_PROVIDER);
            assertThat(real(s).spooler.transports()).isNotEmpty();
            for (TransportLogonRecord t : real(s).spooler.transports()) {
                assertThat(real(s).statusTable.rowCount(t)).as("rows of %s", t.label).isGreaterThanOrEqualTo(1);
            }
            assertThat(types).doesNotContain(Flags.MAPI_STORE_PROVIDER);

            MsgStore store = Fixture.open(s, 0);
            assertThat(rowsOfType(s, Flags.MAPI_STORE_PROVIDER)).hasSize(1); // optional; the memory store adds one
            store.release();
            s.release();
        }
    }

    // ---- R-ST-2 -------------------------------------------------------------------------------------------------

    @Test
    void R_ST_2_mapiOwnsIdentityColumnsWhateverTheProviderPasses() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            StoreLogonRecord rec = clientStore(s, 0);
            Row original = rowOfType(s, Flags.MAPI_STORE_PROVIDER);
            byte[] bogus = {9, 9, 9, 9};
            List<PropValue> forged = List.of(
                    PropValue.ofString(PR_DISPLAY_NAME, "forged row"),
                    PropValue.ofInt(PR_STATUS_CODE, Flags.STATUS_AVAILABLE),
                    PropValue.ofInt(PR_RESOURCE_METHODS, Flags.STATUS_VALIDATE_STATE),
                    PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_STORE),
                    PropValue.ofInt(PR_ROWID, 4242),
                    PropValue.ofBinary(PR_ENTRYID, bogus),
                    PropValue.ofBinary(PR_INSTANCE_KEY, bogus),
                    PropValue.ofString(PR_PROVIDER_DLL_NAME, "evil.dll"),
                    PropValue.ofInt(PR_RESOURCE_FLAGS, 0x7777),
                    PropValue.ofInt(PR_RESOURCE_TYPE, Flags.MAPI_SPOOLER));
            rec.support.modifyStatusRow(forged, 0);
            rec.support.modifyStatusRow(forged.subList(3, forged.size()), Flags.STATUSROW_UPDATE);

            List<Row> rows = statusRows(s);
            assertThat(rows).noneMatch(r -> r.get(PR_ROWID).asInt() == 4242);
            assertThat(rows).noneMatch(r -> Arrays.equals(r.get(PR_ENTRYID).asBinary(), bogus));
            assertThat(rows).noneMatch(r -> Arrays.equals(r.get(PR_INSTANCE_KEY).asBinary(), bogus));
            assertThat(rows).allMatch(r -> r.get(PR_OBJECT_TYPE).asInt() == Flags.MAPI_STATUS);
            assertThat(rows.stream().map(r -> r.get(PR_ROWID).asInt()).distinct().count()).isEqualTo(rows.size());

            List<Row> storeRows = rows.stream()
                    .filter(r -> r.get(PR_RESOURCE_TYPE).asInt() == Flags.MAPI_STORE_PROVIDER).toList();
            assertThat(storeRows).hasSize(2);
            Row forgedRow = storeRows.stream()
                    .filter(r -> r.get(PR_DISPLAY_NAME).asString().equals("forged row")).findFirst().orElseThrow();
            assertThat(forgedRow.get(PR_PROVIDER_DLL_NAME).asString()).isEqualTo("test.memstore");
            assertThat(forgedRow.get(PR_RESOURCE_FLAGS).asInt()).isEqualTo(rec.slot.record.resourceFlags());
            assertThat(forgedRow.get(PR_OBJECT_TYPE).asInt()).isEqualTo(Flags.MAPI_STATUS);
            // The STATUSROW_UPDATE merged into the first row left MAPI's columns of that row untouched.
            Row first = storeRows.stream().filter(r -> r.get(PR_ROWID).asInt() == original.get(PR_ROWID).asInt())
                    .findFirst().orElseThrow();
            for (int tag : new int[] {PR_ENTRYID, PR_INSTANCE_KEY, PR_ROWID, PR_OBJECT_TYPE, PR_PROVIDER_DLL_NAME,
                PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE}) {
                assertThat(first.get(tag)).as(PropTag.toString(tag)).isEqualTo(original.get(tag));
            }
            // MAPI's PR_ENTRYID of the new row reaches the store's status object.
            try (MapiStatus st = (MapiStatus) s.openEntry(entryId(forgedRow), 0)) {
                assertThat(st.getProp(PR_OBJECT_TYPE).orElseThrow().asInt()).isEqualTo(Flags.MAPI_STATUS);
            }
            store.release();
            s.release();
        }
    }

    // ---- R-ST-3 -------------------------------------------------------------------------------------------------

    @Test
    void R_ST_3_flagsZeroAddsARowAndStatusRowUpdateMergesIntoTheExistingOne() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            StoreLogonRecord rec = clientStore(s, 0);
            assertThat(real(s).statusTable.rowCount(rec)).isEqualTo(1);
            Row before = rowOfType(s, Flags.MAPI_STORE_PROVIDER);
            int total = statusRows(s).size();

            rec.support.modifyStatusRow(List.of(
                    PropValue.ofString(PR_DISPLAY_NAME, "second"),
                    PropValue.ofInt(PR_STATUS_CODE, Flags.STATUS_OFFLINE),
                    PropValue.ofInt(PR_RESOURCE_METHODS, Flags.STATUS_VALIDATE_STATE)), 0);
            assertThat(real(s).statusTable.rowCount(rec)).isEqualTo(2);
            assertThat(statusRows(s)).hasSize(total + 1);

            rec.support.modifyStatusRow(List.of(PropValue.ofString(PR_STATUS_STRING, "checking")),
                    Flags.STATUSROW_UPDATE);
            assertThat(real(s).statusTable.rowCount(rec)).isEqualTo(2);
            List<Row> rows = rowsOfType(s, Flags.MAPI_STORE_PROVIDER);
            Row merged = rows.stream().filter(r -> r.get(PR_ROWID).asInt() == before.get(PR_ROWID).asInt())
                    .findFirst().orElseThrow();
            assertThat(merged.get(PR_STATUS_STRING).asString()).isEqualTo("checking");
            for (int tag : new int[] {PR_DISPLAY_NAME, PR_STATUS_CODE, PR_RESOURCE_METHODS, PR_ENTRYID}) {
                assertThat(merged.get(tag)).as(PropTag.toString(tag)).isEqualTo(before.get(tag));
            }
            Row second = rows.stream().filter(r -> r != merged).findFirst().orElseThrow();
            assertThat(second.get(PR_DISPLAY_NAME).asString()).isEqualTo("second");
            assertThat(second.find(PR_STATUS_STRING)).isEmpty();

            assertMapiError(() -> rec.support.modifyStatusRow(List.of(), 0x1), HResult.MAPI_E_UNKNOWN_FLAGS);
            store.release();
            s.release();
        }
    }

    // ---- R-ST-4 -------------------------------------------------------------------------------------------------

    @Test
    void R_ST_4_rowAddedModifiedAndDeletedAreNotifiedAfterTheCallReturned() throws Exception {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            Fixture.spoolerStore(s, Fixture.storeId(s, 0));
            int both = Flags.STATUS_INBOUND_ENABLED | Flags.STATUS_OUTBOUND_ENABLED;
            await(() -> (rowOfType(s, Flags.MAPI_TRANSPORT_PROVIDER).get(PR_STATUS_CODE).asInt() & both) == both,
                    "the transport enabled (no more transport-row changes)");
            StoreLogonRecord rec = clientStore(s, 0);
            byte[] storeRowKey = rowOfType(s, Flags.MAPI_STORE_PROVIDER).get(PR_INSTANCE_KEY).asBinary();

            CountDownLatch callReturned = new CountDownLatch(1);
            AtomicBoolean returnedWhenDelivered = new AtomicBoolean();
            AtomicReference<String> firstThread = new AtomicReference<>();
            Recorder rec2 = new Recorder();
            AdviseSink sink = batch -> {
                if (firstThread.compareAndSet(null, Thread.currentThread().getName())) {
                    try {
                        returnedWhenDelivered.set(callReturned.await(3, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return rec2.onNotify(batch);
            };
            MapiTable table = s.getStatusTable(0);
            int connection = table.advise(Flags.fnevTableModified, sink);
            assertThat(connection).isNotZero();

            rec.support.modifyStatusRow(List.of(
                    PropValue.ofString(PR_DISPLAY_NAME, "added"),
                    PropValue.ofInt(PR_STATUS_CODE, Flags.STATUS_AVAILABLE),
                    PropValue.ofInt(PR_RESOURCE_METHODS, Flags.STATUS_VALIDATE_STATE)), 0);
            callReturned.countDown();
            await(() -> !rec2.tableEvents().isEmpty(), "TABLE_ROW_ADDED");
            assertThat(returnedWhenDelivered).as("delivered only after ModifyStatusRow returned").isTrue();
            assertThat(firstThread.get()).isEqualTo(NotificationDispatcher.THREAD_NAME);
            Notification.Table added = rec2.tableEvents().get(0);
            assertThat(added.tableEvent()).isEqualTo(Flags.TABLE_ROW_ADDED);
            byte[] addedKey = added.propIndex().asBinary();
            assertThat(added.row().get(PR_DISPLAY_NAME).asString()).isEqualTo("added");

            rec.support.modifyStatusRow(List.of(PropValue.ofInt(PR_STATUS_CODE, Flags.STATUS_OFFLINE)),
                    Flags.STATUSROW_UPDATE);
            await(() -> rec2.tableEvents().stream()
                    .anyMatch(n -> n.tableEvent() == Flags.TABLE_ROW_MODIFIED && sameKey(n, storeRowKey)),
                    "TABLE_ROW_MODIFIED of the store's first row");
            assertThat(rec2.tableEvents().stream().filter(n -> n.tableEvent() == Flags.TABLE_ROW_MODIFIED))
                    .noneMatch(n -> sameKey(n, addedKey)); // STATUSROW_UPDATE merged into the first row only

            store.release(); // the final support release removes both rows of the store logon (R-ST-5)
            await(() -> rec2.tableEvents().stream().filter(n -> n.tableEvent() == Flags.TABLE_ROW_DELETED).count() == 2,
                    "two TABLE_ROW_DELETED");
            List<Notification.Table> deleted = rec2.tableEvents().stream()
                    .filter(n -> n.tableEvent() == Flags.TABLE_ROW_DELETED).toList();
            assertThat(deleted).anyMatch(n -> sameKey(n, storeRowKey)).anyMatch(n -> sameKey(n, addedKey));
            assertThat(rec2.threads).containsOnly(NotificationDispatcher.THREAD_NAME);

            table.unadvise(connection);
            table.release();
            s.release();
        }
    }

    // ---- R-ST-5 -------------------------------------------------------------------------------------------------

    @Test
    void R_ST_5_storeRowGoesWithTheFinalSupportRelease_afterStoreLogoff() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            StoreLogonRecord rec = clientStore(s, 0);
            store.addRef();
            assertThat(store.storeLogoff(Flags.LOGOFF_NO_WAIT) & Flags.LOGOFF_COMPLETE).isNotZero();
            assertThat(rowsOfType(s, Flags.MAPI_STORE_PROVIDER)).as("after StoreLogoff").hasSize(1);
            store.release();
            assertThat(rec.support.isDestroyed()).isFalse();
            assertThat(rowsOfType(s, Flags.MAPI_STORE_PROVIDER)).as("after a non-final release").hasSize(1);
            store.release();
            assertThat(rec.support.isDestroyed()).isTrue();
            assertThat(rowsOfType(s, Flags.MAPI_STORE_PROVIDER)).as("after the final release").isEmpty();
            assertThat(real(s).statusTable.rowCount(rec)).isZero();
            s.release();
        }
    }

    @Test
    void R_ST_5_storeRowGoesWithTheFinalSupportRelease_releaseOnly() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            StoreLogonRecord rec = clientStore(s, 0);
            assertThat(rowsOfType(s, Flags.MAPI_STORE_PROVIDER)).hasSize(1);
            assertThat(rec.support.isDestroyed()).isFalse();
            store.release();
            assertThat(rec.support.isDestroyed()).isTrue();
            assertThat(rowsOfType(s, Flags.MAPI_STORE_PROVIDER)).isEmpty();
            s.release();
        }
    }

    // ---- R-ST-6 -------------------------------------------------------------------------------------------------

    @Test
    void R_ST_6_openEntryOnEveryRowGivesAStatusObject() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            List<Row> rows = statusRows(s);
            assertThat(rows.stream().map(r -> r.get(PR_RESOURCE_TYPE).asInt()))
                    .contains(Flags.MAPI_SUBSYSTEM, Flags.MAPI_SPOOLER, Flags.MAPI_AB, Flags.MAPI_TRANSPORT_PROVIDER,
                            Flags.MAPI_STORE_PROVIDER);
            for (Row r : rows) {
                for (int flags : new int[] {0, Flags.MAPI_MODIFY}) {
                    MapiObject o = s.openEntry(entryId(r), flags);
                    try {
                        assertThat(o).isInstanceOf(MapiStatus.class);
                        MapiStatus st = (MapiStatus) o;
                        assertThat(st.getProp(PR_OBJECT_TYPE).orElseThrow().asInt()).isEqualTo(Flags.MAPI_STATUS);
                        assertThat(st.getProp(PR_DISPLAY_NAME).orElseThrow().asString())
                                .isEqualTo(r.get(PR_DISPLAY_NAME).asString());
                    } finally {
                        o.release();
                    }
                }
            }
            store.release();
            s.release();
        }
    }

    @Test
    void R_ST_6_modifyOnAReadOnlyStatusObjectStillSucceeds() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            int[] types = {Flags.MAPI_STORE_PROVIDER, Flags.MAPI_TRANSPORT_PROVIDER, Flags.MAPI_SUBSYSTEM};
            for (int type : types) {
                try (MapiStatus st = (MapiStatus) s.openEntry(entryId(rowOfType(s, type)), Flags.MAPI_MODIFY)) {
                    // The read-only object comes back: changes are refused.
                    assertMapiError(() -> st.setProps(List.of(PropValue.ofString(PR_CUSTOM, "x"))),
                            HResult.MAPI_E_NO_ACCESS);
                }
            }
            store.release();
            s.release();
        }
    }

    @Test
    void R_ST_6_aLogonCreatesItsStatusObjectOnceAndHandsOutReferences() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            EntryId storeRow = entryId(rowOfType(s, Flags.MAPI_STORE_PROVIDER));
            EntryId xpRow = entryId(rowOfType(s, Flags.MAPI_TRANSPORT_PROVIDER));
            for (EntryId row : List.of(storeRow, xpRow)) {
                MapiObject first = s.openEntry(row, 0);
                int count = ((BaseMapiObject) first).refCount();
                MapiObject second = s.openEntry(row, Flags.MAPI_MODIFY);
                assertThat(second).isSameAs(first);
                assertThat(((BaseMapiObject) first).refCount()).isEqualTo(count + 1);
                second.release();
                first.release();
            }
            store.release();
            s.release();
        }
    }

    // ---- R-ST-7 and R-VS-1 --------------------------------------------------------------------------------------

    @Test
    void R_ST_7_subsystemAndAddressBookStatusSupportValidateStateOnly() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            for (int type : new int[] {Flags.MAPI_SUBSYSTEM, Flags.MAPI_AB}) {
                Row row = rowOfType(s, type);
                assertThat(row.get(PR_RESOURCE_METHODS).asInt()).isEqualTo(Flags.STATUS_VALIDATE_STATE);
                try (MapiStatus st = (MapiStatus) s.openEntry(entryId(row), 0)) {
                    st.validateState(0, 0);
                    st.validateState(0, Flags.SUPPRESS_UI);
                    assertMapiError(() -> st.settingsDialog(0, 0), HResult.MAPI_E_NO_SUPPORT);
                    assertMapiError(() -> st.changePassword("a", "b", 0), HResult.MAPI_E_NO_SUPPORT);
                    assertMapiError(() -> st.flushQueues(0, null, Flags.FLUSH_UPLOAD), HResult.MAPI_E_NO_SUPPORT);
                }
            }
            s.release();
        }
    }

    @Test
    void R_ST_7_spoolerStatusSupportsValidateStateAndFlushQueues() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            Row row = rowOfType(s, Flags.MAPI_SPOOLER);
            assertThat(row.get(PR_RESOURCE_METHODS).asInt())
                    .isEqualTo(Flags.STATUS_VALIDATE_STATE | Flags.STATUS_FLUSH_QUEUES);
            String xp = transport(s).label;
            try (MapiStatus st = (MapiStatus) s.openEntry(entryId(row), 0)) {
                long mark = f.mark();
                st.flushQueues(0, null, Flags.FLUSH_UPLOAD);
                assertThat(f.callsSince(mark)).contains("IXPLogon::FlushQueues " + xp);
                st.validateState(0, 0);
                assertMapiError(() -> st.settingsDialog(0, 0), HResult.MAPI_E_NO_SUPPORT);
                assertMapiError(() -> st.changePassword("a", "b", 0), HResult.MAPI_E_NO_SUPPORT);
            }
            s.release();
        }
    }

    @Test
    void R_ST_7_providerStatusObjectsSupportExactlyTheAdvertisedMethods() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            for (int type : new int[] {Flags.MAPI_STORE_PROVIDER, Flags.MAPI_TRANSPORT_PROVIDER}) {
                Row row = rowOfType(s, type);
                int methods = row.get(PR_RESOURCE_METHODS).asInt();
                assertThat(methods & Flags.STATUS_VALIDATE_STATE).isNotZero();
                try (MapiStatus st = (MapiStatus) s.openEntry(entryId(row), 0)) {
                    st.validateState(0, 0);
                    if ((methods & Flags.STATUS_FLUSH_QUEUES) == 0) {
                        assertMapiError(() -> st.flushQueues(0, null, Flags.FLUSH_UPLOAD), HResult.MAPI_E_NO_SUPPORT);
                    } else {
                        st.flushQueues(0, null, Flags.FLUSH_UPLOAD);
                    }
                    assertMapiError(() -> st.settingsDialog(0, 0), HResult.MAPI_E_NO_SUPPORT);
                    assertMapiError(() -> st.changePassword("a", "b", 0), HResult.MAPI_E_NO_SUPPORT);
                }
            }
            store.release();
            s.release();
        }
    }

    @Test
    void R_VS_1_unknownValidateStateFlagsAreRejected() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            for (int type : new int[] {Flags.MAPI_SUBSYSTEM, Flags.MAPI_SPOOLER, Flags.MAPI_AB,
                Flags.MAPI_TRANSPORT_PROVIDER, Flags.MAPI_STORE_PROVIDER}) {
                try (MapiStatus st = (MapiStatus) s.openEntry(entryId(rowOfType(s, type)), 0)) {
                    assertMapiError(() -> st.validateState(0, 0x2), HResult.MAPI_E_UNKNOWN_FLAGS);
                }
            }
            store.release();
            s.release();
        }
    }

    @Test
    void R_VS_1_spoolerValidateStateIsBusyWhileATransportIsInACriticalSection() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            TransportLogonRecord xp = transport(s);
            try (MapiStatus st = (MapiStatus) s.openEntry(entryId(rowOfType(s, Flags.MAPI_SPOOLER)), 0)) {
                xp.support.spoolerNotify(Flags.NOTIFY_CRITSEC, null);
                assertMapiError(() -> st.validateState(0, 0), HResult.MAPI_E_BUSY);
                xp.support.spoolerNotify(Flags.NOTIFY_NONCRIT, null);
                st.validateState(0, 0);
            }
            s.release();
        }
    }

    @Test
    void R_VS_1_configChangedOnTheSpoolerStatusRereadsAddressTypes() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            String xp = transport(s).label;
            try (MapiStatus st = (MapiStatus) s.openEntry(entryId(rowOfType(s, Flags.MAPI_SPOOLER)), 0)) {
                long mark = f.mark();
                st.validateState(0, Flags.CONFIG_CHANGED);
                assertThat(f.callsSince(mark)).contains("IXPLogon::AddressTypes " + xp);
            }
            s.release();
        }
    }

    // ---- R-ST-8 -------------------------------------------------------------------------------------------------

    @Test
    void R_ST_8_onlyTransportRowsUseTheInboundAndOutboundBits() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            int before = rowOfType(s, Flags.MAPI_TRANSPORT_PROVIDER).get(PR_STATUS_CODE).asInt();
            assertThat(before & (Flags.STATUS_INBOUND_ENABLED | Flags.STATUS_OUTBOUND_ENABLED))
                    .as("logged on with LOGON_NO_INBOUND | LOGON_NO_OUTBOUND").isZero();
            assertThat(before & Flags.STATUS_AVAILABLE).isNotZero();

            MsgStore store = Fixture.open(s, 0);
            Fixture.spoolerStore(s, Fixture.storeId(s, 0));
            int both = Flags.STATUS_INBOUND_ENABLED | Flags.STATUS_OUTBOUND_ENABLED;
            await(() -> (rowOfType(s, Flags.MAPI_TRANSPORT_PROVIDER).get(PR_STATUS_CODE).asInt() & both) == both,
                    "BEGIN_INBOUND | BEGIN_OUTBOUND reflected in the transport row");

            for (Row r : statusRows(s)) {
                if (r.get(PR_RESOURCE_TYPE).asInt() != Flags.MAPI_TRANSPORT_PROVIDER) {
                    assertThat(r.get(PR_STATUS_CODE).asInt() & ~STATUS_BASIC)
                            .as("status code of %s", r.get(PR_DISPLAY_NAME).asString()).isZero();
                }
            }
            store.release();
            s.release();
        }
    }

    // ---- R-ST-9 -------------------------------------------------------------------------------------------------

    @Test
    void R_ST_9_noMailSessionHasNoTransportRowsAndAFailedSpooler() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon(Flags.MAPI_EXTENDED | Flags.MAPI_NO_MAIL);
            MsgStore store = Fixture.open(s, 0);
            assertThat(rowsOfType(s, Flags.MAPI_TRANSPORT_PROVIDER)).isEmpty();
            assertThat(rowOfType(s, Flags.MAPI_SPOOLER).get(PR_STATUS_CODE).asInt() & Flags.STATUS_FAILURE).isNotZero();
            store.release();
            s.release();

            MapiSession mail = f.logon();
            assertThat(rowsOfType(mail, Flags.MAPI_TRANSPORT_PROVIDER)).isNotEmpty();
            assertThat(rowOfType(mail, Flags.MAPI_SPOOLER).get(PR_STATUS_CODE).asInt() & Flags.STATUS_FAILURE)
                    .isZero();
            mail.release();
        }
    }

    // ---- R-MST-1 ------------------------------------------------------------------------------------------------

    private static final int[] REQUIRED_STORE_COLUMNS = {PropTags.PR_DEFAULT_STORE, PR_DISPLAY_NAME, PR_ENTRYID,
        PR_INSTANCE_KEY, PropTags.PR_MDB_PROVIDER, PR_OBJECT_TYPE, PropTags.PR_PROVIDER_DISPLAY, PR_RECORD_KEY,
        PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE};

    @Test
    void R_MST_1_requiredColumnsArePresentInEveryRow() {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            try (MapiTable t = s.getMsgStoresTable(0)) {
                Set<Integer> ids = Arrays.stream(t.queryColumns(0)).map(PropTag::id).boxed()
                        .collect(Collectors.toSet());
                for (int tag : REQUIRED_STORE_COLUMNS) {
                    assertThat(ids).as(PropTag.toString(tag)).contains(PropTag.id(tag));
                }
                t.setColumns(REQUIRED_STORE_COLUMNS, 0);
                List<Row> rows = t.queryRows(100, 0);
                assertThat(rows).hasSize(2);
                for (Row r : rows) {
                    for (int tag : REQUIRED_STORE_COLUMNS) {
                        assertThat(r.find(tag)).as(PropTag.toString(tag)).isPresent();
                    }
                    assertThat(r.get(PR_OBJECT_TYPE).asInt()).isEqualTo(Flags.MAPI_STORE);
                    assertThat(r.get(PR_RESOURCE_TYPE).asInt()).isEqualTo(Flags.MAPI_STORE_PROVIDER);
                    assertThat(EntryId.of(r.get(PR_ENTRYID).asBinary()).providerUid())
                            .isEqualTo(MsgStoresTable.STORE_WRAP_UID);
                }
                assertThat(rows.stream().filter(r -> r.get(PropTags.PR_DEFAULT_STORE).asBoolean()).count())
                        .isLessThanOrEqualTo(1);
            }
            s.release();
        }
    }

    @Test
    void R_MST_1_theTableNotifiesWhenAStoreRowChanges() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            Recorder sink = new Recorder();
            MapiTable t = s.getMsgStoresTable(0);
            int c = t.advise(Flags.fnevTableModified, sink);
            MsgStore store = Fixture.open(s, 0); // the first logon publishes the store's ids: its row is refreshed
            await(() -> sink.tableEvents().stream().anyMatch(n -> n.tableEvent() == Flags.TABLE_ROW_MODIFIED),
                    "TABLE_ROW_MODIFIED on the message-store table");
            Notification.Table n = sink.tableEvents().stream()
                    .filter(x -> x.tableEvent() == Flags.TABLE_ROW_MODIFIED).findFirst().orElseThrow();
            assertThat(n.propIndex().asBinary()).isEqualTo(clientStore(s, 0).slot.record.uid().toBytes());
            assertThat(sink.threads).containsOnly(NotificationDispatcher.THREAD_NAME);
            t.unadvise(c);
            t.release();
            store.release();
            s.release();
        }
    }

    @Test
    void R_MST_1_storesOfTempSectionsAreNeverListed() {
        try (Fixture f = Fixture.start(home)) {
            MapiUid storeB;
            try (var admin = Mapi.adminProfiles(0);
                 MsgServiceAdmin services = admin.adminServices(Fixture.PROFILE, 0);
                 MapiTable providers = services.getProviderTable(0)) {
                providers.setColumns(new int[] {PropTags.PR_PROVIDER_UID, PropTags.PR_SERVICE_UID}, 0);
                storeB = providers.queryRows(100, 0).stream()
                        .filter(r -> Arrays.equals(r.get(PropTags.PR_SERVICE_UID).asBinary(),
                                f.storeServiceB.toBytes()))
                        .map(r -> MapiUid.of(r.get(PropTags.PR_PROVIDER_UID).asBinary())).findFirst().orElseThrow();
                try (ProfileSection section = services.openProfileSection(storeB, Flags.MAPI_MODIFY)) {
                    int flags = section.getProp(PR_RESOURCE_FLAGS).map(PropValue::asInt).orElse(0);
                    assertThat(section.setProps(List.of(PropValue.ofInt(PR_RESOURCE_FLAGS,
                            flags | Flags.STATUS_TEMP_SECTION)))).isEmpty();
                }
            }
            MapiSession s = f.logon();
            List<EntryId> listed = Fixture.storeIds(s);
            assertThat(listed).hasSize(1);
            assertThat(listed).noneMatch(id -> MsgStoresTable.sectionOf(id).equals(storeB));
            MsgStore a = s.openMsgStore(0, listed.get(0), Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
            assertThat(Fixture.storeIds(s)).hasSize(1);
            a.release();
            s.release();
        }
    }

    // ---- R-MST-2 ------------------------------------------------------------------------------------------------

    @Test
    void R_MST_2_unicodeTablesAndUnknownFlags() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            try (MapiTable stores = s.getMsgStoresTable(Flags.MAPI_UNICODE)) {
                stores.setColumns(new int[] {PR_DISPLAY_NAME, PropTags.PR_PROVIDER_DISPLAY}, 0);
                for (Row r : stores.queryRows(10, 0)) {
                    assertThat(PropTag.type(r.get(PR_DISPLAY_NAME).tag())).isEqualTo(PropType.PT_UNICODE);
                    assertThat(PropTag.type(r.get(PropTags.PR_PROVIDER_DISPLAY).tag())).isEqualTo(PropType.PT_UNICODE);
                }
            }
            try (MapiTable status = s.getStatusTable(Flags.MAPI_UNICODE)) {
                status.setColumns(new int[] {PR_DISPLAY_NAME, PR_PROVIDER_DLL_NAME}, 0);
                List<Row> rows = status.queryRows(100, 0);
                assertThat(rows).isNotEmpty();
                for (Row r : rows) {
                    assertThat(PropTag.type(r.get(PR_DISPLAY_NAME).tag())).isEqualTo(PropType.PT_UNICODE);
                    assertThat(PropTag.type(r.get(PR_PROVIDER_DLL_NAME).tag())).isEqualTo(PropType.PT_UNICODE);
                }
            }
            assertMapiError(() -> s.getMsgStoresTable(0x1), HResult.MAPI_E_UNKNOWN_FLAGS);
            assertMapiError(() -> s.getStatusTable(0x1), HResult.MAPI_E_UNKNOWN_FLAGS);
            s.release();
        }
    }

    // ---- R-SUP-1 ------------------------------------------------------------------------------------------------

    private enum SupportMethod {
        NEW_UID, OPEN_PROFILE_SECTION, MAKE_INVALID, SET_PROVIDER_UID, SUBSCRIBE, UNSUBSCRIBE, NOTIFY,
        MODIFY_STATUS_ROW, OPEN_ENTRY, COMPARE_ENTRY_IDS, WRAP_STORE_ENTRY_ID, STORE_LOGOFF_TRANSPORTS, MODIFY_PROFILE,
        SPOOLER_NOTIFY, SPOOLER_YIELD
    }

    /** Spec &sect;8.1, restricted to the support kinds a provider logon gets. */
    private static Map<SupportMethod, Set<Kind>> matrix() {
        Set<Kind> all = EnumSet.of(Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
        Map<SupportMethod, Set<Kind>> m = new EnumMap<>(SupportMethod.class);
        for (SupportMethod x : SupportMethod.values()) {
            m.put(x, all);
        }
        m.put(SupportMethod.SET_PROVIDER_UID, EnumSet.of(Kind.ADDRESS_BOOK, Kind.STORE));
        m.put(SupportMethod.STORE_LOGOFF_TRANSPORTS, EnumSet.of(Kind.STORE));
        m.put(SupportMethod.MODIFY_PROFILE, EnumSet.of(Kind.STORE));
        m.put(SupportMethod.SPOOLER_NOTIFY, EnumSet.of(Kind.STORE, Kind.TRANSPORT));
        m.put(SupportMethod.SPOOLER_YIELD, EnumSet.of(Kind.TRANSPORT));
        return m;
    }

    /** Calls one method with harmless arguments; a supported method may still refuse them, never with NO_SUPPORT. */
    private static void call(MapiSupport support, SupportMethod method, EntryId storeUnwrapped) {
        byte[] key = {'s', 'u', 'p', '-', '1'};
        switch (method) {
            case NEW_UID -> support.newUid();
            case OPEN_PROFILE_SECTION -> support.openProfileSection(null, 0).release();
            case MAKE_INVALID -> {
                BaseMapiObject victim = new BaseMapiObject() { };
                try {
                    support.makeInvalid(0, victim);
                    assertThat(victim.isInvalid()).isTrue();
                } finally {
                    victim.release();
                }
            }
            case SET_PROVIDER_UID -> support.setProviderUid(MapiUid.random(), 0);
            case SUBSCRIBE -> support.unsubscribe(support.subscribe(key, Flags.fnevNewMail, 0, n -> 0));
            case UNSUBSCRIBE -> support.unsubscribe(Integer.MAX_VALUE);
            case NOTIFY -> support.notify(key, List.of(new Notification.NewMail(null, null, 0, "IPM.Note", 0)));
            case MODIFY_STATUS_ROW -> support.modifyStatusRow(
                    List.of(PropValue.ofString(PR_STATUS_STRING, "matrix")), Flags.STATUSROW_UPDATE);
            case OPEN_ENTRY -> support.openEntry(foreignId(), 0).release();
            case COMPARE_ENTRY_IDS -> support.compareEntryIds(foreignId(), foreignId(), 0);
            case WRAP_STORE_ENTRY_ID -> support.wrapStoreEntryId(storeUnwrapped);
            case STORE_LOGOFF_TRANSPORTS -> support.storeLogoffTransports(0); // refused as a parameter, no effect
            case MODIFY_PROFILE -> support.modifyProfile(Flags.MDB_TEMPORARY);
            case SPOOLER_NOTIFY -> support.spoolerNotify(Flags.NOTIFY_READYTOSEND, null);
            case SPOOLER_YIELD -> support.spoolerYield(0);
        }
    }

    @Test
    void R_SUP_1_everySupportMethodIsNoSupportExactlyWhereTheMatrixSays() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            EntryId unwrapped = MsgStoresTable.unwrap(Fixture.storeId(s, 0));
            Map<Kind, MapiSupport> supports = new EnumMap<>(Kind.class);
            supports.put(Kind.STORE, clientStore(s, 0).support);
            supports.put(Kind.TRANSPORT, transport(s).support);
            supports.put(Kind.ADDRESS_BOOK, openAddressBook(s).support);
            for (Map.Entry<Kind, MapiSupport> e : supports.entrySet()) {
                assertThat(e.getValue().kind()).isEqualTo(e.getKey());
            }

            List<String> failures = new ArrayList<>();
            int checked = 0;
            for (Map.Entry<SupportMethod, Set<Kind>> row : matrix().entrySet()) {
                for (Map.Entry<Kind, MapiSupport> sup : supports.entrySet()) {
                    boolean supported = row.getValue().contains(sup.getKey());
                    Integer hr = null;
                    try {
                        call(sup.getValue(), row.getKey(), unwrapped);
                    } catch (MapiException ex) {
                        hr = ex.hresult();
                    }
                    boolean noSupport = hr != null && hr == HResult.MAPI_E_NO_SUPPORT;
                    checked++;
                    if (supported == noSupport) {
                        failures.add(row.getKey() + " on " + sup.getKey() + ": expected "
                                + (supported ? "not NO_SUPPORT" : "MAPI_E_NO_SUPPORT") + ", got "
                                + (hr == null ? "S_OK" : HResult.name(hr)));
                    }
                }
            }
            assertThat(checked).isEqualTo(SupportMethod.values().length * 3);
            assertThat(failures).isEmpty();
            store.release();
            s.release();
        }
    }

    @Test
    void R_SUP_1_noSupportExamplesOfTheSpec() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MapiSupport ab = openAddressBook(s).support;
            MapiSupport xp = transport(s).support;
            assertMapiError(() -> ab.spoolerNotify(Flags.NOTIFY_READYTOSEND, null), HResult.MAPI_E_NO_SUPPORT);
            assertMapiError(() -> xp.storeLogoffTransports(Flags.LOGOFF_NO_WAIT), HResult.MAPI_E_NO_SUPPORT);
            assertMapiError(() -> ab.storeLogoffTransports(Flags.LOGOFF_ABORT), HResult.MAPI_E_NO_SUPPORT);
            assertMapiError(() -> ab.spoolerYield(0), HResult.MAPI_E_NO_SUPPORT);
            assertMapiError(() -> xp.modifyProfile(0), HResult.MAPI_E_NO_SUPPORT);
            s.release();
        }
    }
}
