package org.jmapi;

/**
 * IUnknown: every object handed across the jmapi API is reference counted.
 *
 * <p><b>Ownership.</b> Every object a method returns carries one reference that belongs to the caller (R-REF-1);
 * the caller gives it back with {@link #release()} (or {@link #close()}, the same thing, so try-with-resources
 * holds exactly one reference). Code that keeps an object it was handed calls {@link #addRef()} and releases it
 * later (R-REF-2). Lifetime is the count, never the garbage collector: an object is destroyed exactly when its
 * count reaches zero (R-REF-4), and several MAPI rules fire at that moment (a store's final release runs the
 * whole shutdown chain, R-SR-1). The values AddRef/Release return are informational only.
 *
 * <p><b>After logoff.</b> Objects obtained through a logon that has been logged off are <em>invalid</em>: every
 * method except {@code addRef}, {@code release}, {@code close} and {@code queryInterface} throws
 * {@link MapiException} with {@link HResult#MAPI_E_INVALID_OBJECT} (R-INV-1, R-INV-2). Releasing them is always
 * safe.
 *
 * <p><b>Threads.</b> The reference-counting methods may be called from any thread.
 */
public interface MapiObject extends AutoCloseable {

    /**
     * Adds one reference (IUnknown::AddRef). Works on invalid objects too.
     *
     * @return the new count, for diagnostics only (R-REF-4)
     */
    int addRef();

    /**
     * Gives one reference back (IUnknown::Release); at zero the object is destroyed. A release beyond zero is
     * ignored (R-LOFF-5 robustness). Works on invalid objects too.
     *
     * @return the new count, for diagnostics only (R-REF-4)
     */
    int release();

    /**
     * IUnknown::QueryInterface: returns this object, with one more reference, if it implements {@code iface}
     * (R-REF-3). Works on invalid objects too (spec C-30).
     *
     * @param iface the wanted interface; {@code MapiObject.class} always succeeds
     * @param <T>   the interface type
     * @return this object, AddRef'ed; the reference belongs to the caller
     * @throws MapiException MAPI_E_INTERFACE_NOT_SUPPORTED when the object does not implement {@code iface}
     */
    <T extends MapiObject> T queryInterface(Class<T> iface);

    /** Releases one reference: the same as {@link #release()}. Close what you own exactly once. */
    @Override
    default void close() {
        release();
    }
}
