package org.jmapi.store.postgres;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.ContentsQuery;
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
import org.jmapi.table.Restriction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Messages of a PostgreSQL store: the atomic save of a whole message image (top-level properties in the message
 * row, recipients / attachments / embedded messages as {@code subobject} rows, large values in {@code bytea}
 * chunks), loading, value streams, flags, delete, move and copy. Contents-table queries are in
 * {@link PostgresContents}. Every statement is restricted to the store's rows ({@code store_id}). Package-private
 * part of {@link PostgresStorage}; thread-safe through {@link Db}'s transactions.
 */
final class PostgresMessages {
    static final int KIND_RECIPIENT = Subobject.RECIPIENT;
    static final int KIND_ATTACHMENT = Subobject.ATTACHMENT;
    static final int KIND_EMBEDDED = Subobject.EMBEDDED;

    /** The message-row columns {@link MessageHead} maps, in order. */
    static final String HEAD_COLUMNS = "id, folder_id, associated, version, created_at, modified_at, message_size, "
            + "queued, queue_time, queue_flags, lock_owner, lock_expires, props, message_flags";

    private static final String SET_ROOT;
    /** A whole message row in one statement (a new message without subobjects or out-of-line values). */
    private static final String INSERT_ROW;
    /** {@link #INSERT_ROW} taking its row from the store-row update {@code s} ({@link Db#bumpClauses}): after it. */
    private static final String INSERT_ROW_AFTER_BUMP;

    static {
        StringBuilder cols = new StringBuilder("INSERT INTO jmapi.message (store_id, folder_id, associated, version, "
                + "created_at, modified_at, props, queued, queue_time, queue_flags");
        StringBuilder vals = new StringBuilder("VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?");
        for (IndexedColumn c : IndexedColumn.values()) {
            cols.append(", ").append(c.column());
            vals.append(", ?");
            if (c.kind() == IndexedColumn.Kind.STRING) {
                cols.append(", ").append(c.foldColumn()).append(", ").append(c.sizeColumn());
                vals.append(", ?, ?");
            }
        }
        INSERT_ROW = cols + ") " + vals + ")";
        INSERT_ROW_AFTER_BUMP = cols + ") SELECT " + vals.substring("VALUES (".length()) + " FROM s";
    }

    static {
        StringBuilder b = new StringBuilder("UPDATE jmapi.message SET props = ?, version = ?, modified_at = ?, "
                + "queued = ?, queue_time = ?, queue_flags = ?");
        for (IndexedColumn c : IndexedColumn.values()) {
            b.append(", ").append(c.column()).append(" = ?");
            if (c.kind() == IndexedColumn.Kind.STRING) {
                b.append(", ").append(c.foldColumn()).append(" = ?, ").append(c.sizeColumn()).append(" = ?");
            }
        }
        SET_ROOT = b.append(" WHERE store_id = ? AND id = ?").toString();
    }

    private final PostgresStorage storage;

    PostgresMessages(PostgresStorage storage) {
        this.storage = storage;
    }

    private Db db() {
        return storage.db();
    }

    private long sid() {
        return storage.sid();
    }

    private PostgresStorage.Options options() {
        return storage.options();
    }

    // ---- reading heads and metadata --------------------------------------------------------------------------

    static MessageHead mapHead(ResultSet rs) throws SQLException {
        Integer flags = Sql.intOrNull(rs, "message_flags");
        return new MessageHead(rs.getLong(1), rs.getLong(2), rs.getBoolean(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getInt(7), rs.getBoolean(8), rs.getBytes(9), rs.getInt(10), rs.getString(11),
                Sql.longOrNull(rs, "lock_expires"), rs.getBytes(13), flags == null ? 0 : flags);
    }

    /** @return the message's row, or null when it does not exist */
    MessageHead head(Connection c, long id) throws SQLException {
        return Sql.one(c, "SELECT " + HEAD_COLUMNS + " FROM jmapi.message WHERE store_id = ? AND id = ?",
                PostgresMessages::mapHead, sid(), id).orElse(null);
    }

    MessageHead requireHead(Connection c, long id) throws SQLException {
        MessageHead h = head(c, id);
        if (h == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "there is no message " + id + " in " + db().where());
        }
        return h;
    }

    MessageRow row(Connection c, MessageHead h, PostgresQueue.Live live) throws SQLException {
        MessageInfo info = h.info(live);
        return new MessageRow(info, h.rootProperties(info.queue()), largeValues(c, h.id(), 0));
    }

    /**
     * The rows of several messages, in the order of {@code heads}; the top-level out-of-line values of all of them
     * are read with one statement.
     */
    List<MessageRow> rows(Connection c, List<MessageHead> heads, PostgresQueue.Live live) throws SQLException {
        List<Long> ids = new ArrayList<>(heads.size());
        for (MessageHead h : heads) {
            ids.add(h.id());
        }
        return rows(heads, live, topLargeValues(c, ids));
    }

    /**
     * @param large the top-level out-of-line values of the messages, by id ({@link #topLargeValues}'s form)
     * @return the rows of the messages, in the order of {@code heads}
     */
    static List<MessageRow> rows(List<MessageHead> heads, PostgresQueue.Live live, Map<Long, List<LargeValue>> large) {
        List<MessageRow> out = new ArrayList<>(heads.size());
        for (MessageHead h : heads) {
            MessageInfo info = h.info(live);
            out.add(new MessageRow(info, h.rootProperties(info.queue()), large.getOrDefault(h.id(), List.of())));
        }
        return out;
    }

    /**
     * @return the top-level out-of-line values (object 0) of the given messages, by message id, each list in id
     *         order as {@link #largeValues} returns it; messages without any are absent from the map
     */
    Map<Long, List<LargeValue>> topLargeValues(Connection c, List<Long> messageIds) throws SQLException {
        Map<Long, List<LargeValue>> out = new HashMap<>();
        if (messageIds.isEmpty()) {
            return out;
        }
        for (Object[] r : Sql.list(c, "SELECT message_id, prop_tag, size, id FROM jmapi.large_value WHERE store_id = ? "
                + "AND object_id = 0 AND message_id = ANY(?) ORDER BY id", rs -> new Object[] {rs.getLong(1),
                new LargeValue(rs.getInt(2), rs.getLong(3), rs.getLong(4))}, sid(),
                Sql.ids(c, new LinkedHashSet<>(messageIds)))) {
            out.computeIfAbsent((Long) r[0], k -> new ArrayList<>()).add((LargeValue) r[1]);
        }
        return out;
    }

    MessageInfo info(long id) {
        return db().read("reading message " + id, c -> requireHead(c, id).info(storage.queueComponent().live(c)));
    }

    MessageInfo info(Connection c, long id) throws SQLException {
        return requireHead(c, id).info(storage.queueComponent().live(c));
    }

    List<LargeValue> largeValues(Connection c, long messageId, long objectId) throws SQLException {
        return Sql.list(c, "SELECT prop_tag, size, id FROM jmapi.large_value WHERE store_id = ? AND message_id = ? "
                + "AND object_id = ? ORDER BY id", rs -> new LargeValue(rs.getInt(1), rs.getLong(2), rs.getLong(3)),
                sid(), messageId, objectId);
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
        if (requests.size() == 1 && whole(requests.get(0))) {
            // the usual save: one statement in autocommit, the store row's update included (one round trip)
            return db().autocommit(what, c -> {
                Batch batch = new Batch();
                batch.countsInStatement = true;
                long id = insertWhole(c, requests.get(0), storage.now(), batch, true);
                return List.of(batch.written.get(id));
            });
        }
        return db().write(what, true, c -> {
            Batch batch = new Batch();
            batch.countsInStatement = requests.size() == 1;
            List<Long> ids = new ArrayList<>(requests.size());
            for (SaveRequest r : requests) {
                ids.add(saveOne(c, r, batch));
            }
            for (Map.Entry<Long, int[]> e : batch.counts.entrySet()) {
                int[] d = e.getValue();
                PostgresFolders.adjustCounts(c, sid(), e.getKey(), d[0], d[1], d[2]);
            }
            List<Long> readBack = new ArrayList<>();
            for (Long id : ids) {
                if (!batch.written.containsKey(id)) {
                    readBack.add(id);
                }
            }
            Map<Long, MessageHead> heads = new HashMap<>();
            PostgresQueue.Live live = null;
            if (!readBack.isEmpty()) {
                for (MessageHead h : Sql.list(c, "SELECT " + HEAD_COLUMNS + " FROM jmapi.message WHERE store_id = ? AND "
                        + "id = ANY(?)", PostgresMessages::mapHead, sid(), Sql.ids(c, readBack))) {
                    heads.put(h.id(), h);
                }
                live = storage.queueComponent().live(c);
            }
            List<MessageInfo> out = new ArrayList<>(requests.size());
            for (Long id : ids) {
                MessageInfo written = batch.written.get(id);
                out.add(written != null ? written : heads.get(id).info(live));
            }
            return out;
        });
    }

    /**
     * What one save call gathers across its requests, so that a batch costs few statements per message: the folders
     * already checked, and the count changes per folder (applied once, at the end of the transaction).
     */
    private static final class Batch {
        final Set<Long> folders = new HashSet<>();
        final Map<Long, int[]> counts = new LinkedHashMap<>();
        /** The new messages written whole ({@link #insertWhole}), with what they are: nothing to read back. */
        final Map<Long, MessageInfo> written = new HashMap<>();
        /** Whether a message written whole updates its folder's counts in its own statement (a one-message save). */
        boolean countsInStatement;

        void count(long folderId, int content, int unread, int associated) {
            int[] d = counts.computeIfAbsent(folderId, k -> new int[3]);
            d[0] += content;
            d[1] += unread;
            d[2] += associated;
        }
    }

    /**
     * @return whether a new message's image can be written with one statement ({@link #insertWhole}): top-level
     *         properties (inline or, when long, out of line) and recipients, no attachments, streams or kept values
     */
    private static boolean whole(SaveRequest r) {
        MessageImage image = r.image();
        return r.isNew() && image.attachments().isEmpty() && image.largeValues().isEmpty()
                && image.streams().isEmpty();
    }

    static void checkSubmitFlags(int submitFlags) {
        if ((submitFlags & ~Flags.SUBMITFLAG_PREPROCESS) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "submit flags " + HResult.hex(submitFlags)
                    + " may only contain SUBMITFLAG_PREPROCESS (0x2); SUBMITFLAG_LOCKED is set by lockMessage");
        }
    }

    private long saveOne(Connection c, SaveRequest r, Batch batch) throws SQLException, IOException {
        long now = storage.now();
        MessageImage image = r.image();
        if (whole(r)) {
            return insertWhole(c, r, now, batch, false);
        }
        if (r.isNew() && batch.folders.add(r.folderId())) {
            storage.foldersComponent().requireFolder(c, r.folderId());
        }
        long id;
        long folderId;
        boolean associated;
        long version;
        boolean queued;
        byte[] queueTime;
        int queueFlags;
        boolean wasUnread = false;
        if (r.isNew()) {
            folderId = r.folderId();
            associated = r.associated();
            version = 1;
            queued = false;
            queueTime = null;
            queueFlags = 0;
            id = Sql.insert(c, "INSERT INTO jmapi.message (store_id, folder_id, associated, version, created_at, "
                    + "modified_at, props) VALUES (?, ?, ?, 0, ?, ?, ?)", sid(), folderId, associated, now, now,
                    new byte[0]);
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
            Sql.update(c, "DELETE FROM jmapi.subobject WHERE store_id = ? AND message_id = ?", sid(), id);
            Set<Long> kept = new HashSet<>();
            collectHandles(image, kept);
            Sql.update(c, "DELETE FROM jmapi.large_value WHERE store_id = ? AND message_id = ? AND NOT (id = ANY(?))",
                    sid(), id, Sql.ids(c, kept));
            Sql.update(c, "UPDATE jmapi.large_value SET object_id = -id WHERE store_id = ? AND message_id = ?", sid(),
                    id);
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
            Sql.update(c, "DELETE FROM jmapi.large_value WHERE store_id = ? AND message_id = ? AND object_id < 0",
                    sid(), id);
        }
        size[0] += PropCodec.encode(ImageRules.withMaintained(root, associated, queued, queueFlags, null)).length;
        int messageSize = (int) Math.min(Integer.MAX_VALUE, size[0]);
        List<PropValue> finalRoot = ImageRules.withMaintained(root, associated, queued, queueFlags, messageSize);
        writeRoot(c, sid(), id, finalRoot, version, now, queued, queueTime, queueFlags);
        boolean unread = !associated && (flagsOf(finalRoot) & Flags.MSGFLAG_READ) == 0;
        if (r.isNew()) {
            batch.count(folderId, associated ? 0 : 1, unread ? 1 : 0, associated ? 1 : 0);
        } else {
            batch.count(folderId, 0, (unread ? 1 : 0) - (wasUnread ? 1 : 0), 0);
        }
        return id;
    }

    /**
     * Saves a new message that {@link #whole} accepts with one statement, one round trip to the server: the whole
     * message row (properties, indexed columns, queue state and PR_MESSAGE_SIZE, all known before anything is
     * written), its long top-level values with their chunks and its recipient rows, in data-modifying
     * {@code WITH} clauses that take the new row's id from the first; for a one-message save also its folder's
     * counts. The folder's existence is the foreign key's to check: a violation is MAPI_E_NOT_FOUND, as the
     * separate check gives for other saves.
     *
     * @param alone true when the statement is its own transaction (autocommit): it then also raises the store's change
     *              counter, first ({@link Db#bumpClauses}; the message row is selected from that update, so the store
     *              row is locked before any other row, in the order every write transaction takes them), and a
     *              deleted store is MAPI_E_NOT_FOUND
     */
    private long insertWhole(Connection c, SaveRequest r, long now, Batch batch, boolean alone) throws SQLException {
        MessageImage image = r.image();
        boolean associated = r.associated();
        boolean queued = r.submitTime() != null;
        int queueFlags = queued ? r.submitFlags() : 0;
        int limit = options().inlineLimit();
        long size = 0;
        List<PropValue> root = new ArrayList<>(image.properties().size());
        List<Integer> largeTags = new ArrayList<>();
        List<byte[]> largeBytes = new ArrayList<>();
        for (PropValue v : image.properties()) {
            byte[] bytes = IndexedColumn.byPropId(v.id()) != null ? null : InlineRule.outOfLineBytes(v, limit);
            if (bytes != null) {
                largeTags.add(v.tag());
                largeBytes.add(bytes);
                size += bytes.length;
            } else {
                root.add(v);
            }
        }
        List<byte[]> recipients = new ArrayList<>(image.recipients().size());
        for (Recipient rc : image.recipients()) {
            byte[] props = PropCodec.encode(ImageRules.recipientProperties(rc));
            recipients.add(props);
            size += props.length;
        }
        if (queued) {
            root = ImageRules.with(root, PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, r.submitTime()));
        }
        size += PropCodec.encode(ImageRules.withMaintained(root, associated, queued, queueFlags, null)).length;
        int messageSize = (int) Math.min(Integer.MAX_VALUE, size);
        List<PropValue> finalRoot = ImageRules.withMaintained(root, associated, queued, queueFlags, messageSize);

        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("WITH ");
        if (alone) {
            sql.append(db().bumpClauses(params)).append(", m AS (").append(INSERT_ROW_AFTER_BUMP);
        } else {
            sql.append("m AS (").append(INSERT_ROW);
        }
        sql.append(" RETURNING id)");
        params.add(sid());
        params.add(r.folderId());
        params.add(associated);
        params.add(now);
        params.add(now);
        params.add(PropCodec.encode(finalRoot));
        params.add(queued);
        params.add(queued ? SortKeys.time(r.submitTime()) : null);
        params.add(queueFlags);
        addColumns(params, finalRoot);
        if (!largeTags.isEmpty()) {
            // the values in property order (their ids in that order), then every chunk joined to its value by tag
            sql.append(", v AS (INSERT INTO jmapi.large_value (store_id, message_id, object_id, prop_tag, size) "
                    + "SELECT ?, m.id, 0, x.tag, x.size FROM m, (VALUES ");
            params.add(sid());
            for (int i = 0; i < largeTags.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?::int, ?::int, ?::bigint)");
                params.add(i);
                params.add(largeTags.get(i));
                params.add((long) largeBytes.get(i).length);
            }
            sql.append(") AS x(ord, tag, size) ORDER BY x.ord RETURNING id, prop_tag), "
                    + "ch AS (INSERT INTO jmapi.large_chunk (store_id, value_id, seq, data) "
                    + "SELECT ?, v.id, x.seq, x.data FROM v JOIN (VALUES ");
            params.add(sid());
            int chunkSize = options().chunkSize();
            boolean first = true;
            for (int i = 0; i < largeTags.size(); i++) {
                byte[] bytes = largeBytes.get(i);
                for (int off = 0, seq = 0; off < bytes.length; off += chunkSize, seq++) {
                    sql.append(first ? "" : ", ").append("(?::int, ?::int, ?::bytea)");
                    first = false;
                    params.add(largeTags.get(i));
                    params.add(seq);
                    params.add(java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + chunkSize)));
                }
            }
            sql.append(") AS x(tag, seq, data) ON x.tag = v.prop_tag)");
        }
        if (!recipients.isEmpty()) {
            sql.append(", r AS (INSERT INTO jmapi.subobject (store_id, message_id, parent_id, kind, num, props) "
                    + "SELECT ?, m.id, 0, ").append(KIND_RECIPIENT).append(", x.num, x.props FROM m, (VALUES ");
            params.add(sid());
            for (int i = 0; i < recipients.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?::int, ?::bytea)");
                params.add(image.recipients().get(i).rowId());
                params.add(recipients.get(i));
            }
            sql.append(") AS x(num, props))");
        }
        boolean unread = !associated && (flagsOf(finalRoot) & Flags.MSGFLAG_READ) == 0;
        if (batch.countsInStatement) {
            // a one-message save: the folder's counts in the same statement (a batch updates them once at the end)
            sql.append(", fc AS (UPDATE jmapi.folder SET content_count = content_count + ?, unread_count = "
                    + "unread_count + ?, assoc_count = assoc_count + ? WHERE store_id = ? AND id = ?)");
            params.add(associated ? 0 : 1);
            params.add(unread ? 1 : 0);
            params.add(associated ? 1 : 0);
            params.add(sid());
            params.add(r.folderId());
        }
        // the notification clause (alone) is a plain SELECT: it runs only when the main query reads it
        sql.append(alone ? " SELECT (SELECT id FROM m), (SELECT count(*) FROM n)" : " SELECT id FROM m");
        long id;
        try {
            Long returned = Sql.one(c, sql.toString(), rs -> rs.getObject(1) == null ? null : rs.getLong(1),
                    params.toArray()).orElse(null);
            if (returned == null) {
                if (alone) {
                    throw db().storeGone();
                }
                throw new SQLException("no id returned for the new message");
            }
            id = returned;
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "there is no folder " + r.folderId() + " in "
                        + db().where());
            }
            throw e;
        }
        if (!batch.countsInStatement) {
            batch.count(r.folderId(), associated ? 0 : 1, unread ? 1 : 0, associated ? 1 : 0);
        }
        batch.written.put(id, new MessageInfo(id, r.folderId(), 1, associated, Instant.ofEpochMilli(now),
                Instant.ofEpochMilli(now), messageSize, queued ? new QueueState(SortKeys.timeOf(
                SortKeys.time(r.submitTime())), queueFlags, null, null) : null));
        return id;
    }

    /** Adds the values of the indexed columns, in {@link IndexedColumn} order, for {@link #SET_ROOT} / INSERT_ROW. */
    private static void addColumns(List<Object> params, List<PropValue> props) {
        for (IndexedColumn col : IndexedColumn.values()) {
            PropValue v = find(props, col.propId());
            params.add(col.columnValue(v));
            if (col.kind() == IndexedColumn.Kind.STRING) {
                params.add(col.foldValue(v));
                params.add(col.sizeValue(v));
            }
        }
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
    static void writeRoot(Connection c, long storeId, long id, List<PropValue> props, long version, long now,
                          boolean queued, byte[] queueTime, int queueFlags) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(PropCodec.encode(props));
        params.add(version);
        params.add(now);
        params.add(queued);
        params.add(queued ? queueTime : null);
        params.add(queued ? queueFlags : 0);
        addColumns(params, props);
        params.add(storeId);
        params.add(id);
        Sql.update(c, SET_ROOT, params.toArray());
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
            Sql.update(c, "INSERT INTO jmapi.subobject (store_id, message_id, parent_id, kind, num, props) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", sid(), messageId, parent, KIND_RECIPIENT, r.rowId(), props);
        }
        for (Attachment a : image.attachments()) {
            long aid = Sql.insert(c, "INSERT INTO jmapi.subobject (store_id, message_id, parent_id, kind, num, props) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", sid(), messageId, parent, KIND_ATTACHMENT, a.attachNum(),
                    new byte[0]);
            List<PropValue> inline = writeObject(c, messageId, aid, ImageRules.attachmentProperties(a),
                    a.largeValues(), a.streams(), false, size);
            byte[] props = PropCodec.encode(inline);
            size[0] += props.length;
            Sql.update(c, "UPDATE jmapi.subobject SET props = ? WHERE store_id = ? AND id = ?", props, sid(), aid);
            MessageImage embedded = a.embeddedMessage();
            if (embedded != null) {
                long eid = Sql.insert(c, "INSERT INTO jmapi.subobject (store_id, message_id, parent_id, kind, num, "
                        + "props) VALUES (?, ?, ?, ?, 0, ?)", sid(), messageId, aid, KIND_EMBEDDED, new byte[0]);
                List<PropValue> einline = writeObject(c, messageId, eid, embedded.properties(),
                        embedded.largeValues(), embedded.streams(), false, size);
                byte[] eprops = PropCodec.encode(einline);
                size[0] += eprops.length;
                Sql.update(c, "UPDATE jmapi.subobject SET props = ? WHERE store_id = ? AND id = ?", eprops, sid(),
                        eid);
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
                long valueId = insertValue(c, messageId, objectId, v.tag());
                writeChunks(c, valueId, new ByteArrayInputStream(bytes), v.tag());
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

    private long insertValue(Connection c, long messageId, long objectId, int tag) throws SQLException {
        return Sql.insert(c, "INSERT INTO jmapi.large_value (store_id, message_id, object_id, prop_tag, size) "
                + "VALUES (?, ?, ?, ?, 0)", sid(), messageId, objectId, tag);
    }

    /** Writes a stream into chunks of a large value row and records its size. */
    private long writeChunks(Connection c, long valueId, InputStream in, int tag) throws SQLException, IOException {
        int chunkSize = options().chunkSize();
        long total = 0;
        int seq = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO jmapi.large_chunk (store_id, value_id, seq, data) VALUES (?, ?, ?, ?)")) {
            while (true) {
                byte[] chunk = in.readNBytes(chunkSize);
                if (chunk.length == 0) {
                    break;
                }
                ps.setLong(1, sid());
                ps.setLong(2, valueId);
                ps.setInt(3, seq++);
                ps.setBytes(4, chunk);
                ps.executeUpdate();
                total += chunk.length;
            }
        }
        if (PropTag.type(tag) == PropType.PT_UNICODE && (total & 1) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "the stream for " + PropTag.toString(tag)
                    + " has " + total + " bytes; a PT_UNICODE stream holds UTF-16LE code units (an even count)");
        }
        Sql.update(c, "UPDATE jmapi.large_value SET size = ? WHERE store_id = ? AND id = ?", total, sid(), valueId);
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
            long valueId = insertValue(c, messageId, objectId, s.tag());
            size[0] += writeChunks(c, valueId, new SequenceInputStream(new ByteArrayInputStream(head), in), s.tag());
            return null;
        }
    }

    /** Keeps (or copies) a stored out-of-line value for an object; returns its size. */
    private long keep(Connection c, long messageId, long objectId, LargeValue v) throws SQLException {
        long[] row = Sql.one(c, "SELECT message_id, object_id, prop_tag, size FROM jmapi.large_value WHERE "
                + "store_id = ? AND id = ?", rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getInt(3),
                rs.getLong(4)}, sid(), v.handle()).orElse(null);
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
            Sql.update(c, "UPDATE jmapi.large_value SET object_id = ? WHERE store_id = ? AND id = ?", objectId, sid(),
                    v.handle());
        } else {
            long copy = Sql.insert(c, "INSERT INTO jmapi.large_value (store_id, message_id, object_id, prop_tag, size) "
                    + "VALUES (?, ?, ?, ?, ?)", sid(), messageId, objectId, v.tag(), row[3]);
            copyChunks(c, v.handle(), copy);
        }
        return row[3];
    }

    private void copyChunks(Connection c, long from, long to) throws SQLException {
        Sql.update(c, "INSERT INTO jmapi.large_chunk (store_id, value_id, seq, data) SELECT store_id, ?, seq, data "
                + "FROM jmapi.large_chunk WHERE store_id = ? AND value_id = ?", to, sid(), from);
    }

    // ---- load ------------------------------------------------------------------------------------------------

    StoredMessage load(long id) {
        return db().read("reading message " + id, c -> {
            MessageHead h = requireHead(c, id);
            MessageInfo info = h.info(storage.queueComponent().live(c));
            Map<Long, List<LargeValue>> large = new HashMap<>();
            for (Object[] r : Sql.list(c, "SELECT object_id, prop_tag, size, id FROM jmapi.large_value WHERE "
                    + "store_id = ? AND message_id = ? ORDER BY id", rs -> new Object[] {rs.getLong(1),
                    new LargeValue(rs.getInt(2), rs.getLong(3), rs.getLong(4))}, sid(), id)) {
                large.computeIfAbsent((Long) r[0], k -> new ArrayList<>()).add((LargeValue) r[1]);
            }
            Map<Long, List<Subobject>> children = new LinkedHashMap<>();
            for (Subobject s : Sql.list(c, "SELECT id, parent_id, kind, num, props FROM jmapi.subobject "
                    + "WHERE store_id = ? AND message_id = ? ORDER BY id", Subobject::of, sid(), id)) {
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
                    + " has no stream form; only PT_BINARY, PT_UNICODE and PT_STRING8 properties can be opened as"
                    + " streams");
        }
        String what = "opening " + PropTag.toString(tag) + " of message " + messageId
                + (attachNum >= 0 ? ", attachment " + attachNum : "") + " as a stream";
        return db().read(what, c -> {
            MessageHead h = requireHead(c, messageId);
            long objectId = 0;
            byte[] props = h.props();
            if (attachNum >= 0) {
                Subobject a = Sql.one(c, "SELECT id, parent_id, kind, num, props FROM jmapi.subobject "
                        + "WHERE store_id = ? AND message_id = ? AND parent_id = 0 AND kind = ? AND num = ?",
                        Subobject::of, sid(), messageId, KIND_ATTACHMENT, attachNum)
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
        return seq -> db().readOne("reading " + PropTag.toString(tag), c -> Sql.one(c,
                "SELECT data FROM jmapi.large_chunk WHERE store_id = ? AND value_id = ? AND seq = ?",
                rs -> rs.getBytes(1), db().storeId(), valueId, seq).orElse(null));
    }

    InputStream openStream(LargeValue v) {
        Objects.requireNonNull(v, "value");
        return db().read("opening out-of-line value " + v.handle(), c -> {
            long[] row = Sql.one(c, "SELECT size, prop_tag FROM jmapi.large_value WHERE store_id = ? AND id = ?",
                    rs -> new long[] {rs.getLong(1), rs.getInt(2)}, sid(), v.handle()).orElseThrow(
                    () -> new MapiException(HResult.MAPI_E_OBJECT_DELETED, "the out-of-line value "
                            + PropTag.toString(v.tag()) + " (handle " + v.handle() + ") no longer exists: its message"
                            + " was changed or deleted"));
            return new ChunkStream(chunks(v.handle(), (int) row[1]), row[0], (int) row[1]);
        });
    }

    /** Reads a whole out-of-line value into memory, as a value (for Java restriction evaluation). */
    static PropValue materialize(Connection c, long storeId, LargeValue v) throws SQLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(v.size(), 1 << 20));
        for (byte[] chunk : Sql.list(c, "SELECT data FROM jmapi.large_chunk WHERE store_id = ? AND value_id = ? "
                + "ORDER BY seq", rs -> rs.getBytes(1), storeId, v.handle())) {
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
            int flags = (flagsOf(props) | setBits) & ~clearBits;
            props = ImageRules.with(props, PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, flags));
            writeRoot(c, sid(), id, props, h.version() + 1, storage.now(), h.queued(), h.queueTime(), h.queueFlags());
            boolean unread = !h.associated() && (flags & Flags.MSGFLAG_READ) == 0;
            PostgresFolders.adjustCounts(c, sid(), h.folderId(), 0, (unread ? 1 : 0) - (h.unread() ? 1 : 0), 0);
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
                    deleteInTx(c, sid(), h);
                }
            }
            return failed;
        });
    }

    /** Deletes a message (and everything under it) inside the caller's transaction. */
    static void deleteInTx(Connection c, long storeId, MessageHead h) throws SQLException {
        Sql.update(c, "DELETE FROM jmapi.message WHERE store_id = ? AND id = ?", storeId, h.id());
        PostgresFolders.adjustCounts(c, storeId, h.folderId(), h.associated() ? 0 : -1, h.unread() ? -1 : 0,
                h.associated() ? -1 : 0);
    }

    MessageInfo move(long id, long target) {
        return db().write("moving message " + id + " to folder " + target, true, c -> {
            MessageHead h = requireHead(c, id);
            storage.foldersComponent().requireFolder(c, target);
            moveInTx(c, sid(), h, target);
            return info(c, id);
        });
    }

    /** Moves a message inside the caller's transaction; keeps id, version and queue state. */
    static void moveInTx(Connection c, long storeId, MessageHead h, long target) throws SQLException {
        if (h.folderId() == target) {
            return;
        }
        Sql.update(c, "UPDATE jmapi.message SET folder_id = ? WHERE store_id = ? AND id = ?", target, storeId, h.id());
        int content = h.associated() ? 0 : 1;
        int unread = h.unread() ? 1 : 0;
        int assoc = h.associated() ? 1 : 0;
        PostgresFolders.adjustCounts(c, storeId, h.folderId(), -content, -unread, -assoc);
        PostgresFolders.adjustCounts(c, storeId, target, content, unread, assoc);
    }

    MessageInfo copy(long id, long target) {
        return db().write("copying message " + id + " to folder " + target, true, c -> {
            MessageHead h = requireHead(c, id);
            storage.foldersComponent().requireFolder(c, target);
            long now = storage.now();
            long copy = Sql.insert(c, "INSERT INTO jmapi.message (store_id, folder_id, associated, version, "
                    + "created_at, modified_at, props) VALUES (?, ?, ?, 1, ?, ?, ?)", sid(), target, h.associated(),
                    now, now, new byte[0]);
            List<PropValue> props = ImageRules.withMaintained(PropCodec.decode(h.props()), h.associated(), false, 0,
                    h.size());
            writeRoot(c, sid(), copy, props, 1, now, false, null, 0);
            Map<Long, Long> objects = new HashMap<>();
            objects.put(0L, 0L);
            for (Subobject s : Sql.list(c, "SELECT id, parent_id, kind, num, props FROM jmapi.subobject "
                    + "WHERE store_id = ? AND message_id = ? ORDER BY id", Subobject::of, sid(), id)) {
                long nid = Sql.insert(c, "INSERT INTO jmapi.subobject (store_id, message_id, parent_id, kind, num, "
                        + "props) VALUES (?, ?, ?, ?, ?, ?)", sid(), copy, objects.get(s.parent()), s.kind(), s.num(),
                        s.props());
                objects.put(s.id(), nid);
            }
            for (long[] v : Sql.list(c, "SELECT id, object_id, prop_tag, size FROM jmapi.large_value WHERE "
                    + "store_id = ? AND message_id = ? ORDER BY id", rs -> new long[] {rs.getLong(1), rs.getLong(2),
                    rs.getInt(3), rs.getLong(4)}, sid(), id)) {
                long nv = Sql.insert(c, "INSERT INTO jmapi.large_value (store_id, message_id, object_id, prop_tag, "
                        + "size) VALUES (?, ?, ?, ?, ?)", sid(), copy, objects.get(v[1]), (int) v[2], v[3]);
                copyChunks(c, v[0], nv);
            }
            boolean unread = !h.associated() && (flagsOf(props) & Flags.MSGFLAG_READ) == 0;
            PostgresFolders.adjustCounts(c, sid(), target, h.associated() ? 0 : 1, unread ? 1 : 0,
                    h.associated() ? 1 : 0);
            return info(c, copy);
        });
    }

    // ---- contents tables (delegated) -------------------------------------------------------------------------

    List<MessageRow> query(ContentsQuery q) {
        return new PostgresContents(storage, this).query(q);
    }

    int count(long folderId, boolean associated, Restriction r) {
        return new PostgresContents(storage, this).count(folderId, associated, r);
    }

    List<String> explain(Connection c, ContentsQuery q) throws SQLException {
        return new PostgresContents(storage, this).explain(c, q);
    }
}
