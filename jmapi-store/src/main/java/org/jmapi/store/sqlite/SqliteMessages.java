package org.jmapi.store.sqlite;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageInfo;
import org.jmapi.store.MessageRow;
import org.jmapi.store.QueueState;
import org.jmapi.store.Recipient;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.StoredMessage;
import org.jmapi.store.ValueStream;
import org.jmapi.store.engine.ChunkStream;
import org.jmapi.store.engine.ImageRules;
import org.jmapi.store.engine.InlineRule;
import org.jmapi.store.engine.IndexedColumn;
import org.jmapi.store.engine.MessageHead;
import org.jmapi.store.engine.PropCodec;
import org.jmapi.store.engine.SortKeys;
import org.jmapi.store.engine.Subobject;
import org.jmapi.store.ContentsQuery;
import org.jmapi.table.Restriction;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Messages of a SQLite store: the atomic save of a whole message image (top-level properties in the message row,
 * recipients / attachments / embedded messages as {@code subobject} rows, large values in chunks), loading,
 * value streams, flags, delete, move and copy. Contents-table queries are in {@link SqliteContents}.
 * Package-private part of {@link SqliteStorage}; thread-safe through {@link Db}'s transactions.
 */
final class SqliteMessages {
    static final int KIND_RECIPIENT = Subobject.RECIPIENT;
    static final int KIND_ATTACHMENT = Subobject.ATTACHMENT;
    static final int KIND_EMBEDDED = Subobject.EMBEDDED;

    /** The message-row columns {@link MessageHead} maps, in order. */
    static final String HEAD_COLUMNS = "id, folder_id, associated, version, created_at, modified_at, message_size, "
            + "queued, queue_time, queue_flags, lock_owner, lock_expires, props, message_flags";

    /**
     * The message-row columns that copy top-level properties ({@link IndexedColumn}: main, and for strings the folded
     * and size columns), in the order of {@link #columnValues}.
     */
    private static final String[] PROP_COLUMNS;

    /** The start of {@link #writeRoot}'s UPDATE: the columns it always sets. */
    private static final String SET_ROOT_HEAD = "UPDATE message SET props = ?, version = ?, modified_at = ?, "
            + "queued = ?, queue_time = ?, queue_flags = ?";

    /** {@link #writeRoot}'s UPDATE when every property column is set. */
    private static final String SET_ROOT;

    /** The INSERT of a new message row, its property columns included. */
    private static final String INSERT_NEW;

    /** The INSERT of a new message row as it is final (version 1, properties, queue state, property columns). */
    private static final String INSERT_WHOLE;

    static {
        List<String> cols = new ArrayList<>();
        for (IndexedColumn c : IndexedColumn.values()) {
            cols.add(c.column());
            if (c.kind() == IndexedColumn.Kind.STRING) {
                cols.add(c.foldColumn());
                cols.add(c.sizeColumn());
            }
        }
        PROP_COLUMNS = cols.toArray(String[]::new);
        StringBuilder b = new StringBuilder(SET_ROOT_HEAD);
        for (String col : PROP_COLUMNS) {
            b.append(", ").append(col).append(" = ?");
        }
        SET_ROOT = b.append(" WHERE id = ?").toString();
        INSERT_NEW = "INSERT INTO message (folder_id, associated, version, created_at, modified_at, props, "
                + String.join(", ", PROP_COLUMNS) + ") VALUES (?, ?, 0, ?, ?, ?" + ", ?".repeat(PROP_COLUMNS.length)
                + ")";
        INSERT_WHOLE = "INSERT INTO message (folder_id, associated, version, created_at, modified_at, props, queued, "
                + "queue_time, queue_flags, " + String.join(", ", PROP_COLUMNS) + ") VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?"
                + ", ?".repeat(PROP_COLUMNS.length) + ")";
    }

    private final SqliteStorage storage;

    SqliteMessages(SqliteStorage storage) {
        this.storage = storage;
    }

    private Db db() {
        return storage.db();
    }

    private SqliteStorage.Options options() {
        return storage.options();
    }

    // ---- reading heads and metadata --------------------------------------------------------------------------

    static MessageHead mapHead(ResultSet rs) throws SQLException {
        Integer flags = Sql.intOrNull(rs, "message_flags");
        return new MessageHead(rs.getLong(1), rs.getLong(2), rs.getInt(3) != 0, rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getInt(7), rs.getInt(8) != 0, rs.getBytes(9), rs.getInt(10), rs.getString(11),
                Sql.longOrNull(rs, "lock_expires"), rs.getBytes(13), flags == null ? 0 : flags);
    }

    /** @return the message's row, or null when it does not exist */
    MessageHead head(Connection c, long id) throws SQLException {
        return Sql.one(c, "SELECT " + HEAD_COLUMNS + " FROM message WHERE id = ?", SqliteMessages::mapHead, id)
                .orElse(null);
    }

    MessageHead requireHead(Connection c, long id) throws SQLException {
        MessageHead h = head(c, id);
        if (h == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "there is no message " + id + " in store "
                    + db().path());
        }
        return h;
    }

    MessageRow row(Connection c, MessageHead h, SqliteQueue.Live live) throws SQLException {
        MessageInfo info = h.info(live);
        return new MessageRow(info, h.rootProperties(info.queue()), largeValues(c, h.id(), 0));
    }

    /**
     * The rows of several messages, in the order of {@code heads}; the top-level out-of-line values of all of them
     * are read with one statement (per {@value #IDS_PER_STATEMENT} messages) instead of one per message.
     */
    List<MessageRow> rows(Connection c, List<MessageHead> heads, SqliteQueue.Live live) throws SQLException {
        List<Long> ids = new ArrayList<>(heads.size());
        for (MessageHead h : heads) {
            ids.add(h.id());
        }
        Map<Long, List<LargeValue>> large = topLargeValues(c, ids);
        List<MessageRow> out = new ArrayList<>(heads.size());
        for (MessageHead h : heads) {
            MessageInfo info = h.info(live);
            out.add(new MessageRow(info, h.rootProperties(info.queue()), large.getOrDefault(h.id(), List.of())));
        }
        return out;
    }

    /** At most this many message ids are bound in one {@code IN (…)} list (well under SQLite's variable limit). */
    static final int IDS_PER_STATEMENT = 500;

    /**
     * @return the top-level out-of-line values (object 0) of the given messages, by message id, each list in id
     *         order as {@link #largeValues} returns it; messages without any are absent from the map
     */
    static Map<Long, List<LargeValue>> topLargeValues(Connection c, List<Long> messageIds) throws SQLException {
        List<Long> distinct = new ArrayList<>(new LinkedHashSet<>(messageIds));
        Map<Long, List<LargeValue>> out = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += IDS_PER_STATEMENT) {
            List<Long> part = distinct.subList(from, Math.min(distinct.size(), from + IDS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder("SELECT message_id, prop_tag, size, id FROM large_value "
                    + "WHERE object_id = 0 AND message_id IN (");
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(") ORDER BY id");
            // through the connection's statement cache: a table's pages have the same size, so the same SQL
            for (Object[] r : Sql.list(c, sql.toString(), rs -> new Object[] {rs.getLong(1),
                    new LargeValue(rs.getInt(2), rs.getLong(3), rs.getLong(4))}, part.toArray())) {
                out.computeIfAbsent((Long) r[0], k -> new ArrayList<>()).add((LargeValue) r[1]);
            }
        }
        return out;
    }

    MessageInfo info(long id) {
        return db().read("reading message " + id, c -> requireHead(c, id).info(storage.queueComponent().live(c)));
    }

    MessageInfo info(Connection c, long id) throws SQLException {
        return requireHead(c, id).info(storage.queueComponent().live(c));
    }

    static List<LargeValue> largeValues(Connection c, long messageId, long objectId) throws SQLException {
        return Sql.list(c, "SELECT prop_tag, size, id FROM large_value WHERE message_id = ? AND object_id = ? "
                + "ORDER BY id", rs -> new LargeValue(rs.getInt(1), rs.getLong(2), rs.getLong(3)), messageId, objectId);
    }

    // ---- save ------------------------------------------------------------------------------------------------

    List<MessageInfo> save(List<SaveRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        for (SaveRequest r : requests) {
            Objects.requireNonNull(r, "null save request");
            ImageRules.validate(r.image());
            if (r.submitTime() != null) {
                checkSubmitFlags(r.submitFlags());
                if (r.isNew() && r.associated()) {
                    throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                            "an associated (FAI) message cannot be submitted");
                }
            }
        }
        String what = requests.size() == 1 ? (requests.get(0).isNew() ? "saving a new message in folder "
                + requests.get(0).folderId() : "saving message " + requests.get(0).messageId())
                : "saving " + requests.size() + " messages";
        return db().write(what, true, c -> {
            List<MessageInfo> out = new ArrayList<>(requests.size());
            for (SaveRequest r : requests) {
                out.add(saveOne(c, r));
            }
            return out;
        });
    }

    static void checkSubmitFlags(int submitFlags) {
        if ((submitFlags & ~Flags.SUBMITFLAG_PREPROCESS) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "submit flags " + HResult.hex(submitFlags)
                    + " may only contain SUBMITFLAG_PREPROCESS (0x2); SUBMITFLAG_LOCKED is set by lockMessage");
        }
    }

    /** Saves one message inside the caller's transaction; returns what {@link #info(Connection, long)} would. */
    private MessageInfo saveOne(Connection c, SaveRequest r) throws SQLException, IOException {
        long now = storage.now();
        MessageImage image = r.image();
        long id;
        long folderId;
        boolean associated;
        long version;
        boolean queued;
        byte[] queueTime;
        int queueFlags;
        boolean wasUnread = false;
        long created = now;
        String lockOwner = null;
        Long lockExpires = null;
        Object[] before;
        if (r.isNew()) {
            storage.foldersComponent().requireFolder(c, r.folderId());
            if (image.attachments().isEmpty() && image.streams().isEmpty() && image.largeValues().isEmpty()) {
                return saveWhole(c, r, now);
            }
            folderId = r.folderId();
            associated = r.associated();
            version = 1;
            queued = false;
            queueTime = null;
            queueFlags = 0;
            // The property columns go in with the row, from the top-level properties as they will be stored (known
            // now but for the size and values that arrive as streams); writeRoot then sets only the columns that
            // still differ. Inserting NULLs and setting every column at the end touched each column index twice:
            // in a large folder, two leaf pages per index in the WAL.
            List<PropValue> expected = image.properties();
            if (r.submitTime() != null) {
                expected = ImageRules.with(expected, PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, r.submitTime()));
            }
            expected = ImageRules.withMaintained(expected, associated, r.submitTime() != null, r.submitFlags(), null);
            before = columnValues(expected);
            Object[] params = new Object[5 + before.length];
            params[0] = folderId;
            params[1] = associated;
            params[2] = now;
            params[3] = now;
            params[4] = new byte[0];
            System.arraycopy(before, 0, params, 5, before.length);
            id = Sql.insert(c, INSERT_NEW, params);
        } else {
            MessageHead h = head(c, r.messageId());
            if (h == null) {
                throw new MapiException(HResult.MAPI_E_OBJECT_DELETED, "message " + r.messageId()
                        + " was deleted since it was read; it cannot be saved (not even with FORCE_SAVE)");
            }
            if (!r.force() && h.version() != r.expectedVersion()) {
                throw new MapiException(HResult.MAPI_E_OBJECT_CHANGED, "message " + r.messageId()
                        + " was changed since it was read (stored version " + h.version() + ", read version "
                        + r.expectedVersion() + "); reload it, or save with FORCE_SAVE to overwrite");
            }
            id = h.id();
            folderId = h.folderId();
            associated = h.associated();
            version = h.version() + 1;
            queued = h.queued();
            queueTime = h.queueTime();
            queueFlags = h.queueFlags();
            wasUnread = h.unread();
            created = h.created();
            lockOwner = h.lockOwner();
            lockExpires = h.lockExpires();
            before = columnValues(PropCodec.decode(h.props()));
            Sql.update(c, "DELETE FROM subobject WHERE message_id = ?", id);
            Set<Long> kept = new HashSet<>();
            collectHandles(image, kept);
            List<Object> params = new ArrayList<>();
            params.add(id);
            StringBuilder in = new StringBuilder();
            for (Long handle : kept) {
                in.append(in.length() == 0 ? "?" : ", ?");
                params.add(handle);
            }
            Sql.update(c, "DELETE FROM large_value WHERE message_id = ?"
                    + (kept.isEmpty() ? "" : " AND id NOT IN (" + in + ")"), params.toArray());
            Sql.update(c, "UPDATE large_value SET object_id = -id WHERE message_id = ?", id);
        }
        if (r.submitTime() != null) {
            if (queued) {
                throw new MapiException(HResult.MAPI_E_SUBMITTED, "message " + id
                        + " is already in the outgoing queue");
            }
            queued = true;
            queueTime = SortKeys.time(r.submitTime());
            queueFlags = r.submitFlags();
        }
        long[] size = {0};
        List<PropValue> root = writeObject(c, id, 0, image.properties(), image.largeValues(), image.streams(), true,
                size);
        if (r.submitTime() != null) {
            root = ImageRules.with(root, PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, r.submitTime()));
        }
        writeChildren(c, id, 0, image, size);
        if (!r.isNew()) {
            // the values of the old image that the new one did not keep (a new message has none)
            Sql.update(c, "DELETE FROM large_value WHERE message_id = ? AND object_id < 0", id);
        }
        size[0] += PropCodec.encode(ImageRules.withMaintained(root, associated, queued, queueFlags, null)).length;
        int messageSize = (int) Math.min(Integer.MAX_VALUE, size[0]);
        List<PropValue> finalRoot = ImageRules.withMaintained(root, associated, queued, queueFlags, messageSize);
        writeRoot(c, id, finalRoot, version, now, queued, queueTime, queueFlags, before);
        boolean unread = !associated && (flagsOf(finalRoot) & Flags.MSGFLAG_READ) == 0;
        if (r.isNew()) {
            SqliteFolders.adjustCounts(c, folderId, associated ? 0 : 1, unread ? 1 : 0, associated ? 1 : 0);
            // what info(c, id) would read back: the row as just written; a new message holds no spooler lock
            return new MessageInfo(id, folderId, version, associated, Instant.ofEpochMilli(now),
                    Instant.ofEpochMilli(now), messageSize, queued ? new QueueState(SortKeys.timeOf(queueTime),
                    queueFlags, null, null) : null);
        }
        SqliteFolders.adjustCounts(c, folderId, 0, (unread ? 1 : 0) - (wasUnread ? 1 : 0), 0);
        // what info(c, id) would read back: the row as just written, with the spooler lock it had (which only the
        // owners' table can say is still held)
        MessageHead after = new MessageHead(id, folderId, associated, version, created, now, messageSize, queued,
                queueTime, queueFlags, lockOwner, lockExpires, null, 0);
        return after.info(queued && lockOwner != null ? storage.queueComponent().live(c) : (owner, until) -> false);
    }

    /**
     * Saves a new message without attachments, streams or kept out-of-line values (the usual new message) with one
     * INSERT of its final row: everything that makes up PR_MESSAGE_SIZE is in memory, so the row goes in with its
     * properties, queue state and every property column, PR_MESSAGE_SIZE's included, and no index entry is written
     * twice. Stores exactly what {@link #saveOne}'s general path stores for such a message.
     */
    private MessageInfo saveWhole(Connection c, SaveRequest r, long now) throws SQLException {
        MessageImage image = r.image();
        boolean associated = r.associated();
        boolean queued = r.submitTime() != null;
        byte[] queueTime = queued ? SortKeys.time(r.submitTime()) : null;
        int queueFlags = queued ? r.submitFlags() : 0;
        int limit = options().inlineLimit();
        long size = 0;
        List<PropValue> inline = new ArrayList<>(image.properties().size() + 4);
        List<PropValue> outOfLine = new ArrayList<>();
        List<byte[]> outOfLineBytes = new ArrayList<>();
        for (PropValue v : image.properties()) {
            byte[] bytes = IndexedColumn.byPropId(v.id()) != null ? null : InlineRule.outOfLineBytes(v, limit);
            if (bytes != null) {
                outOfLine.add(v);
                outOfLineBytes.add(bytes);
                size += bytes.length;
            } else {
                inline.add(v);
            }
        }
        List<byte[]> recipients = new ArrayList<>(image.recipients().size());
        for (Recipient rc : image.recipients()) {
            byte[] props = PropCodec.encode(ImageRules.recipientProperties(rc));
            recipients.add(props);
            size += props.length;
        }
        List<PropValue> root = inline;
        if (queued) {
            root = ImageRules.with(root, PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, r.submitTime()));
        }
        // withMaintained puts PR_MESSAGE_SIZE last: the row's blob is the encoding without it (whose length the
        // size counts) with the size appended, so the properties (the body among them) are encoded once
        List<PropValue> maintained = ImageRules.withMaintained(root, associated, queued, queueFlags, null);
        byte[] encoded = PropCodec.encode(maintained);
        size += encoded.length;
        int messageSize = (int) Math.min(Integer.MAX_VALUE, size);
        PropValue sizeValue = PropValue.ofInt(PropTags.PR_MESSAGE_SIZE, messageSize);
        root = new ArrayList<>(maintained.size() + 1);
        root.addAll(maintained);
        root.add(sizeValue);
        Object[] cols = columnValues(root);
        Object[] params = new Object[8 + cols.length];
        params[0] = r.folderId();
        params[1] = associated;
        params[2] = now;
        params[3] = now;
        params[4] = PropCodec.append(encoded, sizeValue);
        params[5] = queued;
        params[6] = queueTime;
        params[7] = queueFlags;
        System.arraycopy(cols, 0, params, 8, cols.length);
        long id = Sql.insert(c, INSERT_WHOLE, params);
        for (int i = 0; i < outOfLine.size(); i++) {
            int tag = outOfLine.get(i).tag();
            byte[] bytes = outOfLineBytes.get(i);
            long valueId = insertValue(c, id, 0, tag, bytes.length);
            try {
                writeChunks(c, valueId, new ByteArrayInputStream(bytes), tag, bytes.length);
            } catch (IOException e) {
                throw new IllegalStateException("reading a byte array cannot fail", e);
            }
        }
        for (int i = 0; i < recipients.size(); i++) {
            Sql.update(c, "INSERT INTO subobject (message_id, parent_id, kind, num, props) VALUES (?, ?, ?, ?, ?)",
                    id, 0L, KIND_RECIPIENT, image.recipients().get(i).rowId(), recipients.get(i));
        }
        boolean unread = !associated && (flagsOf(root) & Flags.MSGFLAG_READ) == 0;
        SqliteFolders.adjustCounts(c, r.folderId(), associated ? 0 : 1, unread ? 1 : 0, associated ? 1 : 0);
        return new MessageInfo(id, r.folderId(), 1, associated, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now),
                messageSize, queued ? new QueueState(SortKeys.timeOf(queueTime), queueFlags, null, null) : null);
    }

    private static void collectHandles(MessageImage image, Set<Long> into) {
        for (LargeValue v : image.largeValues()) {
            into.add(v.handle());
        }
        for (Attachment a : image.attachments()) {
            for (LargeValue v : a.largeValues()) {
                into.add(v.handle());
            }
            if (a.embeddedMessage() != null) {
                collectHandles(a.embeddedMessage(), into);
            }
        }
    }

    static int flagsOf(List<PropValue> props) {
        PropValue f = ImageRules.find(props, PropTags.PR_MESSAGE_FLAGS);
        return f == null ? 0 : f.asInt();
    }

    /** Writes the message row's properties, copies of the indexed columns, version and queue state. */
    static void writeRoot(Connection c, long id, List<PropValue> props, long version, long now, boolean queued,
                          byte[] queueTime, int queueFlags) throws SQLException {
        writeRoot(c, id, props, version, now, queued, queueTime, queueFlags, null);
    }

    /**
     * Writes the message row's properties, version, queue state and those property columns whose value differs from
     * {@code before}. A column that is not set keeps its index entry untouched (an UPDATE that sets an indexed
     * column rewrites its index entry even when the value is the same).
     *
     * @param before the row's current property-column values ({@link #columnValues} of the properties it was last
     *               written with), or null to set every column
     */
    static void writeRoot(Connection c, long id, List<PropValue> props, long version, long now, boolean queued,
                          byte[] queueTime, int queueFlags, Object[] before) throws SQLException {
        Object[] cols = columnValues(props);
        List<Object> params = new ArrayList<>(7 + cols.length);
        params.add(PropCodec.encode(props));
        params.add(version);
        params.add(now);
        params.add(queued);
        params.add(queued ? queueTime : null);
        params.add(queued ? queueFlags : 0);
        String sql;
        if (before == null) {
            params.addAll(Arrays.asList(cols));
            sql = SET_ROOT;
        } else {
            StringBuilder b = new StringBuilder(SET_ROOT_HEAD);
            for (int i = 0; i < cols.length; i++) {
                if (!Objects.deepEquals(cols[i], before[i])) {
                    b.append(", ").append(PROP_COLUMNS[i]).append(" = ?");
                    params.add(cols[i]);
                }
            }
            sql = b.append(" WHERE id = ?").toString();
        }
        params.add(id);
        Sql.update(c, sql, params.toArray());
    }

    /**
     * @param props top-level properties as stored
     * @return the values of the property columns ({@link IndexedColumn}) for them, in the order of
     *         {@link #PROP_COLUMNS}
     */
    static Object[] columnValues(List<PropValue> props) {
        Object[] out = new Object[PROP_COLUMNS.length];
        int i = 0;
        for (IndexedColumn col : IndexedColumn.values()) {
            PropValue v = find(props, col.propId());
            out[i++] = col.columnValue(v);
            if (col.kind() == IndexedColumn.Kind.STRING) {
                out[i++] = col.foldValue(v);
                out[i++] = col.sizeValue(v);
            }
        }
        return out;
    }

    private static PropValue find(List<PropValue> props, int propId) {
        for (PropValue v : props) {
            if (v.id() == propId) {
                return v;
            }
        }
        return null;
    }

    private void writeChildren(Connection c, long messageId, long parent, MessageImage image, long[] size)
            throws SQLException, IOException {
        for (Recipient r : image.recipients()) {
            byte[] props = PropCodec.encode(ImageRules.recipientProperties(r));
            size[0] += props.length;
            Sql.update(c, "INSERT INTO subobject (message_id, parent_id, kind, num, props) VALUES (?, ?, ?, ?, ?)",
                    messageId, parent, KIND_RECIPIENT, r.rowId(), props);
        }
        for (Attachment a : image.attachments()) {
            long aid = Sql.insert(c, "INSERT INTO subobject (message_id, parent_id, kind, num, props) "
                    + "VALUES (?, ?, ?, ?, ?)", messageId, parent, KIND_ATTACHMENT, a.attachNum(), new byte[0]);
            List<PropValue> inline = writeObject(c, messageId, aid, ImageRules.attachmentProperties(a),
                    a.largeValues(), a.streams(), false, size);
            byte[] props = PropCodec.encode(inline);
            size[0] += props.length;
            Sql.update(c, "UPDATE subobject SET props = ? WHERE id = ?", props, aid);
            MessageImage embedded = a.embeddedMessage();
            if (embedded != null) {
                long eid = Sql.insert(c, "INSERT INTO subobject (message_id, parent_id, kind, num, props) "
                        + "VALUES (?, ?, ?, 0, ?)", messageId, aid, KIND_EMBEDDED, new byte[0]);
                List<PropValue> einline = writeObject(c, messageId, eid, embedded.properties(),
                        embedded.largeValues(), embedded.streams(), false, size);
                byte[] eprops = PropCodec.encode(einline);
                size[0] += eprops.length;
                Sql.update(c, "UPDATE subobject SET props = ? WHERE id = ?", eprops, eid);
                writeChildren(c, messageId, eid, embedded, size);
            }
        }
    }

    /**
     * Writes one object's out-of-line values (big inline values, kept references, streams) and returns the values
     * that stay inline.
     */
    private List<PropValue> writeObject(Connection c, long messageId, long objectId, List<PropValue> props,
                                        List<LargeValue> large, List<ValueStream> streams, boolean topLevel,
                                        long[] size) throws SQLException, IOException {
        List<PropValue> inline = new ArrayList<>(props.size());
        int limit = options().inlineLimit();
        for (PropValue v : props) {
            boolean column = topLevel && IndexedColumn.byPropId(v.id()) != null;
            byte[] bytes = column ? null : InlineRule.outOfLineBytes(v, limit);
            if (bytes != null) {
                long valueId = insertValue(c, messageId, objectId, v.tag(), bytes.length);
                writeChunks(c, valueId, new ByteArrayInputStream(bytes), v.tag(), bytes.length);
                size[0] += bytes.length;
            } else {
                inline.add(v);
            }
        }
        for (LargeValue v : large) {
            size[0] += keep(c, messageId, objectId, v);
        }
        for (ValueStream s : streams) {
            PropValue small = writeStream(c, messageId, objectId, s, size);
            if (small != null) {
                inline.add(small);
            }
        }
        return inline;
    }

    /** @param size the value's size when it is known before its chunks are written, else 0 */
    private static long insertValue(Connection c, long messageId, long objectId, int tag, long size)
            throws SQLException {
        return Sql.insert(c, "INSERT INTO large_value (message_id, object_id, prop_tag, size) VALUES (?, ?, ?, ?)",
                messageId, objectId, tag, size);
    }

    /**
     * Writes a stream into chunks of a large value row and records its size (unless the row was inserted with it).
     *
     * @param insertedSize the size the large_value row was inserted with
     */
    private long writeChunks(Connection c, long valueId, InputStream in, int tag, long insertedSize)
            throws SQLException, IOException {
        int chunkSize = options().chunkSize();
        long total = 0;
        int seq = 0;
        while (true) {
            byte[] chunk = in.readNBytes(chunkSize);
            if (chunk.length == 0) {
                break;
            }
            Sql.update(c, "INSERT INTO large_chunk (value_id, seq, data) VALUES (?, ?, ?)", valueId, seq++, chunk);
            total += chunk.length;
        }
        if (PropTag.type(tag) == PropType.PT_UNICODE && (total & 1) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "the stream for " + PropTag.toString(tag)
                    + " has " + total + " bytes; a PT_UNICODE stream holds UTF-16LE code units (an even count)");
        }
        if (total != insertedSize) {
            Sql.update(c, "UPDATE large_value SET size = ? WHERE id = ?", total, valueId);
        }
        return total;
    }

    /** Writes a value from its stream: inline when short and exactly representable, else in chunks. */
    private PropValue writeStream(Connection c, long messageId, long objectId, ValueStream s, long[] size)
            throws SQLException, IOException {
        int limit = options().inlineLimit();
        try (InputStream in = s.source().open()) {
            if (in == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "the stream source for "
                        + PropTag.toString(s.tag()) + " returned no stream");
            }
            int max = InlineRule.streamHead(s.tag(), limit);
            byte[] head = in.readNBytes(max + 1);
            if (head.length <= max) {
                PropValue v = InlineRule.fromStream(s.tag(), head, limit);
                if (v != null) {
                    return v;
                }
            }
            long valueId = insertValue(c, messageId, objectId, s.tag(), 0);
            size[0] += writeChunks(c, valueId, new SequenceInputStream(new ByteArrayInputStream(head), in), s.tag(),
                    0);
            return null;
        }
    }

    /** Keeps (or copies) a stored out-of-line value for an object; returns its size. */
    private long keep(Connection c, long messageId, long objectId, LargeValue v) throws SQLException {
        long[] row = Sql.one(c, "SELECT message_id, object_id, prop_tag, size FROM large_value WHERE id = ?",
                rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4)}, v.handle()).orElse(null);
        if (row == null) {
            throw new MapiException(HResult.MAPI_E_OBJECT_DELETED, "the out-of-line value "
                    + PropTag.toString(v.tag()) + " (handle " + v.handle() + ") no longer exists: its message was"
                    + " changed or deleted since it was read; reload the message");
        }
        if ((int) row[2] != v.tag()) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "handle " + v.handle() + " holds "
                    + PropTag.toString((int) row[2]) + ", not " + PropTag.toString(v.tag()));
        }
        if (row[0] == messageId && row[1] < 0) {
            Sql.update(c, "UPDATE large_value SET object_id = ? WHERE id = ?", objectId, v.handle());
        } else {
            long copy = Sql.insert(c, "INSERT INTO large_value (message_id, object_id, prop_tag, size) "
                    + "VALUES (?, ?, ?, ?)", messageId, objectId, v.tag(), row[3]);
            Sql.update(c, "INSERT INTO large_chunk (value_id, seq, data) SELECT ?, seq, data FROM large_chunk "
                    + "WHERE value_id = ?", copy, v.handle());
        }
        return row[3];
    }

    // ---- load ------------------------------------------------------------------------------------------------

    StoredMessage load(long id) {
        return db().read("reading message " + id, c -> {
            MessageHead h = requireHead(c, id);
            MessageInfo info = h.info(storage.queueComponent().live(c));
            Map<Long, List<LargeValue>> large = new HashMap<>();
            for (Object[] r : Sql.list(c, "SELECT object_id, prop_tag, size, id FROM large_value WHERE message_id = ?"
                    + " ORDER BY id", rs -> new Object[] {rs.getLong(1),
                    new LargeValue(rs.getInt(2), rs.getLong(3), rs.getLong(4))}, id)) {
                large.computeIfAbsent((Long) r[0], k -> new ArrayList<>()).add((LargeValue) r[1]);
            }
            Map<Long, List<Subobject>> children = new LinkedHashMap<>();
            for (Subobject s : Sql.list(c, "SELECT id, parent_id, kind, num, props FROM subobject WHERE message_id = ? "
                    + "ORDER BY id", Subobject::of, id)) {
                children.computeIfAbsent(s.parent(), k -> new ArrayList<>()).add(s);
            }
            MessageImage image = Subobject.image(0, h.rootProperties(info.queue()), large, children);
            return new StoredMessage(info, image);
        });
    }

    // ---- streams ---------------------------------------------------------------------------------------------

    InputStream openStream(long messageId, int attachNum, int tag) {
        int type = PropTag.type(tag);
        if (!ValueStream.isStreamable(type)) {
            throw new MapiException(HResult.MAPI_E_INVALID_TYPE, PropTag.toString(tag)
                    + " has no stream form; only PT_BINARY, PT_UNICODE and PT_STRING8 properties can be opened as streams");
        }
        String what = "opening " + PropTag.toString(tag) + " of message " + messageId
                + (attachNum >= 0 ? ", attachment " + attachNum : "") + " as a stream";
        return db().read(what, c -> {
            MessageHead h = requireHead(c, messageId);
            long objectId = 0;
            byte[] props = h.props();
            if (attachNum >= 0) {
                Subobject a = Sql.one(c, "SELECT id, parent_id, kind, num, props FROM subobject WHERE message_id = ? "
                        + "AND parent_id = 0 AND kind = ? AND num = ?", Subobject::of, messageId, KIND_ATTACHMENT,
                        attachNum)
                        .orElseThrow(() -> new MapiException(HResult.MAPI_E_NOT_FOUND, "message " + messageId
                                + " has no attachment " + attachNum));
                objectId = a.id();
                props = a.props();
            }
            for (LargeValue v : largeValues(c, messageId, objectId)) {
                if (PropTag.id(v.tag()) == PropTag.id(tag)) {
                    ImageRules.checkSameType(v.tag(), tag);
                    return new ChunkStream(chunks(v.handle(), v.tag()), v.size(), v.tag());
                }
            }
            PropValue v = ImageRules.find(PropCodec.decode(props), tag);
            if (v == null) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "message " + messageId
                        + (attachNum >= 0 ? ", attachment " + attachNum + "," : "") + " has no "
                        + PropTag.toString(tag));
            }
            ImageRules.checkSameType(v.tag(), tag);
            byte[] bytes = v.type() == PropType.PT_BINARY ? (byte[]) v.value()
                    : PropCodec.streamBytes(v.type(), (String) v.value());
            return new ByteArrayInputStream(bytes);
        });
    }

    /** @return the chunks of out-of-line value {@code valueId}, each read in its own short read */
    private ChunkStream.Chunks chunks(long valueId, int tag) {
        return seq -> db().read("reading " + PropTag.toString(tag), c -> Sql.one(c,
                "SELECT data FROM large_chunk WHERE value_id = ? AND seq = ?", rs -> rs.getBytes(1), valueId, seq)
                .orElse(null));
    }

    InputStream openStream(LargeValue v) {
        Objects.requireNonNull(v, "value");
        return db().read("opening out-of-line value " + v.handle(), c -> {
            long[] row = Sql.one(c, "SELECT size, prop_tag FROM large_value WHERE id = ?",
                    rs -> new long[] {rs.getLong(1), rs.getInt(2)}, v.handle()).orElseThrow(() -> new MapiException(
                    HResult.MAPI_E_OBJECT_DELETED, "the out-of-line value " + PropTag.toString(v.tag()) + " (handle "
                    + v.handle() + ") no longer exists: its message was changed or deleted"));
            return new ChunkStream(chunks(v.handle(), (int) row[1]), row[0], (int) row[1]);
        });
    }

    /**
     * Opens an out-of-line value at a byte offset: finds the chunk holding that byte from the chunk lengths (which
     * SQLite reads without the chunks' data) and starts there.
     */
    InputStream openStream(LargeValue v, long offset) {
        Objects.requireNonNull(v, "value");
        if (offset < 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "negative stream offset " + offset);
        }
        return db().read("opening out-of-line value " + v.handle() + " at offset " + offset, c -> {
            long[] row = Sql.one(c, "SELECT size, prop_tag FROM large_value WHERE id = ?",
                    rs -> new long[] {rs.getLong(1), rs.getInt(2)}, v.handle()).orElseThrow(() -> new MapiException(
                    HResult.MAPI_E_OBJECT_DELETED, "the out-of-line value " + PropTag.toString(v.tag()) + " (handle "
                    + v.handle() + ") no longer exists: its message was changed or deleted"));
            long size = row[0];
            int tag = (int) row[1];
            if (offset == 0) {
                return new ChunkStream(chunks(v.handle(), tag), size, tag);
            }
            if (offset >= size) {
                return new ChunkStream(chunks(v.handle(), tag), size, tag, Integer.MAX_VALUE, size, 0);
            }
            long start = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, length(data) FROM large_chunk WHERE value_id = ? ORDER BY seq")) {
                ps.setLong(1, v.handle());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long len = rs.getLong(2);
                        if (start + len > offset) {
                            return new ChunkStream(chunks(v.handle(), tag), size, tag, rs.getInt(1), start,
                                    (int) (offset - start));
                        }
                        start += len;
                    }
                }
            }
            throw new MapiException(HResult.MAPI_E_CORRUPT_DATA, "the out-of-line value " + PropTag.toString(tag)
                    + " (handle " + v.handle() + ") has " + start + " bytes in its chunks, not " + size);
        });
    }

    /** Reads a whole out-of-line value into memory, as a value (for Java restriction evaluation). */
    static PropValue materialize(Connection c, LargeValue v) throws SQLException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(v.size(), 1 << 20));
        for (byte[] chunk : Sql.list(c, "SELECT data FROM large_chunk WHERE value_id = ? ORDER BY seq",
                rs -> rs.getBytes(1), v.handle())) {
            out.writeBytes(chunk);
        }
        byte[] bytes = out.toByteArray();
        int type = PropTag.type(v.tag());
        return type == PropType.PT_BINARY ? PropValue.ofBinary(v.tag(), bytes)
                : PropValue.ofString(v.tag(), PropCodec.streamString(type, bytes, false));
    }

    // ---- flags, delete, move, copy ---------------------------------------------------------------------------

    MessageInfo updateFlags(long id, int setBits, int clearBits) {
        int owned = Flags.MSGFLAG_ASSOCIATED | Flags.MSGFLAG_SUBMIT;
        if (((setBits | clearBits) & owned) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "MSGFLAG_ASSOCIATED and MSGFLAG_SUBMIT are "
                    + "maintained by the store (associated flag, outgoing queue) and cannot be changed directly");
        }
        return db().write("changing the flags of message " + id, true, c -> {
            MessageHead h = requireHead(c, id);
            List<PropValue> props = PropCodec.decode(h.props());
            Object[] before = columnValues(props);
            int flags = (flagsOf(props) | setBits) & ~clearBits;
            props = ImageRules.with(props, PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, flags));
            writeRoot(c, id, props, h.version() + 1, storage.now(), h.queued(), h.queueTime(), h.queueFlags(),
                    before);
            boolean unread = !h.associated() && (flags & Flags.MSGFLAG_READ) == 0;
            SqliteFolders.adjustCounts(c, h.folderId(), 0, (unread ? 1 : 0) - (h.unread() ? 1 : 0), 0);
            return info(c, id);
        });
    }

    Map<Long, Integer> delete(List<Long> ids) {
        Objects.requireNonNull(ids, "messageIds");
        return db().write(ids.size() == 1 ? "deleting message " + ids.get(0) : "deleting " + ids.size()
                + " messages", true, c -> {
            Map<Long, Integer> failed = new LinkedHashMap<>();
            for (Long id : ids) {
                MessageHead h = id == null ? null : head(c, id);
                if (h == null) {
                    failed.put(id, HResult.MAPI_E_NOT_FOUND);
                } else if (h.queued()) {
                    failed.put(id, HResult.MAPI_E_SUBMITTED);
                } else {
                    deleteInTx(c, h);
                }
            }
            return failed;
        });
    }

    /** Deletes a message (and everything under it) inside the caller's transaction. */
    static void deleteInTx(Connection c, MessageHead h) throws SQLException {
        Sql.update(c, "DELETE FROM message WHERE id = ?", h.id());
        SqliteFolders.adjustCounts(c, h.folderId(), h.associated() ? 0 : -1, h.unread() ? -1 : 0,
                h.associated() ? -1 : 0);
    }

    MessageInfo move(long id, long target) {
        return db().write("moving message " + id + " to folder " + target, true, c -> {
            MessageHead h = requireHead(c, id);
            storage.foldersComponent().requireFolder(c, target);
            moveInTx(c, h, target);
            return info(c, id);
        });
    }

    /** Moves a message inside the caller's transaction; keeps id, version and queue state. */
    static void moveInTx(Connection c, MessageHead h, long target) throws SQLException {
        if (h.folderId() == target) {
            return;
        }
        Sql.update(c, "UPDATE message SET folder_id = ? WHERE id = ?", target, h.id());
        int content = h.associated() ? 0 : 1;
        int unread = h.unread() ? 1 : 0;
        int assoc = h.associated() ? 1 : 0;
        SqliteFolders.adjustCounts(c, h.folderId(), -content, -unread, -assoc);
        SqliteFolders.adjustCounts(c, target, content, unread, assoc);
    }

    MessageInfo copy(long id, long target) {
        return db().write("copying message " + id + " to folder " + target, true, c -> {
            storage.foldersComponent().requireFolder(c, target);
            return info(c, copyInTx(c, requireHead(c, id), target));
        });
    }

    /**
     * Copies a message (image, subobjects, large values) into a folder inside the caller's transaction; the copy is
     * not queued.
     *
     * @return the copy's id
     */
    long copyInTx(Connection c, MessageHead h, long target) throws SQLException {
        long id = h.id();
        long now = storage.now();
        long copy = Sql.insert(c, "INSERT INTO message (folder_id, associated, version, created_at, modified_at, "
                + "props) VALUES (?, ?, 1, ?, ?, ?)", target, h.associated(), now, now, new byte[0]);
        List<PropValue> props = ImageRules.withMaintained(PropCodec.decode(h.props()), h.associated(), false, 0,
                h.size());
        writeRoot(c, copy, props, 1, now, false, null, 0);
        Map<Long, Long> objects = new HashMap<>();
        objects.put(0L, 0L);
        for (Subobject s : Sql.list(c, "SELECT id, parent_id, kind, num, props FROM subobject WHERE message_id = ? "
                + "ORDER BY id", Subobject::of, id)) {
            long nid = Sql.insert(c, "INSERT INTO subobject (message_id, parent_id, kind, num, props) "
                    + "VALUES (?, ?, ?, ?, ?)", copy, objects.get(s.parent()), s.kind(), s.num(), s.props());
            objects.put(s.id(), nid);
        }
        for (long[] v : Sql.list(c, "SELECT id, object_id, prop_tag, size FROM large_value WHERE message_id = ?",
                rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4)}, id)) {
            long nv = Sql.insert(c, "INSERT INTO large_value (message_id, object_id, prop_tag, size) "
                    + "VALUES (?, ?, ?, ?)", copy, objects.get(v[1]), (int) v[2], v[3]);
            Sql.update(c, "INSERT INTO large_chunk (value_id, seq, data) SELECT ?, seq, data FROM large_chunk "
                    + "WHERE value_id = ?", nv, v[0]);
        }
        boolean unread = !h.associated() && (flagsOf(props) & Flags.MSGFLAG_READ) == 0;
        SqliteFolders.adjustCounts(c, target, h.associated() ? 0 : 1, unread ? 1 : 0, h.associated() ? 1 : 0);
        return copy;
    }

    // ---- contents tables (delegated) -------------------------------------------------------------------------

    List<MessageRow> query(ContentsQuery q) {
        return new SqliteContents(storage, this).query(q);
    }

    int count(long folderId, boolean associated, Restriction r) {
        return new SqliteContents(storage, this).count(folderId, associated, r);
    }

    List<String> explain(Connection c, ContentsQuery q) throws SQLException {
        return new SqliteContents(storage, this).explain(c, q);
    }
}
