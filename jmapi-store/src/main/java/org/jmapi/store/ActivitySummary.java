package org.jmapi.store;

import org.jmapi.Flags;

/**
 * The store's transport activity at one moment, as {@code IMAPISupport::StoreLogoffTransports} needs it (spec
 * &sect;11.3): counted over every process that has the store open. Immutable snapshot.
 *
 * @param inbound        live INBOUND activities
 * @param outbound       live OUTBOUND activities
 * @param lockedMessages queued messages a live spooler holds locked (between SetLockState and FinishedMsg)
 * @param queuedUnlocked queued messages nobody holds locked
 */
public record ActivitySummary(int inbound, int outbound, int lockedMessages, int queuedUnlocked) {
    /**
     * @return the activity bits of R-SLT-4: LOGOFF_INBOUND when something is inbound, LOGOFF_OUTBOUND when something
     *         is outbound or locked, LOGOFF_OUTBOUND_QUEUE when a queued message is not locked
     */
    public int logoffFlags() {
        int f = 0;
        if (inbound > 0) {
            f |= Flags.LOGOFF_INBOUND;
        }
        if (outbound > 0 || lockedMessages > 0) {
            f |= Flags.LOGOFF_OUTBOUND;
        }
        if (queuedUnlocked > 0) {
            f |= Flags.LOGOFF_OUTBOUND_QUEUE;
        }
        return f;
    }
}
