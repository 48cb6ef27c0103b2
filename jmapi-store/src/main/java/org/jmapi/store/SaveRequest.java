package org.jmapi.store;

import org.jmapi.HResult;
import org.jmapi.MapiException;

import java.time.Instant;
import java.util.Objects;

/**
 * One call of {@link Storage#saveMessage}: a whole message image to insert (a new message) or to put in place of
 * the stored one (IMessage::SaveChanges, R-PROP-5). Immutable; build with {@link #create} or {@link #update} and the
 * {@code with*} methods.
 *
 * @param messageId       0 for a new message, else the message to replace
 * @param folderId        the folder of a new message; ignored for an existing one (it stays where it is, even if
 *                        it moved since it was read)
 * @param expectedVersion for an existing message, the {@link MessageInfo#version()} the caller read
 * @param force           FORCE_SAVE: replace even when the version changed (never when the message was deleted)
 * @param associated      for a new message, whether it is associated (FAI); ignored for an existing one
 * @param image           the message image
 * @param submitTime      when not null, the message is also put in the outgoing queue with this submit time, in
 *                        the same transaction (IMessage::SubmitMessage right after SaveChanges, R-SUB-2)
 * @param submitFlags     SUBMITFLAG_* bits for the queue entry (SUBMITFLAG_PREPROCESS), used with
 *                        {@code submitTime}
 */
public record SaveRequest(long messageId, long folderId, long expectedVersion, boolean force, boolean associated,
                          MessageImage image, Instant submitTime, int submitFlags) {
    /**
     * @param messageId 0 for a new message, else the message to replace
     * @param folderId the folder of a new message
     * @param expectedVersion for an existing message, the {@link MessageInfo#version()} the caller read
     * @param force FORCE_SAVE: replace even when the version changed (never when the message was deleted)
     * @param associated for a new message, whether it is associated (FAI)
     * @param image the message image
     * @param submitTime when not null, the message is also put in the outgoing queue with this submit time, in the same
     *     transaction (IMessage::SubmitMessage right after SaveChanges, R-SUB-2)
     * @param submitFlags SUBMITFLAG_* bits for the queue entry (SUBMITFLAG_PREPROCESS), used with {@code submitTime}
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a negative id or a missing image
     */
    public SaveRequest {
        if (messageId < 0 || folderId < 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "negative message or folder id");
        }
        if (image == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "a save needs a message image");
        }
    }

    /**
     * @param folderId the folder
     * @param image    the image
     * @return a request creating a new, ordinary message in {@code folderId}
     */
    public static SaveRequest create(long folderId, MessageImage image) {
        return new SaveRequest(0, folderId, 0, false, false, image, null, 0);
    }

    /**
     * @param messageId       the message
     * @param expectedVersion the version read
     * @param image           the new image
     * @return a request replacing the message's image if its version is still {@code expectedVersion}
     */
    public static SaveRequest update(long messageId, long expectedVersion, MessageImage image) {
        return new SaveRequest(messageId, 0, expectedVersion, false, false, image, null, 0);
    }

    /** @return a copy with FORCE_SAVE set */
    public SaveRequest withForce() {
        return new SaveRequest(messageId, folderId, expectedVersion, true, associated, image, submitTime, submitFlags);
    }

    /**
     * @param fai whether the new message is associated (FAI)
     * @return a copy
     */
    public SaveRequest withAssociated(boolean fai) {
        return new SaveRequest(messageId, folderId, expectedVersion, force, fai, image, submitTime, submitFlags);
    }

    /**
     * @param time  the submit time
     * @param flags SUBMITFLAG_* bits
     * @return a copy that also queues the message
     */
    public SaveRequest withSubmit(Instant time, int flags) {
        return new SaveRequest(messageId, folderId, expectedVersion, force, associated, image,
                Objects.requireNonNull(time), flags);
    }

    /** @return whether this request creates a new message */
    public boolean isNew() {
        return messageId == 0;
    }
}
