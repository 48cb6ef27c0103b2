package org.jmapi.store.provider;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.client.Attach;
import org.jmapi.client.Message;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.store.Activity;
import org.jmapi.store.ActivityKind;
import org.jmapi.store.Attachment;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageInfo;
import org.jmapi.store.QueueState;
import org.jmapi.store.Recipient;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.StoredMessage;
import org.jmapi.store.ValueStream;
import org.jmapi.table.MapiTable;
import org.jmapi.table.TableData;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.jmapi.prop.PropTags.*;

/**
 * A message of an SQLite store (IMessage), transacted (R-PROP-5): properties, recipients and attachments change in
 * this object's working image and reach the file only with {@link #saveChanges}, as one atomic write. A new message
 * gets its entry id and its contents-table row at its first SaveChanges (R-FM-1).
 *
 * <p><b>SaveChanges</b>: KEEP_OPEN_READWRITE keeps the message writable; KEEP_OPEN_READONLY, or no flag ("only
 * Release will follow"), leaves it readable but refusing changes with MAPI_E_NO_ACCESS. The save names the version
 * the message was read at: when another object or process saved it since, MAPI_E_OBJECT_CHANGED unless FORCE_SAVE;
 * when it was deleted, MAPI_E_OBJECT_DELETED. On any error nothing is written and the message stays open with its
 * changes. The store keeps PR_MESSAGE_SIZE, PR_SUBMIT_FLAGS and the MSGFLAG_SUBMIT / MSGFLAG_ASSOCIATED bits; the
 * message computes PR_ENTRYID, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_PARENT_ENTRYID, PR_STORE_ENTRYID,
 * PR_STORE_RECORD_KEY, PR_OBJECT_TYPE, PR_DISPLAY_TO / CC / BCC (from the recipients) and PR_HASATTACH.
 *
 * <p><b>Recipients</b> follow R-FM-3: PR_ROWID identifies rows (MODRECIP_MODIFY replaces a whole row,
 * MODRECIP_REMOVE deletes it, MODRECIP_ADD appends rows that must not carry one, 0 replaces the list); PT_NULL values
 * are refused, PT_ERROR ones ignored; the caller's list is only read. <b>Attachments</b> follow R-FM-4 (see
 * {@link SqliteAttach}). <b>SubmitMessage</b> follows R-SUB-1..3: no recipients → MAPI_E_NO_RECIPIENTS and the
 * message stays usable; otherwise every recipient gets PR_RESPONSIBILITY = FALSE, the spooler is told once per logon
 * (SpoolerNotify NOTIFY_READYTOSEND), and the message is saved and queued in one transaction (MSGFLAG_SUBMIT,
 * PR_CLIENT_SUBMIT_TIME); then the message, its attachments and its tables are invalid (MAPI_E_INVALID_OBJECT).
 *
 * <p><b>OpenProperty</b> (R-PROP-6): string and binary properties as {@link SqliteStream}s (a committed stream value
 * joins the working state and is written in chunks at SaveChanges), PR_MESSAGE_RECIPIENTS / PR_MESSAGE_ATTACHMENTS
 * as tables. <b>CopyTo / CopyProps</b> (R-PROP-7) copy the working state through {@link PropCopy}; with MAPI_MOVE
 * the copied parts leave the working state. <b>Embedded messages</b> ({@link #embedded}) are messages of this
 * class whose SaveChanges goes into their attachment.
 *
 * <p><b>Ownership:</b> the caller owns one reference; registered with its logon, invalid after the logon's logoff
 * (R-INV-2). <b>Threads:</b> thread-safe; operations on one message are serialised.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class SqliteMessage extends StoreObject implements Message, SqliteStream.Owner {
    /** CLEAR_READ_FLAG = 0x4 (SetReadFlag). */
    static final int CLEAR_READ_FLAG = 0x4;
    /** SUPPRESS_RECEIPT = 0x1 (SetReadFlag). */
    static final int SUPPRESS_RECEIPT = 0x1;
    /** GENERATE_RECEIPT_ONLY = 0x10 (SetReadFlag). */
    static final int GENERATE_RECEIPT_ONLY = 0x10;
    /** The default columns of a recipient table. */
    static final int[] RECIPIENT_COLUMNS = {PR_ROWID, PR_INSTANCE_KEY, PR_DISPLAY_NAME, PR_RECIPIENT_TYPE,
        PR_ADDRTYPE, PR_EMAIL_ADDRESS, PR_ENTRYID, PR_RESPONSIBILITY};
    /** The default columns of an attachment table. */
    static final int[] ATTACHMENT_COLUMNS = {PR_ATTACH_NUM, PR_INSTANCE_KEY, PR_ATTACH_METHOD, PR_ATTACH_FILENAME,
        PR_ATTACH_LONG_FILENAME, PR_RENDERING_POSITION};
    /** Properties the message derives; never taken from the stored image or from callers. */
    static final int[] DERIVED = {PR_ENTRYID, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_PARENT_ENTRYID, PR_OBJECT_TYPE,
        PR_STORE_ENTRYID, PR_STORE_RECORD_KEY, PR_DISPLAY_TO, PR_DISPLAY_CC, PR_DISPLAY_BCC, PR_HASATTACH,
        PR_MESSAGE_SIZE, PR_SUBMIT_FLAGS, PR_MESSAGE_RECIPIENTS, PR_MESSAGE_ATTACHMENTS};
    private static final Set<Integer> DERIVED_IDS = Rows.ids(DERIVED);

    /** For an embedded message: the attachment whose PR_ATTACH_DATA_OBJ it is; null for a message of a folder. */
    private final SqliteAttach host;
    private final long folderId;
    private final boolean associated;
    private final WorkingProps props;
    private final Map<Integer, List<PropValue>> recipients = new LinkedHashMap<>();
    private final TreeMap<Integer, SqliteAttach.State> attachments = new TreeMap<>();
    private final TableData recipientTable;
    private final TableData attachmentTable;
    private final Set<BaseMapiObject> children = ConcurrentHashMap.newKeySet();
    /** The message id, 0 until the first save. Guarded by {@code this} (volatile for describe()). */
    private volatile long id;
    private long version;
    private int size;
    private QueueState queue;
    private volatile boolean writable;
    /** Whether this object counts as a writer of its message in the store file (R-FM-2). */
    private boolean registeredWriter;
    /** Whether the working image differs from what was loaded or last saved. */
    private boolean dirty;
    private int nextRowId;
    private int nextAttachNum;
    /**
     * A message the spooler creates (a received message being written, R-RCV-2): its INBOUND record in the store,
     * which every process and host sharing the store sees (LOGOFF_INBOUND, R-SLT-4), until the message object goes.
     * Null for other messages.
     */
    private Activity delivery;

    private SqliteMessage(SqliteMsgStore store, long folderId, boolean associated, boolean writable) {
        this(store, folderId, associated, writable, null);
    }

    private SqliteMessage(SqliteMsgStore store, long folderId, boolean associated, boolean writable,
                          SqliteAttach host) {
        super(store);
        this.host = host;
        this.folderId = folderId;
        this.associated = associated;
        this.writable = writable;
        this.props = new WorkingProps(store.storage());
        this.recipientTable = new TableData(PR_ROWID, RECIPIENT_COLUMNS, store.file().notifier());
        this.attachmentTable = new TableData(PR_ATTACH_NUM, ATTACHMENT_COLUMNS, store.file().notifier());
    }

    /**
     * IMAPIFolder::CreateMessage: a new, unsaved, writable message (R-FM-1).
     *
     * @param store      the logon
     * @param folderId   its folder
     * @param associated whether it is a folder-associated (FAI) message
     * @return the message; the caller registers it
     */
    static SqliteMessage create(SqliteMsgStore store, long folderId, boolean associated) {
        SqliteMessage m = new SqliteMessage(store, folderId, associated, true);
        if (store.isSpoolerLogon() && !associated) {
            m.delivery = store.storage().beginActivity(ActivityKind.INBOUND, store.storage().ownerId(), 0);
        }
        m.props.put(PropValue.ofInt(PR_MESSAGE_FLAGS, associated ? Flags.MSGFLAG_ASSOCIATED : Flags.MSGFLAG_UNSENT));
        m.dirty = true;
        m.derive();
        return m;
    }

    /**
     * OpenEntry on a saved message.
     *
     * @param store    the logon
     * @param stored   the message as loaded
     * @param writable whether the caller may change it
     * @return the message; the caller registers it
     */
    static SqliteMessage open(SqliteMsgStore store, StoredMessage stored, boolean writable) {
        SqliteMessage m = new SqliteMessage(store, stored.info().folderId(), stored.info().associated(), writable);
        m.load(stored);
        return m;
    }

    /**
     * PR_ATTACH_DATA_OBJ of an attachment opened as a Message (R-PROP-6, R-FM-4): an embedded message, transacted
     * into its attachment. Its SaveChanges hands its image to the attachment, whose own SaveChanges hands it to the
     * message, whose SaveChanges writes it. It has no entry id, cannot be submitted (MAPI_E_NO_SUPPORT), raises no
     * notifications, and holds a reference on its attachment while open.
     *
     * @param store    the logon
     * @param host     the attachment; AddRef'ed until the embedded message's final release
     * @param image    the embedded message as the attachment holds it, or null for a new, empty one
     * @param writable whether the caller may change it
     * @return the message; the caller registers it
     */
    static SqliteMessage embedded(SqliteMsgStore store, SqliteAttach host, MessageImage image, boolean writable) {
        SqliteMessage m = new SqliteMessage(store, 0, false, writable, host);
        host.addRef();
        synchronized (m) {
            if (image == null) {
                m.props.put(PropValue.ofInt(PR_MESSAGE_FLAGS, Flags.MSGFLAG_UNSENT));
                m.dirty = true;
            } else {
                m.loadImage(image);
            }
            m.derive();
        }
        return m;
    }

    private synchronized void load(StoredMessage stored) {
        MessageInfo info = stored.info();
        id = info.id();
        version = info.version();
        size = info.size();
        queue = info.queue();
        loadImage(stored.image());
        if (writable) {
            store.file().openedForWriting(id);
            registeredWriter = true;
        }
        derive();
    }

    /** Takes a message image as the working state: properties, pending values, recipients, attachments. */
    private void loadImage(MessageImage image) {
        props.load(image.properties().stream().filter(v -> !DERIVED_IDS.contains(v.id())).toList(),
                image.largeValues().stream().filter(v -> !DERIVED_IDS.contains(PropTag.id(v.tag()))).toList());
        props.loadPending(ImageStreams.pending(image.streams()).stream()
                .filter(p -> !DERIVED_IDS.contains(PropTag.id(p.tag()))).toList());
        for (Recipient r : image.recipients()) {
            List<PropValue> row = r.row();
            recipients.put(r.rowId(), row);
            recipientTable.modifyRow(recipientRow(row, r.rowId()));
            nextRowId = Math.max(nextRowId, r.rowId() + 1);
        }
        for (Attachment a : image.attachments()) {
            SqliteAttach.State s = new SqliteAttach.State(withoutId(a.properties(), PR_ATTACH_NUM), a.largeValues(),
                    ImageStreams.pending(a.streams()), a.embeddedMessage());
            s.retain();
            attachments.put(a.attachNum(), s);
            attachmentTable.modifyRow(attachmentRow(a.attachNum(), s));
        }
        nextAttachNum = attachments.isEmpty() ? 0 : attachments.lastKey() + 1;
    }

    /** Recomputes the derived properties from the working state. */
    private void derive() {
        props.protect(DERIVED);
        if (host != null) {
            props.putComputed(PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_MESSAGE));
            props.putComputed(PropValue.ofBinary(PR_STORE_ENTRYID, store.wrappedId().toBytes()));
            props.putComputed(PropValue.ofBinary(PR_STORE_RECORD_KEY, store.ids().uid().toBytes()));
        } else if (id != 0) {
            for (PropValue v : Rows.messageComputed(store.ids(), store.wrappedId(), id, folderId)) {
                props.putComputed(v);
            }
            props.putComputed(PropValue.ofInt(PR_MESSAGE_SIZE, size));
        } else {
            props.putComputed(PropValue.ofBinary(PR_PARENT_ENTRYID, store.ids().folder(folderId).toBytes()));
            props.putComputed(PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_MESSAGE));
            props.putComputed(PropValue.ofBinary(PR_STORE_ENTRYID, store.wrappedId().toBytes()));
            props.putComputed(PropValue.ofBinary(PR_STORE_RECORD_KEY, store.ids().uid().toBytes()));
        }
        if (queue != null) {
            props.putComputed(PropValue.ofInt(PR_SUBMIT_FLAGS, queue.prSubmitFlags()));
        } else {
            props.removeComputed(PR_SUBMIT_FLAGS);
        }
        for (PropValue v : displays()) {
            props.putComputed(v);
        }
        props.putComputed(PropValue.ofBoolean(PR_HASATTACH, !attachments.isEmpty()));
        props.setReadOnly(!writable);
    }

    /** @return PR_DISPLAY_TO, PR_DISPLAY_CC, PR_DISPLAY_BCC from the working recipients, P1 ones left out */
    private List<PropValue> displays() {
        return List.of(PropValue.ofString(PR_DISPLAY_TO, display(Flags.MAPI_TO)),
                PropValue.ofString(PR_DISPLAY_CC, display(Flags.MAPI_CC)),
                PropValue.ofString(PR_DISPLAY_BCC, display(Flags.MAPI_BCC)));
    }

    private String display(int type) {
        return recipients.values().stream()
                .filter(r -> {
                    PropValue t = find(r, PR_RECIPIENT_TYPE);
                    // MAPI_P1 recipients are for addressing only (R-SUB-4) and are not displayed
                    return t != null && t.type() == PropType.PT_LONG && (t.asInt() & Flags.MAPI_P1) == 0
                            && (t.asInt() & ~Flags.MAPI_SUBMITTED) == type;
                })
                .map(r -> {
                    PropValue n = find(r, PR_DISPLAY_NAME);
                    return n == null || !Rows.isString(n.type()) ? "" : n.asString().replace('\0', ' ');
                })
                .collect(Collectors.joining("; "));
    }

    private static PropValue find(List<PropValue> values, int tag) {
        for (PropValue v : values) {
            if (v.id() == PropTag.id(tag) && !v.isError()) {
                return v;
            }
        }
        return null;
    }

    private static List<PropValue> withoutId(List<PropValue> values, int tag) {
        return values.stream().filter(v -> v.id() != PropTag.id(tag)).toList();
    }

    private static List<PropValue> recipientRow(List<PropValue> row, int rowId) {
        List<PropValue> out = new ArrayList<>(row);
        out.add(PropValue.ofBinary(PR_INSTANCE_KEY, ByteBuffer.allocate(4).putInt(rowId).array()));
        return out;
    }

    private static List<PropValue> attachmentRow(int number, SqliteAttach.State s) {
        List<PropValue> row = new ArrayList<>();
        for (PropValue v : s.props()) {
            if (!PropTag.isSecure(v.tag())) {
                row.add(v);
            }
        }
        row.add(PropValue.ofInt(PR_ATTACH_NUM, number));
        row.add(PropValue.ofBinary(PR_INSTANCE_KEY, ByteBuffer.allocate(4).putInt(number).array()));
        row.add(PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_ATTACH));
        return row;
    }

    private void checkWritable() {
        if (!writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the message was opened read-only"
                    + (queue != null ? " (it is submitted)" : "") + "; open it with MAPI_MODIFY to change it");
        }
    }

    /** @return the message image the working state describes */
    private MessageImage image() {
        MessageImage.Builder b = MessageImage.builder();
        for (PropValue v : props.inline()) {
            if (!DERIVED_IDS.contains(v.id())) {
                b.set(v);
            }
        }
        PropValue f = props.get(PR_MESSAGE_FLAGS);
        int flags = f == null || f.type() != PropType.PT_LONG ? 0 : f.asInt();
        flags = attachments.isEmpty() ? flags & ~Flags.MSGFLAG_HASATTACH : flags | Flags.MSGFLAG_HASATTACH;
        b.set(PropValue.ofInt(PR_MESSAGE_FLAGS, flags));
        b.set(PropValue.ofBoolean(PR_HASATTACH, !attachments.isEmpty()));
        displays().forEach(b::set);
        props.keptLarge().forEach(b::keep);
        for (ValueStream v : props.streams()) {
            if (!DERIVED_IDS.contains(PropTag.id(v.tag()))) {
                b.stream(v.tag(), v.source());
            }
        }
        recipients.forEach((n, r) -> b.recipient(new Recipient(n, withoutId(r, PR_ROWID))));
        attachments.forEach((n, s) -> b.attachment(new Attachment(n, s.props(), s.large(), streams(s.pending()),
                s.embedded())));
        return b.build();
    }

    /** @return pending values as streams for a save */
    private static List<ValueStream> streams(List<WorkingProps.Pending> pending) {
        List<ValueStream> out = new ArrayList<>(pending.size());
        for (WorkingProps.Pending p : pending) {
            out.add(new ValueStream(p.tag(), new BufferSource(p.buffer())));
        }
        return out;
    }

    /**
     * Writes the working image (SaveChanges); the caller holds the monitor and checked writability.
     *
     * @param flags      the SaveChanges flags
     * @param submitTime when not null, the message is also queued (SubmitMessage)
     * @return whether the message was new
     */
    private boolean commit(int flags, java.time.Instant submitTime) {
        MessageImage image = image();
        boolean created = id == 0;
        SaveRequest r = created ? SaveRequest.create(folderId, image).withAssociated(associated)
                : SaveRequest.update(id, version, image);
        if ((flags & Flags.FORCE_SAVE) != 0) {
            r = r.withForce();
        }
        if (submitTime != null) {
            r = r.withSubmit(submitTime, 0);
        }
        StoreFile.Mutation m = store.file().mutation();
        SaveRequest request = r;
        // The spooler saving a message it holds locked records a send's outcome (PR_RESPONSIBILITY): deferred
        // durability when the spooler asked for it (DeferredOutcomes); every other save is durable when it returns.
        MessageInfo info = !created && submitTime == null && store.isSpoolerLogon() && store.holdsLock(id)
                ? store.outcome(() -> store.storage().saveMessage(request))
                : store.storage().saveMessage(request);
        m.done(info.folderId());
        id = info.id();
        version = info.version();
        size = info.size();
        queue = info.queue();
        dirty = false;
        if (ImageStreams.has(image)) {
            settle();
        }
        boolean keepWriting = (flags & Flags.KEEP_OPEN_READWRITE) != 0 && submitTime == null;
        if (keepWriting && !registeredWriter) {
            store.file().openedForWriting(id);
            registeredWriter = true;
        } else if (!keepWriting) {
            writable = false;
            dropWriter();
        }
        derive();
        return created;
    }

    /**
     * After a save that wrote values from streams: the working state takes what the store kept instead of the
     * streams' buffers (large values by reference), so the buffers can go and a later save keeps the values.
     */
    private void settle() {
        StoredMessage stored;
        try {
            stored = store.storage().loadMessage(id);
        } catch (MapiException e) {
            return; // deleted right after the save: the next save reports it
        }
        MessageImage image = stored.image();
        props.settle(image.properties(), image.largeValues());
        for (Attachment a : image.attachments()) {
            SqliteAttach.State now = attachments.get(a.attachNum());
            if (now != null && now.hasStreams()) {
                attachments.put(a.attachNum(), SqliteAttach.State.of(withoutId(a.properties(), PR_ATTACH_NUM),
                        a.largeValues(), a.embeddedMessage()));
                now.release();
            }
        }
    }

    private void dropWriter() {
        if (registeredWriter) {
            registeredWriter = false;
            store.file().closedForWriting(id);
        }
    }

    @Override
    public PropValues getProps(int[] tags, int flags) {
        try (var pass = enter()) {
            return props.getProps(tags, flags);
        }
    }

    @Override
    public List<PropProblem> setProps(List<PropValue> values) {
        try (var pass = enter()) {
            synchronized (this) {
                List<PropProblem> p = props.setProps(values);
                dirty = true;
                return p;
            }
        }
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        try (var pass = enter()) {
            synchronized (this) {
                List<PropProblem> p = props.deleteProps(tags);
                dirty = true;
                return p;
            }
        }
    }

    @Override
    public int[] getPropList(int flags) {
        try (var pass = enter()) {
            return props.getPropList(flags);
        }
    }

    @Override
    public void saveChanges(int flags) {
        boolean created;
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.KEEP_OPEN_READONLY | Flags.KEEP_OPEN_READWRITE | Flags.FORCE_SAVE
                    | Flags.MAPI_DEFERRED_ERRORS, "IMessage::SaveChanges");
            if ((flags & Flags.KEEP_OPEN_READONLY) != 0 && (flags & Flags.KEEP_OPEN_READWRITE) != 0) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "SaveChanges: KEEP_OPEN_READONLY and KEEP_OPEN_READWRITE exclude each other");
            }
            if (host != null) {
                synchronized (this) {
                    checkWritable();
                    host.putEmbedded(image());
                    dirty = false;
                    if ((flags & Flags.KEEP_OPEN_READWRITE) == 0) {
                        writable = false;
                    }
                    derive();
                }
                return;
            }
            long saved;
            synchronized (this) {
                checkWritable();
                store.checkWritable();
                created = commit(flags, null);
                saved = id;
            }
            store.raise(created ? Flags.fnevObjectCreated : Flags.fnevObjectModified, store.ids().message(saved),
                    Flags.MAPI_MESSAGE, store.ids().folder(folderId), null);
        }
    }

    /**
     * IMsgStore::SetLockState saves the message it locks or unlocks (R-OQ-2).
     *
     * @return the message id, 0 when it was never saved
     */
    long saveForLock() {
        try (var pass = enter()) {
            synchronized (this) {
                if (writable && id != 0 && dirty) {
                    commit(Flags.KEEP_OPEN_READWRITE, null);
                }
                return id;
            }
        }
    }

    /**
     * An attachment's SaveChanges: its state joins this message's working image (R-FM-4).
     *
     * @param number PR_ATTACH_NUM
     * @param state  the attachment's state
     */
    synchronized void putAttachment(int number, SqliteAttach.State state) {
        checkValid();
        checkWritable();
        state.retain();
        SqliteAttach.State before = attachments.put(number, state);
        if (before != null) {
            before.release();
        }
        attachmentTable.modifyRow(attachmentRow(number, state));
        dirty = true;
        derive();
    }

    /** @param child an attachment or table of this message that was released or invalidated */
    void childGone(BaseMapiObject child) {
        children.remove(child);
    }

    private <T extends BaseMapiObject> T child(T c) {
        children.add(c);
        return c;
    }

    @Override
    public MapiTable getRecipientTable(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_UNICODE | Flags.MAPI_DEFERRED_ERRORS, "IMessage::GetRecipientTable");
            return child(store.dataTable(recipientTable, this::childGone));
        }
    }

    @Override
    public MapiTable getAttachmentTable(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_UNICODE | Flags.MAPI_DEFERRED_ERRORS, "IMessage::GetAttachmentTable");
            return child(store.dataTable(attachmentTable, this::childGone));
        }
    }

    @Override
    public void modifyRecipients(int flags, List<List<PropValue>> list) {
        try (var pass = enter()) {
            int modes = Flags.MODRECIP_ADD | Flags.MODRECIP_MODIFY | Flags.MODRECIP_REMOVE;
            Flags.checkKnown(flags, modes, "IMessage::ModifyRecipients");
            if (Integer.bitCount(flags) > 1 || list == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "ModifyRecipients takes one MODRECIP_* mode (or 0) and a recipient list");
            }
            List<List<PropValue>> rows = new ArrayList<>();
            for (List<PropValue> r : list) {
                rows.add(cleanRecipient(r));
            }
            synchronized (this) {
                checkWritable();
                applyRecipients(flags, rows);
            }
        }
    }

    /** R-FM-3: PT_NULL values are an error, PT_ERROR and PR_NULL entries are ignored; the input is only read. */
    private static List<PropValue> cleanRecipient(List<PropValue> r) {
        if (r == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "ModifyRecipients: null recipient");
        }
        Map<Integer, PropValue> clean = new LinkedHashMap<>();
        for (PropValue v : r) {
            if (v == null || v.type() == PropType.PT_NULL) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "ModifyRecipients: a recipient property is null or of type PT_NULL");
            }
            if (v.type() == PropType.PT_OBJECT) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "ModifyRecipients: a recipient cannot hold PT_OBJECT " + PropTag.toString(v.tag()));
            }
            if (!v.isError() && v.tag() != PropTag.PR_NULL && v.id() != PropTag.id(PR_INSTANCE_KEY)) {
                clean.put(v.id(), v);
            }
        }
        return List.copyOf(clean.values());
    }

    /** Applies one ModifyRecipients call; validates everything before changing anything. */
    private void applyRecipients(int flags, List<List<PropValue>> rows) {
        Map<Integer, List<PropValue>> next = new LinkedHashMap<>(flags == 0 ? Map.of() : recipients);
        int nextRow = nextRowId;
        for (List<PropValue> r : rows) {
            PropValue rowId = find(r, PR_ROWID);
            if (flags == 0) {
                int n = nextRow++;
                next.put(n, withRowId(withoutId(r, PR_ROWID), n));
            } else if (flags == Flags.MODRECIP_ADD) {
                if (rowId != null) {
                    throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                            "MODRECIP_ADD: new recipients carry no PR_ROWID");
                }
                int n = nextRow++;
                next.put(n, withRowId(r, n));
            } else {
                if (rowId == null || rowId.type() != PropType.PT_LONG) {
                    throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                            "MODRECIP_MODIFY / MODRECIP_REMOVE identify recipients by PR_ROWID");
                }
                if (!next.containsKey(rowId.asInt())) {
                    throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no recipient with PR_ROWID " + rowId.asInt());
                }
                if (flags == Flags.MODRECIP_MODIFY) {
                    next.put(rowId.asInt(), withRowId(withoutId(r, PR_ROWID), rowId.asInt()));
                } else {
                    next.remove(rowId.asInt());
                }
            }
        }
        for (Integer gone : List.copyOf(recipients.keySet())) {
            if (!next.containsKey(gone)) {
                recipientTable.deleteRow(PropValue.ofInt(PR_ROWID, gone));
            }
        }
        next.forEach((n, r) -> {
            if (!r.equals(recipients.get(n))) {
                recipientTable.modifyRow(recipientRow(r, n));
            }
        });
        recipients.clear();
        recipients.putAll(next);
        nextRowId = nextRow;
        dirty = true;
        derive();
    }

    private static List<PropValue> withRowId(List<PropValue> r, int n) {
        List<PropValue> out = new ArrayList<>(r);
        out.add(PropValue.ofInt(PR_ROWID, n));
        return List.copyOf(out);
    }

    @Override
    public Attach createAttach(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_DEFERRED_ERRORS, "IMessage::CreateAttach");
            int number;
            synchronized (this) {
                checkWritable();
                number = nextAttachNum++;
            }
            return store.track(child(new SqliteAttach(store, this, number,
                    SqliteAttach.State.of(List.of(), List.of(), null), true)));
        }
    }

    @Override
    public Attach openAttach(int attachNum, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_MODIFY | Flags.MAPI_BEST_ACCESS | Flags.MAPI_DEFERRED_ERRORS,
                    "IMessage::OpenAttach");
            boolean modify = (flags & Flags.MAPI_MODIFY) != 0;
            SqliteAttach.State state;
            boolean canWrite;
            synchronized (this) {
                if (modify) {
                    checkWritable();
                }
                state = attachments.get(attachNum);
                canWrite = writable && (modify || (flags & Flags.MAPI_BEST_ACCESS) != 0);
            }
            if (state == null) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "the message has no attachment " + attachNum);
            }
            return store.track(child(new SqliteAttach(store, this, attachNum, state, canWrite)));
        }
    }

    @Override
    public void deleteAttach(int attachNum, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, SqliteFolder.DIALOG, "IMessage::DeleteAttach");
            synchronized (this) {
                checkWritable();
                SqliteAttach.State gone = attachments.remove(attachNum);
                if (gone == null) {
                    throw new MapiException(HResult.MAPI_E_NOT_FOUND, "the message has no attachment " + attachNum);
                }
                gone.release();
                attachmentTable.deleteRow(PropValue.ofInt(PR_ATTACH_NUM, attachNum));
                dirty = true;
                derive();
            }
        }
    }

    @Override
    public void submitMessage(int flags) {
        long saved;
        boolean created;
        try (var pass = enter()) {
            Flags.checkKnown(flags, FORCE_SUBMIT, "IMessage::SubmitMessage");
            if (host != null) {
                throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "SubmitMessage: an embedded message is not"
                        + " submitted on its own; submit the message it is attached to");
            }
            synchronized (this) {
                checkWritable();
                if (recipients.isEmpty()) {
                    throw new MapiException(HResult.MAPI_E_NO_RECIPIENTS,
                            "SubmitMessage: the message has no recipients (add them with ModifyRecipients)");
                }
            }
            store.readyToSend();
            synchronized (this) {
                checkWritable();
                Map<Integer, List<PropValue>> before = new LinkedHashMap<>(recipients);
                PropValue flagsValue = props.get(PR_MESSAGE_FLAGS);
                boolean resend = flagsValue != null && flagsValue.type() == PropType.PT_LONG
                        && (flagsValue.asInt() & Flags.MSGFLAG_RESEND) != 0;
                try {
                    // R-SUB-2, in order: PrepareSubmit for a resend (its error goes to the client), every
                    // recipient still to be sent with PR_RESPONSIBILITY FALSE (those PrepareSubmit marked MAPI_P1
                    // were handled before and keep TRUE), ExpandRecips, then the save that queues it.
                    store.prepareSubmit(this, resend);
                    recipients.replaceAll((n, r) -> isP1(r) ? r : responsible(r));
                    store.expandRecips(this);
                } catch (MapiException e) {
                    recipients.clear();
                    recipients.putAll(before);
                    throw e;
                }
                try {
                    created = commit(0, store.file().nextSubmitTime());
                } catch (MapiException e) {
                    recipients.clear();
                    recipients.putAll(before);
                    throw e;
                }
                saved = id;
            }
            for (BaseMapiObject c : List.copyOf(children)) {
                c.invalidate();
            }
            recipientTable.invalidateViews();
            attachmentTable.invalidateViews();
            invalidate();
            store.raise(created ? Flags.fnevObjectCreated : Flags.fnevObjectModified, store.ids().message(saved),
                    Flags.MAPI_MESSAGE, store.ids().folder(folderId), null);
        }
    }

    /** @return whether the row's PR_RECIPIENT_TYPE has MAPI_P1 (addressing only, R-SUB-4) */
    private static boolean isP1(List<PropValue> r) {
        return r.stream().anyMatch(v -> v.id() == PropTag.id(PR_RECIPIENT_TYPE) && v.type() == PropType.PT_LONG
                && (v.asInt() & Flags.MAPI_P1) != 0);
    }

    /** @return the recipient row with PR_RESPONSIBILITY = FALSE (R-SUB-2) */
    private static List<PropValue> responsible(List<PropValue> r) {
        List<PropValue> out = new ArrayList<>(withoutId(r, PR_RESPONSIBILITY));
        out.add(PropValue.ofBoolean(PR_RESPONSIBILITY, false));
        return List.copyOf(out);
    }

    @Override
    public <T extends MapiObject> T openProperty(int tag, Class<T> iface, int interfaceOptions, int flags) {
        try (var pass = enter()) {
            PropertyOpen.Request r = PropertyOpen.check(tag, iface, interfaceOptions, flags);
            int id = PropTag.id(tag);
            if (id == PropTag.id(PR_MESSAGE_RECIPIENTS) || id == PropTag.id(PR_MESSAGE_ATTACHMENTS)) {
                if (!iface.isAssignableFrom(LogonTable.class)) {
                    throw PropertyOpen.notOffered(r);
                }
                return iface.cast(id == PropTag.id(PR_MESSAGE_RECIPIENTS) ? getRecipientTable(0)
                        : getAttachmentTable(0));
            }
            boolean canWrite;
            synchronized (this) {
                canWrite = writable;
            }
            return iface.cast(child(PropertyOpen.stream(store, this, props, r, canWrite)));
        }
    }

    /**
     * A copy within the store file: the property takes an out-of-line value by reference (R-PROP-7).
     *
     * @param v the value
     */
    void keepLarge(org.jmapi.store.LargeValue v) {
        synchronized (this) {
            checkValid();
            checkWritable();
            props.putLarge(v);
            dirty = true;
        }
    }

    /** @return the working state as an image, for a copy: properties, recipients, attachments */
    private synchronized MessageImage snapshot() {
        return image();
    }

    @Override
    public List<PropProblem> copyTo(List<Class<? extends MapiObject>> excludeInterfaces, int[] excludeProps,
                                    Class<? extends MapiObject> iface, MapiObject destination, int flags) {
        try (var pass = enter()) {
            MapiProp dest = PropCopy.check(this, iface, destination, flags, "IMessage::CopyTo");
            return copy(PropCopy.Selection.exclude(excludeInterfaces, excludeProps), dest, flags);
        }
    }

    @Override
    public List<PropProblem> copyProps(int[] includeProps, Class<? extends MapiObject> iface, MapiObject destination,
                                       int flags) {
        try (var pass = enter()) {
            MapiProp dest = PropCopy.check(this, iface, destination, flags, "IMessage::CopyProps");
            return copy(PropCopy.Selection.include(includeProps), dest, flags);
        }
    }

    /** CopyTo / CopyProps: copies the working state; with MAPI_MOVE the copied parts leave it (R-PROP-7). */
    private List<PropProblem> copy(PropCopy.Selection sel, MapiProp dest, int flags) {
        if ((flags & Flags.MAPI_MOVE) != 0) {
            synchronized (this) {
                checkWritable();
            }
        }
        PropCopy.Result r = PropCopy.copyMessage(snapshot(), PropCopy.Origin.of(store), dest, sel, flags);
        if ((flags & Flags.MAPI_MOVE) != 0) {
            synchronized (this) {
                if (!r.copied().isEmpty()) {
                    props.deleteProps(r.copied().stream().mapToInt(Integer::intValue).toArray());
                }
                if (r.recipients()) {
                    applyRecipients(0, List.of());
                }
                if (r.attachments()) {
                    for (Integer n : List.copyOf(attachments.keySet())) {
                        attachments.remove(n).release();
                        attachmentTable.deleteRow(PropValue.ofInt(PR_ATTACH_NUM, n));
                    }
                }
                dirty = true;
                derive();
            }
        }
        return r.problems();
    }

    @Override
    public void streamCommitted(int tag, ValueBuffer buffer) {
        synchronized (this) {
            checkValid();
            checkWritable();
            props.putPending(tag, buffer);
            dirty = true;
        }
    }

    @Override
    public void streamGone(SqliteStream stream) {
        childGone(stream);
    }

    @Override
    public BaseMapiObject object() {
        return this;
    }

    @Override
    public void setReadFlag(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, SUPPRESS_RECEIPT | CLEAR_READ_FLAG | GENERATE_RECEIPT_ONLY
                    | Flags.MAPI_DEFERRED_ERRORS, "IMessage::SetReadFlag");
            if ((flags & GENERATE_RECEIPT_ONLY) != 0) {
                return; // no receipts are generated by this store, and the flag is left alone
            }
            boolean read = (flags & CLEAR_READ_FLAG) == 0;
            long saved;
            synchronized (this) {
                PropValue old = props.get(PR_MESSAGE_FLAGS);
                int f = old == null || old.type() != PropType.PT_LONG ? 0 : old.asInt();
                props.put(PropValue.ofInt(PR_MESSAGE_FLAGS, read ? f | Flags.MSGFLAG_READ : f & ~Flags.MSGFLAG_READ));
                saved = id;
                if (id != 0) {
                    store.checkWritable();
                    StoreFile.Mutation m = store.file().mutation();
                    MessageInfo info = store.storage().updateMessageFlags(id, read ? Flags.MSGFLAG_READ : 0,
                            read ? 0 : Flags.MSGFLAG_READ);
                    m.done(info.folderId());
                    version = info.version();
                }
            }
            if (saved != 0) {
                store.raise(Flags.fnevObjectModified, store.ids().message(saved), Flags.MAPI_MESSAGE,
                        store.ids().folder(folderId), null);
            }
        }
    }

    @Override
    protected synchronized void onInvalidate() {
        endDelivery();
        dropWriter();
        recipientTable.invalidateViews();
        attachmentTable.invalidateViews();
        dropBuffers();
    }

    @Override
    protected void destroyed() {
        synchronized (this) {
            endDelivery();
            dropWriter();
            dropBuffers();
        }
        if (host != null) {
            host.dependentGone(this);
            host.release();
        }
    }

    /** Ends the INBOUND record of a message the spooler created: the object is gone (released or logged off). */
    private void endDelivery() {
        Activity a = delivery;
        delivery = null;
        if (a != null) {
            try {
                a.close();
            } catch (MapiException e) {
                // The store is failing: its record ends with this storage instance (or the lease) instead.
            }
        }
    }

    /** Gives back the buffers of values committed by streams and not saved (the message is gone). */
    private void dropBuffers() {
        props.close();
        for (SqliteAttach.State st : attachments.values()) {
            st.release();
        }
        attachments.replaceAll((n, st) -> SqliteAttach.State.of(st.props(), st.large(), st.embedded()));
    }

    @Override
    protected String describe() {
        long i = id;
        return "SQLite " + (host != null ? "embedded message" : "message " + (i == 0 ? "(unsaved)" : Long.toString(i)));
    }
}
