package org.jmapi.runtime.testproviders;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.Notification;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.Message;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;
import org.jmapi.spi.BaseMsgStore;
import org.jmapi.spi.LogonGate;
import org.jmapi.spi.MapiSupport;
import org.jmapi.table.MapiTable;
import org.jmapi.table.SortOrder;
import org.jmapi.table.TableData;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.jmapi.prop.PropTags.*;

/**
 * One logon on a memory store: the {@link org.jmapi.client.MsgStore} and, through {@link BaseMsgStore}, its
 * {@link org.jmapi.spi.MsLogon}. The shutdown duty (StoreLogoff, final release, forced logoff, R-SL-*, R-SR-2)
 * is the base class's; this class adds the store's contents, which live in a shared {@link MemoryStoreData}.
 *
 * <p>Access: a logon without MDB_WRITE is read-only (R-MS-8, R-MS-9): PR_STORE_SUPPORT_MASK lacks STORE_MODIFY_OK
 * and STORE_CREATE_OK, and every change (SetProps, CreateMessage, CreateFolder, DeleteMessages, DeleteFolder,
 * OpenEntry with MAPI_MODIFY, SetReceiveFolder) fails with MAPI_E_NO_ACCESS. Spooler logons are always writable.
 * Folders commit at once and are writable whenever the logon is; messages are writable when opened with MAPI_MODIFY
 * or MAPI_BEST_ACCESS on a writable logon (or created), and never while queued for a client (R-OQ-3).
 *
 * <p>Notifications: Advise subscribes through the support object with the watched object's long-term entry id
 * (the store's unwrapped id for a null id) as the key, and NotifyNewMail raises fnevNewMail on the store's key
 * (R-NTF-2, R-NTF-6, R-OQ-7); no other store events are raised.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class MemoryStore extends BaseMsgStore {
    /** PR_STORE_SUPPORT_MASK bits (MAPIDefS.h). */
    static final int STORE_ENTRYID_UNIQUE = 0x1, STORE_READONLY = 0x2, STORE_MODIFY_OK = 0x8,
            STORE_CREATE_OK = 0x10, STORE_ATTACH_OK = 0x20, STORE_SUBMIT_OK = 0x80, STORE_NOTIFY_OK = 0x100,
            STORE_MV_PROPS_OK = 0x200, STORE_RESTRICTION_OK = 0x1000, STORE_SORT_OK = 0x2000,
            STORE_UNICODE_OK = 0x40000;
    /** PR_MDB_PROVIDER: the memory store's provider-type UID, the same for every memory store. */
    static final byte[] MDB_PROVIDER = {'j', 'm', 'a', 'p', 'i', '-', 't', 'e', 's', 't', '-', 'm', 'e', 'm', 'm', 's'};

    private static final int[] STORE_COMPUTED = {PR_ENTRYID, PR_STORE_ENTRYID, PR_RECORD_KEY, PR_STORE_RECORD_KEY,
        PR_OBJECT_TYPE, PR_MDB_PROVIDER, PR_STORE_SUPPORT_MASK, PR_IPM_SUBTREE_ENTRYID, PR_IPM_OUTBOX_ENTRYID,
        PR_IPM_SENTMAIL_ENTRYID};
    private static final int ADVISE_EVENTS = Flags.fnevCriticalError | Flags.fnevNewMail | Flags.fnevObjectCreated
            | Flags.fnevObjectDeleted | Flags.fnevObjectModified | Flags.fnevObjectMoved | Flags.fnevObjectCopied
            | Flags.fnevSearchComplete | Flags.fnevTableModified | Flags.fnevExtended;

    private final MemoryStoreProvider provider;
    private final MemoryStoreData data;
    private final boolean writable;
    private final EntryId wrappedId;
    private final String providerDisplay;
    private final PropertyBag bag = new PropertyBag();
    private final Set<Integer> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean readyToSendSent = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * Creates the store/logon pair; AddRefs {@code support} (R-LOGON-1).
     *
     * @param provider    the provider object that logged on
     * @param support     this logon's support object (R-MS-2)
     * @param spooler     whether this is the spooler's logon (R-MS-7)
     * @param data        the store's contents
     * @param writable    whether MDB_WRITE was granted
     * @param wrappedId   the store entry id as clients see it (R-UID-8)
     * @param displayName PR_DISPLAY_NAME unless a client changed it earlier
     */
    MemoryStore(MemoryStoreProvider provider, MapiSupport support, boolean spooler, MemoryStoreData data,
                boolean writable, EntryId wrappedId, String displayName) {
        super(support, spooler);
        this.provider = provider;
        this.data = data;
        this.writable = writable || spooler;
        this.wrappedId = wrappedId;
        this.providerDisplay = MemoryStoreService.DISPLAY_NAME;
        bag.put(PropValue.ofString(PR_DISPLAY_NAME, displayName));
        bag.putAll(data.storeProps());
        bag.putComputed(PropValue.ofBinary(PR_ENTRYID, wrappedId.toBytes()));
        bag.putComputed(PropValue.ofBinary(PR_STORE_ENTRYID, wrappedId.toBytes()));
        bag.putComputed(PropValue.ofBinary(PR_RECORD_KEY, data.uid().toBytes()));
        bag.putComputed(PropValue.ofBinary(PR_STORE_RECORD_KEY, data.uid().toBytes()));
        bag.putComputed(PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_STORE));
        bag.putComputed(PropValue.ofBinary(PR_MDB_PROVIDER, MDB_PROVIDER));
        int common = STORE_ENTRYID_UNIQUE | STORE_NOTIFY_OK | STORE_MV_PROPS_OK | STORE_RESTRICTION_OK
                | STORE_SORT_OK | STORE_UNICODE_OK;
        bag.putComputed(PropValue.ofInt(PR_STORE_SUPPORT_MASK, this.writable
                ? common | STORE_MODIFY_OK | STORE_CREATE_OK | STORE_ATTACH_OK | STORE_SUBMIT_OK
                : common | STORE_READONLY));
        bag.putComputed(PropValue.ofBinary(PR_IPM_SUBTREE_ENTRYID,
                data.folderEntryId(MemoryStoreData.IPM_SUBTREE).toBytes()));
        bag.putComputed(PropValue.ofBinary(PR_IPM_OUTBOX_ENTRYID, data.folderEntryId(MemoryStoreData.OUTBOX).toBytes()));
        bag.putComputed(PropValue.ofBinary(PR_IPM_SENTMAIL_ENTRYID,
                data.folderEntryId(MemoryStoreData.SENT_ITEMS).toBytes()));
        bag.setReadOnly(!this.writable);
        bag.onChange(this::persistStoreProps);
        data.logonStarted();
        provider.logonStarted();
    }

    private void persistStoreProps() {
        Set<Integer> computed = new HashSet<>();
        for (int t : STORE_COMPUTED) {
            computed.add(PropTag.id(t));
        }
        data.storeProps(bag.snapshot().stream().filter(v -> !computed.contains(v.id())).toList());
    }

    // ---- package helpers for the store's objects --------------------------------------------------------------

    /** @return a pass through this logon's gate (the caller checked its own validity) */
    LogonGate.Pass enterGate() {
        return gate().enter();
    }

    /** @param object a new object handed out through this logon @param <T> its type @return it, registered */
    <T extends BaseMapiObject> T track(T object) {
        return register(object);
    }

    /** @param object an object whose count reached zero */
    void untrack(BaseMapiObject object) {
        unregister(object);
    }

    /** @return the store's contents */
    MemoryStoreData data() {
        return data;
    }

    /** @return the store entry id clients see */
    EntryId wrappedId() {
        return wrappedId;
    }

    /** @throws MapiException MAPI_E_NO_ACCESS on a read-only logon (R-MS-9) */
    void checkWritable() {
        if (!writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the store was opened read-only (no MDB_WRITE)");
        }
    }

    /** @return whether the logon may change the store */
    boolean writable() {
        return writable;
    }

    /** R-SUB-3: SpoolerNotify(NOTIFY_READYTOSEND) once per logon, before its first submission is queued. */
    void readyToSend() {
        if (readyToSendSent.compareAndSet(false, true)) {
            support().spoolerNotify(Flags.NOTIFY_READYTOSEND, null);
        }
    }

    /** The store's OpenEntry for its own objects (folders delegate here). */
    MapiObject openObject(EntryId entryId, int flags) {
        return doOpenEntry(entryId, flags);
    }

    /**
     * Opens a registered view of a table.
     *
     * @param table the table
     * @param order the initial sort order, empty for insertion order
     * @param owner a set the view joins while it lives (a message's subobjects), or null
     * @return the view; one reference owned by the caller
     */
    MapiTable openTable(TableData table, List<SortOrder> order, Set<BaseMapiObject> owner) {
        MapiTable view = table.openView();
        if (!order.isEmpty()) {
            view.sortTable(order, 0);
        }
        RegisteredTable t = new RegisteredTable(view, this::enterGate, x -> {
            untrack(x);
            if (owner != null) {
                owner.remove(x);
            }
        });
        if (owner != null) {
            owner.add(t);
        }
        return track(t);
    }

    // ---- IMAPIProp ------------------------------------------------------------------------------------------

    @Override
    public PropValues getProps(int[] tags, int flags) {
        try (var pass = enter()) {
            return bag.getProps(tags, flags);
        }
    }

    @Override
    public List<PropProblem> setProps(List<PropValue> values) {
        try (var pass = enter()) {
            return bag.setProps(values);
        }
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        try (var pass = enter()) {
            return bag.deleteProps(tags);
        }
    }

    @Override
    public int[] getPropList(int flags) {
        try (var pass = enter()) {
            return bag.getPropList(flags);
        }
    }

    @Override
    public void saveChanges(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, MemoryProp.SAVE_FLAGS, "IMsgStore::SaveChanges");
        }
    }

    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_CREATE, "IMsgStore::GetIDsFromNames");
            if ((flags & Flags.MAPI_CREATE) != 0) {
                checkWritable();
            }
            return data.idsFromNames(names, (flags & Flags.MAPI_CREATE) != 0);
        }
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        try (var pass = enter()) {
            return data.namesFromIds(tags);
        }
    }

    // ---- IMsgStore ------------------------------------------------------------------------------------------

    @Override
    public ReceiveFolder getReceiveFolder(String messageClass, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_UNICODE, "IMsgStore::GetReceiveFolder");
            return data.receiveFolder(messageClass);
        }
    }

    @Override
    public void setReceiveFolder(String messageClass, int flags, EntryId folderId) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_UNICODE, "IMsgStore::SetReceiveFolder");
            checkWritable();
            Long folder = folderId == null ? null : data.parse(folderId, MemoryStoreData.KIND_FOLDER);
            data.receiveFolder(messageClass, folder);
        }
    }

    @Override
    public void abortSubmit(EntryId entryId, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, 0, "IMsgStore::AbortSubmit");
            data.abortSubmit(data.parse(entryId, MemoryStoreData.KIND_MESSAGE));
        }
    }

    @Override
    protected MapiObject doOpenEntry(EntryId entryId, int flags) {
        Flags.checkKnown(flags, Flags.MAPI_MODIFY | Flags.MAPI_BEST_ACCESS | Flags.MAPI_DEFERRED_ERRORS,
                "IMsgStore::OpenEntry");
        boolean modify = (flags & Flags.MAPI_MODIFY) != 0;
        if (modify && !writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "MAPI_MODIFY on a store opened read-only");
        }
        if (entryId == null) {
            return track(new MemoryFolder(this, MemoryStoreData.ROOT));
        }
        MemoryStoreData.Ref ref = data.parse(entryId);
        switch (ref.kind()) {
            case MemoryStoreData.KIND_STORE:
                addRef();
                return this;
            case MemoryStoreData.KIND_FOLDER:
                data.folder(ref.id());
                return track(new MemoryFolder(this, ref.id()));
            default:
                MemoryStoreData.StoredMessage m = data.message(ref.id());
                if (m == null) {
                    throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no message " + entryId.toHex());
                }
                boolean canWrite = writable && (modify || (flags & Flags.MAPI_BEST_ACCESS) != 0);
                if (!isSpoolerLogon()) {
                    if (data.isLocked(ref.id())) {
                        throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the spooler is sending the message");
                    }
                    if (data.isQueued(ref.id())) {
                        if (modify) {
                            throw new MapiException(HResult.MAPI_E_SUBMITTED, "the message was submitted");
                        }
                        canWrite = false;
                    }
                }
                return track(MemoryMessage.open(this, m, canWrite));
        }
    }

    @Override
    protected boolean doCompareEntryIds(EntryId a, EntryId b, int flags) {
        Flags.checkKnown(flags, 0, "IMsgStore::CompareEntryIDs");
        if (a == null || b == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CompareEntryIDs: null entry id");
        }
        try {
            return data.parse(a).equals(data.parse(b));
        } catch (MapiException e) {
            throw new MapiException(HResult.MAPI_E_UNKNOWN_ENTRYID, "not entry ids of this store", e);
        }
    }

    @Override
    protected int doAdvise(EntryId entryId, int eventMask, AdviseSink sink) {
        if (sink == null || eventMask == 0 || (eventMask & ~ADVISE_EVENTS) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "Advise needs a sink and fnev* bits (fnevStatusObjectModified is MAPI's own)");
        }
        byte[] key;
        if (entryId == null || data.parse(entryId).kind() == MemoryStoreData.KIND_STORE) {
            key = data.storeEntryId().toBytes();
        } else {
            key = entryId.toBytes();
        }
        int connection = support().subscribe(key, eventMask, 0, sink);
        connections.add(connection);
        return connection;
    }

    @Override
    protected void doUnadvise(int connection) {
        if (!connections.remove(connection)) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no advise connection " + connection);
        }
        support().unsubscribe(connection);
    }

    @Override
    protected MapiTable doGetOutgoingQueue(int flags) {
        Flags.checkKnown(flags, Flags.MAPI_UNICODE, "IMsgStore::GetOutgoingQueue");
        return openTable(data.outgoingQueue(), List.of(SortOrder.ascending(PR_CLIENT_SUBMIT_TIME)), null);
    }

    @Override
    protected void doSetLockState(Message message, int lockState) {
        if (lockState != Flags.MSG_LOCKED && lockState != Flags.MSG_UNLOCKED) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "lock state must be MSG_LOCKED or MSG_UNLOCKED");
        }
        if (!(message instanceof MemoryMessage m) || m.store.data() != data) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "not a message of this store");
        }
        long id = m.saveForLock();
        if (id == 0) {
            throw new MapiException(HResult.MAPI_E_NOT_IN_QUEUE, "the message was never saved");
        }
        data.setLocked(id, lockState == Flags.MSG_LOCKED);
    }

    @Override
    protected void doFinishedMsg(int flags, EntryId entryId) {
        Flags.checkKnown(flags, 0, "IMsgStore::FinishedMsg");
        data.finished(data.parse(entryId, MemoryStoreData.KIND_MESSAGE));
    }

    @Override
    protected void doNotifyNewMail(Notification.NewMail notification) {
        if (notification == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "NotifyNewMail: no notification");
        }
        support().notify(data.storeEntryId().toBytes(), List.of(notification));
    }

    @Override
    protected MapiStatus createStatusObject() {
        return new MemoryStatus(this::enterGate, () -> List.of(
                PropValue.ofString(PR_DISPLAY_NAME, displayName()),
                PropValue.ofString(PR_PROVIDER_DISPLAY, providerDisplay),
                PropValue.ofInt(PR_STATUS_CODE, Flags.STATUS_AVAILABLE)),
                Flags.STATUS_VALIDATE_STATE, new MemoryStatus.Actions() {
                    @Override
                    public void validateState(long uiParam, int flags) {
                        // A memory store has no connection or cache to revalidate.
                    }

                    @Override
                    public void flushQueues(long uiParam, int flags) {
                        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "a store has no queues to flush");
                    }
                });
    }

    private String displayName() {
        PropValue name = bag.get(PR_DISPLAY_NAME);
        return name == null ? MemoryStoreService.DISPLAY_NAME : name.asString();
    }

    @Override
    protected void onLogoff() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        for (Integer c : List.copyOf(connections)) {
            try {
                support().unsubscribe(c);
            } catch (MapiException e) {
                // The support object was already released: MAPI dropped the subscriptions with it.
            }
        }
        connections.clear();
        provider.storeClosed(this);
        data.logonEnded();
    }

    @Override
    protected void onDestroy() {
        provider.logonDestroyed();
    }

    @Override
    protected String describe() {
        return (isSpoolerLogon() ? "spooler memory store " : "memory store ") + data.uid();
    }
}
