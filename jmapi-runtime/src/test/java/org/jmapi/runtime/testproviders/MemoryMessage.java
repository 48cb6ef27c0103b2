package org.jmapi.runtime.testproviders;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Attach;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropertyBag;
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

import static org.jmapi.prop.PropTags.*;

/**
 * A message of a memory store: transacted (R-PROP-5). Properties, recipients and attachments are changed in this
 * object's working state and reach the store only with {@link #saveChanges}; a new message gets its entry id and
 * its contents-table row at its first SaveChanges (R-FM-1).
 *
 * <p>Recipients follow R-FM-3 (PR_ROWID identifies rows for MODRECIP_MODIFY / MODRECIP_REMOVE, PT_NULL values are
 * refused, PT_ERROR ones ignored, the caller's list is only read). SubmitMessage follows R-SUB-1..3: no recipients
 * → MAPI_E_NO_RECIPIENTS and the message stays usable; otherwise SaveChanges, SpoolerNotify(NOTIFY_READYTOSEND)
 * once per logon, MSGFLAG_SUBMIT, PR_RESPONSIBILITY = FALSE, PR_CLIENT_SUBMIT_TIME, the outgoing queue, and the
 * message with its attachments and tables becomes invalid.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class MemoryMessage extends MemoryStoreObject implements Message {
    /** CLEAR_READ_FLAG = 0x4 (SetReadFlag). */
    static final int CLEAR_READ_FLAG = 0x4;
    /** SUPPRESS_RECEIPT = 0x1 (SetReadFlag). */
    static final int SUPPRESS_RECEIPT = 0x1;
    /** GENERATE_RECEIPT_ONLY = 0x10 (SetReadFlag). */
    static final int GENERATE_RECEIPT_ONLY = 0x10;
    static final int[] RECIPIENT_COLUMNS = {PR_ROWID, PR_DISPLAY_NAME, PR_RECIPIENT_TYPE, PR_ADDRTYPE,
        PR_EMAIL_ADDRESS, PR_ENTRYID, PR_RESPONSIBILITY};
    static final int[] ATTACHMENT_COLUMNS = {PR_ATTACH_NUM, PR_INSTANCE_KEY, PR_ATTACH_METHOD, PR_ATTACH_FILENAME,
        PR_ATTACH_LONG_FILENAME, PR_RENDERING_POSITION};

    private final long folder;
    private final boolean associated;
    private final PropertyBag bag = new PropertyBag();
    private final Map<Integer, List<PropValue>> recipients = new LinkedHashMap<>();
    private final TreeMap<Integer, List<PropValue>> attachments = new TreeMap<>();
    private final TableData recipientTable = new TableData(PR_ROWID, RECIPIENT_COLUMNS, NotifyExecutor.INSTANCE);
    private final TableData attachmentTable =
            new TableData(PR_ATTACH_NUM, ATTACHMENT_COLUMNS, NotifyExecutor.INSTANCE);
    private final Set<BaseMapiObject> children = ConcurrentHashMap.newKeySet();
    private volatile long id;
    private boolean writable;
    private int nextRowId;
    private int nextAttachNum;

    private MemoryMessage(MemoryStore store, long folder, boolean associated, boolean writable) {
        super(store);
        this.folder = folder;
        this.associated = associated;
        this.writable = writable;
        bag.protect(MemoryStoreData.DERIVED_MESSAGE_TAGS);
        bag.putComputed(PropValue.ofBinary(PR_STORE_ENTRYID, store.wrappedId().toBytes()));
        bag.setReadOnly(!writable);
    }

    /** IMAPIFolder::CreateMessage: a new, unsaved, writable message (R-FM-1). */
    static MemoryMessage create(MemoryStore store, long folder, boolean associated) {
        MemoryMessage m = new MemoryMessage(store, folder, associated, true);
        m.bag.put(PropValue.ofInt(PR_MESSAGE_FLAGS, associated ? Flags.MSGFLAG_ASSOCIATED : Flags.MSGFLAG_UNSENT));
        m.refreshDerived();
        return m;
    }

    /** OpenEntry on a saved message. */
    static MemoryMessage open(MemoryStore store, MemoryStoreData.StoredMessage stored, boolean writable) {
        MemoryMessage m = new MemoryMessage(store, stored.folder(), stored.associated(), writable);
        m.load(stored);
        return m;
    }

    private synchronized void load(MemoryStoreData.StoredMessage stored) {
        id = stored.id();
        bag.replaceAll(stored.props());
        bag.putComputed(PropValue.ofBinary(PR_STORE_ENTRYID, store.wrappedId().toBytes()));
        recipients.clear();
        for (List<PropValue> r : stored.recipients()) {
            int row = MemoryStoreData.find(r, PR_ROWID).asInt();
            recipients.put(row, r);
            recipientTable.modifyRow(r);
            nextRowId = Math.max(nextRowId, row + 1);
        }
        attachments.clear();
        attachments.putAll(stored.attachments());
        attachments.forEach((n, a) -> attachmentTable.modifyRow(attachmentRow(n, a)));
        nextAttachNum = attachments.isEmpty() ? 0 : attachments.lastKey() + 1;
        refreshDerived();
    }

    private synchronized MemoryStoreData.StoredMessage draft() {
        return new MemoryStoreData.StoredMessage(id, folder, associated, bag.snapshot(),
                new ArrayList<>(recipients.values()), attachments);
    }

    private void refreshDerived() {
        for (PropValue v : store.data().derived(draft())) {
            bag.putComputed(v);
        }
    }

    private static List<PropValue> attachmentRow(int number, List<PropValue> props) {
        List<PropValue> row = new ArrayList<>();
        for (PropValue v : props) {
            if (!PropTag.isSecure(v.tag())) {
                row.add(v);
            }
        }
        row.add(PropValue.ofBinary(PR_INSTANCE_KEY, ByteBuffer.allocate(4).putInt(number).array()));
        return row;
    }

    @Override
    protected PropertyBag bag() {
        return bag;
    }

    @Override
    protected void checkWritable() {
        if (!writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the message was opened read-only");
        }
    }

    @Override
    protected synchronized void commit(int flags) {
        checkWritable();
        id = store.data().save(draft()).id();
        refreshDerived();
        if ((flags & Flags.KEEP_OPEN_READONLY) != 0) {
            writable = false;
            bag.setReadOnly(true);
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
                if (writable && id != 0) {
                    commit(Flags.KEEP_OPEN_READWRITE);
                }
                return id;
            }
        }
    }

    /** An attachment's SaveChanges: its properties join this message's working state (R-FM-4). */
    synchronized void putAttachment(int number, List<PropValue> props) {
        checkValid();
        checkWritable();
        attachments.put(number, List.copyOf(props));
        attachmentTable.modifyRow(attachmentRow(number, props));
        refreshDerived();
    }

    /** @param child an attachment or table of this message whose count reached zero */
    void childGone(BaseMapiObject child) {
        children.remove(child);
    }

    @Override
    public MapiTable getRecipientTable(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_UNICODE | Flags.MAPI_DEFERRED_ERRORS, "IMessage::GetRecipientTable");
            return store.openTable(recipientTable, List.of(), children);
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
            checkWritable();
            List<List<PropValue>> rows = new ArrayList<>();
            for (List<PropValue> r : list) {
                rows.add(cleanRecipient(r));
            }
            synchronized (this) {
                applyRecipients(flags, rows);
            }
        }
    }

    private static List<PropValue> cleanRecipient(List<PropValue> r) {
        if (r == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "ModifyRecipients: null recipient");
        }
        List<PropValue> clean = new ArrayList<>();
        for (PropValue v : r) {
            if (v == null || v.type() == PropType.PT_NULL) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "ModifyRecipients: a recipient property is null or of type PT_NULL");
            }
            if (!v.isError() && v.tag() != PropTag.PR_NULL) {
                clean = MemoryStoreData.with(clean, v);
            }
        }
        return clean;
    }

    /** Applies one ModifyRecipients call; validates everything before changing anything. */
    private void applyRecipients(int flags, List<List<PropValue>> rows) {
        Map<Integer, List<PropValue>> next = new LinkedHashMap<>(recipients);
        int nextRow = nextRowId;
        if (flags == 0) {
            next.clear();
        }
        for (List<PropValue> r : rows) {
            PropValue rowId = MemoryStoreData.find(r, PR_ROWID);
            switch (flags) {
                case 0 -> {
                    int n = nextRow++;
                    next.put(n, MemoryStoreData.with(withoutRowId(r), PropValue.ofInt(PR_ROWID, n)));
                }
                case Flags.MODRECIP_ADD -> {
                    if (rowId != null) {
                        throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                                "MODRECIP_ADD: new recipients carry no PR_ROWID");
                    }
                    int n = nextRow++;
                    next.put(n, MemoryStoreData.with(r, PropValue.ofInt(PR_ROWID, n)));
                }
                default -> {
                    if (rowId == null || rowId.type() != PropType.PT_LONG) {
                        throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                                "MODRECIP_MODIFY / MODRECIP_REMOVE identify recipients by PR_ROWID");
                    }
                    if (!next.containsKey(rowId.asInt())) {
                        throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no recipient with PR_ROWID " + rowId.asInt());
                    }
                    if (flags == Flags.MODRECIP_MODIFY) {
                        next.put(rowId.asInt(), r);
                    } else {
                        next.remove(rowId.asInt());
                    }
                }
            }
        }
        for (Integer gone : recipients.keySet()) {
            if (!next.containsKey(gone)) {
                recipientTable.deleteRow(PropValue.ofInt(PR_ROWID, gone));
            }
        }
        next.forEach((n, r) -> {
            if (!r.equals(recipients.get(n))) {
                recipientTable.modifyRow(r);
            }
        });
        recipients.clear();
        recipients.putAll(next);
        nextRowId = nextRow;
        refreshDerived();
    }

    private static List<PropValue> withoutRowId(List<PropValue> r) {
        return r.stream().filter(v -> v.id() != PropTag.id(PR_ROWID)).toList();
    }

    @Override
    public MapiTable getAttachmentTable(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_UNICODE | Flags.MAPI_DEFERRED_ERRORS, "IMessage::GetAttachmentTable");
            return store.openTable(attachmentTable, List.of(), children);
        }
    }

    @Override
    public Attach createAttach(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_DEFERRED_ERRORS, "IMessage::CreateAttach");
            checkWritable();
            int number;
            synchronized (this) {
                number = nextAttachNum++;
            }
            return trackChild(new MemoryAttach(store, this, number, List.of(), true));
        }
    }

    @Override
    public Attach openAttach(int attachNum, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_MODIFY | Flags.MAPI_BEST_ACCESS | Flags.MAPI_DEFERRED_ERRORS,
                    "IMessage::OpenAttach");
            boolean modify = (flags & Flags.MAPI_MODIFY) != 0;
            if (modify) {
                checkWritable();
            }
            List<PropValue> props;
            boolean canWrite;
            synchronized (this) {
                props = attachments.get(attachNum);
                canWrite = writable && (modify || (flags & Flags.MAPI_BEST_ACCESS) != 0);
            }
            if (props == null) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no attachment " + attachNum);
            }
            return trackChild(new MemoryAttach(store, this, attachNum, props, canWrite));
        }
    }

    private <T extends BaseMapiObject> T trackChild(T child) {
        children.add(child);
        return store.track(child);
    }

    @Override
    public void deleteAttach(int attachNum, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, MemoryFolder.DIALOG, "IMessage::DeleteAttach");
            checkWritable();
            synchronized (this) {
                if (attachments.remove(attachNum) == null) {
                    throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no attachment " + attachNum);
                }
                attachmentTable.deleteRow(PropValue.ofInt(PR_ATTACH_NUM, attachNum));
                refreshDerived();
            }
        }
    }

    @Override
    public void submitMessage(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, FORCE_SUBMIT, "IMessage::SubmitMessage");
            checkWritable();
            long saved;
            synchronized (this) {
                if (recipients.isEmpty()) {
                    throw new MapiException(HResult.MAPI_E_NO_RECIPIENTS, "the message has no recipients");
                }
                commit(Flags.KEEP_OPEN_READWRITE);
                saved = id;
            }
            store.readyToSend();
            store.data().submit(saved);
            for (BaseMapiObject child : List.copyOf(children)) {
                child.invalidate();
            }
            recipientTable.invalidateViews();
            attachmentTable.invalidateViews();
            invalidate();
        }
    }

    @Override
    public void setReadFlag(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, SUPPRESS_RECEIPT | CLEAR_READ_FLAG | GENERATE_RECEIPT_ONLY
                    | Flags.MAPI_DEFERRED_ERRORS, "IMessage::SetReadFlag");
            boolean read = (flags & CLEAR_READ_FLAG) == 0;
            synchronized (this) {
                PropValue old = bag.get(PR_MESSAGE_FLAGS);
                int f = old == null ? 0 : old.asInt();
                bag.put(PropValue.ofInt(PR_MESSAGE_FLAGS, read ? f | Flags.MSGFLAG_READ : f & ~Flags.MSGFLAG_READ));
                if (id != 0) {
                    store.data().setRead(id, read);
                }
            }
        }
    }

    @Override
    protected String describe() {
        return "memory-store message " + (id == 0 ? "(unsaved)" : Long.toString(id));
    }
}
