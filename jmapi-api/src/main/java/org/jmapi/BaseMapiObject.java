package org.jmapi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference count, invalid state and leak tracking every jmapi object shares.
 *
 * <p>Subclasses call {@link #checkValid()} at the top of every method that is not IUnknown (or enter their
 * logon's {@link org.jmapi.spi.LogonGate}, which does it too), and put their destruction in
 * {@link #onFinalRelease()}, which runs exactly once, on the thread whose release brought the count to zero.
 * {@link #invalidate()} marks the object logged off (R-INV-1): IUnknown keeps working, everything else throws
 * MAPI_E_INVALID_OBJECT.
 *
 * <p>Objects whose count never reached zero and that the garbage collector found are reported to
 * {@link LeakTracker} (the "leaked objects" report of ARCHITECTURE.md &sect;3). Thread-safe.
 */
public abstract class BaseMapiObject implements MapiObject {
    /** The reference count; starts at 1 (the creator's caller owns it, R-REF-1); 0 = destroyed (R-REF-4). */
    private final AtomicInteger refs = new AtomicInteger(1);
    /** Tells {@link LeakTracker} when the count reaches zero. */
    private final LeakTracker.Token leakToken;
    /** Set once by {@link #invalidate()} (R-INV-1); never cleared. */
    private volatile boolean invalid;

    /** Creates the object with one reference, owned by whoever receives it. */
    protected BaseMapiObject() {
        this.leakToken = LeakTracker.track(this);
    }

    @Override
    public final int addRef() {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                // Destroyed objects stay destroyed; resurrection would run onFinalRelease twice.
                return 0;
            }
            if (refs.compareAndSet(n, n + 1)) {
                return n + 1;
            }
        }
    }

    @Override
    public final int release() {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                return 0;
            }
            if (refs.compareAndSet(n, n - 1)) {
                if (n == 1) {
                    leakToken.destroyed();
                    onFinalRelease();
                }
                return n - 1;
            }
        }
    }

    @Override
    public <T extends MapiObject> T queryInterface(Class<T> iface) {
        if (iface == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "QueryInterface: null interface");
        }
        if (!iface.isInstance(this)) {
            throw new MapiException(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED,
                    getClass().getSimpleName() + " does not implement " + iface.getSimpleName());
        }
        addRef();
        return iface.cast(this);
    }

    /** @return the current count, for tests and diagnostics only (R-REF-4) */
    public final int refCount() {
        return Math.max(0, refs.get());
    }

    /** @return whether the count reached zero and the object was destroyed */
    public final boolean isDestroyed() {
        return refs.get() <= 0;
    }

    /** @return whether {@link #invalidate()} ran: the object answers only IUnknown */
    public final boolean isInvalid() {
        return invalid;
    }

    /**
     * Marks the object invalid (IMAPISupport::MakeInvalid, R-INV-1) and runs {@link #onInvalidate()} once. The
     * count is untouched: holders still release their references, and the object is destroyed at zero as usual.
     */
    public final void invalidate() {
        boolean first;
        synchronized (this) {
            first = !invalid;
            invalid = true;
        }
        if (first) {
            onInvalidate();
        }
    }

    /**
     * @throws MapiException MAPI_E_INVALID_OBJECT when the object was invalidated by a logoff
     */
    protected final void checkValid() {
        if (invalid || refs.get() <= 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_OBJECT,
                    describe() + " is no longer valid (its logon was logged off or it was released)");
        }
    }

    /** @return a short description for messages and leak reports, e.g. {@code "store:2"} */
    protected String describe() {
        return getClass().getSimpleName();
    }

    /** Destroys the object; runs once, when the count reaches zero. The default does nothing. */
    protected void onFinalRelease() {
    }

    /** Frees what an invalid object no longer needs; runs once, inside {@link #invalidate()}. */
    protected void onInvalidate() {
    }
}
