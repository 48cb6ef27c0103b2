package org.jmapi.store;

import org.jmapi.Flags;

import java.time.Instant;

/**
 * A message's place in the store's outgoing queue (spec &sect;10.2): submitted and not yet finished or aborted.
 * The queue is persistent (R-MAIL-1); the spooler's lock is not: it belongs to the lock owner (one open
 * {@link Storage}) and lasts while that owner is alive and its lease runs, so a lock whose owner has gone (closed,
 * crashed, killed) reads as unlocked (R-OQ-2). Immutable snapshot.
 *
 * @param submitTime  when the message was submitted (PR_CLIENT_SUBMIT_TIME); the queue's order
 * @param submitFlags the SUBMITFLAG_* bits given at submission (SUBMITFLAG_PREPROCESS), without SUBMITFLAG_LOCKED
 * @param lockOwner   the {@link Storage#ownerId()} of the live lock holder, or null when unlocked
 * @param lockExpires when the holder's lease ends unless renewed, or null when unlocked
 */
public record QueueState(Instant submitTime, int submitFlags, String lockOwner, Instant lockExpires) {
    /** @return whether a live spooler holds the lock */
    public boolean locked() {
        return lockOwner != null;
    }

    /** @return PR_SUBMIT_FLAGS as MAPI shows it: the submission bits plus SUBMITFLAG_LOCKED while locked */
    public int prSubmitFlags() {
        return submitFlags | (locked() ? Flags.SUBMITFLAG_LOCKED : 0);
    }
}
