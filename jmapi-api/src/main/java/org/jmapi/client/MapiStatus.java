package org.jmapi.client;

import org.jmapi.EntryId;
import org.jmapi.prop.MapiProp;

/**
 * IMAPIStatus: the status object behind one row of the session's status table (spec &sect;8).
 *
 * <p>{@code PR_RESOURCE_METHODS} advertises which of the methods below work; the others throw MAPI_E_NO_SUPPORT
 * (R-ST-7). Every status object supports {@link #validateState}. The MAPI subsystem's and address book's status
 * objects support only that; the spooler's also {@link #flushQueues} (R-ST-7).
 *
 * <p><b>Ownership.</b> The caller owns the reference it received from {@code openEntry}/{@code openStatusEntry}
 * (R-REF-1). <b>After logoff</b> of the provider that owns it: MAPI_E_INVALID_OBJECT (R-INV-2). <b>Threads:</b> any.
 */
public interface MapiStatus extends MapiProp {
    /**
     * IMAPIStatus::ValidateState (R-VS-1).
     *
     * @param uiParam parent window handle, unused by jmapi (no UI)
     * @param flags   SUPPRESS_UI, CONFIG_CHANGED, FORCE_XP_CONNECT, ... (spec &sect;1.2)
     * @throws org.jmapi.MapiException MAPI_E_UNKNOWN_FLAGS for undocumented bits; MAPI_E_BUSY while another
     *                                 operation or a transport critical section runs
     */
    void validateState(long uiParam, int flags);

    /**
     * IMAPIStatus::SettingsDialog.
     *
     * @param uiParam parent window handle
     * @param flags   UI_READONLY or 0
     * @throws org.jmapi.MapiException MAPI_E_NO_SUPPORT unless STATUS_SETTINGS_DIALOG is advertised
     */
    void settingsDialog(long uiParam, int flags);

    /**
     * IMAPIStatus::ChangePassword.
     *
     * @param oldPassword the current password
     * @param newPassword the new one
     * @param flags       0
     * @throws org.jmapi.MapiException MAPI_E_NO_SUPPORT unless STATUS_CHANGE_PASSWORD is advertised
     */
    void changePassword(String oldPassword, String newPassword, int flags);

    /**
     * IMAPIStatus::FlushQueues (R-FLUSH-1): FLUSH_UPLOAD = outbound, FLUSH_DOWNLOAD = inbound (spec C-14).
     *
     * @param uiParam  parent window handle
     * @param target   the transport to flush (spooler status object only), or null for all
     * @param flags    FLUSH_UPLOAD, FLUSH_DOWNLOAD, FLUSH_FORCE, FLUSH_NO_UI, FLUSH_ASYNC_OK (spooler only)
     * @throws org.jmapi.MapiException MAPI_E_NO_SUPPORT unless STATUS_FLUSH_QUEUES is advertised
     */
    void flushQueues(long uiParam, EntryId target, int flags);
}
