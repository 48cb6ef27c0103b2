package org.jmapi.runtime;

import org.jmapi.MapiObject;
import org.jmapi.spi.AbLogon;
import org.jmapi.spi.MapiSupport;

/** An address-book logon, made at OpenAddressBook (R-AB-1) and ended with the session (R-SESOFF-2). */
final class AbLogonRecord extends LogonRecord {

    AbLogonRecord(RealSession session, ProviderSlot slot, String label) {
        super(session, slot, label, MapiSupport.Kind.ADDRESS_BOOK);
    }

    AbLogon logon() {
        return (AbLogon) logonObject();
    }

    @Override
    String logonInterface() {
        return "IABLogon";
    }

    @Override
    void callLogoff(MapiObject logon) {
        ((AbLogon) logon).logoff(0);
    }
}
