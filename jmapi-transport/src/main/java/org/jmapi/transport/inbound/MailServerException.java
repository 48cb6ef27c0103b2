package org.jmapi.transport.inbound;

import org.jmapi.HResult;

import java.io.IOException;

/**
 * A mail server answered, but not as needed: a refused login, a missing capability, an unknown folder, a reply
 * that breaks the protocol. Carries the MAPI code the transport reports it with; the message holds the server's
 * reply with the password scrubbed ({@link InboundSettings#scrub}). Plain {@link IOException}s (connection refused,
 * reset, timed out) are network errors instead.
 */
public final class MailServerException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The MAPI code to report. */
    private final int hresult;

    /**
     * @param hresult the MAPI code to report: MAPI_E_LOGON_FAILED for a refused login, MAPI_E_NO_SUPPORT for a
     *                missing capability, MAPI_E_NOT_FOUND for an unknown folder, MAPI_E_NETWORK_ERROR otherwise
     * @param message what happened, for a person; never containing the password
     */
    public MailServerException(int hresult, String message) {
        super(message);
        this.hresult = hresult;
    }

    /** @return the MAPI code to report */
    public int hresult() {
        return hresult;
    }

    /** @return whether the server refused the user name or password */
    public boolean isLogonFailure() {
        return hresult == HResult.MAPI_E_LOGON_FAILED;
    }
}
