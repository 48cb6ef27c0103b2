package org.jmapi.store.provider;

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
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;
import org.jmapi.spi.BaseMsgStore;
import org.jmapi.spi.DeferredOutcomes;
import org.jmapi.spi.LogonGate;
import org.jmapi.spi.MapiSupport;
import org.jmapi.store.Disposal;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageInfo;
import org.jmapi.store.MessageRow;
import org.jmapi.store.Storage;
import org.jmapi.store.StoredMessage;
import org.jmapi.table.MapiTable;
import org.jmapi.table.SortOrder;
import org.jmapi.table.TableData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static org.jmapi.prop.PropTags.*;

/**
 * One logon on a store (an SQLite file or a PostgreSQL store, whichever {@link StoreBackend} the provider has):
 * the {@link org.jmapi.client.MsgStore} a client (or the spooler) holds and, through {@link BaseMsgStore}, its
 * {@link org.jmapi.spi.MsLogon}. The whole shutdown protocol (StoreLogoff, the
 * final release's SLT(LOGOFF_ABORT), the forced logoff, R-SL-1..9, R-SR-2) is the base class's; this class is the
 * store's content, read from and written to the {@link Storage} of its {@link StoreFile}.
 *
 * <p><b>Properties.</b> PR_DISPLAY_NAME (the store's name, or what a client set), PR_ENTRYID / PR_STORE_ENTRYID
 * (the wrapped store id, R-UID-8), PR_RECORD_KEY / PR_STORE_RECORD_KEY (the store's MAPIUID), PR_OBJECT_TYPE,
 * PR_MDB_PROVIDER, PR_STORE_SUPPORT_MASK, the PR_IPM_*_ENTRYID of the default folders and PR_VALID_FOLDER_MASK are
 * computed; other properties a client sets are stored in the file at once (stores are not transacted, R-PROP-5).
 * {@link BaseMsgStore#PR_TRANSPORT_ACTIVITY}, asked for by tag, is read from the storage's activity records of every
 * process at that call (R-SLT-4); a message the spooler's logon creates holds an INBOUND record while it is open.
 *
 * <p><b>Access</b> (R-MS-8, R-MS-9): a client logon without MDB_WRITE is read-only: PR_STORE_SUPPORT_MASK lacks
 * STORE_MODIFY_OK and STORE_CREATE_OK (and has STORE_READONLY), and SetProps, DeleteProps, OpenEntry with
 * MAPI_MODIFY, CreateMessage, CreateFolder, DeleteMessages, DeleteFolder, SetReceiveFolder and message saves fail
 * with MAPI_E_NO_ACCESS. The spooler's logon is always writable.
 *
 * <p><b>Entry ids</b> are {@link StoreIds}: the store's MAPIUID, a kind byte and the storage id. OpenEntry(null) opens
 * the root folder. A queued message opened by a client with MAPI_MODIFY fails with MAPI_E_SUBMITTED, with
 * MAPI_BEST_ACCESS it opens read-only (R-OQ-3); while the spooler holds its lock a client cannot open it at all
 * (MAPI_E_NO_ACCESS, R-OQ-2).
 *
 * <p><b>Notifications</b> (R-NTF-2..6): Advise subscribes through the support object with the watched object's
 * long-term entry id as key (the store's unwrapped id for a null id). After a change the store raises, through
 * IMAPISupport::Notify (asynchronous, so sinks run after the call, R-NTF-3), one notification per event on the keys
 * of the store, the object (and its former id) and its parent folder(s): fnevObjectCreated / Modified / Deleted /
 * Moved / Copied, and fnevNewMail from NotifyNewMail (R-OQ-7). Each is also published in the store's event log;
 * notifications other processes and sessions published reach this logon's session through
 * {@link #foreignEvents} (see {@link StoreFile}). Table notifications come from the tables themselves.
 *
 * <p><b>OpenProperty / CopyTo</b>: the store's own properties open as streams (committed at once through SetProps)
 * and copy to another store object ({@link PropCopy}); streams on the store do not keep it alive.
 *
 * <p><b>Spooler methods</b> (R-OQ-1..7), on the spooler's object only (the base class refuses clients, R-OQ-6):
 * the outgoing queue table, SetLockState (saves, then locks in the storage: the lock belongs to this process's open
 * instance and ends with it, R-MAIL-1; a message another spooler sharing the queue holds is refused with
 * MAPI_E_NO_ACCESS), FinishedMsg (dequeue, then PR_SENTMAIL_ENTRYID / PR_DELETE_AFTER_SUBMIT,
 * R-OQ-5) and NotifyNewMail. Locks this logon still holds at its logoff are released.
 *
 * <p><b>Group commit</b> ({@link DeferredOutcomes}, the spooler's logon only): once the spooler turned it on, the
 * outcome writes — SaveChanges of a message this logon holds locked, FinishedMsg — run under
 * {@link Storage#deferDurability} and {@link #flushOutcomes} makes them durable; the logoff flushes too. Every other
 * write (the client's, received messages, reports) stays durable when it returns.
 *
 * <p><b>Threads:</b> thread-safe; every call enters the logon gate.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class SqliteMsgStore extends BaseMsgStore implements StoreFile.EventTarget, DeferredOutcomes {
    /** PR_STORE_SUPPORT_MASK bits (MAPIDefS.h). */
    static final int STORE_ENTRYID_UNIQUE = 0x1, STORE_READONLY = 0x2, STORE_MODIFY_OK = 0x8,
            STORE_CREATE_OK = 0x10, STORE_ATTACH_OK = 0x20, STORE_SUBMIT_OK = 0x80, STORE_NOTIFY_OK = 0x100,
            STORE_MV_PROPS_OK = 0x200, STORE_RESTRICTION_OK = 0x1000, STORE_SORT_OK = 0x2000,
            STORE_UNICODE_OK = 0x40000;
    /** PR_VALID_FOLDER_MASK bits: IPM subtree, Inbox, Outbox, Wastebasket, Sent Mail. */
    static final int VALID_FOLDERS = 0x1 | 0x2 | 0x4 | 0x8 | 0x10;

    private static final int ADVISE_EVENTS = Flags.fnevCriticalError | Flags.fnevNewMail | Flags.fnevObjectCreated
            | Flags.fnevObjectDeleted | Flags.fnevObjectModified | Flags.fnevObjectMoved | Flags.fnevObjectCopied
            | Flags.fnevSearchComplete | Flags.fnevTableModified | Flags.fnevExtended;
    private static final int[] COMPUTED = {PR_ENTRYID, PR_STORE_ENTRYID, PR_RECORD_KEY, PR_STORE_RECORD_KEY,
        PR_OBJECT_TYPE, PR_MDB_PROVIDER, PR_STORE_SUPPORT_MASK, PR_IPM_SUBTREE_ENTRYID, PR_IPM_OUTBOX_ENTRYID,
        PR_IPM_SENTMAIL_ENTRYID, PR_IPM_WASTEBASKET_ENTRYID, PR_IPM_DRAFTS_ENTRYID, PR_VALID_FOLDER_MASK};

    private final SqliteStoreProvider provider;
    private final StoreFile file;
    private final boolean writable;
    private final EntryId wrappedId;
    private final Set<Integer> connections = ConcurrentHashMap.newKeySet();
    private final Set<Long> locked = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean readyToSendSent = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** The spooler asked for group commit of its outcome writes ({@link DeferredOutcomes}). */
    private volatile boolean deferOutcomes;

    /**
     * Creates the store/logon pair (AddRefs {@code support}, R-LOGON-1) and starts using the file.
     *
     * @param provider  the provider object that logged on
     * @param support   this logon's support object (R-MS-2)
     * @param spooler   whether this is the spooler's logon (R-MS-7)
     * @param file      the open store file, shared with the provider object's other logons on it
     * @param writable  whether MDB_WRITE was granted (ignored for the spooler, which always writes)
     * @param wrappedId the store entry id as clients see it (R-UID-8)
     */
    SqliteMsgStore(SqliteStoreProvider provider, MapiSupport support, boolean spooler, StoreFile file,
                   boolean writable, EntryId wrappedId) {
        super(support, spooler);
        this.provider = provider;
        this.file = file;
        this.writable = writable || spooler;
        this.wrappedId = wrappedId;
        file.acquire();
        file.addTarget(this);
        provider.logonStarted();
    }

    // ---- for the store's objects -----------------------------------------------------------------------------

    /** @return a pass through this logon's gate (the caller checked its own validity) */
    LogonGate.Pass enterGate() {
        return gate().enter();
    }

    /**
     * @param object a new object handed out through this logon
     * @param <T>    its type
     * @return the object, registered for invalidation at logoff (R-SR-2)
     */
    <T extends BaseMapiObject> T track(T object) {
        return register(object);
    }

    /** @param object an object whose count reached zero */
    void untrack(BaseMapiObject object) {
        unregister(object);
    }

    /** @return the store file */
    StoreFile file() {
        return file;
    }

    /** @return the storage */
    Storage storage() {
        return file.storage();
    }

    /**
     * Runs an outcome write of this spooler logon (SaveChanges of a message it holds locked, FinishedMsg): deferred
     * when the spooler asked for it ({@link DeferredOutcomes}), durable otherwise.
     *
     * @param write the write
     * @param <T>   its result
     * @return its result
     */
    <T> T outcome(java.util.function.Supplier<T> write) {
        return deferOutcomes ? storage().deferDurability(write) : write.get();
    }

    /**
     * @param messageId a message id
     * @return whether this logon holds the message locked (SetLockState): it is the spooler sending it
     */
    boolean holdsLock(long messageId) {
        return locked.contains(messageId);
    }

    @Override
    public void deferOutcomes(boolean on) {
        try (var pass = enter()) {
            if (!isSpoolerLogon()) {
                throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "deferOutcomes is for the spooler's logon only"
                        + " (a client's writes stay durable when they return)");
            }
            deferOutcomes = on;
        }
    }

    @Override
    public void flushOutcomes() {
        try (var pass = enter()) {
            storage().flushDeferred();
        }
    }

    /** @return the entry-id codec */
    StoreIds ids() {
        return file.ids();
    }

    /** @return the store entry id clients see */
    EntryId wrappedId() {
        return wrappedId;
    }

    /** @return whether the logon may change the store */
    boolean writable() {
        return writable;
    }

    /** @throws MapiException MAPI_E_NO_ACCESS on a read-only logon (R-MS-9) */
    void checkWritable() {
        if (!writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS,
                    "the store was opened read-only (open it with MDB_WRITE to change it)");
        }
    }

    /** R-SUB-3: SpoolerNotify(NOTIFY_READYTOSEND) once per logon, before its first submission is queued. */
    void readyToSend() {
        if (readyToSendSent.compareAndSet(false, true)) {
            support().spoolerNotify(Flags.NOTIFY_READYTOSEND, null);
        }
    }

    /**
     * R-SUB-2's MAPI steps of SubmitMessage for {@code message}: PrepareSubmit when it is sent again
     * (MSGFLAG_RESEND), then ExpandRecips.
     *
     * @param message the message being submitted
     * @param resend  whether PR_MESSAGE_FLAGS has MSGFLAG_RESEND
     */
    void prepareSubmit(org.jmapi.client.Message message, boolean resend) {
        if (resend) {
            support().prepareSubmit(message, 0);
        }
    }

    /** @param message the message being submitted @return ExpandRecips' flags (R-SUB-2) */
    int expandRecips(org.jmapi.client.Message message) {
        return support().expandRecips(message);
    }

    /** @return the store's advise key: its unwrapped entry id */
    byte[] storeKey() {
        return ids().store().toBytes();
    }

    /**
     * Raises an object notification on the keys of the store, the object and its parent folder(s) (R-NTF-4: one
     * notification per event; delivered asynchronously by MAPI, R-NTF-3).
     *
     * @param event       fnevObjectCreated / Deleted / Modified / Moved
     * @param object      the object's entry id
     * @param objectType  MAPI_MESSAGE or MAPI_FOLDER
     * @param parent      its (new) parent folder, or null
     * @param oldParent   its former parent (moves), or null
     */
    void raise(int event, EntryId object, int objectType, EntryId parent, EntryId oldParent) {
        raiseAll(List.of(new Notification.ObjectEvent(event, object, objectType, parent,
                event == Flags.fnevObjectMoved || event == Flags.fnevObjectCopied ? object : null, oldParent, null)));
    }

    /**
     * Raises notifications, in order: delivered to this session's sinks through IMAPISupport::Notify (R-NTF-3..6),
     * and published in the store's event log for the sinks of other processes and sessions.
     *
     * @param events object and new-mail notifications
     */
    void raiseAll(List<Notification> events) {
        if (events.isEmpty()) {
            return;
        }
        deliver(events);
        file.publish(events);
    }

    /**
     * Delivers notifications to this session's sinks, each on the keys it concerns: the store, the object (and its
     * former id), its parent folder (and its former parent); new mail on the store and its receive folder.
     *
     * @param events the notifications, in order
     */
    void deliver(List<Notification> events) {
        for (Notification n : events) {
            Set<List<Byte>> seen = new LinkedHashSet<>();
            List<byte[]> keys = new ArrayList<>();
            List<EntryId> related = new ArrayList<>();
            if (n instanceof Notification.ObjectEvent o) {
                related.add(o.entryId());
                related.add(o.oldId());
                related.add(o.parentId());
                related.add(o.oldParentId());
            } else if (n instanceof Notification.NewMail nm && nm.parentId() != null && ids().isOurs(nm.parentId())) {
                related.add(nm.parentId());
            }
            keys.add(storeKey());
            seen.add(boxed(storeKey()));
            for (EntryId id : related) {
                if (id != null && seen.add(boxed(id.toBytes()))) {
                    keys.add(id.toBytes());
                }
            }
            for (byte[] k : keys) {
                try {
                    support().notify(k, List.of(n));
                } catch (MapiException e) {
                    return; // the support object is gone (logoff in progress): nobody can listen any more
                }
            }
        }
    }

    /** Notifications another process or session raised on this store: delivered like this logon's own. */
    @Override
    public void foreignEvents(List<Notification> events) {
        if (ended.get()) {
            throw new MapiException(HResult.MAPI_E_INVALID_OBJECT, "logged off");
        }
        deliver(events);
    }

    private static List<Byte> boxed(byte[] b) {
        List<Byte> l = new ArrayList<>(b.length);
        for (byte x : b) {
            l.add(x);
        }
        return l;
    }

    /**
     * Opens a registered contents table (SQL-backed, see {@link ContentsTable}).
     *
     * @param folderId   the folder
     * @param associated the associated (FAI) table
     * @return the table, one reference owned by the caller
     */
    MapiTable contentsTable(long folderId, boolean associated) {
        return track(new ContentsTable(this, folderId, associated));
    }

    /**
     * Opens a registered hierarchy table.
     *
     * @param folderId the folder
     * @param deep     CONVENIENT_DEPTH: every descendant, depth-first, with PR_DEPTH
     * @return the table, one reference owned by the caller
     */
    MapiTable hierarchyTable(long folderId, boolean deep) {
        TableData data = new TableData(PR_INSTANCE_KEY, Rows.HIERARCHY_COLUMNS, file.notifier());
        LogonTable.Source source = new LogonTable.Source(data, PR_INSTANCE_KEY, () -> {
            List<List<PropValue>> rows = new ArrayList<>();
            collectFolders(folderId, deep, 0, rows);
            return rows;
        });
        source.refresh();
        return track(new LogonTable(this, data.openView(), source, null));
    }

    private void collectFolders(long parent, boolean deep, int depth, List<List<PropValue>> into) {
        List<FolderRecord> children;
        try {
            children = storage().listFolders(parent);
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_NOT_FOUND && depth > 0) {
                return; // deleted while we walked the tree
            }
            throw e.hresult() == HResult.MAPI_E_NOT_FOUND ? new MapiException(HResult.MAPI_E_OBJECT_DELETED,
                    "folder " + parent + " was deleted", e) : e;
        }
        for (FolderRecord f : children) {
            into.add(Rows.folderValues(ids(), wrappedId, f, depth));
            if (deep) {
                collectFolders(f.id(), true, depth + 1, into);
            }
        }
    }

    /**
     * Opens a registered view of table data a message keeps current itself (recipients, attachments).
     *
     * @param data   the data
     * @param onGone told when the view is released or invalidated
     * @return the view, one reference owned by the caller
     */
    LogonTable dataTable(TableData data, Consumer<LogonTable> onGone) {
        return track(new LogonTable(this, data.openView(), null, onGone));
    }

    /**
     * Opens a message for a folder or the store (OpenEntry), applying R-OQ-2 / R-OQ-3 to queued messages.
     *
     * @param messageId the message
     * @param flags     the caller's OpenEntry flags, already checked
     * @return the message, registered, one reference owned by the caller
     */
    Message openMessage(long messageId, int flags) {
        StoredMessage sm;
        try {
            sm = storage().loadMessage(messageId);
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "there is no message " + messageId
                        + " in this store (deleted?)", e);
            }
            throw e;
        }
        boolean modify = (flags & Flags.MAPI_MODIFY) != 0;
        boolean canWrite = writable && (modify || (flags & Flags.MAPI_BEST_ACCESS) != 0);
        if (!isSpoolerLogon() && sm.info().queue() != null) {
            if (sm.info().queue().locked()) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS,
                        "the spooler is sending message " + messageId + " (it is locked, R-OQ-2)");
            }
            if (modify) {
                throw new MapiException(HResult.MAPI_E_SUBMITTED, "message " + messageId
                        + " was submitted and cannot be opened for writing; abort the submission first (R-OQ-3)");
            }
            canWrite = false;
        }
        return track(SqliteMessage.open(this, sm, canWrite));
    }

    /** The store's OpenEntry for its own objects; folders delegate here. */
    MapiObject openObject(EntryId entryId, int flags) {
        return doOpenEntry(entryId, flags);
    }

    // ---- named properties -------------------------------------------------------------------------------------

    /**
     * IMAPIProp::GetIDsFromNames for every object of the store.
     *
     * @param names the names
     * @param flags 0 or MAPI_CREATE (needs a writable logon)
     * @return one tag per name: PT_UNSPECIFIED with the id, or PT_ERROR / PROP_ID_INVALID for an unknown name
     */
    int[] idsFromNames(List<NamedProperty> names, int flags) {
        Flags.checkKnown(flags, Flags.MAPI_CREATE, "IMAPIProp::GetIDsFromNames");
        if (names == null || names.isEmpty()) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "GetIDsFromNames: no names");
        }
        boolean create = (flags & Flags.MAPI_CREATE) != 0;
        if (create) {
            checkWritable();
        }
        StoreFile.Mutation m = create ? file.mutation() : null;
        int[] ids = storage().getIdsFromNames(names, create);
        if (m != null) {
            m.done();
        }
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i] == 0 ? PropTag.tag(PropType.PT_ERROR, PropTag.PROP_ID_INVALID)
                    : PropTag.tag(PropType.PT_UNSPECIFIED, ids[i]);
        }
        return out;
    }

    /**
     * IMAPIProp::GetNamesFromIDs for every object of the store.
     *
     * @param tags named-property tags
     * @return one name per tag, null where unmapped
     */
    List<NamedProperty> namesFromIds(int[] tags) {
        if (tags == null || tags.length == 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "GetNamesFromIDs: no tags");
        }
        return storage().getNamesFromIds(tags);
    }

    // ---- IMAPIProp --------------------------------------------------------------------------------------------

    /** @return the store's properties now: identity, stored ones, computed ones */
    private PropertyBag bag() {
        PropertyBag b = new PropertyBag();
        b.put(PropValue.ofString(PR_DISPLAY_NAME, storage().identity().displayName()));
        b.putAll(storage().storeProperties());
        StoreLayout l = file.layout();
        b.putComputed(PropValue.ofBinary(PR_ENTRYID, wrappedId.toBytes()));
        b.putComputed(PropValue.ofBinary(PR_STORE_ENTRYID, wrappedId.toBytes()));
        b.putComputed(PropValue.ofBinary(PR_RECORD_KEY, ids().uid().toBytes()));
        b.putComputed(PropValue.ofBinary(PR_STORE_RECORD_KEY, ids().uid().toBytes()));
        b.putComputed(PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_STORE));
        b.putComputed(PropValue.ofBinary(PR_MDB_PROVIDER, provider.backend().mdbProvider()));
        int common = STORE_ENTRYID_UNIQUE | STORE_NOTIFY_OK | STORE_MV_PROPS_OK | STORE_RESTRICTION_OK
                | STORE_SORT_OK | STORE_UNICODE_OK | STORE_ATTACH_OK | STORE_SUBMIT_OK;
        b.putComputed(PropValue.ofInt(PR_STORE_SUPPORT_MASK, writable
                ? common | STORE_MODIFY_OK | STORE_CREATE_OK : common | STORE_READONLY));
        b.putComputed(PropValue.ofBinary(PR_IPM_SUBTREE_ENTRYID, ids().folder(l.ipmSubtree()).toBytes()));
        b.putComputed(PropValue.ofBinary(PR_IPM_OUTBOX_ENTRYID, ids().folder(l.outbox()).toBytes()));
        b.putComputed(PropValue.ofBinary(PR_IPM_SENTMAIL_ENTRYID, ids().folder(l.sentItems()).toBytes()));
        b.putComputed(PropValue.ofBinary(PR_IPM_WASTEBASKET_ENTRYID, ids().folder(l.deletedItems()).toBytes()));
        b.putComputed(PropValue.ofBinary(PR_IPM_DRAFTS_ENTRYID, ids().folder(l.drafts()).toBytes()));
        b.putComputed(PropValue.ofInt(PR_VALID_FOLDER_MASK, VALID_FOLDERS));
        b.protect(StoreLayout.PR_LAYOUT_IDS, PR_TRANSPORT_ACTIVITY);
        b.setReadOnly(!writable);
        return b;
    }

    @Override
    public PropValues getProps(int[] tags, int flags) {
        try (var pass = enter()) {
            PropertyBag b = bag();
            if (tags != null && Arrays.stream(tags).anyMatch(t -> t == PR_TRANSPORT_ACTIVITY)) {
                // Read from the store only when asked for by tag (secure range): every process's activity.
                b.putComputed(PropValue.ofInt(PR_TRANSPORT_ACTIVITY, storage().activitySummary().logoffFlags()));
            }
            return b.getProps(tags, flags);
        }
    }

    @Override
    public List<PropProblem> setProps(List<PropValue> values) {
        try (var pass = enter()) {
            List<PropProblem> problems = bag().setProps(values);
            List<PropValue> accepted = accepted(values, problems);
            if (!accepted.isEmpty()) {
                StoreFile.Mutation m = file.mutation();
                storage().setStoreProperties(accepted, List.of());
                m.done();
                raise(Flags.fnevObjectModified, ids().store(), Flags.MAPI_STORE, null, null);
            }
            return problems;
        }
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        try (var pass = enter()) {
            List<PropProblem> problems = bag().deleteProps(tags);
            List<Integer> gone = new ArrayList<>();
            for (int i = 0; i < tags.length; i++) {
                if (!hasProblem(problems, i)) {
                    gone.add(tags[i]);
                }
            }
            if (!gone.isEmpty()) {
                StoreFile.Mutation m = file.mutation();
                storage().setStoreProperties(List.of(), gone);
                m.done();
                raise(Flags.fnevObjectModified, ids().store(), Flags.MAPI_STORE, null, null);
            }
            return problems;
        }
    }

    /**
     * @param values   the values a SetProps call was given
     * @param problems the problems the bag reported
     * @return the values that were accepted: no problem, not PR_NULL, not PT_ERROR
     */
    static List<PropValue> accepted(List<PropValue> values, List<PropProblem> problems) {
        List<PropValue> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            PropValue v = values.get(i);
            if (v.tag() != PropTag.PR_NULL && !v.isError() && !hasProblem(problems, i)) {
                out.add(v);
            }
        }
        return out;
    }

    /** @return whether a problem names entry {@code index} */
    static boolean hasProblem(List<PropProblem> problems, int index) {
        return problems.stream().anyMatch(p -> p.index() == index);
    }

    @Override
    public int[] getPropList(int flags) {
        try (var pass = enter()) {
            return bag().getPropList(flags);
        }
    }

    @Override
    public void saveChanges(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.KEEP_OPEN_READONLY | Flags.KEEP_OPEN_READWRITE | Flags.FORCE_SAVE,
                    "IMsgStore::SaveChanges");
        }
    }

    @Override
    public List<PropProblem> copyTo(List<Class<? extends MapiObject>> excludeInterfaces, int[] excludeProps,
                                    Class<? extends MapiObject> iface, MapiObject destination, int flags) {
        try (var pass = enter()) {
            org.jmapi.prop.MapiProp dest = PropCopy.check(this, iface, destination, flags, "IMsgStore::CopyTo");
            return copy(PropCopy.Selection.exclude(excludeInterfaces, excludeProps), dest, flags);
        }
    }

    @Override
    public List<PropProblem> copyProps(int[] includeProps, Class<? extends MapiObject> iface, MapiObject destination,
                                       int flags) {
        try (var pass = enter()) {
            org.jmapi.prop.MapiProp dest = PropCopy.check(this, iface, destination, flags, "IMsgStore::CopyProps");
            return copy(PropCopy.Selection.include(includeProps), dest, flags);
        }
    }

    /** CopyTo / CopyProps of the store: its own settable properties (the folders are copied folder by folder). */
    private List<PropProblem> copy(PropCopy.Selection sel, org.jmapi.prop.MapiProp dest, int flags) {
        if (dest instanceof SqliteMsgStore other && other.file().key().equals(file.key())) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "CopyTo: the destination is this store");
        }
        if ((flags & Flags.MAPI_MOVE) != 0) {
            checkWritable();
        }
        List<PropValue> values = new ArrayList<>();
        values.add(PropValue.ofString(PR_DISPLAY_NAME, displayName()));
        java.util.Set<Integer> layout = Rows.ids(StoreLayout.PR_LAYOUT_IDS);
        for (PropValue v : storage().storeProperties()) {
            if (!layout.contains(v.id()) && v.id() != PropTag.id(PR_DISPLAY_NAME)) {
                values.add(v);
            }
        }
        List<PropProblem> problems = new ArrayList<>();
        List<Integer> copied = PropCopy.putItems(PropCopy.items(values, List.of(), List.of(), java.util.Set.of()),
                PropCopy.Origin.of(this), dest, sel, flags, problems);
        if ((flags & Flags.MAPI_MOVE) != 0 && !copied.isEmpty()) {
            deleteProps(copied.stream().mapToInt(Integer::intValue).toArray());
        }
        return problems;
    }

    @Override
    public <T extends MapiObject> T openProperty(int tag, Class<T> iface, int interfaceOptions, int flags) {
        try (var pass = enter()) {
            PropertyOpen.Request r = PropertyOpen.check(tag, iface, interfaceOptions, flags);
            SqliteStream.Owner owner = new SqliteStream.Owner() {
                @Override
                public void streamCommitted(int t, ValueBuffer buffer) {
                    PropertyOpen.commitBySetProps(SqliteMsgStore.this, t, buffer);
                }

                @Override
                public void streamGone(SqliteStream stream) {
                }

                @Override
                public BaseMapiObject object() {
                    return null; // streams do not keep the store alive: its last release ends the logon
                }
            };
            return iface.cast(PropertyOpen.valueStream(this, owner, bag(), r));
        }
    }

    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
        try (var pass = enter()) {
            return idsFromNames(names, flags);
        }
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        try (var pass = enter()) {
            return namesFromIds(tags);
        }
    }

    // ---- IMsgStore --------------------------------------------------------------------------------------------

    @Override
    public ReceiveFolder getReceiveFolder(String messageClass, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_UNICODE, "IMsgStore::GetReceiveFolder");
            Optional<org.jmapi.store.ReceiveFolder> rf = storage().getReceiveFolder(messageClass);
            if (rf.isEmpty()) {
                return new ReceiveFolder(ids().folder(file.layout().inbox()), "");
            }
            return new ReceiveFolder(ids().folder(rf.get().folderId()), rf.get().messageClass());
        }
    }

    @Override
    public void setReceiveFolder(String messageClass, int flags, EntryId folderId) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_UNICODE, "IMsgStore::SetReceiveFolder");
            checkWritable();
            boolean isDefault = messageClass == null || messageClass.isEmpty();
            long folder = folderId == null ? 0 : ids().parse(folderId, StoreIds.KIND_FOLDER);
            StoreFile.Mutation m = file.mutation();
            if (folderId != null) {
                storage().setReceiveFolder(messageClass, folder);
            } else if (isDefault) {
                storage().setReceiveFolder("", file.layout().inbox()); // the default always exists (R-RF-1)
            } else {
                storage().clearReceiveFolder(messageClass);
            }
            m.done();
        }
    }

    @Override
    public void abortSubmit(EntryId entryId, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, 0, "IMsgStore::AbortSubmit");
            long id = ids().parse(entryId, StoreIds.KIND_MESSAGE);
            StoreFile.Mutation m = file.mutation();
            storage().abortSubmit(id);
            long folder = folderOf(id);
            m.done(folder);
            raise(Flags.fnevObjectModified, ids().message(id), Flags.MAPI_MESSAGE, ids().folder(folder), null);
        }
    }

    /** @return the folder of a message, 0 when it is gone */
    private long folderOf(long messageId) {
        try {
            return storage().messageInfo(messageId).folderId();
        } catch (MapiException e) {
            return 0;
        }
    }

    @Override
    protected MapiObject doOpenEntry(EntryId entryId, int flags) {
        Flags.checkKnown(flags, Flags.MAPI_MODIFY | Flags.MAPI_BEST_ACCESS | Flags.MAPI_DEFERRED_ERRORS,
                "IMsgStore::OpenEntry");
        if ((flags & Flags.MAPI_MODIFY) != 0 && !writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS,
                    "MAPI_MODIFY on a store opened read-only (open the store with MDB_WRITE, R-MS-9)");
        }
        if (entryId == null) {
            return track(new SqliteFolder(this, file.layout().root()));
        }
        if (entryId.equals(wrappedId)) {
            addRef();
            return this;
        }
        StoreIds.Ref ref = ids().parse(entryId);
        switch (ref.kind()) {
            case StoreIds.KIND_STORE:
                addRef();
                return this;
            case StoreIds.KIND_FOLDER:
                try {
                    storage().loadFolder(ref.id());
                } catch (MapiException e) {
                    if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
                        throw new MapiException(HResult.MAPI_E_NOT_FOUND, "there is no folder " + ref.id()
                                + " in this store (deleted?)", e);
                    }
                    throw e;
                }
                return track(new SqliteFolder(this, ref.id()));
            default:
                return openMessage(ref.id(), flags);
        }
    }

    @Override
    protected boolean doCompareEntryIds(EntryId a, EntryId b, int flags) {
        Flags.checkKnown(flags, 0, "IMsgStore::CompareEntryIDs");
        if (a == null || b == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CompareEntryIDs: null entry id");
        }
        try {
            return refOf(a).equals(refOf(b));
        } catch (MapiException e) {
            throw new MapiException(HResult.MAPI_E_UNKNOWN_ENTRYID,
                    "CompareEntryIDs: not entry ids of this store (" + e.getMessage() + ")", e);
        }
    }

    private StoreIds.Ref refOf(EntryId e) {
        return e.equals(wrappedId) ? new StoreIds.Ref(StoreIds.KIND_STORE, 0) : ids().parse(e);
    }

    @Override
    protected int doAdvise(EntryId entryId, int eventMask, AdviseSink sink) {
        if (sink == null || eventMask == 0 || (eventMask & ~ADVISE_EVENTS) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "Advise needs a sink and fnev* bits "
                    + "(fnevStatusObjectModified is MAPI's own, R-NTF-5); got mask " + HResult.hex(eventMask));
        }
        byte[] key;
        if (entryId == null || entryId.equals(wrappedId)) {
            key = storeKey();
        } else {
            StoreIds.Ref r = ids().parse(entryId);
            key = switch (r.kind()) {
                case StoreIds.KIND_STORE -> storeKey();
                case StoreIds.KIND_FOLDER -> ids().folder(r.id()).toBytes();
                default -> ids().message(r.id()).toBytes();
            };
        }
        int connection = support().subscribe(key, eventMask, 0, sink);
        connections.add(connection);
        return connection;
    }

    @Override
    protected void doUnadvise(int connection) {
        if (!connections.remove(connection)) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no advise connection " + connection + " on this store");
        }
        support().unsubscribe(connection);
    }

    @Override
    protected MapiTable doGetOutgoingQueue(int flags) {
        Flags.checkKnown(flags, Flags.MAPI_UNICODE, "IMsgStore::GetOutgoingQueue");
        TableData data = new TableData(PR_INSTANCE_KEY, Rows.QUEUE_COLUMNS, file.notifier());
        LogonTable.Source source = new LogonTable.Source(data, PR_INSTANCE_KEY, () -> {
            List<List<PropValue>> rows = new ArrayList<>();
            for (MessageRow r : storage().queue()) {
                rows.add(Rows.messageValues(ids(), wrappedId, r));
            }
            return rows;
        });
        source.refresh();
        MapiTable view = data.openView();
        view.sortTable(List.of(SortOrder.ascending(PR_CLIENT_SUBMIT_TIME)), 0);
        return track(new LogonTable(this, view, source, null));
    }

    @Override
    protected void doSetLockState(Message message, int lockState) {
        if (lockState != Flags.MSG_LOCKED && lockState != Flags.MSG_UNLOCKED) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "SetLockState: the lock state must be MSG_LOCKED (1) or MSG_UNLOCKED (0), got " + lockState);
        }
        if (!(message instanceof SqliteMessage m) || m.store.file() != file) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "SetLockState: not a message opened through this store");
        }
        long id = m.saveForLock();
        if (id == 0) {
            throw new MapiException(HResult.MAPI_E_NOT_IN_QUEUE, "SetLockState: the message was never saved");
        }
        StoreFile.Mutation mu = file.mutation();
        MessageInfo info;
        if (lockState == Flags.MSG_LOCKED) {
            info = lockInStorage(id);
            locked.add(id);
        } else {
            storage().unlockMessage(id);
            locked.remove(id);
            info = storage().messageInfo(id);
        }
        mu.done(info.folderId());
    }

    /**
     * Locks a queued message in the storage for this logon's spooler (R-OQ-2).
     *
     * @throws MapiException MAPI_E_NO_ACCESS when another spooler — another process or host sharing the store's
     *                       queue — holds the message: it is that spooler's to send, and this one should pass it by;
     *                       MAPI_E_BUSY when the storage could not decide right now (another instance is taking the
     *                       message at this moment, or the database is busy); MAPI_E_NOT_IN_QUEUE when it was sent or
     *                       aborted meanwhile
     */
    private MessageInfo lockInStorage(long id) {
        try {
            return storage().lockMessage(id);
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_BUSY) {
                MessageInfo now = storage().messageInfo(id);
                if (now.queue() != null && now.queue().locked()
                        && !storage().ownerId().equals(now.queue().lockOwner())) {
                    throw new MapiException(HResult.MAPI_E_NO_ACCESS, "SetLockState: message " + id
                            + " is being sent by another spooler sharing this store's outgoing queue ("
                            + e.getMessage() + ")", e);
                }
            }
            throw e;
        }
    }

    @Override
    protected void doFinishedMsg(int flags, EntryId entryId) {
        Flags.checkKnown(flags, 0, "IMsgStore::FinishedMsg");
        long id = ids().parse(entryId, StoreIds.KIND_MESSAGE);
        MessageRow sm = storage().messageRow(id); // the queue state and two properties: no recipients, attachments
        if (sm.info().queue() == null) {
            throw new MapiException(HResult.MAPI_E_NOT_IN_QUEUE, "FinishedMsg: message " + id
                    + " is not in the outgoing queue");
        }
        if (!sm.info().queue().locked() || !locked.contains(id)) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "FinishedMsg: message " + id
                    + " must be locked by this spooler with SetLockState first (R-OQ-5)");
        }
        long from = sm.info().folderId();
        long sentMail = sentMailFolder(sm);
        boolean delete = find(sm, PR_DELETE_AFTER_SUBMIT).map(v -> v.type() == PropType.PT_BOOLEAN
                && v.asBoolean()).orElse(false);
        StoreFile.Mutation mu = file.mutation();
        outcome(() -> {
            storage().finishMessage(id, new Disposal(sentMail, delete), delete ? 0 : Flags.MSGFLAG_UNSENT);
            return null;
        });
        locked.remove(id);
        mu.done(from, sentMail == 0 ? from : sentMail);
        EntryId eid = ids().message(id);
        if (delete) {
            raise(Flags.fnevObjectDeleted, eid, Flags.MAPI_MESSAGE, ids().folder(from), null);
        } else if (sentMail != 0 && sentMail != from) {
            raise(Flags.fnevObjectMoved, eid, Flags.MAPI_MESSAGE, ids().folder(sentMail), ids().folder(from));
        } else {
            raise(Flags.fnevObjectModified, eid, Flags.MAPI_MESSAGE, ids().folder(from), null);
        }
    }

    /** @return the folder PR_SENTMAIL_ENTRYID names, when it is an existing folder of this store; else 0 */
    private long sentMailFolder(MessageRow sm) {
        Optional<PropValue> v = find(sm, PR_SENTMAIL_ENTRYID);
        if (v.isEmpty() || v.get().type() != PropType.PT_BINARY) {
            return 0;
        }
        try {
            long folder = ids().parse(EntryId.of(v.get().asBinary()), StoreIds.KIND_FOLDER);
            storage().loadFolder(folder);
            return folder;
        } catch (MapiException e) {
            return 0; // another store's folder, or a deleted one: the message stays where it is
        }
    }

    /** @return the row's inline top-level value of {@code tag}'s id, if any */
    private static Optional<PropValue> find(MessageRow row, int tag) {
        for (PropValue v : row.properties()) {
            if (v.id() == PropTag.id(tag)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    @Override
    protected void doNotifyNewMail(Notification.NewMail notification) {
        if (notification == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "NotifyNewMail: no notification");
        }
        raiseAll(List.of(notification));
    }

    @Override
    protected MapiStatus createStatusObject() {
        // Read-only, ValidateState only: a store file has no connection to revalidate and no queues to flush.
        return new org.jmapi.spi.LogonStatus(this::enterGate, () -> List.of(
                PropValue.ofString(PR_DISPLAY_NAME, displayName()),
                PropValue.ofString(PR_PROVIDER_DISPLAY, provider.backend().providerDisplay()),
                PropValue.ofInt(PR_STATUS_CODE, Flags.STATUS_AVAILABLE),
                PropValue.ofString(PR_STATUS_STRING, "Available")), Flags.STATUS_VALIDATE_STATE,
                new org.jmapi.spi.LogonStatus.Actions() {
                    @Override
                    public void validateState(long uiParam, int flags) {
                        // nothing to revalidate
                    }

                    @Override
                    public void flushQueues(long uiParam, int flags) {
                        // not advertised: LogonStatus answers MAPI_E_NO_SUPPORT before calling this
                    }
                }, "SQLite store status object");
    }

    /** @return the store's display name now */
    String displayName() {
        for (PropValue v : storage().storeProperties()) {
            if (v.id() == PropTag.id(PR_DISPLAY_NAME) && Rows.isString(v.type())) {
                return v.asString();
            }
        }
        return storage().identity().displayName();
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
                // MAPI already dropped the logon's subscriptions with its support object.
            }
        }
        connections.clear();
        for (Long id : List.copyOf(locked)) {
            try {
                storage().unlockMessage(id); // R-MAIL-1: the lock does not outlive the spooler's logon
            } catch (MapiException e) {
                // Already finished, aborted or unlocked: nothing to give back.
            }
        }
        locked.clear();
        if (deferOutcomes) {
            try {
                storage().flushDeferred(); // the spooler's outcomes are durable before its logon ends
            } catch (MapiException e) {
                // The storage retries on its own and flushes at its close; the logoff goes on.
            }
        }
        file.removeTarget(this);
        file.release();
        provider.storeClosed(this);
    }

    @Override
    protected void onDestroy() {
        provider.logonDestroyed();
    }

    @Override
    protected String describe() {
        return (isSpoolerLogon() ? "spooler " : "") + provider.backend().engine() + " " + file;
    }
}
