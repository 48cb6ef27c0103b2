package org.jmapi.bench.mime;

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
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The MAPI message the {@code mime.*} rows convert into and out of: a complete in-memory {@link Message} built from
 * jmapi-api's own parts — properties in a {@link PropertyBag}, recipients and attachments in {@link TableData}
 * tables (what a provider's recipient and attachment tables are made of), attachments committed by their own
 * {@code saveChanges} — with no store behind it, so the rows measure the converter and the MAPI object model, not a
 * disk. Reference counted and leak tracked like every jmapi object ({@link BaseMapiObject}); release it after use.
 *
 * <p>Used on one thread at a time (the benchmark's); table notifications, which nothing subscribes to here, would run
 * on a daemon thread as {@link TableData} requires.
 */
public final class MemoryMessage extends BaseMapiObject implements Message {
    /** Runs table notifications off the changing thread, as TableData requires. */
    private static final Executor NOTIFIER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bench-memory-message-notifier");
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

    /** There is no store: the message stays as it is in memory. */
    @Override
    public void saveChanges(int flags) {
        checkValid();
    }

    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "the benchmark's in-memory message has no named "
                + "properties");
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "the benchmark's in-memory message has no named "
                + "properties");
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
            PropValue id = null;
            for (PropValue v : r) {
                if (v.id() == PropTag.id(PropTags.PR_ROWID)) {
                    id = v;
                    break;
                }
            }
            if (flags == Flags.MODRECIP_REMOVE) {
                if (id == null) {
                    throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "MODRECIP_REMOVE needs PR_ROWID");
                }
                recipientTable.deleteRow(id);
                continue;
            }
            if (flags == Flags.MODRECIP_MODIFY && id == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "MODRECIP_MODIFY needs PR_ROWID");
            }
            int rowId = flags == Flags.MODRECIP_MODIFY ? id.asInt() : nextRow++;
            List<PropValue> row = new ArrayList<>(r.size() + 1);
            row.add(PropValue.ofInt(PropTags.PR_ROWID, rowId));
            for (PropValue v : r) {
                if (v.id() != PropTag.id(PropTags.PR_ROWID)) {
                    row.add(v);
                }
            }
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
        return new MemoryAttach(this, nextAttach++, List.of());
    }

    @Override
    public synchronized Attach openAttach(int attachNum, int flags) {
        checkValid();
        List<PropValue> props = attachments.get(attachNum);
        if (props == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no attachment " + attachNum);
        }
        return new MemoryAttach(this, attachNum, props);
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
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "the benchmark's in-memory message has no store to "
                + "submit to");
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

    /** @return the number of saved attachments (for checks) */
    public synchronized int attachmentCount() {
        return attachments.size();
    }

    /** @return the number of recipients (for checks) */
    public int recipientCount() {
        return recipientTable.rows().size();
    }

    @Override
    protected String describe() {
        return "benchmark in-memory message";
    }
}
