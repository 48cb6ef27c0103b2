package org.jmapi.runtime.testproviders;

import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MsLogonResult;
import org.jmapi.spi.MsProvider;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.jmapi.prop.PropTags.*;

/**
 * The memory store's IMSProvider: one object per configured store per session (R-LOAD-3).
 *
 * <p><b>Identity</b> (R-UID-2): a store is named by a MAPIUID kept in the provider's own profile section under
 * {@link TestHooks#PR_STORE_UID}, created with {@link MapiUid#random()} at its first logon ever. Its unwrapped entry
 * id is {@code EntryId.create(0, uid, {'M','S',1})}; its contents live in {@link MemoryStoreData#forStore(MapiUid)}
 * and survive logoff.
 *
 * <p><b>Logon</b> (R-MS-1..6): a first open applies the {@link TestHooks} configuration checks, creates the
 * store/logon pair (which AddRefs the support object), publishes PR_ENTRYID, PR_RECORD_KEY, PR_PROVIDER_DISPLAY
 * (and PR_DISPLAY_NAME when absent) in the section, calls SetProviderUID, adds its status row, calls ModifyProfile
 * with the MDB_TEMPORARY bit, and returns the UID bytes as spool security. A re-open of a store this object has open
 * returns that store AddRef'ed and nothing else (R-MS-3). Without MDB_WRITE the store is read-only (R-MS-8/9).
 *
 * <p><b>SpoolerLogon</b> (R-MS-7): a separate, always writable, spooler-marked store over the same data; it registers
 * the same UID (routing goes to the earliest registration, R-UID-4) and adds no status row.
 *
 * <p><b>Shutdown</b> (R-SR-3): allowed only when none of this object's logons is alive (else MAPI_E_CALL_FAILED,
 * a runtime bug the tests catch); counted in {@link #STATS}.
 */
public final class MemoryStoreProvider extends BaseMapiObject implements MsProvider {
    /** Counters over every memory-store provider object. */
    public static final ProviderStats STATS = new ProviderStats();

    private static final int LOGON_FLAGS = Flags.MDB_NO_DIALOG | Flags.MDB_WRITE | Flags.MAPI_DEFERRED_ERRORS
            | Flags.MDB_TEMPORARY | Flags.MDB_NO_MAIL;

    private final Object logonLock = new Object();
    private final List<MemoryStore> openStores = new CopyOnWriteArrayList<>();
    private final AtomicInteger liveLogons = new AtomicInteger();
    private volatile boolean shutdownCalled;

    /** Created by {@link MemoryStoreService#msProviderInit}. */
    MemoryStoreProvider() {
        STATS.providerCreated();
    }

    /** @return whether Shutdown ran */
    public boolean isShutdown() {
        return shutdownCalled;
    }

    /** @return logons of this object (client and spooler) whose logon object is not destroyed yet */
    public int liveLogons() {
        return liveLogons.get();
    }

    private void checkUsable() {
        checkValid();
        if (shutdownCalled) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "the provider object was already shut down");
        }
    }

    @Override
    public MsLogonResult logon(MapiSupport support, long uiParam, String profileName, EntryId entryId, int flags,
                               Class<? extends MapiObject> iface) {
        checkUsable();
        Flags.checkKnown(flags, LOGON_FLAGS, "IMSProvider::Logon");
        if (support == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "IMSProvider::Logon: no support object");
        }
        if (iface != null && !iface.isAssignableFrom(MemoryStore.class)) {
            throw new MapiException(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED,
                    "the memory store does not implement " + iface.getSimpleName());
        }
        synchronized (logonLock) {
            if (entryId != null) {
                for (MemoryStore open : openStores) {
                    if (!open.isInvalid() && compareStoreIds(entryId, open.data().storeEntryId(), 0)) {
                        open.addRef();
                        return MsLogonResult.reopened(open);
                    }
                }
            }
            return firstOpen(support, entryId, flags);
        }
    }

    private MsLogonResult firstOpen(MapiSupport support, EntryId entryId, int flags) {
        try (ProfileSection section = support.openProfileSection(null, Flags.MAPI_MODIFY)) {
            TestHooks.checkLogon(support, section);
            MapiUid uid = storeUid(section);
            EntryId storeId = EntryId.create(0, uid, MemoryStoreData.STORE_ID_DATA);
            if (entryId != null && !compareStoreIds(entryId, storeId, 0)) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "this profile's memory store is " + uid);
            }
            Optional<PropValue> name = TestHooks.read(section, PR_DISPLAY_NAME);
            String displayName = name.map(PropValue::asString).orElse(MemoryStoreService.DISPLAY_NAME);
            List<PropValue> publish = new ArrayList<>(List.of(
                    PropValue.ofBinary(PR_ENTRYID, storeId.toBytes()),
                    PropValue.ofBinary(PR_RECORD_KEY, uid.toBytes()),
                    PropValue.ofString(PR_PROVIDER_DISPLAY, MemoryStoreService.DISPLAY_NAME)));
            if (name.isEmpty()) {
                publish.add(PropValue.ofString(PR_DISPLAY_NAME, displayName));
            }
            section.setProps(publish);
            boolean dropSupportRef = TestHooks.read(section, TestHooks.PR_HOOK_DROP_SUPPORT_REF)
                    .map(PropValue::asBoolean).orElse(false);
            EntryId wrapped = support.wrapStoreEntryId(storeId);

            MemoryStore store = new MemoryStore(this, support, false, MemoryStoreData.obtain(uid),
                    (flags & Flags.MDB_WRITE) != 0, wrapped, displayName);
            try {
                if (dropSupportRef) {
                    support.release();
                }
                support.setProviderUid(uid, 0);
                support.modifyStatusRow(List.of(
                        PropValue.ofString(PR_DISPLAY_NAME, displayName),
                        PropValue.ofString(PR_PROVIDER_DISPLAY, MemoryStoreService.DISPLAY_NAME),
                        PropValue.ofInt(PR_STATUS_CODE, Flags.STATUS_AVAILABLE),
                        PropValue.ofInt(PR_RESOURCE_METHODS, Flags.STATUS_VALIDATE_STATE)), 0);
                support.modifyProfile(flags & Flags.MDB_TEMPORARY);
            } catch (RuntimeException e) {
                store.logon().release();
                store.release();
                throw e;
            }
            openStores.add(store);
            return new MsLogonResult(store.logon(), store, uid.toBytes(), HResult.S_OK);
        }
    }

    /** The persisted store UID, created at the first logon ever (R-UID-2). */
    private static MapiUid storeUid(ProfileSection section) {
        Optional<PropValue> stored = TestHooks.read(section, TestHooks.PR_STORE_UID);
        if (stored.isPresent()) {
            return MapiUid.of(stored.get().asBinary());
        }
        MapiUid uid = MapiUid.random();
        section.setProps(List.of(PropValue.ofBinary(TestHooks.PR_STORE_UID, uid.toBytes())));
        return uid;
    }

    @Override
    public MsLogonResult spoolerLogon(MapiSupport support, long uiParam, String profileName, EntryId entryId,
                                      int flags, byte[] spoolSecurity) {
        checkUsable();
        Flags.checkKnown(flags, LOGON_FLAGS, "IMSProvider::SpoolerLogon");
        if (support == null || entryId == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "SpoolerLogon needs a support object and an id");
        }
        if (!isStoreId(entryId)) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "not a memory-store entry id: " + entryId.toHex());
        }
        MapiUid uid = entryId.providerUid();
        if (spoolSecurity != null && spoolSecurity.length > 0 && !Arrays.equals(spoolSecurity, uid.toBytes())) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the spool security data belongs to another store");
        }
        String displayName = MemoryStoreService.DISPLAY_NAME;
        Optional<ProfileSection> own = TestHooks.ownSection(support);
        if (own.isPresent()) {
            try (ProfileSection section = own.get()) {
                displayName = TestHooks.read(section, PR_DISPLAY_NAME).map(PropValue::asString).orElse(displayName);
            }
        }
        EntryId wrapped = support.wrapStoreEntryId(entryId);
        MemoryStore store = new MemoryStore(this, support, true, MemoryStoreData.obtain(uid), true, wrapped,
                displayName);
        try {
            support.setProviderUid(uid, 0);
        } catch (RuntimeException e) {
            store.logon().release();
            store.release();
            throw e;
        }
        return new MsLogonResult(store.logon(), store, new byte[0], HResult.S_OK);
    }

    @Override
    public boolean compareStoreIds(EntryId a, EntryId b, int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "IMSProvider::CompareStoreIDs");
        if (a == null || b == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CompareStoreIDs: null entry id");
        }
        if (!a.hasProviderUid() || !b.hasProviderUid()) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "CompareStoreIDs: id too short");
        }
        return isStoreId(a) && isStoreId(b) && a.providerUid().equals(b.providerUid());
    }

    private static boolean isStoreId(EntryId e) {
        return e.hasProviderUid() && Arrays.equals(e.providerData(), MemoryStoreData.STORE_ID_DATA);
    }

    @Override
    public void shutdown(int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "IMSProvider::Shutdown");
        if (liveLogons.get() > 0) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED,
                    "IMSProvider::Shutdown while " + liveLogons.get() + " logon(s) are alive (R-SR-3)");
        }
        if (!shutdownCalled) {
            shutdownCalled = true;
            STATS.providerShutdown();
        }
    }

    @Override
    protected void onFinalRelease() {
        if (!shutdownCalled) {
            shutdownCalled = true;
            STATS.providerReleasedWithoutShutdown();
        }
    }

    void logonStarted() {
        liveLogons.incrementAndGet();
        STATS.logonStarted();
    }

    void logonDestroyed() {
        liveLogons.decrementAndGet();
        STATS.logonEnded();
    }

    void storeClosed(MemoryStore store) {
        openStores.remove(store);
    }

    @Override
    protected String describe() {
        return "memory-store provider";
    }
}
