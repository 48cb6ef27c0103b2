package org.jmapi.store.engine;

import org.jmapi.Flags;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.MessageInfo;
import org.jmapi.store.QueueState;

import java.time.Instant;
import java.util.List;

/**
 * A message row as an engine stores it (the SQLite and PostgreSQL engines' {@code message} tables hold the same
 * columns), and what the engines derive from it: its {@link MessageInfo}, its queue state as the spooler locks of
 * live owners make it, and its top-level properties as readers see them. Immutable.
 *
 * @param id          the message id
 * @param folderId    its folder
 * @param associated  whether it is a folder-associated message
 * @param version     its save count (optimistic concurrency)
 * @param created     creation time, epoch milliseconds
 * @param modified    last change, epoch milliseconds
 * @param size        PR_MESSAGE_SIZE
 * @param queued      whether it is in the outgoing queue
 * @param queueTime   its queue position ({@link SortKeys#time} of the submit time), or null
 * @param queueFlags  PR_SUBMIT_FLAGS as stored (without SUBMITFLAG_LOCKED)
 * @param lockOwner   the storage instance whose spooler locked it, or null
 * @param lockExpires the lock's lease end, epoch milliseconds, or null
 * @param props       the encoded top-level properties ({@link PropCodec})
 * @param flags       PR_MESSAGE_FLAGS
 */
public record MessageHead(long id, long folderId, boolean associated, long version, long created, long modified,
                          int size, boolean queued, byte[] queueTime, int queueFlags, String lockOwner,
                          Long lockExpires, byte[] props, int flags) {

    /** Which spooler locks count now: the engine's view of live owners and leases at one moment. */
    @FunctionalInterface
    public interface Locks {
        /**
         * @param owner   the lock's owner, or null
         * @param expires its lease end, epoch milliseconds, or null
         * @return whether a lock with this owner and lease end is held
         */
        boolean holds(String owner, Long expires);
    }

    /** @return whether it counts as unread in its folder's counts (a normal message without MSGFLAG_READ) */
    public boolean unread() {
        return !associated && (flags & Flags.MSGFLAG_READ) == 0;
    }

    /**
     * @param locks the live locks
     * @return the message's info
     */
    public MessageInfo info(Locks locks) {
        return new MessageInfo(id, folderId, version, associated, Instant.ofEpochMilli(created),
                Instant.ofEpochMilli(modified), size, queueState(locks));
    }

    /**
     * @param owner   the instance that has just locked the queued message, in the transaction that read this head
     * @param expires the new lock's lease end, epoch milliseconds
     * @return the message's info with that lock held: what reading the row back in the same transaction gives (a lock
     *         changes nothing else, and its owner renewed its own lease with it)
     */
    public MessageInfo lockedInfo(String owner, long expires) {
        return new MessageHead(id, folderId, associated, version, created, modified, size, queued, queueTime,
                queueFlags, owner, expires, props, flags).info((o, until) -> true);
    }

    /**
     * @param locks the live locks
     * @return its queue state, the lock shown only while it is held; null when it is not queued
     */
    public QueueState queueState(Locks locks) {
        if (!queued) {
            return null;
        }
        boolean locked = locks.holds(lockOwner, lockExpires);
        return new QueueState(SortKeys.timeOf(queueTime), queueFlags, locked ? lockOwner : null,
                locked ? Instant.ofEpochMilli(lockExpires) : null);
    }

    /**
     * @param q its queue state ({@link #queueState})
     * @return the top-level properties to show: stored ones with SUBMITFLAG_LOCKED added while locked
     */
    public List<PropValue> rootProperties(QueueState q) {
        List<PropValue> p = PropCodec.decode(props);
        if (q != null && q.locked()) {
            p = ImageRules.with(p, PropValue.ofInt(PropTags.PR_SUBMIT_FLAGS, q.prSubmitFlags()));
        }
        return p;
    }
}
