package org.jmapi.store;

import java.time.Instant;

/**
 * What the storage knows about a message besides its image: identity, place, version and queue state. Immutable
 * snapshot, taken when the call that returned it ran.
 *
 * @param id         the message id: 64-bit, never reused, kept when the message moves (R-UID-9)
 * @param folderId   the folder it lives in
 * @param version    the optimistic-concurrency version; every change of the image, of its flags or of its queue
 *                   state increments it, moves and spooler locks do not. Pass it back in
 *                   {@link SaveRequest#update} (R-PROP-5: MAPI_E_OBJECT_CHANGED on mismatch)
 * @param associated whether it is an associated (FAI) message, shown only in the associated contents table
 * @param created    when it was first saved
 * @param modified   when it was last changed
 * @param size       PR_MESSAGE_SIZE as the storage computed it
 * @param queue      its outgoing-queue state, or null when it is not submitted
 */
public record MessageInfo(long id, long folderId, long version, boolean associated, Instant created,
                          Instant modified, int size, QueueState queue) {
    /** @return whether the message is in the outgoing queue */
    public boolean submitted() {
        return queue != null;
    }
}
