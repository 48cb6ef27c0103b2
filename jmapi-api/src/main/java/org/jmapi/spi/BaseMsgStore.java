package org.jmapi.spi;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.Notification;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.table.MapiTable;

/**
 * The store side of the shutdown protocol, written once (ARCHITECTURE.md &sect;3): a store provider extends this
 * class and is correct by construction for R-SL-1..9, R-SR-2, R-LOFF-1, R-LOFF-5 and R-OQ-6.
 *
 * <p>One instance is the {@link MsgStore} of one logon, and {@link #logon()} is its {@link MsLogon}; they are
 * created together and die together (R-MS-1). What the class does:
 * <ul>
 *   <li>AddRefs the support object at construction and keeps it until the logon's logoff (R-LOGON-1), releasing
 *       it last (R-LOFF-1).</li>
 *   <li>{@link #storeLogoff} validates the flag (R-SL-1), passes it unchanged to
 *       {@link MapiSupport#storeLogoffTransports} (R-SL-2), returns its output bits (R-SL-5), sets the per-logon
 *       "SLT called" marker, and on LOGOFF_COMPLETE invalidates the store object (R-SL-6); without COMPLETE the
 *       store stays usable and a retry calls SLT again (R-SL-7).</li>
 *   <li>The store's final release calls SLT(LOGOFF_ABORT) iff the marker is unset, then releases the support
 *       object, which starts MAPI's release chain (R-SL-4, R-SL-9, R-SR-1).</li>
 *   <li>{@link MsLogon#logoff} (forced, from MAPI) calls SLT(LOGOFF_ABORT) first if nobody did (R-SL-3), closes
 *       the {@link LogonGate} so no call half-runs, invalidates every registered object, the status object and the
 *       store (R-SR-2, R-INV-2), runs {@link #onLogoff()}, and releases the support object last.</li>
 *   <li>A spooler logon (R-MS-7) never calls SLT (R-SL-3); the spooler-only methods refuse client logons with
 *       MAPI_E_NO_SUPPORT (R-OQ-6).</li>
 * </ul>
 *
 * <p><b>Subclasses</b> start every public method with {@code try (var pass = enter()) {...}}, {@link #register}
 * every object they hand out (and {@link #unregister} it at its final release), and implement the {@code do*}
 * hooks. <b>Threads:</b> safe from any thread; hooks run inside the logon gate.
 */
public abstract class BaseMsgStore extends BaseMapiObject implements MsgStore {
    /**
     * PROP_TAG(PT_LONG, 0x67F0), jmapi's own store property: the transport activity the store has recorded from
     * <em>every</em> process and host that has it open, as the bits of R-SLT-4 (LOGOFF_INBOUND: a spooler is writing
     * a received message into the store; LOGOFF_OUTBOUND: a spooler holds a queued message locked; LOGOFF_OUTBOUND_QUEUE:
     * a queued message no spooler holds). The spooler ORs it into what {@code IMAPISupport::StoreLogoffTransports}
     * reports, so a client on one host sees the spooler of another host that shares the store (spec &sect;11.3,
     * ARCHITECTURE.md &sect;5).
     *
     * <p>Computed at each GetProps and read-only. Provider-private (0x6600..0x67FF): returned only when asked for by
     * tag. A store that does not record activity answers it with PT_ERROR (MAPI_E_NOT_FOUND); the spooler then knows
     * only its own process's activity. After the store's logoff the property is gone with the store object
     * (MAPI_E_INVALID_OBJECT); any thread may read it.
     */
    public static final int PR_TRANSPORT_ACTIVITY = 0x67F00003;

    /** This logon's support object; one reference held while {@link #supportHeld} (R-LOGON-1). */
    private final MapiSupport support;
    /** Whether SpoolerLogon created this store (R-MS-7). */
    private final boolean spooler;
    /** The objects handed out through this logon, invalidated at logoff (R-SR-2). */
    private final ObjectRegistry objects = new ObjectRegistry();
    /** Where calls in flight and the logoff meet. */
    private final LogonGate gate = new LogonGate();
    /** The IMSLogon half of the pair (R-MS-1). */
    private final StoreLogon logon = new StoreLogon();
    /** Guards the mutable fields below. */
    private final Object lock = new Object();
    /** The per-logon "SLT called" marker (R-SL-4); guarded by {@link #lock}. */
    private boolean sltCalled;
    /** Whether the support reference is still held; guarded by {@link #lock}. */
    private boolean supportHeld;
    /** Whether the logoff ran; guarded by {@link #lock}. */
    private boolean loggedOff;
    /** The status object, one reference held until logoff (R-REF-5), or null; guarded by {@link #lock}. */
    private MapiStatus status;

    /**
     * Creates the store and its logon; AddRefs {@code support} (R-LOGON-1).
     *
     * @param support the support object MAPI passed to Logon or SpoolerLogon
     * @param spooler true when created by SpoolerLogon (R-MS-7)
     */
    protected BaseMsgStore(MapiSupport support, boolean spooler) {
        this.support = support;
        this.spooler = spooler;
        support.addRef();
        this.supportHeld = true;
    }

    /** @return the logon created with this store; its one reference belongs to whoever receives the logon result */
    public final MsLogon logon() {
        return logon;
    }

    /** @return the support object of this logon (R-MS-2); not AddRef'ed */
    protected final MapiSupport support() {
        return support;
    }

    /** @return whether this is the spooler's store object (R-MS-7) */
    public final boolean isSpoolerLogon() {
        return spooler;
    }

    /** @return whether StoreLogoffTransports was already called for this logon (the R-SL-4 marker) */
    public final boolean storeLogoffTransportsCalled() {
        synchronized (lock) {
            return sltCalled;
        }
    }

    /** @return the objects open under this logon */
    protected final ObjectRegistry objects() {
        return objects;
    }

    /** @return this logon's gate */
    protected final LogonGate gate() {
        return gate;
    }

    /**
     * Enters a store method: checks the store object and the logon gate.
     *
     * @return the pass to close when the method ends
     * @throws MapiException MAPI_E_INVALID_OBJECT after logoff
     */
    protected final LogonGate.Pass enter() {
        checkValid();
        return gate.enter();
    }

    /**
     * @param object an object handed out through this logon
     * @param <T>    its type
     * @return the object
     */
    protected final <T extends BaseMapiObject> T register(T object) {
        return objects.register(object);
    }

    /** @param object an object whose count reached zero */
    protected final void unregister(BaseMapiObject object) {
        objects.unregister(object);
    }

    @Override
    public final int storeLogoff(int flags) {
        Tracer t = support.tracer();
        t.call("IMsgStore::StoreLogoff", flags);
        int out;
        try {
            checkValid();
            Flags.checkLogoffInput(flags);
            if (spooler) {
                out = Flags.LOGOFF_COMPLETE;
            } else {
                out = support.storeLogoffTransports(flags) & (Flags.LOGOFF_COMPLETE | Flags.LOGOFF_ACTIVITY_MASK);
                synchronized (lock) {
                    sltCalled = true;
                }
            }
        } catch (MapiException e) {
            t.ret("IMsgStore::StoreLogoff", 0, e.hresult());
            throw e;
        }
        if ((out & Flags.LOGOFF_COMPLETE) != 0) {
            invalidate();
        }
        t.ret("IMsgStore::StoreLogoff", out, HResult.S_OK);
        return out;
    }

    @Override
    protected final void onFinalRelease() {
        Tracer t = support.tracer();
        t.call("IMsgStore::Release", 0);
        boolean callSlt;
        synchronized (lock) {
            callSlt = !spooler && !sltCalled && !loggedOff;
            if (callSlt) {
                sltCalled = true;
            }
        }
        if (callSlt) {
            storeLogoffTransportsAbort();
        }
        releaseSupport();
        t.ret("IMsgStore::Release", 0, HResult.S_OK);
    }

    /** Calls SLT(LOGOFF_ABORT) for the final release or the forced logoff (R-SL-3, R-SL-4); errors are ignored. */
    private void storeLogoffTransportsAbort() {
        try {
            support.storeLogoffTransports(Flags.LOGOFF_ABORT);
        } catch (MapiException e) {
            // The support object is gone or refused: the logon still ends (R-SLT-6); the runtime traced the code.
        }
    }

    /** Releases the support reference, once, whichever path gets here first (R-LOFF-1, R-SL-9). */
    private void releaseSupport() {
        boolean release;
        synchronized (lock) {
            release = supportHeld;
            supportHeld = false;
        }
        if (release) {
            support.release();
        }
    }

    /**
     * The logoff, run once (by {@link MsLogon#logoff} or the logon's final release): SLT(LOGOFF_ABORT) on a client
     * logon if nobody called it (R-SL-3), closes the gate, invalidates every registered object, the status object
     * (then released), the store and the logon (R-SR-2, R-INV-2), runs {@link #onLogoff()}, and releases the
     * support object last (R-LOFF-1).
     */
    private void logoffNow() {
        logoffNow(true);
    }

    /** @param releaseSupport false when the caller releases the support object itself, as its very last step */
    private void logoffNow(boolean releaseSupport) {
        boolean callSlt;
        synchronized (lock) {
            if (loggedOff) {
                return;
            }
            loggedOff = true;
            callSlt = !spooler && !sltCalled;
            sltCalled = true;
        }
        if (callSlt) {
            storeLogoffTransportsAbort();
        }
        gate.close(LogonGate.DEFAULT_DRAIN);
        objects.invalidateAll();
        MapiStatus s;
        synchronized (lock) {
            s = status;
            status = null;
        }
        if (s != null) {
            if (s instanceof BaseMapiObject b) {
                b.invalidate();
            }
            s.release();
        }
        invalidate();
        logon.invalidate();
        try {
            onLogoff();
        } finally {
            if (releaseSupport) {
                releaseSupport();
            }
        }
    }

    /**
     * @param method the MAPI method name, for the message
     * @throws MapiException MAPI_E_NO_SUPPORT on a client store object (R-OQ-6)
     */
    private void requireSpooler(String method) {
        if (!spooler) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                    method + " is for the spooler's store object only (R-OQ-6)");
        }
    }

    @Override
    public final MapiObject openEntry(EntryId entryId, int flags) {
        try (var pass = enter()) {
            return doOpenEntry(entryId, flags);
        }
    }

    @Override
    public final boolean compareEntryIds(EntryId a, EntryId b, int flags) {
        try (var pass = enter()) {
            return doCompareEntryIds(a, b, flags);
        }
    }

    @Override
    public final int advise(EntryId entryId, int eventMask, AdviseSink sink) {
        try (var pass = enter()) {
            return doAdvise(entryId, eventMask, sink);
        }
    }

    @Override
    public final void unadvise(int connection) {
        try (var pass = enter()) {
            doUnadvise(connection);
        }
    }

    @Override
    public final MapiTable getOutgoingQueue(int flags) {
        try (var pass = enter()) {
            requireSpooler("IMsgStore::GetOutgoingQueue");
            return doGetOutgoingQueue(flags);
        }
    }

    @Override
    public final void setLockState(Message message, int lockState) {
        try (var pass = enter()) {
            requireSpooler("IMsgStore::SetLockState");
            doSetLockState(message, lockState);
        }
    }

    @Override
    public final void finishedMsg(int flags, EntryId entryId) {
        try (var pass = enter()) {
            requireSpooler("IMsgStore::FinishedMsg");
            doFinishedMsg(flags, entryId);
        }
    }

    @Override
    public final void notifyNewMail(Notification.NewMail notification) {
        try (var pass = enter()) {
            requireSpooler("IMsgStore::NotifyNewMail");
            doNotifyNewMail(notification);
        }
    }

    /**
     * OpenEntry for both the store and its logon.
     *
     * @param entryId the id, or null for the root folder
     * @param flags   the caller's flags
     * @return the object, registered, one reference owned by the caller
     */
    protected abstract MapiObject doOpenEntry(EntryId entryId, int flags);

    /**
     * @param a     an id
     * @param b     another
     * @param flags 0
     * @return whether they name the same object
     */
    protected abstract boolean doCompareEntryIds(EntryId a, EntryId b, int flags);

    /**
     * @param entryId   the object, or null for the store
     * @param eventMask fnev* bits
     * @param sink      the sink
     * @return a non-zero connection
     */
    protected abstract int doAdvise(EntryId entryId, int eventMask, AdviseSink sink);

    /** @param connection from {@link #doAdvise} */
    protected abstract void doUnadvise(int connection);

    /**
     * GetOutgoingQueue; called on the spooler's store object only (R-OQ-6), inside the logon gate.
     *
     * @param flags 0
     * @return the outgoing queue (R-OQ-1), one reference owned by the caller (R-REF-1)
     */
    protected abstract MapiTable doGetOutgoingQueue(int flags);

    /**
     * SetLockState; called on the spooler's store object only (R-OQ-6), inside the logon gate. The implementation
     * saves the message here (R-OQ-2).
     *
     * @param message   the message; the caller's reference, AddRef it to keep it (R-REF-2)
     * @param lockState MSG_LOCKED / MSG_UNLOCKED (R-OQ-2)
     */
    protected abstract void doSetLockState(Message message, int lockState);

    /**
     * FinishedMsg; called on the spooler's store object only (R-OQ-6), inside the logon gate.
     *
     * @param flags   0
     * @param entryId the locked message (R-OQ-5)
     */
    protected abstract void doFinishedMsg(int flags, EntryId entryId);

    /** @param notification the event to raise (R-OQ-7) */
    protected abstract void doNotifyNewMail(Notification.NewMail notification);

    /**
     * Creates the logon's status object; called once, at the first OpenStatusEntry (R-ST-6).
     *
     * @return the status object with one reference, which the logon keeps until logoff (R-REF-5)
     * @throws MapiException MAPI_E_NO_SUPPORT (the default) when the store keeps no status row
     */
    protected MapiStatus createStatusObject() {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "this store has no status object");
    }

    /** Frees the logon's resources (files, connections); runs once, inside the logoff, before the support release. */
    protected void onLogoff() {
    }

    /** Runs once when the logon object is destroyed, after the logoff. */
    protected void onDestroy() {
    }

    @Override
    protected String describe() {
        return (spooler ? "spooler store " : "store ") + getClass().getSimpleName();
    }

    /** The IMSLogon half of the pair. */
    private final class StoreLogon extends BaseMapiObject implements MsLogon {
        @Override
        public MapiObject openEntry(EntryId entryId, int flags) {
            try (var pass = gate.enter()) {
                checkValid();
                return doOpenEntry(entryId, flags);
            }
        }

        @Override
        public boolean compareEntryIds(EntryId a, EntryId b, int flags) {
            try (var pass = gate.enter()) {
                checkValid();
                return doCompareEntryIds(a, b, flags);
            }
        }

        @Override
        public int advise(EntryId entryId, int eventMask, AdviseSink sink) {
            try (var pass = gate.enter()) {
                checkValid();
                return doAdvise(entryId, eventMask, sink);
            }
        }

        @Override
        public void unadvise(int connection) {
            try (var pass = gate.enter()) {
                checkValid();
                doUnadvise(connection);
            }
        }

        @Override
        public MapiStatus openStatusEntry(int flags) {
            try (var pass = gate.enter()) {
                checkValid();
                Flags.checkKnown(flags, Flags.MAPI_MODIFY, "IMSLogon::OpenStatusEntry");
                synchronized (lock) {
                    if (status == null) {
                        status = createStatusObject();
                    }
                    status.addRef();
                    return status;
                }
            }
        }

        @Override
        public void logoff(int flags) {
            checkValid();
            Flags.checkKnown(flags, 0, "IMSLogon::Logoff");
            logoffNow();
        }

        @Override
        protected void onFinalRelease() {
            // R-LOFF-5: as if Logoff(0) then Release ran; the support object still goes last (R-LOFF-1), because its
            // release may let MAPI shut the provider object down, which must not see this logon alive.
            logoffNow(false);
            try {
                onDestroy();
            } finally {
                releaseSupport();
            }
        }

        @Override
        protected String describe() {
            return "logon of " + BaseMsgStore.this.describe();
        }
    }
}
