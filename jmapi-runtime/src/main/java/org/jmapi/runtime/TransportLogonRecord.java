package org.jmapi.runtime;

import org.jmapi.MapiObject;
import org.jmapi.spi.AddressTypes;
import org.jmapi.spi.ConcurrentSubmissions;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.XpLogon;

/**
 * A transport logon made by the spooler (R-XP-1), with what the spooler knows of it: its LOGON_SP_* flags, its
 * address types (valid until TransportLogoff, R-XP-3), whether traffic is enabled, flushing, inside a critical
 * section, or failed (R-TN-2).
 */
final class TransportLogonRecord extends LogonRecord {
    volatile int logonFlags;
    volatile AddressTypes addressTypes;
    volatile boolean inboundEnabled;
    volatile boolean outboundEnabled;
    volatile boolean flushing;
    volatile boolean criticalSection;
    volatile boolean criticalError;
    volatile boolean newMailSignalled;
    private boolean cancelRequested;
    /** SubmitMessage … EndMessage pairs in flight now; guarded by {@code submissions}. */
    private int submitting;
    private final Object submissions = new Object();
    /** Held while the spooler receives from this transport (one StartMessage at a time). */
    final java.util.concurrent.locks.ReentrantLock receiving = new java.util.concurrent.locks.ReentrantLock();

    TransportLogonRecord(RealSession session, ProviderSlot slot, String label) {
        super(session, slot, label, MapiSupport.Kind.TRANSPORT);
    }

    XpLogon logon() {
        return (XpLogon) logonObject();
    }

    @Override
    String logonInterface() {
        return "IXPLogon";
    }

    @Override
    String logoffName() {
        return "IXPLogon::TransportLogoff";
    }

    @Override
    void callLogoff(MapiObject logon) {
        ((XpLogon) logon).transportLogoff(0);
    }

    @Override
    void beforeChain(boolean forced) {
        session.spooler.endTraffic(this);
        addressTypes = null; // R-LOFF-3: the spooler discards the registration before TransportLogoff
    }

    @Override
    void afterChain() {
        session.spooler.transportEnded(this);
    }

    /**
     * @return how many messages the transport takes at once: what its logon says when it is
     *         {@link ConcurrentSubmissions} (at least 1, at most {@code limit}), else 1
     */
    int concurrentSubmissions(int limit) {
        return logonObject() instanceof ConcurrentSubmissions c ? Math.max(1, Math.min(limit,
                c.concurrentSubmissions())) : 1;
    }

    /**
     * Before a SubmitMessage: waits until the transport takes one more message ({@link #concurrentSubmissions}),
     * which without the capability means until no other message is in flight on it; pair with
     * {@link #endSubmission} after the EndMessage (or the failed SubmitMessage).
     *
     * @param limit the spooler's cap on messages in flight per transport
     * @return false, without waiting on, when the logon ended or the spooler is stopping meanwhile
     */
    boolean beginSubmission(int limit) {
        synchronized (submissions) {
            while (submitting >= concurrentSubmissions(limit)) {
                if (!isActive() || session.spooler.stopping()) {
                    return false;
                }
                try {
                    submissions.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            submitting++;
            return true;
        }
    }

    /** A message's SubmitMessage … EndMessage is over: another may begin. */
    void endSubmission() {
        synchronized (submissions) {
            submitting--;
            submissions.notifyAll();
        }
    }

    /** Asks the transport (through SpoolerYield) to stop the message it is delivering (R-TN-3). */
    synchronized void requestCancel() {
        cancelRequested = true;
    }

    /** @return whether a cancel was pending; clears it */
    synchronized boolean takeCancel() {
        boolean c = cancelRequested;
        cancelRequested = false;
        return c;
    }
}
