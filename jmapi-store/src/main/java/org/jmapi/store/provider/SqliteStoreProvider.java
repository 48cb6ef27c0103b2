package org.jmapi.store.provider;

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
import org.jmapi.prop.PropValues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import static org.jmapi.prop.PropTags.*;

/**
 * The store's IMSProvider: one object per configured store provider per session (R-LOAD-3), created by
 * {@link SqliteStoreService#msProviderInit} (a SQLite file per store) or {@link PostgresStoreService#msProviderInit}
 * (a store in a PostgreSQL database). The class is named after the engine it was first written for; everything in it
 * works on any {@link org.jmapi.store.Storage}, and its {@link StoreBackend} says where the stores live.
 *
 * <p><b>Logon</b> (R-MS-1..6): the store is the one the backend's settings name in the provider's or its service's
 * profile section (none: MAPI_E_UNCONFIGURED; a store that is not there: MAPI_E_NOT_FOUND; a corrupt or foreign one:
 * the storage's MAPI_E_CORRUPT_STORE, left untouched; an unreachable server: MAPI_E_NETWORK_ERROR). A first open
 * publishes PR_ENTRYID
 * (the unwrapped store id {@code EntryId.create(0, storeUid, [kind, version])}), PR_RECORD_KEY (the store's MAPIUID),
 * PR_PROVIDER_DISPLAY and, when absent, PR_DISPLAY_NAME in the section; creates the store/logon pair (which AddRefs
 * the support object); registers the store's MAPIUID with SetProviderUID; adds its status row; calls ModifyProfile
 * with the MDB_TEMPORARY bit; and returns the MAPIUID's bytes as spool security (pointer-free, R-MS-5). A re-open of
 * a store this object has open (and not logged off) returns that store AddRef'ed and nothing else (R-MS-3). Without
 * MDB_WRITE the store is read-only (R-MS-8, R-MS-9).
 *
 * <p><b>SpoolerLogon</b> (R-MS-7): a separate, always writable, spooler-marked store over the <em>same</em>
 * {@link org.jmapi.store.Storage} instance as the client's (so the spooler's locks and the client's view agree),
 * registering the same UID (routing goes to the earliest registration, R-UID-4) and adding no status row.
 *
 * <p><b>Shutdown</b> (R-SR-3): closes the stores no logon uses any more (their spooler locks end, queued mail
 * stays queued, R-MAIL-1) and stops the provider's two daemon threads ({@code jmapi-sqlite-poll}, the change poller,
 * and {@code jmapi-sqlite-notify}, where table notifications run). A final release without Shutdown does the same
 * (R-LOFF-5).
 *
 * <p><b>Threads:</b> thread-safe; logons of one provider object are serialised.
 */
final class SqliteStoreProvider extends BaseMapiObject implements MsProvider {
    private static final int LOGON_FLAGS = Flags.MDB_NO_DIALOG | Flags.MDB_WRITE | Flags.MAPI_DEFERRED_ERRORS
            | Flags.MDB_TEMPORARY | Flags.MDB_NO_MAIL;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Object logonLock = new Object();
    /** Open stores by {@link StoreBackend.Location#key()}; guarded by {@link #logonLock}. */
    private final Map<String, StoreFile> files = new HashMap<>();
    private final StoreBackend backend;
    private final List<SqliteMsgStore> clientStores = new CopyOnWriteArrayList<>();
    private final AtomicInteger liveLogons = new AtomicInteger();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            daemon("jmapi-sqlite-poll-"));
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(daemon("jmapi-sqlite-notify-"));
    private volatile boolean shutdownCalled;

    /**
     * Created by the service's {@code msProviderInit}.
     *
     * @param backend where the service's stores live
     */
    SqliteStoreProvider(StoreBackend backend) {
        this.backend = backend;
    }

    /** @return where this provider's stores live */
    StoreBackend backend() {
        return backend;
    }

    private static ThreadFactory daemon(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** @return logons of this object (client and spooler) whose logon object is not destroyed yet */
    int liveLogons() {
        return liveLogons.get();
    }

    /** @return whether Shutdown (or the final release) ran */
    boolean isShutdown() {
        return shutdownCalled;
    }

    /** @return how many store files this object has open */
    int openFiles() {
        synchronized (logonLock) {
            return files.size();
        }
    }

    private void checkUsable() {
        checkValid();
        if (shutdownCalled) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "the " + backend.engine()
                    + " store provider object was shut down");
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
        if (iface != null && !iface.isAssignableFrom(SqliteMsgStore.class)) {
            throw new MapiException(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED,
                    "the " + backend.engine() + " store does not implement " + iface.getSimpleName());
        }
        synchronized (logonLock) {
            if (entryId != null) {
                for (SqliteMsgStore open : clientStores) {
                    if (!open.isInvalid() && !open.isDestroyed() && StoreIds.isStoreId(entryId)
                            && compareStoreIds(entryId, open.ids().store(), 0)) {
                        open.addRef();
                        return MsLogonResult.reopened(open); // R-MS-3
                    }
                }
            }
            return firstOpen(support, entryId, flags);
        }
    }

    private MsLogonResult firstOpen(MapiSupport support, EntryId entryId, int flags) {
        try (ProfileSection section = support.openProfileSection(null, Flags.MAPI_MODIFY)) {
            StoreBackend.Location where = configured(support, section);
            StoreFile file = file(where);
            try {
                EntryId storeId = file.ids().store();
                MapiUid uid = file.ids().uid();
                if (entryId != null && !compareStoreIds(entryId, storeId, 0)) {
                    throw new MapiException(HResult.MAPI_E_NOT_FOUND, "the " + where.description() + " holds store "
                            + uid + ", not the store entry id " + entryId.toHex() + " names");
                }
                Optional<PropValue> name = section.getProps(new int[] {PR_DISPLAY_NAME}, 0).find(PR_DISPLAY_NAME);
                String displayName = name.map(PropValue::asString)
                        .orElse(file.storage().identity().displayName());
                List<PropValue> publish = new ArrayList<>(List.of(
                        PropValue.ofBinary(PR_ENTRYID, storeId.toBytes()),
                        PropValue.ofBinary(PR_RECORD_KEY, uid.toBytes()),
                        PropValue.ofString(PR_PROVIDER_DISPLAY, backend.providerDisplay())));
                if (name.isEmpty()) {
                    publish.add(PropValue.ofString(PR_DISPLAY_NAME, displayName));
                }
                section.setProps(publish);
                EntryId wrapped = support.wrapStoreEntryId(storeId);
                SqliteMsgStore store = new SqliteMsgStore(this, support, false, file, (flags & Flags.MDB_WRITE) != 0,
                        wrapped);
                try {
                    support.setProviderUid(uid, 0);
                    support.modifyStatusRow(List.of(
                            PropValue.ofString(PR_DISPLAY_NAME, displayName),
                            PropValue.ofString(PR_PROVIDER_DISPLAY, backend.providerDisplay()),
                            PropValue.ofInt(PR_STATUS_CODE, Flags.STATUS_AVAILABLE),
                            PropValue.ofString(PR_STATUS_STRING, "Available"),
                            PropValue.ofInt(PR_RESOURCE_METHODS, Flags.STATUS_VALIDATE_STATE)), 0);
                    support.modifyProfile(flags & Flags.MDB_TEMPORARY);
                } catch (RuntimeException e) {
                    store.logon().release();
                    store.release();
                    throw e;
                }
                clientStores.add(store);
                return new MsLogonResult(store.logon(), store, uid.toBytes(), HResult.S_OK);
            } catch (RuntimeException e) {
                closeIfUnused(file);
                throw e;
            }
        }
    }

    /**
     * @param support the logon's support object
     * @param own     the provider's own section
     * @return the configured store
     * @throws MapiException MAPI_E_UNCONFIGURED when neither the provider's nor the service's section configures one
     */
    private StoreBackend.Location configured(MapiSupport support, ProfileSection own) {
        int[] tags = backend.settingTags();
        PropValues settings = own.getProps(tags, 0);
        if (settings.find(tags[0]).isEmpty()) {
            Optional<PropValue> service = own.getProps(new int[] {PR_SERVICE_UID}, 0).find(PR_SERVICE_UID);
            if (service.isPresent() && service.get().asBinary().length == MapiUid.LENGTH) {
                try (ProfileSection s = support.openProfileSection(MapiUid.of(service.get().asBinary()), 0)) {
                    settings = s.getProps(tags, 0);
                } catch (MapiException e) {
                    if (e.hresult() != HResult.MAPI_E_NOT_FOUND) {
                        throw e;
                    }
                }
            }
        }
        return backend.locate(settings);
    }

    /** Under the logon lock: the open store for {@code where}, opened now if needed. */
    private StoreFile file(StoreBackend.Location where) {
        StoreFile f = files.get(where.key());
        if (f != null) {
            return f;
        }
        org.jmapi.store.Storage storage = where.open();
        try {
            f = new StoreFile(where, storage, poller, notifier);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        files.put(where.key(), f);
        return f;
    }

    /** Under the logon lock: closes a file that a failed logon opened and nobody uses. */
    private void closeIfUnused(StoreFile file) {
        if (file.unused()) {
            files.remove(file.key());
            file.close();
        }
    }

    @Override
    public MsLogonResult spoolerLogon(MapiSupport support, long uiParam, String profileName, EntryId entryId,
                                      int flags, byte[] spoolSecurity) {
        checkUsable();
        Flags.checkKnown(flags, LOGON_FLAGS, "IMSProvider::SpoolerLogon");
        if (support == null || entryId == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "IMSProvider::SpoolerLogon needs a support object and the store's entry id");
        }
        if (!StoreIds.isStoreId(entryId)) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "not a " + backend.engine() + " store entry id: "
                    + entryId.toHex());
        }
        MapiUid uid = entryId.providerUid();
        if (spoolSecurity != null && spoolSecurity.length > 0 && !Arrays.equals(spoolSecurity, uid.toBytes())) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS,
                    "the spool security data belongs to another store than " + uid);
        }
        synchronized (logonLock) {
            StoreBackend.Location where;
            try (ProfileSection section = support.openProfileSection(null, 0)) {
                where = configured(support, section);
            }
            StoreFile file = file(where);
            try {
                if (!file.ids().uid().equals(uid)) {
                    throw new MapiException(HResult.MAPI_E_NOT_FOUND, "the " + where.description() + " holds store "
                            + file.ids().uid() + ", not " + uid);
                }
                EntryId wrapped = support.wrapStoreEntryId(entryId);
                SqliteMsgStore store = new SqliteMsgStore(this, support, true, file, true, wrapped);
                try {
                    support.setProviderUid(uid, 0);
                } catch (RuntimeException e) {
                    store.logon().release();
                    store.release();
                    throw e;
                }
                return new MsLogonResult(store.logon(), store, new byte[0], HResult.S_OK);
            } catch (RuntimeException e) {
                closeIfUnused(file);
                throw e;
            }
        }
    }

    @Override
    public boolean compareStoreIds(EntryId a, EntryId b, int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "IMSProvider::CompareStoreIDs");
        if (a == null || b == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CompareStoreIDs: null entry id");
        }
        if (!a.hasProviderUid() || !b.hasProviderUid()) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "CompareStoreIDs: an id is too short to name a store");
        }
        return StoreIds.sameStore(a, b);
    }

    @Override
    public void shutdown(int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "IMSProvider::Shutdown");
        shutDownNow();
    }

    /** Closes unused files and, once none is left, stops the threads; runs once. */
    private void shutDownNow() {
        synchronized (logonLock) {
            if (shutdownCalled) {
                return;
            }
            shutdownCalled = true;
            for (StoreFile f : List.copyOf(files.values())) {
                if (f.unused()) {
                    files.remove(f.key());
                    f.close();
                }
            }
            if (files.isEmpty()) {
                poller.shutdownNow();
                notifier.shutdown();
            }
        }
    }

    @Override
    protected void onFinalRelease() {
        shutDownNow();
    }

    /** A logon object was created. */
    void logonStarted() {
        liveLogons.incrementAndGet();
    }

    /** A logon object was destroyed. */
    void logonDestroyed() {
        liveLogons.decrementAndGet();
    }

    /** @param store a logon that was logged off: it is no longer a candidate for re-open (R-MS-3) */
    void storeClosed(SqliteMsgStore store) {
        clientStores.remove(store);
        synchronized (logonLock) {
            if (shutdownCalled) {
                // Shutdown came while this logon still used its file (it should not, R-SR-3): close it now.
                for (StoreFile f : List.copyOf(files.values())) {
                    if (f.unused()) {
                        files.remove(f.key());
                        f.close();
                    }
                }
                if (files.isEmpty()) {
                    poller.shutdownNow();
                    notifier.shutdown();
                }
            }
        }
    }

    @Override
    protected String describe() {
        return backend.engine() + " store provider";
    }
}
