package org.jmapi.transport.smtp;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;
import org.jmapi.spi.XpProvider;
import org.jmapi.transport.ServerProps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The message service {@value #NAME}: jmapi's SMTP transport, send-only, address type "SMTP". Found by
 * {@link java.util.ServiceLoader}; one transport provider, key {@code "xp"}, display {@value #DISPLAY_NAME}. The
 * SMTP client is jmapi's own, on plain sockets: see {@link SmtpLogon} for what a send does with each server reply.
 *
 * <h2>Configuration</h2>
 * Give the settings to {@code ConfigureMsgService}; they go into the service's profile section:
 * <pre>{@code
 * MapiUid svc = services.createMsgService("jmapi.smtp", "Outgoing mail", 0, 0);
 * services.configureMsgService(svc, 0, 0, List.of(
 *         PropValue.ofString(ServerProps.PR_SMTP_HOST, "mail.example.com"),
 *         PropValue.ofString(ServerProps.PR_SMTP_SECURITY, "starttls"),
 *         PropValue.ofString(ServerProps.PR_SMTP_USER, "me@example.com"),
 *         PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, secret)));
 * }</pre>
 * <table>
 * <caption>Settings</caption>
 * <tr><th>tag</th><th>meaning</th><th>default</th></tr>
 * <tr><td>{@link ServerProps#PR_SMTP_HOST}</td><td>server host name or address</td><td>required</td></tr>
 * <tr><td>{@link ServerProps#PR_SMTP_SECURITY}</td><td>"none"; "starttls" (refused when the server does not offer
 *     it: never a silent fall-back to clear text); "tls" (implicit TLS)</td><td>"starttls"</td></tr>
 * <tr><td>{@link ServerProps#PR_SMTP_PORT}</td><td>port</td><td>587 starttls, 465 tls, 25 none</td></tr>
 * <tr><td>{@link ServerProps#PR_SMTP_USER}, {@link ServerProps#PR_SMTP_PASSWORD}</td><td>AUTH PLAIN (or LOGIN)
 *     credentials; no AUTH without a user</td><td>none</td></tr>
 * <tr><td>{@link #PR_SMTP_TIMEOUT}</td><td>connect and read timeout, seconds</td><td>60</td></tr>
 * <tr><td>{@link #PR_SMTP_IDLE_SECONDS}</td><td>how long a connection is kept open for the next message; 0 closes it
 *     after every message</td><td>30</td></tr>
 * <tr><td>{@link #PR_SMTP_RETRY_SECONDS}</td><td>first retry delay after a network failure (doubled per failure in a
 *     row, at most an hour)</td><td>60</td></tr>
 * <tr><td>{@link #PR_SMTP_TRUST_STORE}</td><td>certificates to trust instead of the JDK's: a PEM / DER certificate
 *     file or a PKCS12 / JKS key store; the host name is still checked</td><td>JDK trust anchors</td></tr>
 * <tr><td>{@link #PR_SMTP_TRUST_STORE_PASSWORD}</td><td>the key store's password, when it has one</td>
 *     <td>none</td></tr>
 * <tr><td>{@link #PR_SMTP_CERT_FINGERPRINT}</td><td>accept exactly the server certificate with this SHA-256
 *     fingerprint (hex, colons allowed, as {@code keytool -list -v} prints it): for a self-signed server
 *     certificate</td><td>none</td></tr>
 * <tr><td>{@link #PR_SMTP_MAX_CONNECTIONS}</td><td>connections open at once: the spooler hands the transport that many
 *     messages at the same time, each on a connection of its own, so their round trips overlap (1: one message at a
 *     time, as most mail clients send); each connection is kept and closed after the idle time like the
 *     one</td><td>1</td></tr>
 * </table>
 * There is deliberately no "trust every certificate" switch. MSG_SERVICE_CONFIGURE checks the merged result (the
 * section's values overlaid with the new ones) before writing anything: a missing host, an unknown security value,
 * a user without a password, a trust store that cannot be read, a malformed fingerprint fail with
 * MAPI_E_UNCONFIGURED and a message saying what to set; an empty string unsets a setting. (The runtime also keeps
 * the values as given in the service's section; the transport reads a number given as text too.) The password is
 * stored only in the profile (which jmapi writes with mode 0600) and never appears in a message, status row or
 * trace.
 *
 * <p>Stateless; every {@link #xpProviderInit} returns a new provider object (R-LOAD-1). <b>Threads:</b> any.
 */
public final class SmtpTransportService implements MessageService {
    /** PR_SERVICE_NAME of the service. */
    public static final String NAME = "jmapi.smtp";
    /** Display name of the service and of its transport provider. */
    public static final String DISPLAY_NAME = "jmapi SMTP Transport";
    /** SMTP: connect and read timeout in seconds, 1..3600, default 60 (PT_LONG 0x6725). */
    public static final int PR_SMTP_TIMEOUT = PropTag.tag(PropType.PT_LONG, 0x6725);
    /** SMTP: seconds an unused connection is kept open, 0..3600, default 30 (PT_LONG 0x6726). */
    public static final int PR_SMTP_IDLE_SECONDS = PropTag.tag(PropType.PT_LONG, 0x6726);
    /** SMTP: first retry delay after a network failure in seconds, 1..86400, default 60 (PT_LONG 0x6727). */
    public static final int PR_SMTP_RETRY_SECONDS = PropTag.tag(PropType.PT_LONG, 0x6727);
    /** SMTP: path of the certificates / key store to trust (PT_UNICODE 0x6728). */
    public static final int PR_SMTP_TRUST_STORE = PropTag.tag(PropType.PT_UNICODE, 0x6728);
    /** SMTP: password of the trust key store (PT_UNICODE 0x6729); a secret like the AUTH password. */
    public static final int PR_SMTP_TRUST_STORE_PASSWORD = PropTag.tag(PropType.PT_UNICODE, 0x6729);
    /** SMTP: SHA-256 fingerprint of the one server certificate to accept (PT_UNICODE 0x672A). */
    public static final int PR_SMTP_CERT_FINGERPRINT = PropTag.tag(PropType.PT_UNICODE, 0x672A);
    /**
     * SMTP: how many connections the transport may have open at once, sending that many messages at the same time,
     * 1..{@value #MAX_CONNECTIONS}, default 1 (PT_LONG 0x672B).
     */
    public static final int PR_SMTP_MAX_CONNECTIONS = PropTag.tag(PropType.PT_LONG, 0x672B);
    /** The most connections {@link #PR_SMTP_MAX_CONNECTIONS} allows. */
    public static final int MAX_CONNECTIONS = 20;

    /** Every tag of the configuration. */
    static final int[] TAGS = {ServerProps.PR_SMTP_HOST, ServerProps.PR_SMTP_PORT, ServerProps.PR_SMTP_SECURITY,
            ServerProps.PR_SMTP_USER, ServerProps.PR_SMTP_PASSWORD, PR_SMTP_TIMEOUT, PR_SMTP_IDLE_SECONDS,
            PR_SMTP_RETRY_SECONDS, PR_SMTP_TRUST_STORE, PR_SMTP_TRUST_STORE_PASSWORD, PR_SMTP_CERT_FINGERPRINT,
            PR_SMTP_MAX_CONNECTIONS};

    /** Creates the service; ServiceLoader calls this. */
    public SmtpTransportService() {
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return {@value #DISPLAY_NAME} */
    @Override
    public String displayName() {
        return DISPLAY_NAME;
    }

    /** @return one transport provider, key {@code "xp"} */
    @Override
    public List<ProviderInfo> providers() {
        return List.of(new ProviderInfo("xp", ProviderKind.TRANSPORT, DISPLAY_NAME, 0));
    }

    /**
     * MSGSERVICEENTRY (R-PROF-6): CREATE and CONFIGURE check and write the settings (see the class comment);
     * CONFIGURE without any host, given or already configured, fails with MAPI_E_UNCONFIGURED. INSTALL, DELETE and
     * UNINSTALL do nothing; PROVIDER_CREATE / PROVIDER_DELETE are refused (one provider).
     *
     * @param context MSG_SERVICE_*
     * @param support the service support object, valid during the call
     * @param uiFlags ignored: the service has no UI
     * @param props   the settings for CREATE / CONFIGURE
     * @throws MapiException MAPI_E_UNCONFIGURED for a missing or wrong setting; MAPI_E_NO_SUPPORT for
     *                       PROVIDER_CREATE / DELETE and unknown contexts
     */
    @Override
    public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
        switch (context) {
            case Flags.MSG_SERVICE_INSTALL, Flags.MSG_SERVICE_DELETE, Flags.MSG_SERVICE_UNINSTALL -> {
            }
            case Flags.MSG_SERVICE_CREATE, Flags.MSG_SERVICE_CONFIGURE -> configure(context, support, props);
            case Flags.MSG_SERVICE_PROVIDER_CREATE, Flags.MSG_SERVICE_PROVIDER_DELETE ->
                    throw new MapiException(HResult.MAPI_E_NO_SUPPORT, NAME + " has exactly one transport provider");
            default -> throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                    NAME + ": unknown service entry context " + context);
        }
    }

    private static void configure(int context, MapiSupport support, List<PropValue> props) {
        Map<Integer, PropValue> given = new HashMap<>();
        if (props != null) {
            for (PropValue v : props) {
                if (v != null && !v.isError() && isSetting(v.id())) {
                    given.put(v.id(), v);
                }
            }
        }
        if (given.isEmpty() && context == Flags.MSG_SERVICE_CREATE) {
            return; // created now, configured later
        }
        try (ProfileSection section = support.openProfileSection(null, Flags.MAPI_MODIFY)) {
            Map<Integer, PropValue> merged = new HashMap<>();
            SmtpProvider.collect(section, merged);
            List<PropValue> write = new ArrayList<>();
            List<Integer> delete = new ArrayList<>();
            for (PropValue v : given.values()) {
                int tag = tagOf(v.id());
                if (SmtpSettings.isString(v.type()) && v.asString().isEmpty()) {
                    merged.remove(v.id());
                    delete.add(tag);
                    continue;
                }
                PropValue canonical = canonical(tag, v);
                merged.put(v.id(), canonical);
                write.add(canonical);
            }
            SmtpSettings.read(tag -> Optional.ofNullable(merged.get(PropTag.id(tag)))); // throws before any write
            if (!delete.isEmpty()) {
                section.deleteProps(delete.stream().mapToInt(Integer::intValue).toArray());
            }
            if (!write.isEmpty()) {
                section.setProps(write);
            }
        }
    }

    /** @return whether a property id is one of the settings */
    static boolean isSetting(int id) {
        for (int t : TAGS) {
            if (PropTag.id(t) == id) {
                return true;
            }
        }
        return false;
    }

    private static int tagOf(int id) {
        for (int t : TAGS) {
            if (PropTag.id(t) == id) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a setting: " + id);
    }

    /** @return the value with the setting's own type: numbers given as strings become PT_LONG, strings PT_UNICODE */
    private static PropValue canonical(int tag, PropValue v) {
        if (PropTag.type(tag) == PropType.PT_LONG) {
            if (v.type() == PropType.PT_LONG) {
                return v;
            }
            if (SmtpSettings.isString(v.type())) {
                try {
                    return PropValue.ofInt(tag, Integer.parseInt(v.asString().strip()));
                } catch (NumberFormatException e) {
                    throw SmtpSettings.unconfigured("'" + v.asString() + "' is not a number ("
                            + SmtpSettings.tagName(tag) + ")");
                }
            }
            throw SmtpSettings.unconfigured(SmtpSettings.tagName(tag) + " needs a number, not "
                    + PropType.name(v.type()));
        }
        if (!SmtpSettings.isString(v.type())) {
            throw SmtpSettings.unconfigured(SmtpSettings.tagName(tag) + " needs a string, not "
                    + PropType.name(v.type()));
        }
        return PropValue.ofString(tag, v.asString());
    }

    /**
     * XPProviderInit.
     *
     * @param mapiSpiVersion the runtime's SPI version
     * @return a new provider object (R-LOAD-1); one reference owned by the runtime
     * @throws MapiException MAPI_E_VERSION when the runtime's SPI is older than this provider needs (R-LOAD-2)
     */
    @Override
    public XpProvider xpProviderInit(int mapiSpiVersion) {
        if (mapiSpiVersion < Flags.CURRENT_SPI_VERSION) {
            throw new MapiException(HResult.MAPI_E_VERSION, NAME + " needs SPI version "
                    + HResult.hex(Flags.CURRENT_SPI_VERSION) + ", MAPI offers " + HResult.hex(mapiSpiVersion));
        }
        return new SmtpProvider();
    }
}
