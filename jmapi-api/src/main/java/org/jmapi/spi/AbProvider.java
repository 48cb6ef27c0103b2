package org.jmapi.spi;

/**
 * IABProvider: an address-book provider object (R-AB-1..3).
 *
 * <p><b>Ownership:</b> the runtime owns it; {@link #shutdown} comes only after every logon was released (R-AB-3).
 * <b>Threads:</b> any.
 */
public interface AbProvider extends ServiceProvider {

    /**
     * IABProvider::Logon: may be called several times per session, one logon object per call (R-AB-1). The
     * provider AddRefs {@code support} (R-LOGON-1) and registers its UID with {@link MapiSupport#setProviderUid}
     * (R-AB-2).
     *
     * @param support     the logon's support object
     * @param uiParam     parent window handle
     * @param profileName the profile
     * @param flags       AB_NO_DIALOG, MAPI_DEFERRED_ERRORS
     * @return the logon; the runtime owns the reference
     */
    AbLogon logon(MapiSupport support, long uiParam, String profileName, int flags);
}
