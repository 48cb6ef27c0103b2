package org.jmapi.transport.pop3;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.transport.ServerProps;
import org.jmapi.transport.inbound.BaseInboundProvider;
import org.jmapi.transport.inbound.BaseInboundService;
import org.jmapi.transport.inbound.InboundSettings;

/**
 * The message service {@value #NAME}: a receive-only POP3 transport (one TRANSPORT provider, key {@code "xp"},
 * display {@value #DISPLAY_NAME}). Found by {@link java.util.ServiceLoader}.
 *
 * <h2>Configuration</h2>
 * Give the settings to {@code ConfigureMsgService}; they go into the service's profile section:
 * <pre>{@code
 * MapiUid svc = services.createMsgService("jmapi.pop3", "Mail from my provider", 0, 0);
 * services.configureMsgService(svc, 0, 0, List.of(
 *         PropValue.ofString(ServerProps.PR_POP3_HOST, "pop.example.com"),
 *         PropValue.ofString(ServerProps.PR_POP3_SECURITY, "tls"),
 *         PropValue.ofString(ServerProps.PR_POP3_USER, "me"),
 *         PropValue.ofString(ServerProps.PR_POP3_PASSWORD, secret)));
 * }</pre>
 * <table>
 * <caption>Settings</caption>
 * <tr><th>tag</th><th>meaning</th><th>default</th></tr>
 * <tr><td>{@link ServerProps#PR_POP3_HOST}</td><td>server host name or address</td><td>required</td></tr>
 * <tr><td>{@link ServerProps#PR_POP3_SECURITY}</td><td>"none"; "starttls" (STLS, RFC 2595; refused when the
 *     server does not offer it: never a silent fall-back to clear text); "tls" (implicit TLS)</td><td>"none"</td></tr>
 * <tr><td>{@link ServerProps#PR_POP3_PORT}</td><td>port</td><td>110, 995 with tls</td></tr>
 * <tr><td>{@link ServerProps#PR_POP3_USER}, {@link ServerProps#PR_POP3_PASSWORD}</td><td>login</td>
 *     <td>required</td></tr>
 * <tr><td>{@link ServerProps#PR_POLL_SECONDS}</td><td>the least time between two server checks, seconds; 0 checks at
 *     every spooler poll</td><td>60</td></tr>
 * <tr><td>{@link #PR_POP3_TRUST_STORE}</td><td>certificates to trust instead of the JVM's: a PEM / DER certificate
 *     file or a PKCS12 / JKS key store; the host name is still checked</td><td>JVM default trust</td></tr>
 * <tr><td>{@link #PR_POP3_TRUST_STORE_PASSWORD}</td><td>the key store's password, when it has one</td>
 *     <td>none</td></tr>
 * <tr><td>{@link #PR_POP3_CERT_FINGERPRINT}</td><td>accept exactly the server certificate with this SHA-256
 *     fingerprint (hex, colons allowed, as {@code keytool -list -v} prints it), nothing else checked: for a
 *     self-signed server certificate; wins over a trust store</td><td>none</td></tr>
 * </table>
 * The trust settings are the SMTP transport's ({@link org.jmapi.transport.ServerTrust}); they apply to "tls" and
 * "starttls" alike. There is deliberately no "trust every certificate" switch. MSG_SERVICE_CONFIGURE checks the
 * merged result ({@link BaseInboundService}): a trust store that is no readable file (or, with TLS, neither
 * certificates nor a key store readable with the configured password), or a malformed fingerprint, fails with
 * MAPI_E_UNCONFIGURED naming the property; an empty string unsets a setting.
 *
 * <p>Received mail goes to the receive folder of the profile's default store. How the maildrop is read and when its
 * messages are deleted: {@link Pop3Logon}.
 */
public final class Pop3Service extends BaseInboundService {
    /** PR_SERVICE_NAME of the service. */
    public static final String NAME = "jmapi.pop3";
    /** Display name of the service and its transport. */
    public static final String DISPLAY_NAME = "jmapi POP3 Transport";
    /** POP3: path of the certificates / key store to trust (PT_UNICODE 0x6736). */
    public static final int PR_POP3_TRUST_STORE = PropTag.tag(PropType.PT_UNICODE, 0x6736);
    /** POP3: password of the trust key store (PT_UNICODE 0x6737); a secret like the login password. */
    public static final int PR_POP3_TRUST_STORE_PASSWORD = PropTag.tag(PropType.PT_UNICODE, 0x6737);
    /** POP3: SHA-256 fingerprint of the one server certificate to accept (PT_UNICODE 0x6738). */
    public static final int PR_POP3_CERT_FINGERPRINT = PropTag.tag(PropType.PT_UNICODE, 0x6738);
    /** The POP3 account's profile properties. */
    static final InboundSettings.Tags TAGS = new InboundSettings.Tags("POP3", ServerProps.PR_POP3_HOST,
            ServerProps.PR_POP3_PORT, ServerProps.PR_POP3_SECURITY, ServerProps.PR_POP3_USER,
            ServerProps.PR_POP3_PASSWORD, new int[] {ServerProps.PR_POLL_SECONDS}, 0,
            PR_POP3_TRUST_STORE, PR_POP3_TRUST_STORE_PASSWORD, PR_POP3_CERT_FINGERPRINT, 110, 995);

    /** Creates the service; ServiceLoader calls this. */
    public Pop3Service() {
        super(NAME, DISPLAY_NAME, TAGS);
    }

    @Override
    protected BaseInboundProvider newProvider() {
        return new Pop3Provider();
    }
}
