package org.jmapi.spi;

import org.jmapi.MapiException;

/**
 * jmapi's own store capability, with no MAPI counterpart: group commit of the spooler's outcome writes. A store
 * provider's spooler logon (R-MS-7) may implement it; the spooler looks for it with {@code instanceof} on the store
 * object SpoolerLogon returned and works the same (every write durable) when it is absent.
 *
 * <p><b>What is deferred.</b> Once the spooler turned it on, the writes through this logon that record the outcome
 * of a send — SaveChanges of a message this logon holds locked (SetLockState, R-OQ-2; the transports'
 * PR_RESPONSIBILITY, R-XPS-4) and FinishedMsg (R-OQ-5) — may return before they are flushed to stable storage.
 * Each is still atomic, at once visible to every logon and process, and it survives a crash of the process; only a
 * power loss (or an OS or database server crash) can undo those not yet flushed. Nothing else is deferred: a
 * client's SubmitMessage, the spooler's received messages (R-RCV-2: the source copy is deleted after SaveChanges
 * returns) and its reports stay durable when they return.
 *
 * <p><b>Why that is safe.</b> The store's log is sequential, so a power loss leaves a prefix of its commits: the
 * submission (durable before SubmitMessage returned) is kept, and of a message's outcome either all up to some
 * point or nothing. A lost outcome leaves the message queued with the recipients not yet marked dealt with, so the
 * next spooler sends it again: the worst case is a duplicate, never a lost message (R-MAIL-1).
 *
 * <p><b>The window.</b> The spooler calls {@link #flushOutcomes} at the end of every send pass, before it answers a
 * client's StoreLogoff (IMAPISupport::StoreLogoffTransports) and before it lets go of the store; the store flushes on its own after a bounded number of deferred writes and a bounded time (the SQLite
 * and PostgreSQL stores: 63 writes, 50 ms), and at its logoff.
 *
 * <p><b>Ownership and threads.</b> The capability is the store object itself; it ends with the logon (after logoff
 * both methods fail with MAPI_E_INVALID_OBJECT, and the logoff flushed). Any thread may call it; the spooler calls it
 * from its mail thread.
 */
public interface DeferredOutcomes {
    /**
     * Turns the deferral of this spooler logon's outcome writes on or off (off when the logon starts). Turning it off
     * does not flush; call {@link #flushOutcomes} for that.
     *
     * @param on whether outcome writes may return before they are durable
     * @throws MapiException MAPI_E_NO_SUPPORT on a logon that is not the spooler's; MAPI_E_INVALID_OBJECT after
     *                       logoff
     */
    void deferOutcomes(boolean on);

    /**
     * Makes every outcome write this logon (and any other logon of the same store in this process) committed so far
     * durable; returns once it is, at once when nothing is pending.
     *
     * @throws MapiException MAPI_E_INVALID_OBJECT after logoff; the store's error when its flush fails (the writes
     *                       stay committed, and the store tries again on its own)
     */
    void flushOutcomes();
}
