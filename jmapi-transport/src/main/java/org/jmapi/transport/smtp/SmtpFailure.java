package org.jmapi.transport.smtp;

/**
 * A session-level failure of an SMTP connection that is not a plain I/O error: the server refused the connection,
 * did not offer STARTTLS although security requires it, refused the credentials, or answered something that makes
 * the session unusable. It carries the HRESULT the transport reports for it (MAPI_E_LOGON_FAILED for refused
 * credentials, MAPI_E_NETWORK_ERROR for everything worth trying again later). Its message never holds a password
 * (server replies are cleaned by {@link Secrets} before they get here).
 */
final class SmtpFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** The HRESULT SubmitMessage fails with. */
    private final int hresult;

    /**
     * @param hresult the HRESULT SubmitMessage fails with
     * @param message what happened, for a person; no secret
     */
    SmtpFailure(int hresult, String message) {
        super(message);
        this.hresult = hresult;
    }

    /** @return the HRESULT SubmitMessage fails with */
    int hresult() {
        return hresult;
    }
}
