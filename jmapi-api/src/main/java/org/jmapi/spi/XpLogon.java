package org.jmapi.spi;

import org.jmapi.MapiObject;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.Message;

/**
 * IXPLogon: a transport logon, driven by the spooler.
 *
 * <p><b>Ownership:</b> the spooler owns it; it is released after {@link #transportLogoff} (R-LOFF-4).
 * <b>Threads:</b> the spooler calls it from its own threads, and {@link #transportNotify} may arrive on another
 * thread while a send or receive is in progress (R-TN-1): implementations synchronise their state.
 */
public interface XpLogon extends MapiObject {

    /**
     * IXPLogon::AddressTypes: called right after TransportLogon (R-XP-3).
     *
     * @param flags 0 or MAPI_UNICODE
     * @return the registration
     */
    AddressTypes addressTypes(int flags);

    /**
     * IXPLogon::TransportNotify (R-TN-1): BEGIN/END of inbound, outbound and flushes, cancel and abort-deferred.
     * Updates the transport's status row before returning.
     *
     * @param flags NOTIFY_* bits
     * @param data  the 32-bit message reference for NOTIFY_CANCEL_MESSAGE, the entry id for NOTIFY_ABORT_DEFERRED,
     *              else null
     * @return the flags, unchanged
     */
    int transportNotify(int flags, Object data);

    /**
     * IXPLogon::ValidateState (R-VS-1).
     *
     * @param uiParam parent window handle
     * @param flags   ValidateState flags
     */
    void validateState(long uiParam, int flags);

    /**
     * IXPLogon::FlushQueues (R-FLUSH-2): connect if needed, report deferred messages, set the FLUSH status bits.
     *
     * @param uiParam parent window handle
     * @param flags   FLUSH_UPLOAD, FLUSH_DOWNLOAD, FLUSH_FORCE, FLUSH_NO_UI
     */
    void flushQueues(long uiParam, int flags);

    /**
     * IXPLogon::SubmitMessage (R-XPS-2, R-XPS-3): the spooler hands the transport one outbound message. The
     * transport stores its own reference in {@code ref} before touching message data, sends to the recipients it
     * handles whose PR_RESPONSIBILITY is FALSE, sets PR_RESPONSIBILITY = TRUE on those it dealt with, reports failed
     * recipients with {@link MapiSupport#statusRecips}, and never transmits MAPI_P1 recipients. On success the
     * spooler's next call for this message is {@link #endMessage}. Called only between NOTIFY_BEGIN_OUTBOUND and
     * NOTIFY_END_OUTBOUND (R-XP-5).
     *
     * <p><b>Ownership:</b> {@code message} belongs to the spooler; it is read/write and valid until the following
     * EndMessage returns; the transport must not release it. A cancel (NOTIFY_CANCEL_MESSAGE with this ref) or a
     * TransportLogoff may arrive on another thread during the call: the transport then returns as soon as it can
     * with MAPI_E_USER_CANCEL, and the message stays queued (R-MAIL-2).
     *
     * @param flags   0 or BEGIN_DEFERRED (a deferred message resubmitted under its original entry id)
     * @param message the message, locked in its store by the spooler
     * @param ref     pre-set to 0; the transport sets its reference, and the retry delay for MAPI_E_WAIT /
     *                MAPI_E_NETWORK_ERROR
     * @throws org.jmapi.MapiException MAPI_E_BUSY (nothing happened, no EndMessage, try later); MAPI_E_NOT_ME
     *                                 (nothing happened, try another transport); MAPI_E_WAIT or MAPI_E_NETWORK_ERROR
     *                                 (retry after {@link MessageRef#retryAfterSeconds()}); MAPI_E_CANCEL (do not
     *                                 resend); MAPI_E_USER_CANCEL (cancelled); the spooler releases the message
     *                                 without saving it on any error
     */
    void submitMessage(int flags, Message message, MessageRef ref);

    /**
     * IXPLogon::EndMessage (R-XPS-4): the end of one SubmitMessage that returned S_OK. The transport must have
     * released every object it opened for the message; afterwards {@code ref} is free and the message object is
     * invalid for the transport.
     *
     * @param ref the value the transport stored in SubmitMessage
     * @return 0 = sent; END_RESEND_NOW = submit it again now; END_RESEND_LATER = not sent for non-error reasons,
     *         try later; END_DONT_RESEND = the transport keeps it (deferred) and will report it with
     *         SpoolerNotify(NOTIFY_SENTDEFERRED)
     */
    int endMessage(int ref);

    /**
     * IXPLogon::StartMessage (R-RCV-2): the transport writes one inbound message into {@code message} and commits
     * it with SaveChanges. Returning without SaveChanges means "no message": nothing is stored. An error discards
     * the partial message; the transport keeps the message at its source and delivers it again later (R-MAIL-3).
     * Called only between NOTIFY_BEGIN_INBOUND and NOTIFY_END_INBOUND (R-XP-5).
     *
     * <p><b>Ownership:</b> {@code message} is a new message the spooler created in the receiving store's receive
     * folder; the spooler releases it after the call. The transport never sets PR_ENTRYID, writes only
     * transmittable properties and complete addressing, and releases what it opened before returning. The
     * source copy (a POP3 message, an IMAP message, a maildrop file) may be removed only after SaveChanges
     * returned (at-least-once delivery).
     *
     * @param flags   0
     * @param message the new message to fill and save
     * @param ref     pre-set to 1; the transport stores its reference first (for NOTIFY_CANCEL_MESSAGE)
     * @throws org.jmapi.MapiException MAPI_E_USER_CANCEL when cancelled; any error leaves nothing in the store
     */
    void startMessage(int flags, Message message, MessageRef ref);

    /**
     * IXPLogon::Poll (R-XP-2, R-RCV-1): called only for LOGON_SP_POLL transports, only between BEGIN_INBOUND and
     * END_INBOUND.
     *
     * @return the number of inbound messages waiting, 0 when none
     */
    int poll();

    /**
     * IXPLogon::Idle: called only for LOGON_SP_IDLE transports, only in real idle time.
     *
     * @param flags 0
     */
    void idle(int flags);

    /**
     * IXPLogon::OpenStatusEntry: the transport's status object (R-ST-6).
     *
     * @param flags 0 or MAPI_MODIFY
     * @return the status object, one reference owned by the caller
     */
    MapiStatus openStatusEntry(int flags);

    /**
     * IXPLogon::TransportLogoff (R-LOFF-3): accepted at any moment, abandoning a send in progress; frees session
     * resources, invalidates the logon's objects and releases the support object last. Whatever it returns, the
     * transport is logged off.
     *
     * @param flags 0, LOGOFF_NORMAL or LOGOFF_HURRY (spec C-24)
     */
    void transportLogoff(int flags);
}
