package org.jmapi.runtime.testproviders;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.Notification;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;
import org.jmapi.spi.AbLogon;
import org.jmapi.spi.AbProvider;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.MsLogonResult;
import org.jmapi.spi.MsProvider;
import org.jmapi.spi.XpLogon;
import org.jmapi.spi.XpLogonResult;
import org.jmapi.spi.XpProvider;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.jmapi.prop.PropTags.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Drives the three test providers directly through the SPI, with a small but real {@link MapiSupport} defined
 * here, to prove that their logon, re-open, submission, logoff and shutdown behave as the runtime's tests will
 * expect. MAPI's release chain (R-SR-1) is played by the support object's final release, as in the runtime.
 */
class TestProvidersSelfTest {
    private static final MapiUid WRAP_UID = MapiUid.parse("77726170706564000000000000000001");
    private static final MapiUid SERVICE_SECTION = MapiUid.parse("73657276696365000000000000000001");
    private static final MapiUid PROVIDER_SECTION = MapiUid.parse("70726f76696465720000000000000001");

    private Profile profile;

    @BeforeEach
    void reset() {
        MemoryStoreData.resetAll();
        MemoryStoreProvider.STATS.reset();
        MemoryTransportProvider.STATS.reset();
        MemoryAbProvider.STATS.reset();
        profile = new Profile();
    }

    // ---- services -------------------------------------------------------------------------------------------

    @Test
    void serviceLoader_findsTheThreeServices() {
        Map<String, MessageService> found = new HashMap<>();
        ServiceLoader.load(MessageService.class).forEach(s -> found.put(s.name(), s));
        assertTrue(found.get(MemoryStoreService.NAME) instanceof MemoryStoreService);
        assertTrue(found.get(MemoryTransportService.NAME) instanceof MemoryTransportService);
        assertTrue(found.get(MemoryAbService.NAME) instanceof MemoryAbService);
        assertEquals(Flags.STATUS_DEFAULT_STORE, found.get(MemoryStoreService.NAME).providers().get(0).resourceFlags());
    }

    @Test
    void providerInit_newObjectEachCall_andVersionCheck() {
        MemoryStoreService s = new MemoryStoreService();
        MsProvider a = s.msProviderInit(Flags.CURRENT_SPI_VERSION);
        MsProvider b = s.msProviderInit(Flags.CURRENT_SPI_VERSION);
        assertNotSame(a, b);
        assertEquals(2, MemoryStoreProvider.STATS.created());
        assertCode(HResult.MAPI_E_VERSION, () -> s.msProviderInit(Flags.CURRENT_SPI_VERSION - 1));
        assertCode(HResult.MAPI_E_NO_SUPPORT, () -> s.xpProviderInit(Flags.CURRENT_SPI_VERSION));
        a.shutdown(0);
        a.release();
        b.release();
        assertEquals(1, MemoryStoreProvider.STATS.shutdowns());
        assertEquals(1, MemoryStoreProvider.STATS.releasedWithoutShutdown());
    }

    @Test
    void serviceEntry_configureStoresProps_providerCreateRefused() {
        TestSupport svc = profile.support(MapiSupport.Kind.SERVICE, SERVICE_SECTION);
        MemoryStoreService s = new MemoryStoreService();
        s.serviceEntry(Flags.MSG_SERVICE_CONFIGURE, svc, 0,
                List.of(PropValue.ofBoolean(TestHooks.PR_HOOK_UNCONFIGURED, false)));
        assertEquals(Boolean.FALSE, profile.section(SERVICE_SECTION).get(TestHooks.PR_HOOK_UNCONFIGURED).value());
        assertCode(HResult.MAPI_E_NO_SUPPORT, () -> s.serviceEntry(Flags.MSG_SERVICE_PROVIDER_CREATE, svc, 0, List.of()));
        s.serviceEntry(Flags.MSG_SERVICE_INSTALL, svc, 0, List.of());
    }

    // ---- store: logon -------------------------------------------------------------------------------------

    @Test
    void storeLogon_firstOpen_registersAndPublishes() {
        MsProvider provider = newStoreProvider();
        TestSupport support = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult r = provider.logon(support, 0, "p", null, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG, null);
        support.mapiDone();

        assertNotNull(r.logon());
        assertEquals(1, support.refCount(), "R-LOGON-1: the logon keeps a support reference after MAPI let go");
        PropertyBag section = profile.section(PROVIDER_SECTION);
        MapiUid uid = MapiUid.of(section.get(TestHooks.PR_STORE_UID).asBinary());
        assertEquals(List.of(uid), support.uids, "R-MS-6 SetProviderUID with the persisted UID");
        assertArrayEquals(uid.toBytes(), r.spoolSecurity(), "R-MS-5");
        assertEquals(1, support.rows.size());
        assertEquals(Flags.STATUS_VALIDATE_STATE, find(support.rows.get(0), PR_RESOURCE_METHODS).asInt());
        assertEquals(List.of(0), support.modifyProfileCalls);
        EntryId unwrapped = EntryId.of(section.get(PR_ENTRYID).asBinary());
        assertEquals(uid, unwrapped.providerUid());

        MsgStore store = r.store();
        assertArrayEquals(uid.toBytes(), store.getProp(PR_RECORD_KEY).orElseThrow().asBinary());
        assertEquals(support.wrapStoreEntryId(unwrapped), EntryId.of(store.getProp(PR_ENTRYID).orElseThrow().asBinary()));
        int mask = store.getProp(PR_STORE_SUPPORT_MASK).orElseThrow().asInt();
        assertEquals(MemoryStore.STORE_MODIFY_OK | MemoryStore.STORE_CREATE_OK,
                mask & (MemoryStore.STORE_MODIFY_OK | MemoryStore.STORE_CREATE_OK));
        assertEquals(Flags.MAPI_STORE, store.getProp(PR_OBJECT_TYPE).orElseThrow().asInt());

        closeStore(r, support, Flags.LOGOFF_ORDERLY);
        provider.shutdown(0);
        provider.release();
        assertEquals(1, MemoryStoreProvider.STATS.shutdowns());
    }

    @Test
    void storeLogon_reopen_returnsSameStoreWithoutSideEffects() {
        MsProvider provider = newStoreProvider();
        TestSupport s1 = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult first = provider.logon(s1, 0, "p", null, Flags.MDB_WRITE, null);
        s1.mapiDone();
        EntryId unwrapped = EntryId.of(profile.section(PROVIDER_SECTION).get(PR_ENTRYID).asBinary());

        TestSupport s2 = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult again = provider.logon(s2, 0, "p", unwrapped, Flags.MDB_WRITE, MsgStore.class);
        s2.mapiDone();
        assertNull(again.logon(), "R-MS-3: no logon on a re-open");
        assertSame(first.store(), again.store());
        assertEquals(0, again.spoolSecurity().length);
        assertTrue(s2.isDestroyed(), "R-MS-3: no support AddRef, MAPI's release was the last");
        assertTrue(s2.uids.isEmpty() && s2.rows.isEmpty());
        assertEquals(2, ((BaseMapiObject) first.store()).refCount());
        assertCode(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED,
                () -> provider.logon(s1, 0, "p", unwrapped, 0, MapiFolder.class));

        again.store().release();
        EntryId other = EntryId.create(0, MapiUid.random(), MemoryStoreData.STORE_ID_DATA);
        TestSupport s3 = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> provider.logon(s3, 0, "p", other, 0, null));
        assertEquals(1, s3.refCount());
        closeStore(first, s1, Flags.LOGOFF_ABORT);
        provider.shutdown(0);
    }

    @Test
    void storeLogon_readOnlyWithoutMdbWrite() {
        MsProvider provider = newStoreProvider();
        TestSupport support = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult r = provider.logon(support, 0, "p", null, 0, null);
        support.mapiDone();
        MsgStore store = r.store();
        int mask = store.getProp(PR_STORE_SUPPORT_MASK).orElseThrow().asInt();
        assertEquals(0, mask & (MemoryStore.STORE_MODIFY_OK | MemoryStore.STORE_CREATE_OK));
        assertCode(HResult.MAPI_E_NO_ACCESS, () -> store.setProps(List.of(PropValue.ofString(PR_COMMENT, "x"))));
        assertCode(HResult.MAPI_E_NO_ACCESS, () -> store.openEntry(null, Flags.MAPI_MODIFY));
        try (MapiFolder root = (MapiFolder) store.openEntry(null, 0)) {
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> root.createMessage(0));
            assertCode(HResult.MAPI_E_NO_ACCESS,
                    () -> root.createFolder(MapiFolder.FOLDER_GENERIC, "x", null, 0));
        }
        closeStore(r, support, Flags.LOGOFF_QUIET);
    }

    @Test
    void storeLogon_testHooks() {
        MsProvider provider = newStoreProvider();
        TestSupport support = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        PropertyBag section = profile.section(PROVIDER_SECTION);

        section.put(PropValue.ofBoolean(TestHooks.PR_HOOK_UNCONFIGURED, true));
        assertCode(HResult.MAPI_E_UNCONFIGURED, () -> provider.logon(support, 0, "p", null, 0, null));
        section.put(PropValue.ofBinary(PR_SERVICE_UID, SERVICE_SECTION.toBytes()));
        profile.section(SERVICE_SECTION).put(PropValue.ofBoolean(TestHooks.PR_HOOK_UNCONFIGURED, false));
        section.put(PropValue.ofInt(TestHooks.PR_HOOK_LOGON_ERROR, HResult.MAPI_E_FAILONEPROVIDER));
        assertCode(HResult.MAPI_E_FAILONEPROVIDER, () -> provider.logon(support, 0, "p", null, 0, null));
        assertEquals(1, support.refCount(), "a failed logon keeps no reference");
        section.remove(TestHooks.PR_HOOK_LOGON_ERROR);

        section.put(PropValue.ofBoolean(TestHooks.PR_HOOK_DROP_SUPPORT_REF, true));
        MsLogonResult r = provider.logon(support, 0, "p", null, 0, null);
        support.mapiDone();
        assertTrue(support.isDestroyed(), "the hook made the logon forget its support reference (R-LOGON-1 bug)");
        r.logon().logoff(0);
        r.logon().release();
        r.store().release();
    }

    // ---- store: messages and the queue --------------------------------------------------------------------

    @Test
    void submit_queue_lock_finish() {
        MsProvider provider = newStoreProvider();
        TestSupport cs = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult client = provider.logon(cs, 0, "p", null, Flags.MDB_WRITE, null);
        cs.mapiDone();
        MsgStore store = client.store();
        MemoryStoreData data = MemoryStoreData.forStore(MapiUid.of(store.getProp(PR_RECORD_KEY).orElseThrow().asBinary()));
        EntryId outboxId = EntryId.of(store.getProp(PR_IPM_OUTBOX_ENTRYID).orElseThrow().asBinary());
        EntryId sentId = EntryId.of(store.getProp(PR_IPM_SENTMAIL_ENTRYID).orElseThrow().asBinary());

        MapiFolder outbox = (MapiFolder) store.openEntry(outboxId, Flags.MAPI_MODIFY);
        MapiTable contents = outbox.getContentsTable(0);
        Message msg = outbox.createMessage(0);
        msg.setProps(List.of(PropValue.ofString(PR_SUBJECT, "first"),
                PropValue.ofBinary(PR_SENTMAIL_ENTRYID, sentId.toBytes())));
        assertTrue(msg.getProp(PR_ENTRYID).isEmpty(), "R-FM-1: no entry id before SaveChanges");
        assertEquals(0, contents.getRowCount(0));
        assertCode(HResult.MAPI_E_NO_RECIPIENTS, () -> msg.submitMessage(0));
        msg.getProps(null, 0);

        msg.modifyRecipients(0, List.of(recipient("Bob", "bob@localhost")));
        msg.modifyRecipients(Flags.MODRECIP_ADD, List.of(recipient("Alice", "alice@localhost")));
        try (MapiTable recips = msg.getRecipientTable(0)) {
            List<Row> rows = recips.queryRows(10, 0);
            assertEquals(2, rows.size());
            int aliceRow = rows.get(1).get(PR_ROWID).asInt();
            msg.modifyRecipients(Flags.MODRECIP_REMOVE, List.of(List.of(PropValue.ofInt(PR_ROWID, aliceRow))));
            assertEquals(1, recips.getRowCount(0));
        }
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> msg.modifyRecipients(Flags.MODRECIP_ADD,
                List.of(List.of(PropValue.of(PR_DISPLAY_NAME & 0xFFFF0000 | 0x0001, null)))));
        Attach att = msg.createAttach(0);
        att.setProps(List.of(PropValue.ofString(PR_ATTACH_FILENAME, "a.txt")));
        att.saveChanges(Flags.KEEP_OPEN_READWRITE);
        assertEquals("Bob", msg.getProp(PR_DISPLAY_TO).orElseThrow().asString());

        EntryId firstId = submitAndGetId(msg);
        assertEquals(List.of(Flags.NOTIFY_READYTOSEND), cs.spoolerNotifies, "R-SUB-3");
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> msg.getProps(null, 0));
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> att.getProps(null, 0));
        msg.release();
        att.release();
        assertEquals(1, contents.getRowCount(0), "R-FM-1: the row appears with SaveChanges");
        contents.release();

        Message second = outbox.createMessage(0);
        second.setProps(List.of(PropValue.ofString(PR_SUBJECT, "second")));
        second.modifyRecipients(0, List.of(recipient("Bob", "bob@localhost")));
        EntryId secondId = submitAndGetId(second);
        second.release();
        assertEquals(1, cs.spoolerNotifies.size(), "R-SUB-3: once per logon");
        assertEquals(List.of("first", "second"), data.queuedSubjects());

        assertCode(HResult.MAPI_E_SUBMITTED, () -> store.openEntry(firstId, Flags.MAPI_MODIFY));
        try (Message ro = (Message) store.openEntry(firstId, Flags.MAPI_BEST_ACCESS)) {
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> ro.setProps(List.of(PropValue.ofString(PR_SUBJECT, "x"))));
            assertEquals(Flags.MSGFLAG_SUBMIT, ro.getProp(PR_MESSAGE_FLAGS).orElseThrow().asInt() & Flags.MSGFLAG_SUBMIT);
        }
        assertCode(HResult.MAPI_E_NO_SUPPORT, () -> store.getOutgoingQueue(0));

        // The spooler's side.
        TestSupport ss = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        EntryId unwrapped = EntryId.of(profile.section(PROVIDER_SECTION).get(PR_ENTRYID).asBinary());
        MsLogonResult spooler = provider.spoolerLogon(ss, 0, "p", unwrapped, Flags.MDB_WRITE, client.spoolSecurity());
        ss.mapiDone();
        assertNotSame(client.store(), spooler.store());
        assertEquals(cs.uids, ss.uids, "the spooler logon registers the same UID");
        assertTrue(ss.rows.isEmpty());
        MsgStore sp = spooler.store();
        try (MapiTable queue = sp.getOutgoingQueue(0)) {
            List<Row> rows = queue.queryRows(10, 0);
            assertEquals(List.of("first", "second"), rows.stream().map(x -> x.get(PR_SUBJECT).asString()).toList());
            assertTrue(rows.get(0).get(PR_CLIENT_SUBMIT_TIME).asTime().isBefore(rows.get(1).get(PR_CLIENT_SUBMIT_TIME).asTime()));
        }
        Message locked = (Message) sp.openEntry(firstId, Flags.MAPI_MODIFY);
        sp.setLockState(locked, Flags.MSG_LOCKED);
        assertEquals(1, data.lockedCount());
        assertCode(HResult.MAPI_E_UNABLE_TO_ABORT, () -> store.abortSubmit(firstId, 0));
        assertCode(HResult.MAPI_E_NO_ACCESS, () -> store.openEntry(firstId, 0));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> sp.finishedMsg(0, secondId));
        sp.finishedMsg(0, firstId);
        locked.release();
        assertEquals(1, data.queuedCount());
        assertEquals(1, data.messageCount(MemoryStoreData.SENT_ITEMS_NAME), "R-OQ-5: moved to Sent Items");
        assertEquals(1, data.messageCount(MemoryStoreData.OUTBOX_NAME));
        store.abortSubmit(secondId, 0);
        assertCode(HResult.MAPI_E_NOT_IN_QUEUE, () -> store.abortSubmit(secondId, 0));
        assertEquals(0, data.queuedCount());
        assertEquals(HResult.S_OK, outbox.deleteMessages(List.of(secondId), 0));
        assertEquals(0, data.messageCount(MemoryStoreData.OUTBOX_NAME));
        outbox.release();

        // Spooler logon goes first here (MAPI's order does not matter to the store).
        ss.chain(spooler);
        spooler.store().release();
        assertTrue(ss.isDestroyed());
        assertTrue(((BaseMapiObject) spooler.logon()).isDestroyed());
        closeStore(client, cs, Flags.LOGOFF_NO_WAIT);
        assertEquals(List.of(), ss.sltCalls, "R-SL-3: spooler logons never call SLT");
        provider.shutdown(0);
    }

    @Test
    void queuedMail_survivesLogoff_locksDoNot() {
        MsProvider provider = newStoreProvider();
        TestSupport cs = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult client = provider.logon(cs, 0, "p", null, Flags.MDB_WRITE, null);
        cs.mapiDone();
        EntryId unwrapped = EntryId.of(profile.section(PROVIDER_SECTION).get(PR_ENTRYID).asBinary());
        TestSupport ss = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult spooler = provider.spoolerLogon(ss, 0, "p", unwrapped, 0, new byte[0]);
        ss.mapiDone();
        MemoryStoreData data = MemoryStoreData.forStore(unwrapped.providerUid());
        EntryId id;
        try (MapiFolder outbox = (MapiFolder) client.store().openEntry(
                EntryId.of(client.store().getProp(PR_IPM_OUTBOX_ENTRYID).orElseThrow().asBinary()), 0)) {
            Message m = outbox.createMessage(0);
            m.modifyRecipients(0, List.of(recipient("Bob", "bob@localhost")));
            id = submitAndGetId(m);
            m.release();
        }
        try (Message m = (Message) spooler.store().openEntry(id, Flags.MAPI_MODIFY)) {
            spooler.store().setLockState(m, Flags.MSG_LOCKED);
        }
        assertEquals(2, data.liveLogons());
        closeStore(client, cs, Flags.LOGOFF_ORDERLY);
        assertEquals(1, data.lockedCount(), "locks live while a logon does");
        spooler.logon().logoff(0);
        spooler.logon().release();
        spooler.store().release();
        provider.shutdown(0);
        provider.release();

        assertEquals(1, data.queuedCount(), "R-MAIL-1: still queued");
        assertEquals(0, data.lockedCount(), "R-OQ-2: the lock did not survive");
        MsProvider later = newStoreProvider();
        TestSupport again = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult r = later.logon(again, 0, "p", unwrapped, Flags.MDB_WRITE, null);
        again.mapiDone();
        assertEquals(List.of(unwrapped.providerUid()), again.uids, "R-UID-2: the same UID in a later session");
        assertSame(data, MemoryStoreData.forStore(unwrapped.providerUid()));
        closeStore(r, again, Flags.LOGOFF_ABORT);
        later.shutdown(0);
    }

    @Test
    void notifyNewMail_reachesStoreSinks() {
        MsProvider provider = newStoreProvider();
        TestSupport cs = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult client = provider.logon(cs, 0, "p", null, Flags.MDB_WRITE, null);
        cs.mapiDone();
        EntryId unwrapped = EntryId.of(profile.section(PROVIDER_SECTION).get(PR_ENTRYID).asBinary());
        TestSupport ss = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult spooler = provider.spoolerLogon(ss, 0, "p", unwrapped, 0, new byte[0]);
        ss.mapiDone();
        List<Notification> got = new CopyOnWriteArrayList<>();
        int conn = client.store().advise(null, Flags.fnevNewMail, n -> {
            got.addAll(n);
            return 0;
        });
        assertNotEquals(0, conn);
        Notification.NewMail n = new Notification.NewMail(unwrapped, unwrapped, 0, "IPM.Note", 0);
        assertCode(HResult.MAPI_E_NO_SUPPORT, () -> client.store().notifyNewMail(n));
        spooler.store().notifyNewMail(n);
        assertEquals(List.of(n), got, "R-OQ-7");
        client.store().unadvise(conn);
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> client.store().unadvise(conn));
        ss.chain(spooler);
        spooler.store().release();
        closeStore(client, cs, Flags.LOGOFF_ABORT);
        provider.shutdown(0);
    }

    @Test
    void receiveFolders_walkTheClass() {
        MsProvider provider = newStoreProvider();
        TestSupport cs = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult client = provider.logon(cs, 0, "p", null, Flags.MDB_WRITE, null);
        cs.mapiDone();
        MsgStore store = client.store();
        MsgStore.ReceiveFolder def = store.getReceiveFolder("IPM.Note", 0);
        assertEquals("", def.explicitClass());
        EntryId folderId;
        try (MapiFolder root = (MapiFolder) store.openEntry(null, 0);
             MapiFolder f = root.createFolder(MapiFolder.FOLDER_GENERIC, "Reports", null, 0)) {
            folderId = EntryId.of(f.getProp(PR_ENTRYID).orElseThrow().asBinary());
            assertCode(HResult.MAPI_E_COLLISION, () -> root.createFolder(MapiFolder.FOLDER_GENERIC, "reports", null, 0));
            root.createFolder(MapiFolder.FOLDER_GENERIC, "Reports", null, MapiFolder.OPEN_IF_EXISTS).release();
        }
        store.setReceiveFolder("IPM.Report", 0, folderId);
        MsgStore.ReceiveFolder rf = store.getReceiveFolder("IPM.Report.Delivery", 0);
        assertEquals("IPM.Report", rf.explicitClass());
        assertTrue(store.compareEntryIds(folderId, rf.folderId(), 0));
        store.setReceiveFolder("IPM.Report", 0, null);
        assertEquals(def.folderId(), store.getReceiveFolder("IPM.Report.Delivery", 0).folderId());
        closeStore(client, cs, Flags.LOGOFF_ABORT);
        provider.shutdown(0);
    }

    // ---- store: shutdown paths ----------------------------------------------------------------------------

    @Test
    void releaseOnly_callsSltAbortOnce_thenChain() {
        MsProvider provider = newStoreProvider();
        TestSupport support = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult r = provider.logon(support, 0, "p", null, Flags.MDB_WRITE, null);
        support.mapiDone();
        support.chain(r);
        assertCode(HResult.MAPI_E_CALL_FAILED, () -> provider.shutdown(0));
        r.store().release();
        assertEquals(List.of(Flags.LOGOFF_ABORT), support.sltCalls, "R-SL-4");
        assertTrue(support.isDestroyed(), "the store released its support object");
        assertTrue(((BaseMapiObject) r.logon()).isDestroyed());
        assertEquals(0, MemoryStoreProvider.STATS.liveLogons());
        provider.shutdown(0);
        assertTrue(((MemoryStoreProvider) provider).isShutdown());
    }

    @Test
    void forcedLogoff_invalidatesEverything_supportReleasedLast() {
        MsProvider provider = newStoreProvider();
        TestSupport support = profile.support(MapiSupport.Kind.STORE, PROVIDER_SECTION);
        MsLogonResult r = provider.logon(support, 0, "p", null, Flags.MDB_WRITE, null);
        support.mapiDone();
        MsgStore store = r.store();
        MapiFolder root = (MapiFolder) store.openEntry(null, Flags.MAPI_MODIFY);
        MapiTable hierarchy = root.getHierarchyTable(0);
        assertEquals(1, hierarchy.getRowCount(0));
        Message draft = root.createMessage(0);
        MapiStatus status = r.logon().openStatusEntry(0);
        assertEquals(Flags.MAPI_STATUS, status.getProp(PR_OBJECT_TYPE).orElseThrow().asInt());
        assertCode(HResult.MAPI_E_NO_SUPPORT, () -> status.flushQueues(0, null, Flags.FLUSH_UPLOAD));
        List<MapiObject> open = List.of(store, root, hierarchy, draft, status);
        support.onFinalRelease = () -> {
            for (MapiObject o : open) {
                assertTrue(((BaseMapiObject) o).isInvalid(), "invalid before the support release: " + o);
            }
        };

        r.logon().logoff(0);
        assertEquals(List.of(Flags.LOGOFF_ABORT), support.sltCalls, "R-SL-3 forced path");
        assertTrue(support.isDestroyed());
        assertNull(support.finalReleaseFailure, String.valueOf(support.finalReleaseFailure));
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> root.getContentsTable(0));
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> hierarchy.getRowCount(0));
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> draft.saveChanges(0));
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> store.getProps(null, 0));
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> status.validateState(0, 0));
        open.forEach(MapiObject::release);
        r.logon().release();
        store.release();
        assertEquals(List.of(Flags.LOGOFF_ABORT), support.sltCalls, "no second SLT");
        provider.shutdown(0);
    }

    // ---- transport ------------------------------------------------------------------------------------------

    @Test
    void transport_lifecycle() {
        XpProvider provider = new MemoryTransportService().xpProviderInit(Flags.CURRENT_SPI_VERSION);
        TestSupport support = profile.support(MapiSupport.Kind.TRANSPORT, PROVIDER_SECTION);
        MemoryTransportProvider.setPendingInbound("p", 3);
        XpLogonResult r = provider.transportLogon(support, 0, "p", Flags.LOGON_NO_INBOUND | Flags.LOGON_NO_OUTBOUND);
        support.mapiDone();
        XpLogon logon = r.logon();
        assertEquals(Flags.LOGON_SP_POLL, r.flags());
        assertEquals(1, support.refCount());
        assertEquals(Flags.STATUS_AVAILABLE, find(support.rows.get(0), PR_STATUS_CODE).asInt());
        assertEquals(List.of("MEMXP"), logon.addressTypes(0).types());
        assertEquals(List.of(MemoryTransportProvider.ADDRESS_TYPE_UID), logon.addressTypes(0).uids());

        int in = Flags.NOTIFY_BEGIN_INBOUND | Flags.NOTIFY_BEGIN_OUTBOUND;
        assertEquals(in, logon.transportNotify(in, null));
        int code = find(support.rows.get(0), PR_STATUS_CODE).asInt();
        assertEquals(Flags.STATUS_INBOUND_ENABLED | Flags.STATUS_OUTBOUND_ENABLED,
                code & (Flags.STATUS_INBOUND_ENABLED | Flags.STATUS_OUTBOUND_ENABLED));
        assertEquals(Flags.STATUSROW_UPDATE, support.rowFlags.get(support.rowFlags.size() - 1));
        logon.transportNotify(Flags.NOTIFY_END_OUTBOUND, null);
        assertEquals(0, find(support.rows.get(0), PR_STATUS_CODE).asInt() & Flags.STATUS_OUTBOUND_ENABLED);
        assertEquals(3, logon.poll());
        assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> logon.validateState(0, 0x2));

        MapiStatus status = logon.openStatusEntry(Flags.MAPI_MODIFY);
        MapiStatus same = logon.openStatusEntry(0);
        assertSame(status, same);
        same.release();
        status.flushQueues(0, null, Flags.FLUSH_UPLOAD);
        assertEquals(Flags.STATUS_OUTBOUND_FLUSH,
                find(support.rows.get(0), PR_STATUS_CODE).asInt() & Flags.STATUS_OUTBOUND_FLUSH);
        assertEquals(Flags.STATUS_VALIDATE_STATE | Flags.STATUS_FLUSH_QUEUES,
                status.getProp(PR_RESOURCE_METHODS).orElseThrow().asInt());
        assertCode(HResult.MAPI_E_NO_SUPPORT, () -> status.settingsDialog(0, 0));

        assertCode(HResult.MAPI_E_CALL_FAILED, () -> provider.shutdown(0));
        assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> logon.transportLogoff(0x2));
        assertTrue(support.isDestroyed(), "R-LOFF-3: logged off anyway, support released");
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> logon.poll());
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> status.validateState(0, 0));
        provider.shutdown(0);
        status.release();
        logon.release();
        provider.release();
        MemoryTransportProvider.setPendingInbound("p", 0);

        XpProvider second = new MemoryTransportService().xpProviderInit(Flags.CURRENT_SPI_VERSION);
        TestSupport s2 = profile.support(MapiSupport.Kind.TRANSPORT, PROVIDER_SECTION);
        XpLogon l2 = second.transportLogon(s2, 0, "p", 0).logon();
        s2.mapiDone();
        l2.release();
        assertTrue(s2.isDestroyed(), "R-LOFF-5: final release logs off");
        second.shutdown(0);
        assertEquals(2, MemoryTransportProvider.STATS.shutdowns());
    }

    // ---- address book -------------------------------------------------------------------------------------

    @Test
    void addressBook_lifecycle() {
        AbProvider provider = new MemoryAbService().abProviderInit(Flags.CURRENT_SPI_VERSION);
        TestSupport s1 = profile.support(MapiSupport.Kind.ADDRESS_BOOK, PROVIDER_SECTION);
        TestSupport s2 = profile.support(MapiSupport.Kind.ADDRESS_BOOK, PROVIDER_SECTION);
        AbLogon a = provider.logon(s1, 0, "p", Flags.AB_NO_DIALOG);
        s1.mapiDone();
        AbLogon b = provider.logon(s2, 0, "p", 0);
        s2.mapiDone();
        assertNotSame(a, b);
        assertEquals(List.of(MemoryAbProvider.AB_UID), s1.uids);
        assertEquals(1, s1.refCount());

        MapiProp root = (MapiProp) a.openEntry(null, 0);
        assertEquals(Flags.MAPI_ABCONT, root.getProp(PR_OBJECT_TYPE).orElseThrow().asInt());
        MapiProp bob = (MapiProp) a.openEntry(MemoryAbProvider.entryIdOf("bob@localhost"), 0);
        assertEquals("Bob", bob.getProp(PR_DISPLAY_NAME).orElseThrow().asString());
        assertEquals("SMTP", bob.getProp(PR_ADDRTYPE).orElseThrow().asString());
        assertEquals(Flags.MAPI_MAILUSER, bob.getProp(PR_OBJECT_TYPE).orElseThrow().asInt());
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> a.openEntry(MemoryAbProvider.entryIdOf("carol@localhost"), 0));
        assertCode(HResult.MAPI_E_INVALID_ENTRYID,
                () -> a.openEntry(EntryId.create(0, MapiUid.random(), new byte[] {1}), 0));
        assertTrue(a.compareEntryIds(MemoryAbProvider.entryIdOf("bob@localhost"),
                MemoryAbProvider.entryIdOf("bob@localhost"), 0));
        assertCode(HResult.MAPI_E_NO_SUPPORT, () -> a.openStatusEntry(0));
        assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> a.logoff(1));

        a.logoff(0);
        assertTrue(s1.isDestroyed());
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> bob.getProps(null, 0));
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> a.openEntry(null, 0));
        root.release();
        bob.release();
        a.release();
        assertCode(HResult.MAPI_E_CALL_FAILED, () -> provider.shutdown(0));
        b.release();
        assertTrue(s2.isDestroyed(), "R-LOFF-5");
        provider.shutdown(0);
        provider.release();
        assertEquals(1, MemoryAbProvider.STATS.shutdowns());
        assertEquals(0, MemoryAbProvider.STATS.liveLogons());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static MsProvider newStoreProvider() {
        return new MemoryStoreService().msProviderInit(Flags.CURRENT_SPI_VERSION);
    }

    private static List<PropValue> recipient(String name, String address) {
        return List.of(PropValue.ofString(PR_DISPLAY_NAME, name), PropValue.ofInt(PR_RECIPIENT_TYPE, Flags.MAPI_TO),
                PropValue.ofString(PR_ADDRTYPE, "SMTP"), PropValue.ofString(PR_EMAIL_ADDRESS, address),
                PropValue.ofBinary(PR_ENTRYID, MemoryAbProvider.entryIdOf(address).toBytes()));
    }

    /** Saves, reads PR_ENTRYID (as a client that may abort must, R-SUB-1) and submits. */
    private static EntryId submitAndGetId(Message m) {
        m.saveChanges(Flags.KEEP_OPEN_READWRITE);
        EntryId id = EntryId.of(m.getProp(PR_ENTRYID).orElseThrow().asBinary());
        m.submitMessage(0);
        return id;
    }

    /** P1: StoreLogoff(flags), the client's release, MAPI's chain (played by the support object). */
    private static void closeStore(MsLogonResult r, TestSupport support, int flags) {
        support.chain(r);
        int out = r.store().storeLogoff(flags);
        assertEquals(Flags.LOGOFF_COMPLETE, out);
        assertEquals(List.of(flags), support.sltCalls, "R-SL-2");
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> r.store().storeLogoff(flags));
        r.store().release();
        assertEquals(List.of(flags), support.sltCalls, "R-SL-3: exactly once");
        assertTrue(support.isDestroyed());
        assertTrue(((BaseMapiObject) r.logon()).isDestroyed(), "store and logon die together");
    }

    private static PropValue find(List<PropValue> row, int tag) {
        return MemoryStoreData.find(row, tag);
    }

    private static void assertCode(int hresult, Executable call) {
        MapiException e = assertThrows(MapiException.class, call);
        assertEquals(HResult.name(hresult), HResult.name(e.hresult()), e.getMessage());
    }

    // ---- a tiny real MAPI side ------------------------------------------------------------------------------

    /** The profile (sections by UID) and the session's notification subscriptions. */
    private static final class Profile {
        private final Map<MapiUid, PropertyBag> sections = new ConcurrentHashMap<>();
        private final Map<Integer, Object[]> subscriptions = new ConcurrentHashMap<>();
        private final AtomicInteger connections = new AtomicInteger();

        PropertyBag section(MapiUid uid) {
            return sections.computeIfAbsent(uid, u -> new PropertyBag());
        }

        TestSupport support(MapiSupport.Kind kind, MapiUid own) {
            return new TestSupport(this, kind, own);
        }
    }

    /** A support object: records what providers ask of MAPI and plays the release chain at its final release. */
    private static final class TestSupport extends BaseMapiObject implements MapiSupport {
        private final Profile profile;
        private final MapiSupport.Kind kind;
        private final MapiUid own;
        final List<MapiUid> uids = new CopyOnWriteArrayList<>();
        final List<List<PropValue>> rows = new CopyOnWriteArrayList<>();
        final List<Integer> rowFlags = new CopyOnWriteArrayList<>();
        final List<Integer> sltCalls = new CopyOnWriteArrayList<>();
        final List<Integer> modifyProfileCalls = new CopyOnWriteArrayList<>();
        final List<Integer> spoolerNotifies = new CopyOnWriteArrayList<>();
        volatile Runnable onFinalRelease = () -> { };
        volatile Runnable releaseChain = () -> { };
        volatile Throwable finalReleaseFailure;

        TestSupport(Profile profile, MapiSupport.Kind kind, MapiUid own) {
            this.profile = profile;
            this.kind = kind;
            this.own = own;
        }

        /** MAPI lets go of its own reference once the logon call returned: the provider's is the last one. */
        void mapiDone() {
            release();
        }

        /** MAPI's part after the support's final release (R-SR-1 steps 4-5): Logoff unless done, release logon. */
        void chain(MsLogonResult r) {
            releaseChain = () -> {
                BaseMapiObject logon = (BaseMapiObject) r.logon();
                if (!logon.isInvalid()) {
                    r.logon().logoff(0);
                }
                r.logon().release();
            };
        }

        @Override
        protected void onFinalRelease() {
            try {
                onFinalRelease.run();
                releaseChain.run();
            } catch (Throwable t) {
                finalReleaseFailure = t;
            }
        }

        private void require(MapiSupport.Kind... kinds) {
            checkValid();
            if (!Arrays.asList(kinds).contains(kind)) {
                throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "not on a " + kind + " support object");
            }
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public MapiUid newUid() {
            checkValid();
            return MapiUid.random();
        }

        @Override
        public ProfileSection openProfileSection(MapiUid uid, int flags) {
            checkValid();
            Flags.checkKnown(flags, Flags.MAPI_MODIFY, "OpenProfileSection");
            MapiUid which = uid == null ? own : uid;
            if (!profile.sections.containsKey(which) && (flags & Flags.MAPI_MODIFY) == 0) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no section " + which);
            }
            return new TestSection(which, profile.section(which), (flags & Flags.MAPI_MODIFY) != 0);
        }

        @Override
        public void makeInvalid(int flags, MapiObject object) {
            checkValid();
            ((BaseMapiObject) object).invalidate();
        }

        @Override
        public void setProviderUid(MapiUid uid, int flags) {
            require(Kind.ADDRESS_BOOK, Kind.STORE);
            uids.add(uid);
        }

        @Override
        public int subscribe(byte[] key, int eventMask, int flags, AdviseSink sink) {
            require(Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
            int c = profile.connections.incrementAndGet();
            profile.subscriptions.put(c, new Object[] {key.clone(), eventMask, sink});
            return c;
        }

        @Override
        public void unsubscribe(int connection) {
            require(Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
            if (profile.subscriptions.remove(connection) == null) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no connection " + connection);
            }
        }

        @Override
        public int notify(byte[] key, List<Notification> notifications) {
            require(Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
            for (Object[] s : profile.subscriptions.values()) {
                List<Notification> matching = notifications.stream()
                        .filter(n -> (n.eventType() & (Integer) s[1]) != 0).toList();
                if (Arrays.equals((byte[]) s[0], key) && !matching.isEmpty()) {
                    ((AdviseSink) s[2]).onNotify(matching);
                }
            }
            return 0;
        }

        @Override
        public void modifyStatusRow(List<PropValue> props, int flags) {
            require(Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
            rowFlags.add(flags);
            if (flags == 0) {
                rows.add(List.copyOf(props));
            } else {
                List<PropValue> merged = rows.get(0);
                for (PropValue v : props) {
                    merged = MemoryStoreData.with(merged, v);
                }
                rows.set(0, merged);
            }
        }

        @Override
        public MapiObject openEntry(EntryId entryId, int flags) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "not needed by the self-test");
        }

        @Override
        public boolean compareEntryIds(EntryId a, EntryId b, int flags) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "not needed by the self-test");
        }

        @Override
        public EntryId wrapStoreEntryId(EntryId unwrapped) {
            return EntryId.create(0, WRAP_UID, unwrapped.toBytes());
        }

        @Override
        public int storeLogoffTransports(int flags) {
            require(Kind.STORE);
            Flags.checkLogoffInput(flags);
            sltCalls.add(flags);
            return Flags.LOGOFF_COMPLETE;
        }

        @Override
        public void modifyProfile(int flags) {
            require(Kind.STORE);
            modifyProfileCalls.add(flags);
        }

        @Override
        public void spoolerNotify(int flags, Object data) {
            require(Kind.STORE, Kind.TRANSPORT);
            spoolerNotifies.add(flags);
        }

        @Override
        public int spoolerYield(int flags) {
            require(Kind.TRANSPORT);
            return HResult.S_OK;
        }

        @Override
        public int prepareSubmit(org.jmapi.client.Message message, int flags) {
            require(Kind.STORE);
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "not exercised by the self test");
        }

        @Override
        public int expandRecips(org.jmapi.client.Message message) {
            require(Kind.STORE);
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "not exercised by the self test");
        }

        @Override
        public void statusRecips(org.jmapi.client.Message message, List<List<PropValue>> recipients) {
            require(Kind.TRANSPORT);
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "not exercised by the self test");
        }
    }

    /** A profile section: non-transacted, secure properties only by explicit tag (R-PROF-1, R-PROF-3). */
    private static final class TestSection extends BaseMapiObject implements ProfileSection {
        private final MapiUid uid;
        private final PropertyBag bag;
        private final boolean writable;

        TestSection(MapiUid uid, PropertyBag bag, boolean writable) {
            this.uid = uid;
            this.bag = bag;
            this.writable = writable;
        }

        private void checkWritable() {
            checkValid();
            if (!writable) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "read-only section");
            }
        }

        @Override
        public MapiUid uid() {
            return uid;
        }

        @Override
        public PropValues getProps(int[] tags, int flags) {
            checkValid();
            return bag.getProps(tags, flags);
        }

        @Override
        public List<PropProblem> setProps(List<PropValue> values) {
            checkWritable();
            return bag.setProps(values);
        }

        @Override
        public List<PropProblem> deleteProps(int[] tags) {
            checkWritable();
            return bag.deleteProps(tags);
        }

        @Override
        public int[] getPropList(int flags) {
            checkValid();
            return bag.getPropList(flags);
        }

        @Override
        public void saveChanges(int flags) {
            checkValid();
        }

        @Override
        public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "profile sections have no named properties");
        }

        @Override
        public List<NamedProperty> getNamesFromIds(int[] tags) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "profile sections have no named properties");
        }
    }
}
