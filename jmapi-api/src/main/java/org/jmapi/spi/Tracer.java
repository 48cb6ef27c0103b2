package org.jmapi.spi;

/**
 * Where provider-side code reports the calls MAPI cannot see itself (a client's {@code IMsgStore::StoreLogoff},
 * a store's final {@code IMsgStore::Release}) to the session's lifecycle trace. Obtained from
 * {@link MapiSupport#tracer()}, already bound to the logon's object label (e.g. {@code store:2}).
 *
 * <p>Implementations never throw and never block; calls may come from any thread.
 */
public interface Tracer {
    /** A tracer that records nothing. */
    Tracer NONE = new Tracer() {
        @Override
        public void call(String method, int flags) {
        }

        @Override
        public void ret(String method, int flags, int hresult) {
        }
    };

    /**
     * Records the start of a call.
     *
     * @param method MAPI's spelling, e.g. {@code "IMsgStore::StoreLogoff"}
     * @param flags  the flags passed in
     */
    void call(String method, int flags);

    /**
     * Records the end of a call.
     *
     * @param method  MAPI's spelling
     * @param flags   the flags passed out (0 when the method has none)
     * @param hresult the result
     */
    void ret(String method, int flags, int hresult);
}
