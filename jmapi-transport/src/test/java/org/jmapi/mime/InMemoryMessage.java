package org.jmapi.mime;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Attach;
import org.jmapi.client.Message;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;
import org.jmapi.table.MapiTable;
import org.jmapi.table.TableData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * A compact in-memory {@link Message} for tests: properties in a {@link PropertyBag}, recipients and attachments in
 * {@link TableData} tables, attachments committed to the message by their own {@code saveChanges} (R-FM-4). There is
 * no store: the message's {@code saveChanges} only counts calls. Recipient rows get PR_ROWID; attachment rows carry
 * every attachment property plus PR_ATTACH_NUM. Not final: a test overrides a method to imitate a store that behaves
 * differently (an inline limit, computed properties).
 */
class InMemoryMessage extends BaseMapiObject implements Message {
    /** Runs table notifications off the changing thread, as TableData requires. */
    private static final Executor NOTIFIER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "in-memory-message-notifier");
        t.setDaemon(true);
        return t;
    });
    /** Default recipient-table columns. */
    private static final int[] RECIPIENT_COLUMNS = {PropTags.PR_ROWID, PropTags.PR_DISPLAY_NAME,
        PropTags.PR_RECIPIENT_TYPE, PropTags.PR_ADDRTYPE, PropTags.PR_EMAIL_ADDRESS};
    /** Default attachment-table columns. */
    private static final int[] ATTACHMENT_COLUMNS = {PropTags.PR_ATTACH_NUM, PropTags.PR_ATTACH_METHOD,
        PropTags.PR_ATTACH_LONG_FILENAME, PropTags.PR_RENDERING_POSITION};

    /** The message properties. */
    private final PropertyBag bag = new PropertyBag();
    /** Recipients by PR_ROWID. */
    private final TableData recipientTable = new TableData(PropTags.PR_ROWID, RECIPIENT_COLUMNS, NOTIFIER);
    /** Attachments by PR_ATTACH_NUM. */
    private final TableData attachmentTable = new TableData(PropTags.PR_ATTACH_NUM, ATTACHMENT_COLUMNS, NOTIFIER);
    /** Saved attachment properties by number. */
    private final TreeMap<Integer, List<PropValue>> attachments = new TreeMap<>();
    /** Next PR_ROWID. */
    private int nextRow;
    /** Next PR_ATTACH_NUM. */
    private int nextAttach;
    /** How often saveChanges was called. */
    private int saves;

    @Override
    public PropValues getProps(int[] tags, int flags) {
        checkValid();
        return bag.getProps(tags, flags);
    }

    @Override
    public List<PropProblem> setProps(List<PropValue> values) {
        checkValid();
        return bag.setProps(values);
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        checkValid();
        return bag.deleteProps(tags);
    }

    @Override
    public int[] getPropList(int flags) {
        checkValid();
        return bag.getPropList(flags);
    }

    @Override
    public synchronized void saveChanges(int flags) {
        checkValid();
        saves++;
    }

    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "no named properties in InMemoryMessage");
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "no named properties in InMemoryMessage");
    }

    @Override
    public MapiTable getRecipientTable(int flags) {
        checkValid();
        return recipientTable.openView();
    }

    @Override
    public synchronized void modifyRecipients(int flags, List<List<PropValue>> list) {
        checkValid();
        if (flags == 0) {
            for (var r : recipientTable.rows()) {
                recipientTable.deleteRow(r.get(PropTags.PR_ROWID));
            }
        }
        for (List<PropValue> r : list) {
            List<PropValue> row = new ArrayList<>();
            Optional<PropValue> id = r.stream().filter(v -> v.id() == PropTag.id(PropTags.PR_ROWID)).findFirst();
            if (flags == Flags.MODRECIP_REMOVE) {
                recipientTable.deleteRow(id.orElseThrow());
                continue;
            }
            int rowId = flags == Flags.MODRECIP_MODIFY ? id.orElseThrow().asInt() : nextRow++;
            row.add(PropValue.ofInt(PropTags.PR_ROWID, rowId));
            r.stream().filter(v -> v.id() != PropTag.id(PropTags.PR_ROWID)).forEach(row::add);
            recipientTable.modifyRow(row);
        }
    }

    @Override
    public MapiTable getAttachmentTable(int flags) {
        checkValid();
        return attachmentTable.openView();
    }

    @Override
    public synchronized Attach createAttach(int flags) {
        checkValid();
        return new InMemoryAttach(this, nextAttach++, List.of());
    }

    @Override
    public synchronized Attach openAttach(int attachNum, int flags) {
        checkValid();
        List<PropValue> props = attachments.get(attachNum);
        if (props == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no attachment " + attachNum);
        }
        return new InMemoryAttach(this, attachNum, props);
    }

    @Override
    public synchronized void deleteAttach(int attachNum, int flags) {
        checkValid();
        if (attachments.remove(attachNum) == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no attachment " + attachNum);
        }
        attachmentTable.deleteRow(PropValue.ofInt(PropTags.PR_ATTACH_NUM, attachNum));
    }

    @Override
    public void submitMessage(int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "InMemoryMessage has no store to submit to");
    }

    @Override
    public void setReadFlag(int flags) {
        checkValid();
    }

    /**
     * An attachment's SaveChanges: its properties become the saved attachment.
     *
     * @param number PR_ATTACH_NUM
     * @param props  the properties
     */
    synchronized void putAttachment(int number, List<PropValue> props) {
        attachments.put(number, List.copyOf(props));
        List<PropValue> row = new ArrayList<>(props);
        row.add(PropValue.ofInt(PropTags.PR_ATTACH_NUM, number));
        attachmentTable.modifyRow(row);
    }

    // ---- test conveniences ----

    /**
     * @param tag a tag
     * @return the stored value, or null
     */
    PropValue prop(int tag) {
        return bag.get(tag);
    }

    /**
     * @param tag a string tag
     * @return the stored string, or null
     */
    String string(int tag) {
        PropValue v = bag.get(tag);
        return v == null ? null : v.asString();
    }

    /** @return every recipient's properties, in PR_ROWID order */
    List<Map<Integer, PropValue>> recipients() {
        List<Map<Integer, PropValue>> out = new ArrayList<>();
        for (var row : recipientTable.rows()) {
            Map<Integer, PropValue> m = new LinkedHashMap<>();
            row.values().forEach(v -> m.put(v.tag(), v));
            out.add(m);
        }
        return out;
    }

    /** @return every saved attachment's properties by tag, in PR_ATTACH_NUM order */
    synchronized List<Map<Integer, PropValue>> attachments() {
        List<Map<Integer, PropValue>> out = new ArrayList<>();
        for (List<PropValue> a : attachments.values()) {
            Map<Integer, PropValue> m = new LinkedHashMap<>();
            a.forEach(v -> m.put(v.tag(), v));
            out.add(m);
        }
        return out;
    }

    /** @return how often saveChanges was called */
    synchronized int saves() {
        return saves;
    }

    @Override
    protected String describe() {
        return "in-memory message";
    }
}
