package org.jmapi.runtime;

import org.jmapi.BaseMapiObject;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.spi.ObjectRegistry;

/**
 * MAPI's record of one provider logon and the release chain that ends it (R-SR-1, R-LOFF-1..5): MAPIUIDs
 * unregistered, status rows removed, subscriptions dropped, the logon's Logoff called, the logon released, the
 * provider object shut down after its last logon.
 *
 * <p>The chain starts either when the logon's support object is finally released (the provider let go: P1, P2,
 * or a provider that never AddRef'ed it, R-LOGON-1) or when MAPI forces it (session logoff, P3). Each step runs
 * exactly once; a support release that happens inside the Logoff (as R-LOFF-1 asks) only lets the chain continue
 * after Logoff returned, so the trace always reads Logoff → Release.
 */
abstract class LogonRecord {
    final RealSession session;
    final ProviderSlot slot;
    final String label;
    final SupportObject support;
    /** Objects MAPI handed to the provider (profile sections) that die with the logon. */
    final ObjectRegistry mapiObjects = new ObjectRegistry();
    private MapiObject logon;
    private boolean active;
    private boolean chainStarted;
    private boolean logoffRunning;
    private boolean ended;

    LogonRecord(RealSession session, ProviderSlot slot, String label, org.jmapi.spi.MapiSupport.Kind kind) {
        this.session = session;
        this.slot = slot;
        this.label = label;
        this.support = new SupportObject(kind, this);
    }

    /** The provider returned a logon object: from now on the record is live and owns that reference. */
    synchronized void activate(MapiObject logonObject) {
        this.logon = logonObject;
        this.active = true;
        slot.logonStarted();
    }

    synchronized boolean isActive() {
        return active && !ended;
    }

    synchronized boolean hasEnded() {
        return ended;
    }

    synchronized MapiObject logonObject() {
        return logon;
    }

    /** MAPI's interface name for the logon, e.g. {@code IMSLogon}. */
    abstract String logonInterface();

    /** Calls the provider's logoff method (IMSLogon::Logoff, IXPLogon::TransportLogoff, IABLogon::Logoff). */
    abstract void callLogoff(MapiObject logonObject);

    /** Work before the common chain (a transport's END_* notifications; the spooler's release of a store). */
    void beforeChain(boolean forced) {
    }

    /** Work after the logon was released. */
    void afterChain() {
    }

    /** The support object's count reached zero (R-SR-1, R-LOFF-4). */
    final void supportReleased() {
        synchronized (this) {
            if (logoffRunning) {
                return; // the chain that called Logoff releases the logon once Logoff returned
            }
            if (!active) {
                // A re-open (R-MS-3) or a failed logon: nothing to end, only what it may have registered.
                ended = true;
            }
        }
        if (hasEnded()) {
            session.uids.unregister(this);
            session.statusTable.removeRows(this);
            session.subscriptions.dropOwner(support);
            mapiObjects.invalidateAll();
            return;
        }
        runChain(false);
    }

    /** Ends the logon now (session logoff, R-SESOFF-2). Safe to call on an ended record. */
    final void force() {
        runChain(true);
    }

    private void runChain(boolean forced) {
        MapiObject l;
        synchronized (this) {
            if (chainStarted || !active) {
                return;
            }
            chainStarted = true;
            l = logon;
        }
        beforeChain(forced);
        session.trace("MAPI::UnregisterUIDs", label, 0);
        session.traceReturn("MAPI::UnregisterUIDs", label, session.uids.unregister(this), HResult.S_OK);
        session.trace("MAPI::RemoveStatusRows", label, 0);
        session.traceReturn("MAPI::RemoveStatusRows", label, session.statusTable.removeRows(this), HResult.S_OK);
        session.subscriptions.dropOwner(support);
        synchronized (this) {
            logoffRunning = true;
        }
        String logoff = logoffName();
        session.trace(logoff, label, 0);
        int hr = HResult.S_OK;
        try {
            callLogoff(l);
        } catch (MapiException e) {
            hr = e.hresult(); // R-LOFF-3: a transport that answers badly is still logged off
        } catch (RuntimeException e) {
            hr = HResult.MAPI_E_CALL_FAILED;
        } finally {
            synchronized (this) {
                logoffRunning = false;
            }
        }
        session.traceReturn(logoff, label, 0, hr);
        mapiObjects.invalidateAll();
        if (!support.isDestroyed()) {
            // The provider kept its support reference past its logoff: MAPI takes it back.
            support.invalidate();
        }
        session.trace(logonInterface() + "::Release", label, 0);
        l.release();
        synchronized (this) {
            ended = true;
        }
        session.forget(this);
        // The Release's return is traced under the slot's lock, with the count, so that the trace orders two
        // logons' ends as the count does: Shutdown follows the last one, on that thread (R-SR-1).
        slot.logonEnded(() -> session.traceReturn(logonInterface() + "::Release", label, 0, HResult.S_OK));
        afterChain();
    }

    String logoffName() {
        return logonInterface() + "::Logoff";
    }

    /** Registers an object MAPI handed to the provider (a profile section) so that it dies with the logon. */
    <T extends BaseMapiObject> T track(T object) {
        return mapiObjects.register(object);
    }
}
