package org.jmapi.store.postgres;

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
 * The outgoing queue, spooler locks and activity records of a PostgreSQL store (spec &sect;10.2, &sect;11.3;
 * R-OQ-1..5, R-MAIL-1).
 *
 * <p>The queue state (queued, submit time, submit flags) is persistent. Locks and activities are not: each belongs
 * to an owner — one open {@link PostgresStorage} — registered in {@code storage_owner} with its process id, process
 * start time, host and a lease the instance renews every {@code heartbeat}. An owner is dead when its lease ran out
 * or, when it ran on this host, its process is gone; a lock counts while its own lease runs and its owner is not
 * dead, an activity while its owner is alive. Dead owners are swept away (their rows, locks and activities) at the
 * next renewal of any live instance. Closing the instance drops its locks and activities at once.
 *
 * <p><b>Several spoolers on one queue.</b> Taking a lock ({@link #lock}, {@link #lockNext}) and giving it back
 * ({@link #unlock}) do not take the store's write lock ({@link Db#claim}): the claim locks the message's row with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} — {@code lockNext} takes the oldest queued message whose row no other
 * transaction holds and whose spooler lock is free (none, expired, or of a dead owner); {@code lock} fails at once
 * with MAPI_E_BUSY when another instance holds the row or the lock — writes the lock with its lease, and bumps the
 * store's {@code queue_state} counter as its last statement. So spoolers on several hosts claim messages in
 * parallel, each message goes to exactly one of them, and a message whose spooler died is claimed again by another
 * after the lease (at once on the same host, where the dead process is seen). The writers that decide from a lock
 * (finish, abort, unlock) read the message row {@code FOR UPDATE}, so they wait for a claim in progress and see its
 * result. Leases compare the hosts' clocks: keep them synchronised (NTP) well within the lease.
 *
 * <p>Package-private part of {@link PostgresStorage}; thread-safe.
 */
final class PostgresQueue {
    private static final long PID = ProcessHandle.current().pid();
    private static final long PROCESS_START = ProcessHandle.current().info().startInstant()
            .map(Instant::toEpochMilli).orElse(0L);
    /** This host: its name and boot id (a restarted machine is another host for the pid check). */
    static final String HOST = hostKey();

    private final PostgresStorage storage;
    private final Object registration = new Object();
    private volatile boolean registered;
    private ScheduledExecutorService renewals;

    PostgresQueue(PostgresStorage storage) {
        this.storage = storage;
    }

    private Db db() {
        return storage.db();
    }

    private String me() {
        return storage.ownerIdUnchecked();
    }

    private long sid() {
        return storage.sid();
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

    /**
     * Which lock and activity owners are alive and which are dead, decided once per transaction. An owner that has
     * no row (yet) is neither: its locks count until their own lease runs out (a READ COMMITTED claim may see a lock
     * taken by an instance that registered after the owners were read). Immutable.
     */
    static final class Live implements MessageHead.Locks {
        private final Set<String> alive;
        private final Set<String> dead;
        private final long now;

        Live(Set<String> alive, Set<String> dead, long now) {
            this.alive = alive;
            this.dead = dead;
            this.now = now;
        }

        /** @return whether a lock with this owner and lease expiry is held */
        @Override
        public boolean holds(String owner, Long expires) {
            return owner != null && expires != null && expires > now && !dead.contains(owner);
        }

        /** @return whether the owner is registered and alive (its activities count) */
        boolean isLive(String owner) {
            return alive.contains(owner);
        }

        /** @return the owners known to be dead */
        Set<String> dead() {
            return dead;
        }

        /** @return the time the decision was made for */
        long now() {
            return now;
        }
    }

    Live live(Connection c) throws SQLException {
        long now = storage.now();
        Set<String> alive = new HashSet<>();
        Set<String> dead = new HashSet<>();
        for (Object[] o : Sql.list(c, "SELECT owner_id, pid, process_start, host, lease_expires "
                + "FROM jmapi.storage_owner WHERE store_id = ?", rs -> new Object[] {rs.getString(1), rs.getLong(2),
                rs.getLong(3), rs.getString(4), rs.getLong(5)}, sid())) {
            if ((Long) o[4] > now && (!HOST.equals(o[3]) || processAlive((Long) o[1], (Long) o[2]))) {
                alive.add((String) o[0]);
            } else {
                dead.add((String) o[0]);
            }
        }
        return new Live(alive, dead, now);
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
                Sql.update(c, "INSERT INTO jmapi.storage_owner (store_id, owner_id, pid, process_start, host, "
                        + "opened_at, lease_expires) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (store_id, owner_id) "
                        + "DO UPDATE SET lease_expires = excluded.lease_expires", sid(), me(), PID, PROCESS_START,
                        HOST, now, now + storage.options().lease().toMillis());
                sweep(c);
                return null;
            });
            long every = storage.options().heartbeat().toMillis();
            if (every > 0) {
                renewals = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "jmapi-store lease renewal " + storage.storeName());
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
            Sql.update(c, "UPDATE jmapi.message SET lock_expires = ? WHERE store_id = ? AND lock_owner = ?", expires,
                    sid(), me());
            Sql.update(c, "UPDATE jmapi.activity SET lease_expires = ? WHERE store_id = ? AND owner_id = ?", expires,
                    sid(), me());
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
        if (Sql.update(c, "UPDATE jmapi.storage_owner SET lease_expires = ? WHERE store_id = ? AND owner_id = ?",
                expires, sid(), me()) == 0) {
            Sql.update(c, "INSERT INTO jmapi.storage_owner (store_id, owner_id, pid, process_start, host, opened_at, "
                    + "lease_expires) VALUES (?, ?, ?, ?, ?, ?, ?)", sid(), me(), PID, PROCESS_START, HOST, now,
                    expires);
        }
    }

    /**
     * Removes the owner rows, locks and activities of dead owners (they already read as absent). An owner whose lease
     * ran out is removed only if it is still expired when its row is deleted (it may have renewed meanwhile); its
     * locks are cleared only while they are still its own.
     */
    private void sweep(Connection c) throws SQLException {
        Live live = live(c);
        List<String> gone = new ArrayList<>();
        for (String owner : live.dead()) {
            if (owner.equals(me())) {
                continue;
            }
            if (Sql.update(c, "DELETE FROM jmapi.storage_owner WHERE store_id = ? AND owner_id = ? AND (lease_expires"
                    + " <= ? OR host = ?)", sid(), owner, live.now(), HOST) > 0) {
                gone.add(owner);
            }
        }
        Sql.update(c, "DELETE FROM jmapi.activity a WHERE a.store_id = ? AND NOT EXISTS (SELECT 1 FROM "
                + "jmapi.storage_owner o WHERE o.store_id = a.store_id AND o.owner_id = a.owner_id)", sid());
        if (!gone.isEmpty()) {
            Sql.update(c, "UPDATE jmapi.message SET lock_owner = NULL, lock_expires = NULL WHERE store_id = ? AND "
                    + "lock_owner = ANY(?)", sid(), c.createArrayOf("text", gone.toArray()));
        }
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
                Sql.update(c, "DELETE FROM jmapi.activity WHERE store_id = ? AND owner_id = ?", sid(), me());
                Sql.update(c, "UPDATE jmapi.message SET lock_owner = NULL, lock_expires = NULL WHERE store_id = ? "
                        + "AND lock_owner = ?", sid(), me());
                Sql.update(c, "DELETE FROM jmapi.storage_owner WHERE store_id = ? AND owner_id = ?", sid(), me());
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
        PostgresMessages.checkSubmitFlags(submitFlags);
        return db().write("submitting message " + id, true, c -> {
            MessageHead h = storage.messagesComponent().requireHead(c, id);
            if (h.associated()) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "message " + id
                        + " is associated (FAI) and cannot be submitted");
            }
            if (h.queued()) {
                throw new MapiException(HResult.MAPI_E_SUBMITTED, "message " + id
                        + " is already in the outgoing queue");
            }
            List<PropValue> props = ImageRules.with(PropCodec.decode(h.props()),
                    PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, submitTime));
            props = ImageRules.withMaintained(props, false, true, submitFlags, h.size());
            PostgresMessages.writeRoot(c, sid(), id, props, h.version() + 1, storage.now(), true,
                    SortKeys.time(submitTime), submitFlags);
            return storage.messagesComponent().info(c, id);
        });
    }

    List<MessageRow> list() {
        return db().read("reading the outgoing queue", c -> {
            Live live = live(c);
            return storage.messagesComponent().rows(c, Sql.list(c, "SELECT " + PostgresMessages.HEAD_COLUMNS
                    + " FROM jmapi.message WHERE store_id = ? AND queued ORDER BY queue_time, id",
                    PostgresMessages::mapHead, sid()), live);
        });
    }

    MessageInfo lock(long id) {
        register();
        return db().claim("locking message " + id, c -> {
            Live live = live(c);
            touchOwner(c);
            MessageHead h = Sql.one(c, "SELECT " + PostgresMessages.HEAD_COLUMNS + " FROM jmapi.message "
                    + "WHERE store_id = ? AND id = ? FOR UPDATE SKIP LOCKED", PostgresMessages::mapHead, sid(), id)
                    .orElse(null);
            if (h == null) {
                storage.messagesComponent().requireHead(c, id); // MAPI_E_NOT_FOUND when there is no such message
                throw new MapiException(HResult.MAPI_E_BUSY, "message " + id + " is being locked or changed by "
                        + "another instance right now; another spooler may be taking it");
            }
            if (!h.queued()) {
                return notInQueue(id);
            }
            if (live.holds(h.lockOwner(), h.lockExpires()) && !h.lockOwner().equals(me())) {
                throw new MapiException(HResult.MAPI_E_BUSY, "message " + id + " is locked by another spooler ("
                        + describeOwner(c, h.lockOwner()) + ") until " + Instant.ofEpochMilli(h.lockExpires()));
            }
            long expires = takeLock(c, id);
            lockChanged(c);
            return h.lockedInfo(me(), expires); // this instance's owner row was renewed above
        });
    }

    /** The queue's change counter rises: the last statement of every claim (see {@link Db#claim}). */
    private void lockChanged(Connection c) throws SQLException {
        if (storage.db().bump(c, "UPDATE jmapi.queue_state SET lock_changes = lock_changes + 1 WHERE store_id = ?",
                sid()) == 0) {
            // a store whose row is missing (created between migration 3's statements by an older jmapi)
            Sql.update(c, "INSERT INTO jmapi.queue_state (store_id, lock_changes) VALUES (?, 1) ON CONFLICT "
                    + "(store_id) DO UPDATE SET lock_changes = jmapi.queue_state.lock_changes + 1", sid());
        }
    }

    /**
     * Writes this instance's lock with a fresh lease on a message row the caller locked. The caller extended its own
     * owner lease ({@link #touchOwner}) first, once: a second update of that row in the same transaction would make
     * PostgreSQL re-check its foreign key, a share lock on the {@code store} row that a claim must never wait for.
     *
     * @return the lock's lease end, epoch milliseconds
     */
    private long takeLock(Connection c, long id) throws SQLException {
        long expires = storage.now() + storage.options().lease().toMillis();
        Sql.update(c, "UPDATE jmapi.message SET lock_owner = ?, lock_expires = ? WHERE store_id = ? AND id = ?", me(),
                expires, sid(), id);
        return expires;
    }

    private String describeOwner(Connection c, String owner) throws SQLException {
        return Sql.one(c, "SELECT pid, host FROM jmapi.storage_owner WHERE store_id = ? AND owner_id = ?",
                rs -> "owner " + owner + ", process " + rs.getLong(1) + " on " + rs.getString(2), sid(), owner)
                .orElse("owner " + owner);
    }

    Optional<MessageRow> lockNext() {
        register();
        return db().claim("locking the next queued message", c -> {
            Live live = live(c);
            touchOwner(c);
            Optional<Long> next = Sql.one(c, "SELECT id FROM jmapi.message WHERE store_id = ? AND queued AND "
                    + "(lock_owner IS NULL OR lock_expires <= ? OR lock_owner = ANY(?)) "
                    + "ORDER BY queue_time, id LIMIT 1 FOR UPDATE SKIP LOCKED", rs -> rs.getLong(1), sid(),
                    live.now(), c.createArrayOf("text", live.dead().toArray()));
            if (next.isEmpty()) {
                return Optional.<MessageRow>empty();
            }
            takeLock(c, next.get());
            MessageHead locked = storage.messagesComponent().requireHead(c, next.get());
            MessageRow row = storage.messagesComponent().row(c, locked, live(c));
            lockChanged(c);
            return Optional.of(row);
        });
    }

    void unlock(long id) {
        db().claim("unlocking message " + id, c -> {
            MessageHead h = headForUpdate(c, id);
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
            Sql.update(c, "UPDATE jmapi.message SET lock_owner = NULL, lock_expires = NULL WHERE store_id = ? AND "
                    + "id = ?", sid(), id);
            lockChanged(c);
            return null;
        });
    }

    /**
     * @return the message's row, locked {@code FOR UPDATE}: waits for a claim in progress (up to the lock timeout)
     *         and sees its result
     * @throws MapiException MAPI_E_NOT_FOUND when there is no such message
     */
    private MessageHead headForUpdate(Connection c, long id) throws SQLException {
        MessageHead h = Sql.one(c, "SELECT " + PostgresMessages.HEAD_COLUMNS + " FROM jmapi.message WHERE "
                + "store_id = ? AND id = ? FOR UPDATE", PostgresMessages::mapHead, sid(), id).orElse(null);
        return h != null ? h : storage.messagesComponent().requireHead(c, id);
    }

    void finish(long id, Disposal disposal) {
        Objects.requireNonNull(disposal, "disposal");
        db().write("finishing message " + id, true, c -> {
            MessageHead h = headForUpdate(c, id);
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
            unqueue(c, h);
            MessageHead after = storage.messagesComponent().requireHead(c, id);
            if (disposal.delete()) {
                PostgresMessages.deleteInTx(c, sid(), after);
            } else if (disposal.moveToFolderId() > 0) {
                PostgresMessages.moveInTx(c, sid(), after, disposal.moveToFolderId());
            }
            return null;
        });
    }

    void abort(long id) {
        db().write("aborting the submission of message " + id, true, c -> {
            MessageHead h = Sql.one(c, "SELECT " + PostgresMessages.HEAD_COLUMNS + " FROM jmapi.message "
                    + "WHERE store_id = ? AND id = ? FOR UPDATE", PostgresMessages::mapHead, sid(), id).orElse(null);
            if (h == null || !h.queued()) {
                return notInQueue(id);
            }
            if (live(c).holds(h.lockOwner(), h.lockExpires())) {
                throw new MapiException(HResult.MAPI_E_UNABLE_TO_ABORT, "message " + id + " is locked by a spooler ("
                        + describeOwner(c, h.lockOwner()) + ") that is sending it; it can no longer be aborted");
            }
            unqueue(c, h);
            return null;
        });
    }

    /** Takes a message out of the queue: clears MSGFLAG_SUBMIT, PR_SUBMIT_FLAGS and the lock. */
    private void unqueue(Connection c, MessageHead h) throws SQLException {
        List<PropValue> props = ImageRules.withMaintained(PropCodec.decode(h.props()), h.associated(), false, 0,
                h.size());
        PostgresMessages.writeRoot(c, sid(), h.id(), props, h.version() + 1, storage.now(), false, null, 0);
        Sql.update(c, "UPDATE jmapi.message SET lock_owner = NULL, lock_expires = NULL WHERE store_id = ? AND id = ?",
                sid(), h.id());
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
        long id = db().write("recording " + kind + " activity", false, c -> {
            // Activity records describe live processes: their commits need not wait for the WAL flush (after a
            // server crash every owner is gone or re-registers, and a record of a gone owner no longer counts).
            Sql.update(c, "SET LOCAL synchronous_commit = off");
            touchOwner(c);
            return Sql.insert(c, "INSERT INTO jmapi.activity (store_id, owner_id, spooler_id, kind, message_id, "
                    + "started_at, lease_expires) VALUES (?, ?, ?, ?, ?, ?, ?)", sid(), me(), spoolerId,
                    kind.ordinal(), messageId, now, now + storage.options().lease().toMillis());
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
                        db().write("ending activity " + id, false, c -> {
                            Sql.update(c, "SET LOCAL synchronous_commit = off");
                            return Sql.update(c, "DELETE FROM jmapi.activity WHERE store_id = ? AND id = ?", sid(),
                                    id);
                        });
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
                    + "lease_expires FROM jmapi.activity WHERE store_id = ? ORDER BY id", rs -> new ActivityRecord(
                    rs.getLong(1), rs.getString(2), rs.getString(3), store, ActivityKind.values()[rs.getInt(4)],
                    rs.getLong(5), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7))),
                    sid())) {
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
            for (Object[] a : Sql.list(c, "SELECT owner_id, kind, lease_expires FROM jmapi.activity WHERE store_id = ?",
                    rs -> new Object[] {rs.getString(1), rs.getInt(2), rs.getLong(3)}, sid())) {
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
            for (Object[] q : Sql.list(c, "SELECT lock_owner, lock_expires FROM jmapi.message WHERE store_id = ? AND "
                    + "queued", rs -> new Object[] {rs.getString(1), Sql.longOrNull(rs, "lock_expires")}, sid())) {
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
