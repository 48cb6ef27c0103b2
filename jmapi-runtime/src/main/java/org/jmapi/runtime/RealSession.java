package org.jmapi.runtime;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.client.AddrBook;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.profile.Profile;
import org.jmapi.runtime.profile.ProviderRecord;
import org.jmapi.spi.AbLogon;
import org.jmapi.spi.AbProvider;
import org.jmapi.spi.AddressTypes;
import org.jmapi.spi.MsLogonResult;
import org.jmapi.spi.MsProvider;
import org.jmapi.spi.ObjectRegistry;
import org.jmapi.spi.ProviderKind;
import org.jmapi.spi.XpLogonResult;
import org.jmapi.spi.XpProvider;
import org.jmapi.table.MapiTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * IMAPISession: one logon to a profile, with its provider slots, logons, MAPIUID registry, status table,
 * message-store table, subscriptions and spooler.
 */
final class RealSession extends BaseMapiObject implements MapiSession {
    static final byte[] SESSION_KEY_PREFIX = "jmapi-session:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final Object SUBSYSTEM_ROW = new Object();
    private static final Object SPOOLER_ROW = new Object();
    private static final Object AB_ROW = new Object();

    final Subsystem subsystem;
    final Profile profile;
    final String label;
    final int logonFlags;
    final UidRegistry uids = new UidRegistry();
    final StatusTable statusTable;
    final MsgStoresTable storesTable;
    final Subscriptions subscriptions;
    final Spooler spooler;
    private final Map<MapiUid, ProviderSlot> slots = new ConcurrentHashMap<>();
    private final Map<MapiUid, Integer> disabledServices = new ConcurrentHashMap<>();
    private final List<StoreLogonRecord> clientStores = new CopyOnWriteArrayList<>();
    private final List<AbLogonRecord> abLogons = new CopyOnWriteArrayList<>();
    private final Map<Integer, LogonAdvise> logonAdvises = new ConcurrentHashMap<>();
    private final ObjectRegistry sessionObjects = new ObjectRegistry();
    private final ThreadLocal<Integer> inLogon = ThreadLocal.withInitial(() -> 0);
    private final byte[] sessionKey;
    private volatile boolean loggedOff;
    private boolean abStarted;

    private record LogonAdvise(LogonRecord logon, int providerConnection) {}

    RealSession(Subsystem subsystem, Profile profile, int logonFlags) {
        this.subsystem = subsystem;
        this.profile = profile;
        this.logonFlags = logonFlags;
        this.label = subsystem.nextLabel("session");
        this.sessionKey = (new String(SESSION_KEY_PREFIX, java.nio.charset.StandardCharsets.US_ASCII) + label)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.statusTable = new StatusTable(subsystem.dispatcher);
        this.storesTable = new MsgStoresTable(subsystem.dispatcher);
        this.subscriptions = new Subscriptions(subsystem.dispatcher);
        boolean mail = (logonFlags & Flags.MAPI_NO_MAIL) == 0;
        this.spooler = new Spooler(this, mail);
        addMapiRows(mail);
        for (ProviderRecord store : profile.providers(ProviderKind.STORE)) {
            if ((store.resourceFlags() & Flags.STATUS_TEMP_SECTION) == 0) {
                listStore(store);
            }
        }
    }

    /** R-ST-1: the MAPI subsystem, spooler and address-book rows; R-ST-9: spooler FAILURE without mail. */
    private void addMapiRows(boolean mail) {
        statusTable.addRow(SUBSYSTEM_ROW, new StatusTable.RowIdentity("jmapi", 0, Flags.MAPI_SUBSYSTEM), List.of(
                PropValue.ofString(PropTags.PR_DISPLAY_NAME, "MAPI Subsystem"),
                PropValue.ofInt(PropTags.PR_STATUS_CODE, Flags.STATUS_AVAILABLE),
                PropValue.ofInt(PropTags.PR_RESOURCE_METHODS, Flags.STATUS_VALIDATE_STATE)));
        statusTable.addRow(SPOOLER_ROW, new StatusTable.RowIdentity("jmapi", 0, Flags.MAPI_SPOOLER), List.of(
                PropValue.ofString(PropTags.PR_DISPLAY_NAME, "MAPI Spooler"),
                PropValue.ofInt(PropTags.PR_STATUS_CODE, mail ? Flags.STATUS_AVAILABLE : Flags.STATUS_FAILURE),
                PropValue.ofInt(PropTags.PR_RESOURCE_METHODS, Flags.STATUS_VALIDATE_STATE | Flags.STATUS_FLUSH_QUEUES)));
        statusTable.addRow(AB_ROW, new StatusTable.RowIdentity("jmapi", 0, Flags.MAPI_AB), List.of(
                PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Address Book"),
                PropValue.ofInt(PropTags.PR_STATUS_CODE, Flags.STATUS_AVAILABLE),
                PropValue.ofInt(PropTags.PR_RESOURCE_METHODS, Flags.STATUS_VALIDATE_STATE)));
    }

    void start() {
        spooler.start();
    }

    // ---- tracing -------------------------------------------------------------------------------------------

    void trace(String method, String object, int flags) {
        subsystem.trace.call(method, object, flags);
    }

    void traceReturn(String method, String object, int flags, int hresult) {
        subsystem.trace.ret(method, object, flags, hresult);
    }

    // ---- validity ------------------------------------------------------------------------------------------

    private void check() {
        subsystem.checkAlive();
        checkValid();
    }

    boolean isLoggedOff() {
        return loggedOff;
    }

    @Override
    public String profileName() {
        check();
        return profile.name();
    }

    // ---- provider loading and logon ------------------------------------------------------------------------

    ProviderSlot slot(ProviderRecord record) {
        return slots.computeIfAbsent(record.uid(), uid -> new ProviderSlot(this, record,
                subsystem.catalog().find(record.serviceName()).orElseThrow(() -> new MapiException(
                        HResult.MAPI_E_NOT_FOUND, "message service '" + record.serviceName()
                        + "' is not installed (no MessageService on the class path has that name)"))));
    }

    boolean insideProviderLogon() {
        return inLogon.get() > 0;
    }

    /**
     * Runs one logon attempt with MAPI's failure disposition (R-LOGON-2): FAILONEPROVIDER skips this provider only;
     * UNCONFIGURED configures the service once and retries; anything else disables the whole service for the
     * session.
     */
    private <T> T withDisposition(ProviderRecord record, Supplier<T> attempt) {
        Integer disabled = disabledServices.get(record.serviceUid());
        if (disabled != null) {
            throw new MapiException(disabled, "message service '" + record.serviceName()
                    + "' was disabled for this session after its logon failed");
        }
        try {
            return attemptLogon(attempt);
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_FAILONEPROVIDER) {
                throw e;
            }
            if (e.hresult() != HResult.MAPI_E_UNCONFIGURED) {
                disabledServices.put(record.serviceUid(), e.hresult());
                throw e;
            }
        }
        try {
            configure(record);
            return attemptLogon(attempt);
        } catch (MapiException e) {
            if (e.hresult() != HResult.MAPI_E_FAILONEPROVIDER) {
                disabledServices.put(record.serviceUid(), e.hresult());
            }
            throw e;
        }
    }

    private <T> T attemptLogon(Supplier<T> attempt) {
        inLogon.set(inLogon.get() + 1);
        try {
            return attempt.get();
        } finally {
            inLogon.set(inLogon.get() - 1);
        }
    }

    /** MSG_SERVICE_CONFIGURE with the service's current settings, no UI (R-LOGON-2). */
    private void configure(ProviderRecord record) {
        List<PropValue> current;
        try (ProfileSection section = profile.openSection(record.serviceUid(), 0, false)) {
            current = section.getProps(null, 0).values().stream().filter(v -> !v.isError()).toList();
        }
        try (MsgServiceAdmin admin = profile.serviceAdmin()) {
            admin.configureMsgService(record.serviceUid(), 0, 0, current);
        }
    }

    /** IMAPISession::OpenMsgStore's logon part, and OpenEntry on a store id. */
    private MsgStore openStore(ProviderRecord record, EntryId unwrapped, int flags) {
        startAddressBooksOf(record.serviceUid());
        return withDisposition(record, () -> {
            ProviderSlot slot = slot(record);
            MsProvider provider = (MsProvider) slot.provider();
            StoreLogonRecord rec = new StoreLogonRecord(this, slot, subsystem.nextLabel("store"), false, flags);
            trace("IMSProvider::Logon", rec.label, flags);
            MsLogonResult result;
            try {
                result = provider.logon(rec.support, 0, profile.name(), unwrapped, flags, MsgStore.class);
            } catch (MapiException e) {
                traceReturn("IMSProvider::Logon", rec.label, 0, e.hresult());
                rec.support.release();
                slot.shutDownIfIdle();
                throw e;
            }
            traceReturn("IMSProvider::Logon", rec.label, 0, result.hresult());
            if (result.logon() != null) {
                rec.opened(result.logon(), result.store(), result.spoolSecurity());
                clientStores.add(rec);
                subsystem.clientStoreOpened(this, record.uid());
                refreshStoreRow(record);
            }
            rec.support.release(); // MAPI's own reference; the provider holds its own (R-LOGON-1)
            if (rec.isActive()) {
                // Only a logon that survived the release above goes to the spooler: one whose provider did not keep
                // its support reference has already been ended by that release (R-LOGON-1).
                spooler.handOver(rec);
            }
            return result.store();
        });
    }

    /** The spooler's logon on a store a client opened (R-MS-7); runs on the spooler thread. */
    StoreLogonRecord logonSpoolerStore(StoreLogonRecord client) {
        ProviderSlot slot = client.slot;
        MsProvider provider = (MsProvider) slot.provider();
        StoreLogonRecord rec = new StoreLogonRecord(this, slot, subsystem.nextLabel("spoolstore"), true,
                client.openFlags & ~Flags.MDB_TEMPORARY);
        EntryId unwrapped = storeIdOf(client);
        trace("IMSProvider::SpoolerLogon", rec.label, rec.openFlags);
        MsLogonResult result;
        try {
            result = attemptLogon(() -> provider.spoolerLogon(rec.support, 0, profile.name(), unwrapped,
                    rec.openFlags, client.spoolSecurity()));
        } catch (MapiException e) {
            traceReturn("IMSProvider::SpoolerLogon", rec.label, 0, e.hresult());
            rec.support.release();
            throw e;
        }
        traceReturn("IMSProvider::SpoolerLogon", rec.label, 0, result.hresult());
        if (result.logon() == null) {
            rec.support.release();
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "SpoolerLogon returned no logon");
        }
        rec.opened(result.logon(), result.store(), new byte[0]);
        rec.support.release();
        return rec;
    }

    private EntryId storeIdOf(StoreLogonRecord rec) {
        try (ProfileSection s = profile.openSection(rec.slot.record.uid(), 0, false)) {
            return s.getProp(PropTags.PR_ENTRYID).map(v -> EntryId.of(v.asBinary())).orElse(null);
        }
    }

    /**
     * The provider part of a wrapped store id; an id listed before the store's first logon ever carries none, and
     * then the id the store has published in its section since stands in for it (R-UID-8).
     */
    private EntryId unwrapped(EntryId wrapped) {
        EntryId own = MsgStoresTable.unwrap(wrapped);
        if (own != null) {
            return own;
        }
        try (ProfileSection s = profile.openSection(MsgStoresTable.sectionOf(wrapped), 0, false)) {
            return s.getProp(PropTags.PR_ENTRYID).map(v -> EntryId.of(v.asBinary())).orElse(null);
        } catch (MapiException e) {
            return null;
        }
    }

    /** The spooler's transport logon (R-XP-1, R-XP-3, R-XP-4); runs on the spooler thread. */
    Optional<TransportLogonRecord> logonTransport(ProviderRecord record) {
        try {
            startAddressBooksOf(record.serviceUid());
            return Optional.of(withDisposition(record, () -> {
                ProviderSlot slot = slot(record);
                XpProvider provider = (XpProvider) slot.provider();
                TransportLogonRecord rec = new TransportLogonRecord(this, slot, subsystem.nextLabel("xp"));
                int flags = Flags.LOGON_NO_DIALOG | Flags.LOGON_NO_INBOUND | Flags.LOGON_NO_OUTBOUND;
                trace("IXPProvider::TransportLogon", rec.label, flags);
                XpLogonResult result;
                try {
                    result = provider.transportLogon(rec.support, 0, profile.name(), flags);
                } catch (MapiException e) {
                    traceReturn("IXPProvider::TransportLogon", rec.label, 0, e.hresult());
                    rec.support.release();
                    slot.shutDownIfIdle();
                    throw e;
                }
                traceReturn("IXPProvider::TransportLogon", rec.label, result.flags(), HResult.S_OK);
                rec.logonFlags = result.flags();
                rec.activate(result.logon());
                rec.support.release();
                readAddressTypes(rec);
                if (statusTable.rowCount(rec) == 0 && rec.isActive()) {
                    // R-XP-4: every transport logon has a row; MAPI adds one for a transport that did not.
                    rec.support.addRef();
                    try {
                        rec.support.modifyStatusRow(List.of(
                                PropValue.ofString(PropTags.PR_DISPLAY_NAME, record.displayName()),
                                PropValue.ofInt(PropTags.PR_STATUS_CODE, Flags.STATUS_AVAILABLE),
                                PropValue.ofInt(PropTags.PR_RESOURCE_METHODS, Flags.STATUS_VALIDATE_STATE)), 0);
                    } finally {
                        rec.support.release();
                    }
                }
                return rec;
            }));
        } catch (MapiException e) {
            return Optional.empty(); // the transport (or its service) is skipped for this session (R-LOGON-2)
        }
    }

    /** IXPLogon::AddressTypes, right after TransportLogon and after NOTIFY_CONFIG_CHANGE (R-XP-3, R-TN-2). */
    void readAddressTypes(TransportLogonRecord rec) {
        trace("IXPLogon::AddressTypes", rec.label, 0);
        try {
            AddressTypes types = rec.logon().addressTypes(0);
            rec.addressTypes = types;
            traceReturn("IXPLogon::AddressTypes", rec.label, 0, HResult.S_OK);
        } catch (MapiException e) {
            traceReturn("IXPLogon::AddressTypes", rec.label, 0, e.hresult());
        }
    }

    /** AB providers of a service start before its other providers (R-LOAD-4). */
    private void startAddressBooksOf(MapiUid serviceUid) {
        for (ProviderRecord ab : profile.providers(ProviderKind.ADDRESS_BOOK)) {
            if (ab.serviceUid().equals(serviceUid)) {
                logonAddressBook(ab);
            }
        }
    }

    private synchronized void logonAddressBook(ProviderRecord record) {
        for (AbLogonRecord r : abLogons) {
            if (r.slot.record.uid().equals(record.uid()) && r.isActive()) {
                return;
            }
        }
        try {
            AbLogonRecord rec = withDisposition(record, () -> {
                ProviderSlot slot = slot(record);
                AbProvider provider = (AbProvider) slot.provider();
                AbLogonRecord r = new AbLogonRecord(this, slot, subsystem.nextLabel("ab"));
                trace("IABProvider::Logon", r.label, Flags.AB_NO_DIALOG);
                AbLogon logon;
                try {
                    logon = provider.logon(r.support, 0, profile.name(), Flags.AB_NO_DIALOG);
                } catch (MapiException e) {
                    traceReturn("IABProvider::Logon", r.label, 0, e.hresult());
                    r.support.release();
                    slot.shutDownIfIdle();
                    throw e;
                }
                traceReturn("IABProvider::Logon", r.label, 0, HResult.S_OK);
                r.activate(logon);
                r.support.release();
                return r;
            });
            abLogons.add(rec);
        } catch (MapiException e) {
            // This AB provider is skipped; the address book works with the others (R-LOGON-2).
        }
    }

    // ---- store table -----------------------------------------------------------------------------------------

    void listStore(ProviderRecord store) {
        boolean isDefault = profile.defaultStore().map(d -> d.uid().equals(store.uid())).orElse(false);
        EntryId unwrapped = null;
        byte[] recordKey = null;
        try (ProfileSection s = profile.openSection(store.uid(), 0, false)) {
            unwrapped = s.getProp(PropTags.PR_ENTRYID).map(v -> EntryId.of(v.asBinary())).orElse(null);
            recordKey = s.getProp(PropTags.PR_RECORD_KEY).map(PropValue::asBinary).orElse(null);
        } catch (MapiException e) {
            // A store section without published ids is listed with the section's identity only.
        }
        storesTable.put(store, isDefault, unwrapped, recordKey, null);
    }

    private void refreshStoreRow(ProviderRecord store) {
        if ((store.resourceFlags() & Flags.STATUS_TEMP_SECTION) == 0) {
            listStore(store);
        }
    }

    // ---- MapiSession -----------------------------------------------------------------------------------------

    @Override
    public MapiTable getMsgStoresTable(int flags) {
        check();
        Flags.checkKnown(flags, Flags.MAPI_UNICODE, "IMAPISession::GetMsgStoresTable");
        return tracked(storesTable.openView());
    }

    @Override
    public MapiTable getStatusTable(int flags) {
        check();
        Flags.checkKnown(flags, Flags.MAPI_UNICODE, "IMAPISession::GetStatusTable");
        spooler.awaitReady();
        return tracked(statusTable.openView());
    }

    private MapiTable tracked(MapiTable view) {
        sessionObjects.register((BaseMapiObject) view);
        return view;
    }

    @Override
    public MsgStore openMsgStore(long uiParam, EntryId entryId, int flags) {
        check();
        Flags.checkKnown(flags, Flags.MDB_NO_DIALOG | Flags.MDB_WRITE | Flags.MAPI_DEFERRED_ERRORS
                | Flags.MDB_TEMPORARY | Flags.MDB_NO_MAIL | Flags.MAPI_BEST_ACCESS, "IMAPISession::OpenMsgStore");
        if (entryId == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "OpenMsgStore: the store entry id is required");
        }
        if (!MsgStoresTable.isWrapped(entryId)) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND,
                    "OpenMsgStore: not a store entry id of this session (take it from the message-store table)");
        }
        ProviderRecord record = storeRecord(MsgStoresTable.sectionOf(entryId));
        trace("IMAPISession::OpenMsgStore", label, flags);
        try {
            MsgStore store = openStore(record, unwrapped(entryId), flags);
            traceReturn("IMAPISession::OpenMsgStore", label, 0, HResult.S_OK);
            return store;
        } catch (MapiException e) {
            traceReturn("IMAPISession::OpenMsgStore", label, 0, e.hresult());
            throw e;
        }
    }

    private ProviderRecord storeRecord(MapiUid section) {
        ProviderRecord record;
        try {
            record = profile.provider(section);
        } catch (MapiException e) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no store with section " + section + " in profile "
                    + profile.name());
        }
        if (record.kind() != ProviderKind.STORE) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "section " + section + " is not a message store");
        }
        return record;
    }

    @Override
    public MapiObject openEntry(EntryId entryId, int flags) {
        check();
        Flags.checkKnown(flags, Flags.MAPI_MODIFY | Flags.MAPI_BEST_ACCESS | Flags.MAPI_DEFERRED_ERRORS,
                "IMAPISession::OpenEntry");
        if (entryId == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "OpenEntry: null entry id");
        }
        if (MsgStoresTable.isWrapped(entryId)) {
            int storeFlags = Flags.MDB_NO_DIALOG | ((flags & Flags.MAPI_MODIFY) != 0 ? Flags.MDB_WRITE : 0);
            return openMsgStore(0, entryId, storeFlags);
        }
        Optional<Integer> row = StatusTable.rowIdOf(entryId);
        if (row.isPresent()) {
            return openStatus(row.get(), flags);
        }
        LogonRecord owner = route(entryId);
        return owner instanceof StoreLogonRecord s
                ? ((org.jmapi.spi.MsLogon) s.logonObject()).openEntry(entryId, flags)
                : ((AbLogonRecord) owner).logon().openEntry(entryId, flags);
    }

    private LogonRecord route(EntryId id) {
        if (!id.hasProviderUid()) {
            throw new MapiException(HResult.MAPI_E_UNKNOWN_ENTRYID, "entry id too short to route");
        }
        return uids.route(id.providerUid()).filter(LogonRecord::isActive).orElseThrow(() -> new MapiException(
                HResult.MAPI_E_UNKNOWN_ENTRYID, "no logon of this session registered MAPIUID " + id.providerUid()));
    }

    private MapiStatus openStatus(int rowId, int flags) {
        Object owner = statusTable.ownerOf(rowId).orElseThrow(() -> new MapiException(HResult.MAPI_E_NOT_FOUND,
                "status row " + rowId + " no longer exists"));
        if (owner == SUBSYSTEM_ROW || owner == SPOOLER_ROW || owner == AB_ROW) {
            MapiStatusObject.Kind kind = owner == SUBSYSTEM_ROW ? MapiStatusObject.Kind.SUBSYSTEM
                    : owner == SPOOLER_ROW ? MapiStatusObject.Kind.SPOOLER : MapiStatusObject.Kind.ADDRESS_BOOK;
            return sessionObjects.register(new MapiStatusObject(this, kind,
                    statusTable.firstRow(owner).orElseThrow().values()));
        }
        LogonRecord logon = (LogonRecord) owner;
        int f = flags & Flags.MAPI_MODIFY;
        if (logon instanceof StoreLogonRecord s) {
            return ((org.jmapi.spi.MsLogon) s.logonObject()).openStatusEntry(f);
        }
        if (logon instanceof TransportLogonRecord t) {
            return t.logon().openStatusEntry(f);
        }
        return ((AbLogonRecord) logon).logon().openStatusEntry(f);
    }

    boolean isStatusOf(EntryId statusId, LogonRecord logon) {
        return StatusTable.rowIdOf(statusId).flatMap(statusTable::ownerOf).map(o -> o == logon).orElse(false);
    }

    @Override
    public boolean compareEntryIds(EntryId a, EntryId b, int flags) {
        check();
        Flags.checkKnown(flags, 0, "IMAPISession::CompareEntryIDs");
        if (a == null || b == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CompareEntryIDs: null entry id");
        }
        if (MsgStoresTable.isWrapped(a) && MsgStoresTable.isWrapped(b)) {
            return compareStores(a, b);
        }
        Optional<Integer> ra = StatusTable.rowIdOf(a);
        Optional<Integer> rb = StatusTable.rowIdOf(b);
        if (ra.isPresent() || rb.isPresent()) {
            return ra.equals(rb);
        }
        LogonRecord la = route(a);
        LogonRecord lb = route(b);
        if (la != lb) {
            throw new MapiException(HResult.MAPI_E_UNKNOWN_ENTRYID, "the entry ids belong to different providers");
        }
        return la instanceof StoreLogonRecord s
                ? ((org.jmapi.spi.MsLogon) s.logonObject()).compareEntryIds(a, b, 0)
                : ((AbLogonRecord) la).logon().compareEntryIds(a, b, 0);
    }

    private boolean compareStores(EntryId a, EntryId b) {
        MapiUid sa = MsgStoresTable.sectionOf(a);
        if (!sa.equals(MsgStoresTable.sectionOf(b))) {
            return false;
        }
        EntryId ua = unwrapped(a);
        EntryId ub = unwrapped(b);
        if (ua == null || ub == null) {
            return ua == ub;
        }
        ProviderSlot slot = slot(storeRecord(sa));
        return ((MsProvider) slot.provider()).compareStoreIds(ua, ub, 0);
    }

    @Override
    public int advise(EntryId entryId, int eventMask, AdviseSink sink) {
        check();
        if (sink == null || eventMask == 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "Advise: a sink and an event mask are required");
        }
        if (entryId == null) {
            return subscriptions.subscribe(sessionKey, eventMask | Flags.fnevCriticalError, 0, sink, this);
        }
        LogonRecord owner = route(entryId);
        if (!(owner instanceof StoreLogonRecord s)) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "this provider does not take advise registrations");
        }
        int providerConnection = ((org.jmapi.spi.MsLogon) s.logonObject()).advise(entryId, eventMask, sink);
        int connection = subscriptions.reserveConnection();
        logonAdvises.put(connection, new LogonAdvise(owner, providerConnection));
        return connection;
    }

    @Override
    public void unadvise(int connection) {
        check();
        LogonAdvise la = logonAdvises.remove(connection);
        if (la == null) {
            subscriptions.unsubscribe(connection);
        } else if (la.logon().isActive()) {
            ((org.jmapi.spi.MsLogon) la.logon().logonObject()).unadvise(la.providerConnection());
        }
    }

    /** Raises a session-level critical error to this session's null-id sinks (R-SESOFF-3, R-NTF-6). */
    void raiseCriticalError(int scode, String message) {
        subscriptions.notify(sessionKey, List.of(new org.jmapi.Notification.Error(null, scode, 0, message)));
    }

    @Override
    public AddrBook openAddressBook(long uiParam, int flags) {
        check();
        Flags.checkKnown(flags, Flags.AB_NO_DIALOG | Flags.MAPI_DEFERRED_ERRORS, "IMAPISession::OpenAddressBook");
        synchronized (this) {
            if (!abStarted) {
                abStarted = true;
                for (ProviderRecord ab : profile.providers(ProviderKind.ADDRESS_BOOK)) {
                    logonAddressBook(ab);
                }
            }
        }
        return sessionObjects.register(new RealAddrBook(this));
    }

    List<AbLogonRecord> abLogons() {
        return List.copyOf(abLogons);
    }

    @Override
    public MsgServiceAdmin adminServices(int flags) {
        check();
        Flags.checkKnown(flags, 0, "IMAPISession::AdminServices");
        return profile.serviceAdmin();
    }

    // ---- ending -----------------------------------------------------------------------------------------------

    void forget(LogonRecord record) {
        if (record instanceof AbLogonRecord ab) {
            abLogons.remove(ab);
        }
    }

    void clientStoreEnded(StoreLogonRecord record) {
        clientStores.remove(record);
        subsystem.clientStoreClosed(this, record.slot.record.uid());
    }

    List<StoreLogonRecord> clientStores() {
        return List.copyOf(clientStores);
    }

    @Override
    public void logoff(long uiParam, int flags, int reserved) {
        check();
        Flags.checkKnown(flags, Flags.MAPI_LOGOFF_SHARED | Flags.MAPI_LOGOFF_UI, "IMAPISession::Logoff");
        if (reserved != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "IMAPISession::Logoff: reserved must be 0");
        }
        boolean shared = (flags & Flags.MAPI_LOGOFF_SHARED) != 0 && subsystem.isShared(this);
        if (shared) {
            raiseCriticalError(HResult.MAPI_E_END_OF_SESSION, "the shared session is logging off");
        }
        logoffNow(shared);
    }

    /** R-SESOFF-2: transports, then stores (spooler and client logons), then address books; then invalid. */
    void logoffNow() {
        logoffNow(false);
    }

    /**
     * @param criticalErrorQueued a MAPI_LOGOFF_SHARED critical error was just queued for the session's sinks
     *                            (R-SESOFF-3): their registrations are dropped on the notification thread after it
     *                            was delivered, instead of at once (which would discard it, R-NTF-3 / C-23)
     */
    private void logoffNow(boolean criticalErrorQueued) {
        synchronized (this) {
            if (loggedOff) {
                return;
            }
            loggedOff = true;
        }
        trace("IMAPISession::Logoff", label, 0);
        spooler.logoff();
        for (StoreLogonRecord s : new ArrayList<>(clientStores)) {
            s.force();
        }
        for (AbLogonRecord ab : new ArrayList<>(abLogons)) {
            ab.force();
        }
        for (ProviderSlot slot : slots.values()) {
            slot.shutDownIfIdle();
        }
        if (criticalErrorQueued) {
            subsystem.dispatcher.execute(() -> subscriptions.dropOwner(this));
        } else {
            subscriptions.dropOwner(this);
        }
        sessionObjects.invalidateAll();
        statusTable.invalidateViews();
        storesTable.invalidateViews();
        invalidate();
        subsystem.sessionLoggedOff(this);
        traceReturn("IMAPISession::Logoff", label, 0, HResult.S_OK);
    }

    @Override
    protected void onFinalRelease() {
        logoffNow();
    }

    @Override
    protected String describe() {
        return label;
    }

    // ---- diagnostics for tests (package-private) ---------------------------------------------------------------

    int registeredUids() {
        return uids.size();
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    int loadedProviders() {
        return (int) slots.values().stream().filter(ProviderSlot::loaded).count();
    }
}
