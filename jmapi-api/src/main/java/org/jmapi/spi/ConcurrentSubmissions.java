package org.jmapi.spi;

/**
 * jmapi's own transport capability, with no MAPI counterpart: a transport logon that takes several outbound messages
 * at once. MAPI's spooler hands a transport one message at a time (SubmitMessage, then EndMessage, R-XPS-2, R-XPS-4);
 * a transport whose logon implements this interface tells jmapi's spooler how many such SubmitMessage … EndMessage
 * pairs, each for a different message and with its own reference, may run at the same time on different spooler
 * threads. An SMTP transport uses it to send over several connections at once, so the network's round trips of one
 * message overlap the others' (the SMTP transport's {@code PR_SMTP_MAX_CONNECTIONS}).
 *
 * <p>The spooler looks for it with {@code instanceof} on the logon TransportLogon returned and, without it, never
 * calls the logon from two threads at once for two messages (TransportNotify, such as a cancel, may still arrive on
 * another thread, R-TN-1). Every rule of one message's pair stays as it is: the transport sets its reference before
 * it touches message data, the message is valid until that message's EndMessage returns, and the reference is
 * free after it. A cancel names the reference of the one message it ends (NOTIFY_CANCEL_MESSAGE, R-TN-1); a
 * TransportLogoff abandons every message in flight (R-LOFF-3, R-MAIL-2).
 *
 * <p><b>Ownership and threads.</b> The capability is the logon object itself and ends with it: the spooler asks
 * before each send pass, so a configuration change (ValidateState(CONFIG_CHANGED)) takes effect at the next pass,
 * and it asks no more after TransportLogoff. The method may be called on any thread and must not block.
 */
public interface ConcurrentSubmissions {
    /**
     * @return how many messages the logon takes at once, at least 1 (1: one at a time, as without the capability);
     *         a value below 1 is taken as 1
     */
    int concurrentSubmissions();
}
