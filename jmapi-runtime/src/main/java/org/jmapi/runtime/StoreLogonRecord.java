package org.jmapi.runtime;

import org.jmapi.MapiObject;
import org.jmapi.client.MsgStore;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MsLogon;

/**
 * A store logon: a client's (from OpenMsgStore) or the spooler's (from SpoolerLogon, R-MS-7). The client kind is
 * the one StoreLogoffTransports is called for exactly once (R-SL-3).
 */
final class StoreLogonRecord extends LogonRecord {
    final boolean spooler;
    final int openFlags;
    private MsgStore store;
    private byte[] spoolSecurity = new byte[0];

    StoreLogonRecord(RealSession session, ProviderSlot slot, String label, boolean spooler, int openFlags) {
        super(session, slot, label, MapiSupport.Kind.STORE);
        this.spooler = spooler;
        this.openFlags = openFlags;
    }

    synchronized void opened(MsLogon logon, MsgStore store, byte[] spoolSecurity) {
        this.store = store;
        this.spoolSecurity = spoolSecurity;
        activate(logon);
    }

    /** @return the store object; no reference is held by MAPI (the client's release must reach zero) */
    synchronized MsgStore store() {
        return store;
    }

    synchronized byte[] spoolSecurity() {
        return spoolSecurity.clone();
    }

    @Override
    String logonInterface() {
        return "IMSLogon";
    }

    @Override
    void callLogoff(MapiObject logon) {
        ((MsLogon) logon).logoff(0);
    }

    /** IMAPISupport::ModifyProfile without MDB_TEMPORARY: the store is listed (R-MS-6). */
    void makePermanent() {
        session.listStore(slot.record);
    }

    @Override
    void afterChain() {
        if (spooler) {
            session.spooler.spoolerLogonEnded(this);
        } else {
            session.clientStoreEnded(this);
        }
    }
}
