package org.jmapi.runtime.testproviders;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropertyBag;
import org.jmapi.table.TableData;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.jmapi.prop.PropTags.*;

/**
 * The contents of one memory store, shared by every logon on it (client and spooler, R-MS-7) and kept in a static,
 * process-wide map keyed by the store's MAPIUID, so that it survives logoff and a later logon in the same JVM finds
 * its queued mail again (R-MAIL-1).
 *
 * <p>Holds folders (root, "Top of Information Store", Inbox, Outbox, Sent Items and whatever clients create),
 * saved messages with their recipients and attachments, the outgoing queue with its spooler locks, receive-folder
 * registrations and named-property mappings. Every folder has a contents, an associated-contents and a hierarchy
 * {@link TableData}; the store has one outgoing-queue {@link TableData}. Tables are kept current on every change, so
 * views opened by clients notify (R-OQ-1, R-TBL-9).
 *
 * <p><b>For tests</b>: {@link #forStore(MapiUid)} finds a store's data without going through MAPI, and the
 * accessors ({@link #queuedCount()}, {@link #lockedCount()}, {@link #messageCount(String)},
 * {@link #queuedSubjects()}, {@link #liveLogons()}) read it; {@link #resetAll()} forgets every store for test
 * isolation. A store's UID is its PR_RECORD_KEY.
 *
 * <p><b>Locks</b> (R-OQ-2, R-MAIL-1): the queue persists as long as the data does; the spooler's locks do not
 * survive the store's shutdown: when the last logon on the data ends, every lock is cleared.
 *
 * <p><b>Threads</b>: thread-safe; one monitor (this object) guards everything. Table notifications run later on the
 * test providers' notification thread.
 */
public final class MemoryStoreData {
    /** Entry-id kind byte of folders. */
    static final int KIND_FOLDER = 1;
    /** Entry-id kind byte of messages. */
    static final int KIND_MESSAGE = 2;
    /** Kind of the store's own entry id. */
    static final int KIND_STORE = 0;
    /** The provider bytes after the UID in the store's unwrapped entry id. */
    static final byte[] STORE_ID_DATA = {'M', 'S', 1};

    /** Folder ids of the well-known folders. */
    static final long ROOT = 1, IPM_SUBTREE = 2, INBOX = 3, OUTBOX = 4, SENT_ITEMS = 5;
    /** Display name of the root folder. */
    public static final String ROOT_NAME = "Root Container";
    /** Display name of the IPM subtree. */
    public static final String IPM_SUBTREE_NAME = "Top of Information Store";
    /** Display name of the Inbox, the default receive folder. */
    public static final String INBOX_NAME = "Inbox";
    /** Display name of the Outbox. */
    public static final String OUTBOX_NAME = "Outbox";
    /** Display name of Sent Items. */
    public static final String SENT_ITEMS_NAME = "Sent Items";

    /** PR_FOLDER_TYPE of the root folder. */
    static final int FOLDER_ROOT = 0;

    static final int[] CONTENTS_COLUMNS = {PR_ENTRYID, PR_INSTANCE_KEY, PR_SUBJECT, PR_MESSAGE_CLASS,
        PR_MESSAGE_FLAGS, PR_DISPLAY_TO, PR_CLIENT_SUBMIT_TIME, PR_MESSAGE_SIZE};
    static final int[] HIERARCHY_COLUMNS = {PR_ENTRYID, PR_INSTANCE_KEY, PR_DISPLAY_NAME, PR_CONTENT_COUNT,
        PR_CONTENT_UNREAD, PR_SUBFOLDERS, PR_DEPTH, PR_FOLDER_TYPE};
    static final int[] QUEUE_COLUMNS = {PR_ENTRYID, PR_CLIENT_SUBMIT_TIME, PR_SUBJECT, PR_MESSAGE_FLAGS,
        PR_SUBMIT_FLAGS, PR_DISPLAY_TO, PR_MESSAGE_SIZE, PR_PRIORITY, PR_SENDER_NAME, PR_DISPLAY_CC, PR_DISPLAY_BCC};

    /** Message properties the store derives; a caller's values for them are refused and never stored. */
    static final int[] DERIVED_MESSAGE_TAGS = {PR_ENTRYID, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_PARENT_ENTRYID,
        PR_OBJECT_TYPE, PR_STORE_RECORD_KEY, PR_STORE_ENTRYID, PR_DISPLAY_TO, PR_DISPLAY_CC, PR_DISPLAY_BCC,
        PR_HASATTACH, PR_MESSAGE_SIZE, PR_SUBMIT_FLAGS, PR_MESSAGE_RECIPIENTS, PR_MESSAGE_ATTACHMENTS};
    private static final Set<Integer> DERIVED_MESSAGE_IDS = ids(DERIVED_MESSAGE_TAGS);

    private static final Map<MapiUid, MemoryStoreData> STORES = new ConcurrentHashMap<>();

    /**
     * A saved message as the store keeps it. Immutable: a save replaces it.
     *
     * @param id          the message id (0 for a draft not saved yet)
     * @param folder      the folder holding it
     * @param associated  whether it is a folder-associated (FAI) message
     * @param props       its own properties (derived ones excluded)
     * @param recipients  one property list per recipient, each with PR_ROWID
     * @param attachments attachment properties by PR_ATTACH_NUM
     */
    record StoredMessage(long id, long folder, boolean associated, List<PropValue> props,
                         List<List<PropValue>> recipients, SortedMap<Integer, List<PropValue>> attachments) {
        /** Copies everything into unmodifiable collections. */
        StoredMessage {
            props = List.copyOf(props);
            recipients = recipients.stream().map(List::copyOf).toList();
            TreeMap<Integer, List<PropValue>> a = new TreeMap<>();
            attachments.forEach((k, v) -> a.put(k, List.copyOf(v)));
            attachments = Collections.unmodifiableSortedMap(a);
        }

        StoredMessage withProps(List<PropValue> newProps) {
            return new StoredMessage(id, folder, associated, newProps, recipients, attachments);
        }

        int flags() {
            PropValue f = find(props, PR_MESSAGE_FLAGS);
            return f == null ? 0 : f.asInt();
        }
    }

    /** A folder: its shared property bag (folders are not transacted, R-PROP-5) and its tables. */
    static final class Folder {
        final long id;
        final long parent;
        final PropertyBag props = new PropertyBag();
        final TableData contents = new TableData(PR_ENTRYID, CONTENTS_COLUMNS, NotifyExecutor.INSTANCE);
        final TableData associated = new TableData(PR_ENTRYID, CONTENTS_COLUMNS, NotifyExecutor.INSTANCE);
        final TableData hierarchy = new TableData(PR_ENTRYID, HIERARCHY_COLUMNS, NotifyExecutor.INSTANCE);

        Folder(long id, long parent) {
            this.id = id;
            this.parent = parent;
        }

        String name() {
            PropValue n = props.get(PR_DISPLAY_NAME);
            return n == null ? "" : n.asString();
        }
    }

    /** A parsed entry id of this store. @param kind KIND_* @param id folder or message id (0 for the store) */
    record Ref(int kind, long id) {}

    private record ReceiveEntry(String messageClass, long folder) {}

    private final MapiUid uid;
    private final Map<Long, Folder> folders = new LinkedHashMap<>();
    private final Map<Long, StoredMessage> messages = new HashMap<>();
    private final Set<Long> queued = new LinkedHashSet<>();
    private final Set<Long> locked = new HashSet<>();
    private final Map<String, ReceiveEntry> receiveFolders = new HashMap<>();
    private final List<NamedProperty> names = new ArrayList<>();
    private final TableData outgoing = new TableData(PR_ENTRYID, QUEUE_COLUMNS, NotifyExecutor.INSTANCE);
    private List<PropValue> storeProps = List.of();
    private long nextId = 100;
    private int liveLogons;
    private Instant lastSubmit = Instant.EPOCH;

    private MemoryStoreData(MapiUid uid) {
        this.uid = uid;
        addFolder(ROOT, 0, ROOT_NAME, FOLDER_ROOT);
        addFolder(IPM_SUBTREE, ROOT, IPM_SUBTREE_NAME, MapiFolder.FOLDER_GENERIC);
        addFolder(INBOX, IPM_SUBTREE, INBOX_NAME, MapiFolder.FOLDER_GENERIC);
        addFolder(OUTBOX, IPM_SUBTREE, OUTBOX_NAME, MapiFolder.FOLDER_GENERIC);
        addFolder(SENT_ITEMS, IPM_SUBTREE, SENT_ITEMS_NAME, MapiFolder.FOLDER_GENERIC);
    }

    // ---- the process-wide registry (tests) ------------------------------------------------------------------

    /**
     * @param uid a memory store's MAPIUID (its PR_RECORD_KEY)
     * @return the store's data
     * @throws NoSuchElementException when no store with that UID was ever logged on to since the last reset
     */
    public static MemoryStoreData forStore(MapiUid uid) {
        MemoryStoreData d = STORES.get(uid);
        if (d == null) {
            throw new NoSuchElementException("no memory store " + uid);
        }
        return d;
    }

    /** @return the UIDs of every memory store logged on to since the last reset */
    public static Set<MapiUid> stores() {
        return Set.copyOf(STORES.keySet());
    }

    /**
     * Forgets every store (test isolation). Logons still open keep working on the data they have; a later logon
     * starts with empty folders.
     */
    public static void resetAll() {
        STORES.clear();
    }

    /** @param uid the store's UID @return its data, created empty on first use */
    static MemoryStoreData obtain(MapiUid uid) {
        return STORES.computeIfAbsent(uid, MemoryStoreData::new);
    }

    // ---- test accessors -------------------------------------------------------------------------------------

    /** @return the store's MAPIUID */
    public MapiUid uid() {
        return uid;
    }

    /** @return how many messages are in the outgoing queue (submitted, not yet finished or aborted) */
    public synchronized int queuedCount() {
        return queued.size();
    }

    /** @return how many queued messages the spooler holds locked (SUBMITFLAG_LOCKED) */
    public synchronized int lockedCount() {
        return locked.size();
    }

    /** @return the PR_SUBJECT of every queued message, in submission order ("" when a message has none) */
    public synchronized List<String> queuedSubjects() {
        return queued.stream().map(id -> {
            PropValue s = find(messages.get(id).props(), PR_SUBJECT);
            return s == null ? "" : s.asString();
        }).toList();
    }

    /**
     * @param folderName the display name of a folder (e.g. {@link #OUTBOX_NAME}); the first folder with that name
     * @return the number of normal (not associated) messages saved in it
     * @throws IllegalArgumentException when the store has no folder with that name
     */
    public synchronized int messageCount(String folderName) {
        Folder f = folders.values().stream().filter(x -> x.name().equals(folderName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no folder named " + folderName));
        return (int) messages.values().stream().filter(m -> m.folder() == f.id && !m.associated()).count();
    }

    /**
     * @param folderName the display name of a folder
     * @return the PR_SUBJECT of its normal messages, in id order ("" for none)
     */
    public synchronized List<String> subjects(String folderName) {
        Folder f = folders.values().stream().filter(x -> x.name().equals(folderName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no folder named " + folderName));
        return messages.entrySet().stream().filter(e -> e.getValue().folder() == f.id && !e.getValue().associated())
                .sorted(Map.Entry.comparingByKey())
                .map(e -> {
                    PropValue v = find(e.getValue().props(), PR_SUBJECT);
                    return v == null ? "" : v.asString();
                }).toList();
    }

    /** @return how many logons (client and spooler) are open on this store now */
    public synchronized int liveLogons() {
        return liveLogons;
    }

    // ---- entry ids ------------------------------------------------------------------------------------------

    /** @return the store's unwrapped entry id */
    EntryId storeEntryId() {
        return EntryId.create(0, uid, STORE_ID_DATA);
    }

    /** @param id a folder id @return its long-term entry id */
    EntryId folderEntryId(long id) {
        return entryId(KIND_FOLDER, id);
    }

    /** @param id a message id @return its long-term entry id */
    EntryId messageEntryId(long id) {
        return entryId(KIND_MESSAGE, id);
    }

    private EntryId entryId(int kind, long id) {
        return EntryId.create(0, uid, ByteBuffer.allocate(9).put((byte) kind).putLong(id).array());
    }

    /**
     * @param e an entry id
     * @return what it names
     * @throws MapiException MAPI_E_INVALID_ENTRYID when it is not one of this store's ids
     */
    Ref parse(EntryId e) {
        if (e == null || !e.hasProviderUid() || !e.providerUid().equals(uid)) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "not an entry id of memory store " + uid);
        }
        byte[] d = e.providerData();
        if (Arrays.equals(d, STORE_ID_DATA)) {
            return new Ref(KIND_STORE, 0);
        }
        if (d.length != 9 || (d[0] != KIND_FOLDER && d[0] != KIND_MESSAGE)) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "malformed memory-store entry id " + e.toHex());
        }
        return new Ref(d[0], ByteBuffer.wrap(d, 1, 8).getLong());
    }

    /**
     * @param e   an entry id
     * @param kind the kind it must have
     * @return the folder or message id
     * @throws MapiException MAPI_E_INVALID_ENTRYID for a foreign or malformed id or one of another kind
     */
    long parse(EntryId e, int kind) {
        Ref r = parse(e);
        if (r.kind() != kind) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "entry id " + e.toHex() + " names a "
                    + (r.kind() == KIND_FOLDER ? "folder" : r.kind() == KIND_MESSAGE ? "message" : "store"));
        }
        return r.id();
    }

    // ---- logons ---------------------------------------------------------------------------------------------

    synchronized void logonStarted() {
        liveLogons++;
    }

    /** The end of one logon; the last one clears every spooler lock (R-OQ-2: locks are not persisted). */
    synchronized void logonEnded() {
        if (--liveLogons == 0 && !locked.isEmpty()) {
            List<Long> was = new ArrayList<>(locked);
            locked.clear();
            was.forEach(this::updateRows);
        }
    }

    // ---- store properties -----------------------------------------------------------------------------------

    synchronized List<PropValue> storeProps() {
        return storeProps;
    }

    synchronized void storeProps(List<PropValue> props) {
        storeProps = List.copyOf(props);
    }

    // ---- folders --------------------------------------------------------------------------------------------

    /**
     * @param id a folder id
     * @return the folder
     * @throws MapiException MAPI_E_NOT_FOUND when there is none
     */
    synchronized Folder folder(long id) {
        Folder f = folders.get(id);
        if (f == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no folder " + id + " in memory store " + uid);
        }
        return f;
    }

    /** @param id a folder id an open object refers to @return the folder @throws MapiException OBJECT_DELETED */
    synchronized Folder liveFolder(long id) {
        Folder f = folders.get(id);
        if (f == null) {
            throw new MapiException(HResult.MAPI_E_OBJECT_DELETED, "the folder was deleted");
        }
        return f;
    }

    private Folder addFolder(long id, long parent, String name, int type) {
        Folder f = new Folder(id, parent);
        EntryId eid = folderEntryId(id);
        f.props.put(PropValue.ofString(PR_DISPLAY_NAME, name));
        f.props.putComputed(PropValue.ofBinary(PR_ENTRYID, eid.toBytes()));
        f.props.putComputed(PropValue.ofBinary(PR_RECORD_KEY, eid.toBytes()));
        f.props.putComputed(PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_FOLDER));
        f.props.putComputed(PropValue.ofInt(PR_FOLDER_TYPE, type));
        f.props.putComputed(PropValue.ofBinary(PR_STORE_RECORD_KEY, uid.toBytes()));
        f.props.putComputed(PropValue.ofBinary(PR_PARENT_ENTRYID, folderEntryId(parent == 0 ? id : parent).toBytes()));
        f.props.onChange(() -> folderChanged(id));
        folders.put(id, f);
        refreshFolder(id);
        if (parent != 0) {
            refreshFolder(parent);
        }
        return f;
    }

    /**
     * IMAPIFolder::CreateFolder (R-FM-2).
     *
     * @return the id of the new folder, or of the existing one with OPEN_IF_EXISTS
     */
    synchronized long createFolder(long parent, String name, String comment, boolean openIfExists) {
        liveFolder(parent);
        for (Folder f : folders.values()) {
            if (f.parent == parent && f.name().equalsIgnoreCase(name)) {
                if (openIfExists) {
                    return f.id;
                }
                throw new MapiException(HResult.MAPI_E_COLLISION, "a folder named \"" + name + "\" already exists");
            }
        }
        Folder f = addFolder(nextId++, parent, name, MapiFolder.FOLDER_GENERIC);
        if (comment != null) {
            f.props.put(PropValue.ofString(PR_COMMENT, comment));
            folderChanged(f.id);
        }
        return f.id;
    }

    /** IMAPIFolder::DeleteFolder (R-FM-2). */
    synchronized void deleteFolder(long parent, long child, int flags) {
        Folder f = folders.get(child);
        if (f == null || f.parent != parent) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "the folder is not a subfolder of this folder");
        }
        if (child <= SENT_ITEMS) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the store's special folders cannot be deleted");
        }
        List<Long> subtree = new ArrayList<>();
        collect(child, subtree);
        if (subtree.size() > 1 && (flags & MapiFolder.DEL_FOLDERS) == 0) {
            throw new MapiException(HResult.MAPI_E_HAS_FOLDERS, "the folder has subfolders; pass DEL_FOLDERS");
        }
        List<StoredMessage> doomed = messages.values().stream().filter(m -> subtree.contains(m.folder())).toList();
        if (!doomed.isEmpty() && (flags & MapiFolder.DEL_MESSAGES) == 0) {
            throw new MapiException(HResult.MAPI_E_HAS_MESSAGES, "the folder holds messages; pass DEL_MESSAGES");
        }
        if (doomed.stream().anyMatch(m -> queued.contains(m.id()))) {
            throw new MapiException(HResult.MAPI_E_SUBMITTED, "the folder holds submitted messages");
        }
        doomed.forEach(m -> removeMessage(m.id()));
        for (long id : subtree) {
            Folder gone = folders.remove(id);
            gone.contents.invalidateViews();
            gone.associated.invalidateViews();
            gone.hierarchy.invalidateViews();
        }
        receiveFolders.values().removeIf(r -> subtree.contains(r.folder()));
        folder(parent).hierarchy.deleteRow(PropValue.ofBinary(PR_ENTRYID, folderEntryId(child).toBytes()));
        refreshFolder(parent);
    }

    private void collect(long id, List<Long> out) {
        out.add(id);
        for (Folder f : new ArrayList<>(folders.values())) {
            if (f.parent == id) {
                collect(f.id, out);
            }
        }
    }

    /** A caller changed a folder's properties: its row in the parent's hierarchy table follows. */
    synchronized void folderChanged(long id) {
        Folder f = folders.get(id);
        if (f != null && f.parent != 0 && folders.containsKey(f.parent)) {
            List<PropValue> row = new ArrayList<>();
            for (PropValue v : f.props.snapshot()) {
                if (!PropTag.isSecure(v.tag()) && v.type() != PropType.PT_OBJECT) {
                    row.add(v);
                }
            }
            row.add(PropValue.ofBinary(PR_INSTANCE_KEY, folderEntryId(id).toBytes()));
            row.add(PropValue.ofInt(PR_DEPTH, 1));
            folders.get(f.parent).hierarchy.modifyRow(row);
        }
    }

    /** Recomputes a folder's counts and its hierarchy row. */
    private void refreshFolder(long id) {
        Folder f = folders.get(id);
        if (f == null) {
            return;
        }
        int count = 0;
        int unread = 0;
        for (StoredMessage m : messages.values()) {
            if (m.folder() == id && !m.associated()) {
                count++;
                if ((m.flags() & Flags.MSGFLAG_READ) == 0) {
                    unread++;
                }
            }
        }
        boolean sub = folders.values().stream().anyMatch(x -> x.parent == id);
        f.props.putComputed(PropValue.ofInt(PR_CONTENT_COUNT, count));
        f.props.putComputed(PropValue.ofInt(PR_CONTENT_UNREAD, unread));
        f.props.putComputed(PropValue.ofBoolean(PR_SUBFOLDERS, sub));
        folderChanged(id);
    }

    // ---- messages -------------------------------------------------------------------------------------------

    /** @param id a message id @return the saved message, or null */
    synchronized StoredMessage message(long id) {
        return messages.get(id);
    }

    synchronized boolean isQueued(long id) {
        return queued.contains(id);
    }

    synchronized boolean isLocked(long id) {
        return locked.contains(id);
    }

    /**
     * Commits a message (IMessage::SaveChanges, R-PROP-5, R-FM-1): a draft with id 0 gets its id now.
     *
     * @param draft the message's state; derived properties in {@code props} are dropped
     * @return the stored message
     * @throws MapiException MAPI_E_OBJECT_DELETED when the message or its folder was deleted meanwhile
     */
    synchronized StoredMessage save(StoredMessage draft) {
        liveFolder(draft.folder());
        long id = draft.id();
        if (id == 0) {
            id = nextId++;
        } else if (!messages.containsKey(id)) {
            throw new MapiException(HResult.MAPI_E_OBJECT_DELETED, "the message was deleted");
        }
        List<PropValue> props = new ArrayList<>();
        for (PropValue v : draft.props()) {
            if (!DERIVED_MESSAGE_IDS.contains(v.id()) && v.type() != PropType.PT_OBJECT) {
                props.add(v);
            }
        }
        PropValue old = find(props, PR_MESSAGE_FLAGS);
        int flags = old == null ? 0 : old.asInt();
        flags = draft.attachments().isEmpty() ? flags & ~Flags.MSGFLAG_HASATTACH : flags | Flags.MSGFLAG_HASATTACH;
        props = with(props, PropValue.ofInt(PR_MESSAGE_FLAGS, flags));
        StoredMessage stored = new StoredMessage(id, draft.folder(), draft.associated(), props, draft.recipients(),
                draft.attachments());
        messages.put(id, stored);
        updateRows(id);
        refreshFolder(stored.folder());
        return stored;
    }

    /**
     * IMAPIFolder::DeleteMessages (R-FM-2): submitted and missing messages are skipped.
     *
     * @return S_OK or MAPI_W_PARTIAL_COMPLETION
     */
    synchronized int deleteMessages(long folder, List<Long> ids) {
        int hr = HResult.S_OK;
        for (long id : ids) {
            StoredMessage m = messages.get(id);
            if (m == null || m.folder() != folder || queued.contains(id)) {
                hr = HResult.MAPI_W_PARTIAL_COMPLETION;
            } else {
                removeMessage(id);
            }
        }
        refreshFolder(folder);
        return hr;
    }

    private void removeMessage(long id) {
        StoredMessage m = messages.remove(id);
        PropValue key = PropValue.ofBinary(PR_ENTRYID, messageEntryId(id).toBytes());
        Folder f = folders.get(m.folder());
        if (f != null) {
            (m.associated() ? f.associated : f.contents).deleteRow(key);
        }
        if (queued.remove(id)) {
            outgoing.deleteRow(key);
        }
        locked.remove(id);
        refreshFolder(m.folder());
    }

    /** IMessage::SetReadFlag on a saved message: applied at once. */
    synchronized void setRead(long id, boolean read) {
        StoredMessage m = messages.get(id);
        if (m != null) {
            int f = read ? m.flags() | Flags.MSGFLAG_READ : m.flags() & ~Flags.MSGFLAG_READ;
            messages.put(id, m.withProps(with(m.props(), PropValue.ofInt(PR_MESSAGE_FLAGS, f))));
            updateRows(id);
            refreshFolder(m.folder());
        }
    }

    /**
     * The part of IMessage::SubmitMessage after SaveChanges (R-SUB-2): MSGFLAG_SUBMIT, PR_RESPONSIBILITY = FALSE on
     * every recipient, PR_CLIENT_SUBMIT_TIME, then the outgoing queue (which notifies, R-OQ-1). Submit times are
     * strictly increasing, so the queue's order is the submission order.
     */
    synchronized void submit(long id) {
        StoredMessage m = messages.get(id);
        if (m == null) {
            throw new MapiException(HResult.MAPI_E_OBJECT_DELETED, "the message was deleted");
        }
        Instant now = Instant.now();
        lastSubmit = now.isAfter(lastSubmit) ? now : lastSubmit.plusNanos(1000);
        List<PropValue> props = with(m.props(), PropValue.ofInt(PR_MESSAGE_FLAGS, m.flags() | Flags.MSGFLAG_SUBMIT));
        props = with(props, PropValue.ofTime(PR_CLIENT_SUBMIT_TIME, lastSubmit));
        List<List<PropValue>> recips = m.recipients().stream()
                .map(r -> with(r, PropValue.ofBoolean(PR_RESPONSIBILITY, false))).toList();
        messages.put(id, new StoredMessage(id, m.folder(), m.associated(), props, recips, m.attachments()));
        queued.add(id);
        updateRows(id);
    }

    /** IMsgStore::AbortSubmit (R-OQ-4): the message leaves the queue and stays in its folder. */
    synchronized void abortSubmit(long id) {
        if (!queued.contains(id)) {
            throw new MapiException(HResult.MAPI_E_NOT_IN_QUEUE, "the message is not in the outgoing queue");
        }
        if (locked.contains(id)) {
            throw new MapiException(HResult.MAPI_E_UNABLE_TO_ABORT, "the spooler is sending the message");
        }
        dequeue(id, Flags.MSGFLAG_SUBMIT);
    }

    /** IMsgStore::SetLockState (R-OQ-2). */
    synchronized void setLocked(long id, boolean lock) {
        if (!queued.contains(id)) {
            throw new MapiException(HResult.MAPI_E_NOT_IN_QUEUE, "the message is not in the outgoing queue");
        }
        if (lock ? locked.add(id) : locked.remove(id)) {
            updateRows(id);
        }
    }

    /**
     * IMsgStore::FinishedMsg (R-OQ-5): unlock, dequeue, then DoSentMail: PR_SENTMAIL_ENTRYID moves the message
     * there, PR_DELETE_AFTER_SUBMIT deletes it, both move and then delete, neither leaves it where it is.
     */
    synchronized void finished(long id) {
        if (!queued.contains(id)) {
            throw new MapiException(HResult.MAPI_E_NOT_IN_QUEUE, "the message is not in the outgoing queue");
        }
        if (!locked.contains(id)) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "FinishedMsg needs a message the spooler locked with SetLockState");
        }
        locked.remove(id);
        dequeue(id, Flags.MSGFLAG_SUBMIT | Flags.MSGFLAG_UNSENT);
        StoredMessage m = messages.get(id);
        PropValue sentMail = find(m.props(), PR_SENTMAIL_ENTRYID);
        PropValue deleteAfter = find(m.props(), PR_DELETE_AFTER_SUBMIT);
        if (sentMail != null) {
            Ref target = parseQuietly(sentMail.asBinary());
            if (target != null && target.kind() == KIND_FOLDER && folders.containsKey(target.id())) {
                move(id, target.id());
            }
        }
        if (deleteAfter != null && deleteAfter.asBoolean()) {
            removeMessage(id);
        }
    }

    private Ref parseQuietly(byte[] bytes) {
        try {
            return parse(EntryId.of(bytes));
        } catch (MapiException e) {
            return null;
        }
    }

    private void dequeue(long id, int clearFlags) {
        queued.remove(id);
        outgoing.deleteRow(PropValue.ofBinary(PR_ENTRYID, messageEntryId(id).toBytes()));
        StoredMessage m = messages.get(id);
        messages.put(id, m.withProps(with(m.props(), PropValue.ofInt(PR_MESSAGE_FLAGS, m.flags() & ~clearFlags))));
        updateRows(id);
    }

    /** Moves a message, keeping its entry id (R-UID-9). */
    private void move(long id, long target) {
        StoredMessage m = messages.get(id);
        if (m.folder() == target) {
            return;
        }
        Folder from = folders.get(m.folder());
        (m.associated() ? from.associated : from.contents)
                .deleteRow(PropValue.ofBinary(PR_ENTRYID, messageEntryId(id).toBytes()));
        messages.put(id, new StoredMessage(id, target, m.associated(), m.props(), m.recipients(), m.attachments()));
        updateRows(id);
        refreshFolder(from.id);
        refreshFolder(target);
    }

    /** @return the outgoing queue's table (R-OQ-1) */
    TableData outgoingQueue() {
        return outgoing;
    }

    /**
     * The properties the store derives for a message: ids, parent, object type, display strings from the
     * recipients, attachment flag, size and (while queued) PR_SUBMIT_FLAGS.
     */
    synchronized List<PropValue> derived(StoredMessage m) {
        List<PropValue> out = new ArrayList<>();
        if (m.id() != 0) {
            byte[] eid = messageEntryId(m.id()).toBytes();
            out.add(PropValue.ofBinary(PR_ENTRYID, eid));
            out.add(PropValue.ofBinary(PR_INSTANCE_KEY, eid));
            out.add(PropValue.ofBinary(PR_RECORD_KEY, eid));
            if (queued.contains(m.id())) {
                out.add(PropValue.ofInt(PR_SUBMIT_FLAGS, locked.contains(m.id()) ? Flags.SUBMITFLAG_LOCKED : 0));
            }
        }
        out.add(PropValue.ofBinary(PR_PARENT_ENTRYID, folderEntryId(m.folder()).toBytes()));
        out.add(PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_MESSAGE));
        out.add(PropValue.ofBinary(PR_STORE_RECORD_KEY, uid.toBytes()));
        out.add(PropValue.ofString(PR_DISPLAY_TO, displayOf(m.recipients(), Flags.MAPI_TO)));
        out.add(PropValue.ofString(PR_DISPLAY_CC, displayOf(m.recipients(), Flags.MAPI_CC)));
        out.add(PropValue.ofString(PR_DISPLAY_BCC, displayOf(m.recipients(), Flags.MAPI_BCC)));
        out.add(PropValue.ofBoolean(PR_HASATTACH, !m.attachments().isEmpty()));
        out.add(PropValue.ofInt(PR_MESSAGE_SIZE, sizeOf(m)));
        return out;
    }

    private static String displayOf(List<List<PropValue>> recipients, int type) {
        return recipients.stream()
                .filter(r -> {
                    PropValue t = find(r, PR_RECIPIENT_TYPE);
                    return t != null && (t.asInt() & ~(Flags.MAPI_SUBMITTED | Flags.MAPI_P1)) == type;
                })
                .map(r -> {
                    PropValue n = find(r, PR_DISPLAY_NAME);
                    return n == null ? "" : n.asString();
                })
                .collect(Collectors.joining("; "));
    }

    private static int sizeOf(StoredMessage m) {
        long size = sizeOf(m.props());
        for (List<PropValue> r : m.recipients()) {
            size += sizeOf(r);
        }
        for (List<PropValue> a : m.attachments().values()) {
            size += sizeOf(a);
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    private static long sizeOf(List<PropValue> props) {
        long size = 0;
        for (PropValue v : props) {
            Object raw = v.value();
            size += raw instanceof String s ? 2L * s.length() : raw instanceof byte[] b ? b.length : 8;
        }
        return size;
    }

    /** Rewrites a message's rows in its contents table and, while queued, in the outgoing queue. */
    private void updateRows(long id) {
        StoredMessage m = messages.get(id);
        if (m == null) {
            return;
        }
        List<PropValue> row = new ArrayList<>();
        for (PropValue v : m.props()) {
            if (!PropTag.isSecure(v.tag())) {
                row.add(v);
            }
        }
        row.addAll(derived(m));
        Folder f = folders.get(m.folder());
        (m.associated() ? f.associated : f.contents).modifyRow(row);
        if (queued.contains(id)) {
            Set<Integer> wanted = ids(QUEUE_COLUMNS);
            wanted.add(PropTag.id(PR_INSTANCE_KEY));
            outgoing.modifyRow(row.stream().filter(v -> wanted.contains(v.id())).toList());
        }
    }

    // ---- receive folders (R-RF-1) ---------------------------------------------------------------------------

    /** IMsgStore::GetReceiveFolder: the class, then its base classes, then the default (Inbox, class ""). */
    synchronized MsgStore.ReceiveFolder receiveFolder(String messageClass) {
        String c = messageClass == null ? "" : messageClass;
        while (!c.isEmpty()) {
            ReceiveEntry e = receiveFolders.get(c.toUpperCase(Locale.ROOT));
            if (e != null) {
                return new MsgStore.ReceiveFolder(folderEntryId(e.folder()), e.messageClass());
            }
            int dot = c.lastIndexOf('.');
            c = dot < 0 ? "" : c.substring(0, dot);
        }
        ReceiveEntry def = receiveFolders.get("");
        return new MsgStore.ReceiveFolder(folderEntryId(def == null ? INBOX : def.folder()), "");
    }

    /** IMsgStore::SetReceiveFolder; a null folder restores the default for the class. */
    synchronized void receiveFolder(String messageClass, Long folder) {
        String c = messageClass == null ? "" : messageClass;
        if (folder == null) {
            receiveFolders.remove(c.toUpperCase(Locale.ROOT));
        } else {
            folder(folder);
            receiveFolders.put(c.toUpperCase(Locale.ROOT), new ReceiveEntry(c, folder));
        }
    }

    // ---- named properties -----------------------------------------------------------------------------------

    /** IMAPIProp::GetIDsFromNames, one mapping for the whole store. */
    synchronized int[] idsFromNames(List<NamedProperty> wanted, boolean create) {
        if (wanted == null || wanted.isEmpty()) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "GetIDsFromNames: no names");
        }
        int[] out = new int[wanted.size()];
        for (int i = 0; i < out.length; i++) {
            int index = names.indexOf(wanted.get(i));
            if (index < 0 && create) {
                names.add(wanted.get(i));
                index = names.size() - 1;
            }
            out[i] = index < 0 ? PropTag.tag(PropType.PT_ERROR, PropTag.PROP_ID_INVALID)
                    : PropTag.tag(PropType.PT_UNSPECIFIED, PropTag.PROP_ID_NAMED_MIN + index);
        }
        return out;
    }

    /** IMAPIProp::GetNamesFromIDs. */
    synchronized List<NamedProperty> namesFromIds(int[] tags) {
        if (tags == null || tags.length == 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "GetNamesFromIDs: no tags");
        }
        List<NamedProperty> out = new ArrayList<>();
        for (int t : tags) {
            int index = PropTag.id(t) - PropTag.PROP_ID_NAMED_MIN;
            out.add(index >= 0 && index < names.size() ? names.get(index) : null);
        }
        return out;
    }

    // ---- small helpers --------------------------------------------------------------------------------------

    /** @return the value with the tag's id in {@code props}, or null */
    static PropValue find(List<PropValue> props, int tag) {
        int id = PropTag.id(tag);
        for (PropValue v : props) {
            if (v.id() == id && !v.isError()) {
                return v;
            }
        }
        return null;
    }

    /** @return a copy of {@code props} with {@code v} replacing any value of the same id (appended otherwise) */
    static List<PropValue> with(List<PropValue> props, PropValue v) {
        List<PropValue> out = new ArrayList<>(props.size() + 1);
        boolean replaced = false;
        for (PropValue p : props) {
            if (p.id() == v.id()) {
                out.add(v);
                replaced = true;
            } else {
                out.add(p);
            }
        }
        if (!replaced) {
            out.add(v);
        }
        return out;
    }

    private static Set<Integer> ids(int... tags) {
        Set<Integer> s = new HashSet<>();
        for (int t : tags) {
            s.add(PropTag.id(t));
        }
        return s;
    }
}
