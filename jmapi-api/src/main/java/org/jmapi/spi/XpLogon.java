package org.jmapi.spi;

import org.jmapi.MapiObject;
import org.jmapi.client.MapiStatus;

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
