package org.jmapi.spi;

/**
 * IXPProvider: a transport provider object, created once per transport of the profile per session; every logon of
 * that transport in the session goes through it (R-LOAD-3).
 *
 * <p><b>Ownership:</b> the runtime (its spooler) owns it. <b>Threads:</b> called from the spooler's threads.
 */
public interface XpProvider extends ServiceProvider {

    /**
     * IXPProvider::TransportLogon (R-XP-1..2). The spooler logs transports on after the client's logon returned,
     * normally with LOGON_NO_INBOUND | LOGON_NO_OUTBOUND, and enables traffic later with TransportNotify. The
     * provider AddRefs {@code support} and keeps it (R-LOGON-1).
     *
     * @param support     the logon's support object
     * @param uiParam     parent window handle
     * @param profileName the profile
     * @param flags       LOGON_NO_DIALOG, LOGON_NO_CONNECT, LOGON_NO_INBOUND, LOGON_NO_OUTBOUND
     * @return the logon and LOGON_SP_IDLE / LOGON_SP_POLL / LOGON_SP_RESOLVE
     * @throws org.jmapi.MapiException MAPI_E_UNCONFIGURED, MAPI_E_FAILONEPROVIDER, MAPI_E_LOGON_FAILED, ...
     */
    XpLogonResult transportLogon(MapiSupport support, long uiParam, String profileName, int flags);
}
