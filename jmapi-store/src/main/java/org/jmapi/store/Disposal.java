package org.jmapi.store;

/**
 * What {@link Storage#finishMessage} does with a sent message once it leaves the outgoing queue
 * (IMsgStore::FinishedMsg and IMAPISupport::DoSentMail, R-OQ-5): neither PR_SENTMAIL_ENTRYID nor
 * PR_DELETE_AFTER_SUBMIT → it stays where it is; PR_SENTMAIL_ENTRYID → moved to that folder;
 * PR_DELETE_AFTER_SUBMIT → deleted (with or without a move first, which leaves nothing to see). Immutable.
 *
 * @param moveToFolderId the folder to move the message to, or 0 to leave it where it is
 * @param delete         whether to delete the message
 */
public record Disposal(long moveToFolderId, boolean delete) {
    /** Leave the message in its folder. */
    public static final Disposal KEEP = new Disposal(0, false);
    /** Delete the message. */
    public static final Disposal DELETE = new Disposal(0, true);

    /**
     * @param folderId the sent-mail folder
     * @return move the message there
     */
    public static Disposal moveTo(long folderId) {
        return new Disposal(folderId, false);
    }
}
