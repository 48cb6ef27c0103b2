package org.jmapi.store.sqlite;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Activity;
import org.jmapi.store.ActivityKind;
import org.jmapi.store.ActivityRecord;
import org.jmapi.store.ActivitySummary;
import org.jmapi.store.Disposal;
import org.jmapi.store.MessageInfo;
import org.jmapi.store.MessageRow;
import org.jmapi.store.engine.ImageRules;
import org.jmapi.store.engine.MessageHead;
import org.jmapi.store.engine.PropCodec;
import org.jmapi.store.engine.SortKeys;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outgoing queue, spooler locks and activity records of a SQLite store (spec &sect;10.2, &sect;11.3;
 * R-OQ-1..5, R-MAIL-1).
 *
 * <p>The queue state (queued, submit time, submit flags) is persistent. Locks and activities are not: each belongs
 * to an owner — one open {@link SqliteStorage} — registered in {@code storage_owner} with its process id, process
 * start time, host and a lease the instance renews every {@code heartbeat}. An owner is alive while its lease runs
 * and, when it runs on this host, while its process exists; a lock or activity of a dead owner counts as absent, and
 * is swept away at the next renewal of any live instance. Closing the instance drops its locks and activities at
 * once. Package-private part of {@link SqliteStorage}; thread-safe.
 */
final class SqliteQueue {
    private static final long PID = ProcessHandle.current().pid();
    private static final long PROCESS_START = ProcessHandle.current().info().startInstant()
            .map(Instant::toEpochMilli).orElse(0L);
    private static final String HOST = hostKey();

    /**
     * Lock and unlock commits skip the fsync ({@code synchronous=NORMAL}: safe from a process crash, not from power
     * loss). A lock is not persistent state: it belongs to an owner that is alive only while its process runs and its
     * lease is renewed, so after a power loss every lock counts as absent whether or not its commit reached the disk;
     * an unlock lost with the power leaves a lock of a dead owner, which counts as absent too. The next durable
     * commit (the spooler's save or FinishedMsg) fsyncs the log with these frames in it anyway.
     */
    private static final boolean LOCK_DURABLE = false;

    private final SqliteStorage storage;
    private final Object registration = new Object();
    private volatile boolean registered;
    private ScheduledExecutorService renewals;

    SqliteQueue(SqliteStorage storage) {
        this.storage = storage;
    }

    private Db db() {
        return storage.db();
    }

    private String me() {
        return storage.ownerIdUnchecked();
    }

    private static String hostKey() {
        String host = read("/proc/sys/kernel/hostname");
        if (host == null) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown-host";
            }
        }
        String boot = read("/proc/sys/kernel/random/boot_id");
        return boot == null ? host : host + "/" + boot;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Which lock and activity owners are alive, decided once per transaction. Immutable. */
    static final class Live implements MessageHead.Locks {
        private final Set<String> owners;
        private final long now;

        Live(Set<String> owners, long now) {
            this.owners = owners;
            this.now = now;
        }

        /** @return whether a lock with this owner and lease expiry is held */
        @Override
        public boolean holds(String owner, Long expires) {
            return owner != null && expires != null && expires > now && owners.contains(owner);
        }

        boolean isLive(String owner) {
            return owners.contains(owner);
        }
    }

    Live live(Connection c) throws SQLException {
        long now = storage.now();
        Set<String> alive = new HashSet<>();
        for (Object[] o : Sql.list(c, "SELECT owner_id, pid, process_start, host, lease_expires FROM storage_owner",
                rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getLong(5)})) {
            if ((Long) o[4] > now && (!HOST.equals(o[3]) || processAlive((Long) o[1], (Long) o[2]))) {
                alive.add((String) o[0]);
            }
        }
        return new Live(alive, now);
    }

    private static boolean processAlive(long pid, long start) {
        if (pid == PID) {
            return true;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        if (start == 0) {
            return true;
        }
        return p.get().info().startInstant().map(i -> Math.abs(i.toEpochMilli() - start) < 2000).orElse(true);
    }

    /** Registers this instance as an owner (once) and starts renewing its lease. */
    private void register() {
        if (registered) {
            return;
        }
        synchronized (registration) {
            if (registered) {
                return;
            }
            long now = storage.now();
            db().write("registering as spooler lock owner", false, c -> {
                Sql.update(c, "INSERT OR REPLACE INTO storage_owner (owner_id, pid, process_start, host, opened_at, "
                        + "lease_expires) VALUES (?, ?, ?, ?, ?, ?)", me(), PID, PROCESS_START, HOST, now,
                        now + storage.options().lease().toMillis());
                sweep(c);
                return null;
            });
            long every = storage.options().heartbeat().toMillis();
            if (every > 0) {
                renewals = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "jmapi-store lease renewal " + db().path().getFileName());
                    t.setDaemon(true);
                    return t;
                });
                renewals.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
            }
            registered = true;
        }
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            // the next renewal retries; the lease covers several missed renewals
        }
    }

    /** Extends the lease of this instance, its locks and activities; sweeps away dead owners. */
    void renew() {
        if (!registered || db().isClosed()) {
            return;
        }
        long expires = storage.now() + storage.options().lease().toMillis();
        db().write("renewing the spooler lease", false, c -> {
            touchOwner(c);
            Sql.update(c, "UPDATE message SET lock_expires = ? WHERE lock_owner = ?", expires, me());
            Sql.update(c, "UPDATE activity SET lease_expires = ? WHERE owner_id = ?", expires, me());
            sweep(c);
            return null;
        });
    }

    /**
     * Extends this instance's owner lease (re-registering it if a sweep removed it), inside the caller's
     * transaction: done whenever the instance takes a lock or begins an activity, and by every renewal.
     */
    private void touchOwner(Connection c) throws SQLException {
        long now = storage.now();
        long expires = now + storage.options().lease().toMillis();
        if (Sql.update(c, "UPDATE storage_owner SET lease_expires = ? WHERE owner_id = ?", expires, me()) == 0) {
            Sql.update(c, "INSERT INTO storage_owner (owner_id, pid, process_start, host, opened_at, "
                    + "lease_expires) VALUES (?, ?, ?, ?, ?, ?)", me(), PID, PROCESS_START, HOST, now, expires);
        }
    }

    /** Removes the owner rows, locks and activities of dead owners (they already read as absent). */
    private void sweep(Connection c) throws SQLException {
        Live live = live(c);
        for (String owner : Sql.list(c, "SELECT owner_id FROM storage_owner", rs -> rs.getString(1))) {
            if (!live.isLive(owner) && !owner.equals(me())) {
                Sql.update(c, "DELETE FROM storage_owner WHERE owner_id = ?", owner);
            }
        }
        Sql.update(c, "DELETE FROM activity WHERE owner_id NOT IN (SELECT owner_id FROM storage_owner)");
        Sql.update(c, "UPDATE message SET lock_owner = NULL, lock_expires = NULL WHERE lock_owner IS NOT NULL "
                + "AND lock_owner NOT IN (SELECT owner_id FROM storage_owner)");
    }

    /** At close: drops this instance's locks, activities and owner row, stops renewing. Best effort. */
    void release() {
        synchronized (registration) {
            if (renewals != null) {
                renewals.shutdownNow();
                renewals = null;
            }
            if (!registered) {
                return;
            }
            registered = false;
        }
        try {
            db().write("releasing spooler locks and activities", true, c -> {
                Sql.update(c, "DELETE FROM activity WHERE owner_id = ?", me());
                Sql.update(c, "UPDATE message SET lock_owner = NULL, lock_expires = NULL WHERE lock_owner = ?", me());
                Sql.update(c, "DELETE FROM storage_owner WHERE owner_id = ?", me());
                return null;
            });
        } catch (MapiException e) {
            // the locks and activities end with the lease anyway
        }
    }

    // ---- queue -----------------------------------------------------------------------------------------------

    private MessageInfo notInQueue(long id) {
        throw new MapiException(HResult.MAPI_E_NOT_IN_QUEUE, "message " + id + " is not in the outgoing queue");
    }

    MessageInfo submit(long id, Instant submitTime, int submitFlags) {
        Objects.requireNonNull(submitTime, "submitTime");
        SqliteMessages.checkSubmitFlags(submitFlags);
        return db().write("submitting message " + id, true, c -> {
            MessageHead h = storage.messagesComponent().requireHead(c, id);
            if (h.associated()) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "message " + id
                        + " is associated (FAI) and cannot be submitted");
            }
            if (h.queued()) {
                throw new MapiException(HResult.MAPI_E_SUBMITTED, "message " + id + " is already in the outgoing queue");
            }
            List<PropValue> props = ImageRules.with(PropCodec.decode(h.props()),
                    PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, submitTime));
            props = ImageRules.withMaintained(props, false, true, submitFlags, h.size());
            SqliteMessages.writeRoot(c, id, props, h.version() + 1, storage.now(), true,
                    SortKeys.time(submitTime), submitFlags);
            return storage.messagesComponent().info(c, id);
        });
    }

    List<MessageRow> list() {
        return db().read("reading the outgoing queue", c -> {
            Live live = live(c);
            return storage.messagesComponent().rows(c, Sql.list(c, "SELECT " + SqliteMessages.HEAD_COLUMNS
                    + " FROM message WHERE queued = 1 ORDER BY queue_time, id", SqliteMessages::mapHead), live);
        });
    }

    MessageInfo lock(long id) {
        register();
        return db().write("locking message " + id, true, LOCK_DURABLE, c -> {
            MessageHead h = storage.messagesComponent().requireHead(c, id);
            if (!h.queued()) {
                return notInQueue(id);
            }
            Live live = live(c);
            if (live.holds(h.lockOwner(), h.lockExpires()) && !h.lockOwner().equals(me())) {
                throw new MapiException(HResult.MAPI_E_BUSY, "message " + id + " is locked by another spooler ("
                        + describeOwner(c, h.lockOwner()) + ") until " + Instant.ofEpochMilli(h.lockExpires()));
            }
            return h.lockedInfo(me(), takeLock(c, id)); // takeLock renewed this instance's owner row
        });
    }

    /** @return the lock's lease end, epoch milliseconds */
    private long takeLock(Connection c, long id) throws SQLException {
        touchOwner(c);
        long expires = storage.now() + storage.options().lease().toMillis();
        Sql.update(c, "UPDATE message SET lock_owner = ?, lock_expires = ? WHERE id = ?", me(), expires, id);
        return expires;
    }

    private static String describeOwner(Connection c, String owner) throws SQLException {
        return Sql.one(c, "SELECT pid, host FROM storage_owner WHERE owner_id = ?",
                rs -> "owner " + owner + ", process " + rs.getLong(1) + " on " + rs.getString(2), owner)
                .orElse("owner " + owner);
    }

    Optional<MessageRow> lockNext() {
        register();
        return db().write("locking the next queued message", true, LOCK_DURABLE, c -> {
            Live live = live(c);
            for (MessageHead h : Sql.list(c, "SELECT " + SqliteMessages.HEAD_COLUMNS + " FROM message "
                    + "WHERE queued = 1 ORDER BY queue_time, id", SqliteMessages::mapHead)) {
                if (!live.holds(h.lockOwner(), h.lockExpires())) {
                    takeLock(c, h.id());
                    MessageHead locked = storage.messagesComponent().requireHead(c, h.id());
                    return Optional.of(storage.messagesComponent().row(c, locked, live(c)));
                }
            }
            return Optional.empty();
        });
    }

    void unlock(long id) {
        db().write("unlocking message " + id, true, LOCK_DURABLE, c -> {
            MessageHead h = storage.messagesComponent().requireHead(c, id);
            if (!h.queued()) {
                return notInQueue(id);
            }
            if (h.lockOwner() == null) {
                return null;
            }
            if (live(c).holds(h.lockOwner(), h.lockExpires()) && !h.lockOwner().equals(me())) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "message " + id + " is locked by another spooler ("
                        + describeOwner(c, h.lockOwner()) + "); only the lock holder can unlock it");
            }
            Sql.update(c, "UPDATE message SET lock_owner = NULL, lock_expires = NULL WHERE id = ?", id);
            return null;
        });
    }

    void finish(long id, Disposal disposal) {
        finish(id, disposal, 0);
    }

    /** Finishes a message, clearing {@code clearFlags} in PR_MESSAGE_FLAGS of a kept one in the same transaction. */
    void finish(long id, Disposal disposal, int clearFlags) {
        Objects.requireNonNull(disposal, "disposal");
        if ((clearFlags & (Flags.MSGFLAG_READ | Flags.MSGFLAG_ASSOCIATED | Flags.MSGFLAG_SUBMIT)) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "FinishedMsg cannot clear MSGFLAG_READ, "
                    + "MSGFLAG_ASSOCIATED or MSGFLAG_SUBMIT through its flag change (the store maintains them)");
        }
        db().write("finishing message " + id, true, c -> {
            MessageHead h = storage.messagesComponent().requireHead(c, id);
            if (!h.queued()) {
                return notInQueue(id);
            }
            if (!me().equals(h.lockOwner()) || !live(c).holds(h.lockOwner(), h.lockExpires())) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "message " + id + " must be locked by this storage"
                        + " (lockMessage) before it is finished");
            }
            if (disposal.moveToFolderId() > 0) {
                storage.foldersComponent().requireFolder(c, disposal.moveToFolderId());
            }
            unqueue(c, h, disposal.delete() ? 0 : clearFlags);
            MessageHead after = storage.messagesComponent().requireHead(c, id);
            if (disposal.delete()) {
                SqliteMessages.deleteInTx(c, after);
            } else if (disposal.moveToFolderId() > 0) {
                SqliteMessages.moveInTx(c, after, disposal.moveToFolderId());
            }
            return null;
        });
    }

    void abort(long id) {
        db().write("aborting the submission of message " + id, true, c -> {
            MessageHead h = storage.messagesComponent().head(c, id);
            if (h == null || !h.queued()) {
                return notInQueue(id);
            }
            if (live(c).holds(h.lockOwner(), h.lockExpires())) {
                throw new MapiException(HResult.MAPI_E_UNABLE_TO_ABORT, "message " + id + " is locked by a spooler ("
                        + describeOwner(c, h.lockOwner()) + ") that is sending it; it can no longer be aborted");
            }
            unqueue(c, h, 0);
            return null;
        });
    }

    /** Takes a message out of the queue: clears MSGFLAG_SUBMIT, PR_SUBMIT_FLAGS and the lock. */
    private void unqueue(Connection c, MessageHead h, int clearFlags) throws SQLException {
        List<PropValue> stored = PropCodec.decode(h.props());
        if (clearFlags != 0) {
            stored = ImageRules.with(stored, PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS,
                    SqliteMessages.flagsOf(stored) & ~clearFlags));
        }
        List<PropValue> props = ImageRules.withMaintained(stored, h.associated(), false, 0, h.size());
        // only the property columns that change are set: an indexed column set to its own value rewrites its index
        Object[] before = SqliteMessages.columnValues(PropCodec.decode(h.props()));
        SqliteMessages.writeRoot(c, h.id(), props, h.version() + 1, storage.now(), false, null, 0, before);
        Sql.update(c, "UPDATE message SET lock_owner = NULL, lock_expires = NULL WHERE id = ?", h.id());
    }

    // ---- activity --------------------------------------------------------------------------------------------

    Activity beginActivity(ActivityKind kind, String spoolerId, long messageId) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(spoolerId, "spoolerId");
        if (messageId < 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "negative message id " + messageId);
        }
        register();
        long now = storage.now();
        long id = db().write("recording " + kind + " activity", false, false, c -> { // not durable: see close
            touchOwner(c);
            return Sql.insert(c, "INSERT INTO activity (owner_id, spooler_id, kind, message_id, started_at, "
                    + "lease_expires) VALUES (?, ?, ?, ?, ?, ?)", me(), spoolerId, kind.ordinal(), messageId, now,
                    now + storage.options().lease().toMillis());
        });
        AtomicBoolean ended = new AtomicBoolean();
        return new Activity() {
            @Override
            public long id() {
                return id;
            }

            @Override
            public void close() {
                if (ended.compareAndSet(false, true) && !db().isClosed()) {
                    try {
                        // Activity records describe live processes, so their writes skip the fsync: after a
                        // power loss every record's owner is gone and the record no longer counts.
                        db().write("ending activity " + id, false, false, c ->
                                Sql.update(c, "DELETE FROM activity WHERE id = ?", id));
                    } catch (MapiException e) {
                        if (e.hresult() != HResult.MAPI_E_INVALID_OBJECT) {
                            ended.set(false);
                            throw e;
                        }
                    }
                }
            }

            @Override
            public String toString() {
                return "Activity[" + id + ", " + kind + ", " + spoolerId + "]";
            }
        };
    }

    List<ActivityRecord> activities(MapiUid store) {
        return db().read("reading activities", c -> {
            Live live = live(c);
            List<ActivityRecord> out = new ArrayList<>();
            for (ActivityRecord r : Sql.list(c, "SELECT id, owner_id, spooler_id, kind, message_id, started_at, "
                    + "lease_expires FROM activity ORDER BY id", rs -> new ActivityRecord(rs.getLong(1),
                    rs.getString(2), rs.getString(3), store, ActivityKind.values()[rs.getInt(4)], rs.getLong(5),
                    Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7))))) {
                if (live.isLive(r.ownerId()) && r.leaseExpires().toEpochMilli() > storage.now()) {
                    out.add(r);
                }
            }
            return out;
        });
    }

    ActivitySummary summary() {
        return db().read("summarising activity", c -> {
            Live live = live(c);
            long now = storage.now();
            int inbound = 0;
            int outbound = 0;
            for (Object[] a : Sql.list(c, "SELECT owner_id, kind, lease_expires FROM activity",
                    rs -> new Object[] {rs.getString(1), rs.getInt(2), rs.getLong(3)})) {
                if (live.isLive((String) a[0]) && (Long) a[2] > now) {
                    if ((Integer) a[1] == ActivityKind.INBOUND.ordinal()) {
                        inbound++;
                    } else {
                        outbound++;
                    }
                }
            }
            int locked = 0;
            int unlocked = 0;
            for (Object[] q : Sql.list(c, "SELECT lock_owner, lock_expires FROM message WHERE queued = 1",
                    rs -> new Object[] {rs.getString(1), Sql.longOrNull(rs, "lock_expires")})) {
                if (live.holds((String) q[0], (Long) q[1])) {
                    locked++;
                } else {
                    unlocked++;
                }
            }
            return new ActivitySummary(inbound, outbound, locked, unlocked);
        });
    }
}
