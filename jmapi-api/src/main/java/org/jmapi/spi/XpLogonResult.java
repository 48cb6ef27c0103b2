package org.jmapi.spi;

/**
 * What {@link XpProvider#transportLogon} returns. Immutable.
 *
 * @param logon the new logon; the spooler owns this reference
 * @param flags LOGON_SP_IDLE, LOGON_SP_POLL, LOGON_SP_RESOLVE (R-XP-2)
 */
public record XpLogonResult(XpLogon logon, int flags) {}
