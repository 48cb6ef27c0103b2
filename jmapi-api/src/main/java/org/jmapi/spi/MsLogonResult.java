package org.jmapi.spi;

import org.jmapi.HResult;
import org.jmapi.client.MsgStore;

/**
 * What {@link MsProvider#logon} returns. Immutable.
 *
 * @param logon         the new logon, or null on a re-open (R-MS-3); the runtime owns this reference
 * @param store         the store; its reference goes to the client
 * @param spoolSecurity pointer-free bytes letting the spooler reopen the store without UI (R-MS-5); empty if the
 *                      profile suffices, and empty on a re-open
 * @param hresult       S_OK, or MAPI_W_ERRORS_RETURNED (still a success, R-LOGON-4)
 */
public record MsLogonResult(MsLogon logon, MsgStore store, byte[] spoolSecurity, int hresult) {
    /**
     * Copies the blob.
     *
     * @param logon         the new logon, or null on a re-open (R-MS-3); the runtime owns this reference
     * @param store         the store; its reference goes to the client (R-REF-1)
     * @param spoolSecurity the spool-security blob (R-MS-5); null is taken as empty
     * @param hresult       S_OK or MAPI_W_ERRORS_RETURNED (R-LOGON-4)
     */
    public MsLogonResult {
        spoolSecurity = spoolSecurity == null ? new byte[0] : spoolSecurity.clone();
    }

    /**
     * @param logon the new logon
     * @param store its store
     * @return a first-open result with no spool data and S_OK
     */
    public static MsLogonResult opened(MsLogon logon, MsgStore store) {
        return new MsLogonResult(logon, store, new byte[0], HResult.S_OK);
    }

    /**
     * @param store the store already open, AddRef'ed for the caller
     * @return a re-open result: no logon (R-MS-3)
     */
    public static MsLogonResult reopened(MsgStore store) {
        return new MsLogonResult(null, store, new byte[0], HResult.S_OK);
    }

    /** @return a copy of the spool security data */
    @Override
    public byte[] spoolSecurity() {
        return spoolSecurity.clone();
    }
}
