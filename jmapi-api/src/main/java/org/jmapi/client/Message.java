package org.jmapi.client;

import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;

import java.util.List;

/**
 * IMessage: a transacted message; nothing reaches the store before {@link #saveChanges(int)} (R-PROP-5).
 *
 * <p><b>Ownership:</b> the caller owns the references this interface returns (R-REF-1). <b>After submit:</b> a
 * successful {@link #submitMessage} makes the message and its subobjects invalid except for release (R-SUB-1).
 * <b>After logoff</b> of the store's logon: MAPI_E_INVALID_OBJECT (R-INV-2). <b>Threads:</b> any.
 */
public interface Message extends MapiProp {
    /** FORCE_SUBMIT = 0x1, accepted by {@link #submitMessage} and unused. */
    int FORCE_SUBMIT = 0x1;

    /**
     * IMessage::GetRecipientTable.
     *
     * @param flags 0 or MAPI_UNICODE
     * @return the recipients, each row with PR_ROWID
     */
    MapiTable getRecipientTable(int flags);

    /**
     * IMessage::ModifyRecipients (R-FM-3).
     *
     * @param flags      0 (replace all), MODRECIP_ADD, MODRECIP_MODIFY, MODRECIP_REMOVE
     * @param recipients one property list per recipient; never kept by the callee
     */
    void modifyRecipients(int flags, List<List<PropValue>> recipients);

    /**
     * IMessage::GetAttachmentTable.
     *
     * @param flags 0 or MAPI_UNICODE
     * @return the attachments, each row with PR_ATTACH_NUM
     */
    MapiTable getAttachmentTable(int flags);

    /**
     * IMessage::CreateAttach (R-FM-4).
     *
     * @param flags 0
     * @return the new attachment; PR_ATTACH_NUM is unique within this message
     */
    Attach createAttach(int flags);

    /**
     * IMessage::OpenAttach (R-FM-4).
     *
     * @param attachNum PR_ATTACH_NUM
     * @param flags     0 (read-only) or MAPI_MODIFY
     * @return the attachment
     */
    Attach openAttach(int attachNum, int flags);

    /**
     * IMessage::DeleteAttach (R-FM-4): permanent with the message's next SaveChanges.
     *
     * @param attachNum PR_ATTACH_NUM
     * @param flags     0
     */
    void deleteAttach(int attachNum, int flags);

    /**
     * IMessage::SubmitMessage (R-SUB-1, R-SUB-2).
     *
     * @param flags 0 or FORCE_SUBMIT
     * @throws org.jmapi.MapiException MAPI_E_NO_RECIPIENTS (the message stays valid)
     */
    void submitMessage(int flags);

    /**
     * IMessage::SetReadFlag.
     *
     * @param flags 0 (mark read), CLEAR_READ_FLAG (0x4), SUPPRESS_RECEIPT (0x1)
     */
    void setReadFlag(int flags);
}
