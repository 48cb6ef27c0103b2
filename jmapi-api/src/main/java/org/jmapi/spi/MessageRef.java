package org.jmapi.spi;

/**
 * The in/out reference value of {@code IXPLogon::SubmitMessage} and {@code IXPLogon::StartMessage}
 * ({@code lpulMsgRef}), with the {@code lpulReturnParm} of SubmitMessage.
 *
 * <p>The spooler creates one per call, pre-set to 0 for SubmitMessage (R-XPS-2) and 1 for StartMessage
 * (R-RCV-2). The transport stores its own reference with {@link #set} before it touches message data; the
 * spooler later passes that value to {@code EndMessage} and, while the call is running, to
 * {@code TransportNotify(NOTIFY_CANCEL_MESSAGE)} (R-TN-1). A transport failing SubmitMessage with MAPI_E_WAIT or
 * MAPI_E_NETWORK_ERROR says with {@link #retryAfterSeconds(int)} how long the spooler should wait.
 *
 * <p><b>Ownership:</b> a plain value owned by the spooler; no reference counting, nothing happens to it at
 * logoff. <b>Threads:</b> written by the transport on the spooler's thread, read by the spooler on any thread
 * (the fields are volatile).
 */
public final class MessageRef {
    private volatile int value;
    private volatile int retryAfterSeconds;

    /** @param initial the pre-set value: 0 for SubmitMessage, 1 for StartMessage */
    public MessageRef(int initial) {
        this.value = initial;
    }

    /** @return the reference value: the transport's, once it called {@link #set}, else the pre-set one */
    public int value() {
        return value;
    }

    /** @param value the transport's own reference for the message, set before it touches message data */
    public void set(int value) {
        this.value = value;
    }

    /** @return the seconds a MAPI_E_WAIT / MAPI_E_NETWORK_ERROR asked the spooler to wait; 0 when not set */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** @param seconds the wait before the spooler tries the message again (lpulReturnParm, R-XPS-2) */
    public void retryAfterSeconds(int seconds) {
        this.retryAfterSeconds = Math.max(0, seconds);
    }

    @Override
    public String toString() {
        return "MessageRef[" + value + (retryAfterSeconds > 0 ? ", retry in " + retryAfterSeconds + "s" : "") + "]";
    }
}
