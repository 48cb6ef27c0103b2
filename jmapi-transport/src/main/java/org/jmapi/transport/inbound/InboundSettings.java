package org.jmapi.transport.inbound;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.transport.ServerTrust;

import java.nio.file.Path;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The configuration of one inbound mail account (POP3 or IMAP), read from the profile: server host and port,
 * {@link Security}, user name, password, seconds between server checks, (IMAP) the folder mail is taken from, and
 * how the server's TLS certificate is trusted ({@link ServerTrust}: a pinned SHA-256 fingerprint, a trust store
 * file, or the JVM's default trust).
 * Which property tags hold each value is the protocol's {@link Tags}; see {@link org.jmapi.transport.ServerProps}.
 *
 * <p>A transport logon reads its own profile section first and, for values not there, the section of its message
 * service (named by the section's PR_SERVICE_UID), where {@code ConfigureMsgService} wrote them. Host, user and
 * password are required (MAPI_E_UNCONFIGURED without them, R-LOGON-2); the port defaults to the protocol's port for
 * the security mode; the check interval to {@value #DEFAULT_POLL_SECONDS} seconds; the folder to {@code INBOX}; the
 * trust to the JVM's default trust with the host name check. The trust settings follow the SMTP transport's rules
 * exactly: an empty value unsets one; a trust store must be a readable file and, when TLS is used, readable as PEM /
 * DER certificates or as a PKCS12 / JKS key store with the configured password; a fingerprint must be 64 hex digits
 * (colons allowed); a pin wins over a trust store given as well. Otherwise MAPI_E_UNCONFIGURED naming the property.
 *
 * <p><b>The password</b> is held here only to log in (the trust store's password only to open the trust store).
 * {@link #toString()} leaves it out, no exception message built from a configuration contains it, and
 * {@link #scrub} removes it from any text (a server reply) before the text goes into a status row or an exception.
 * Immutable and thread-safe.
 *
 * @param tags        where the values came from, and the protocol's name and default ports
 * @param host        server host name or address
 * @param port        server port
 * @param security    connection protection
 * @param user        the login name
 * @param password    the password; never printed
 * @param pollSeconds the least number of seconds between two server checks (0: at every spooler poll)
 * @param folder      the IMAP folder mail is fetched from ({@code INBOX} for POP3, which has no folders)
 * @param trust       how the server's certificate is trusted when TLS is used
 */
public record InboundSettings(Tags tags, String host, int port, Security security, String user, String password,
                              int pollSeconds, String folder, ServerTrust trust) {
    /** Seconds between server checks when PR_POLL_SECONDS is not configured. */
    public static final int DEFAULT_POLL_SECONDS = 60;

    /**
     * The property tags and defaults of one protocol.
     *
     * @param protocol    its name in messages, e.g. {@code "POP3"}
     * @param host        the host name's tag
     * @param port        the port's tag
     * @param security    the security mode's tag
     * @param user        the user name's tag
     * @param password    the password's tag
     * @param pollSeconds tags of the check interval, the first one present wins
     * @param folder             the folder's tag, or 0 when the protocol has none
     * @param trustStore         the trust store file's tag
     * @param trustStorePassword the trust store password's tag
     * @param certFingerprint    the pinned certificate fingerprint's tag
     * @param plainPort          default port with {@link Security#NONE} and {@link Security#STARTTLS}
     * @param tlsPort            default port with {@link Security#TLS}
     */
    public record Tags(String protocol, int host, int port, int security, int user, int password, int[] pollSeconds,
                       int folder, int trustStore, int trustStorePassword, int certFingerprint, int plainPort,
                       int tlsPort) {
        /** Copies the array. */
        public Tags {
            pollSeconds = pollSeconds.clone();
        }

        /** @return the check-interval tags, in priority order */
        @Override
        public int[] pollSeconds() {
            return pollSeconds.clone();
        }

        /** @return every tag a configuration may hold */
        public int[] all() {
            int[] base = folder != 0
                    ? new int[] {host, port, security, user, password, folder, trustStore, trustStorePassword,
                            certFingerprint}
                    : new int[] {host, port, security, user, password, trustStore, trustStorePassword,
                            certFingerprint};
            int[] out = Arrays.copyOf(base, base.length + pollSeconds.length);
            System.arraycopy(pollSeconds, 0, out, base.length, pollSeconds.length);
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tags t && protocol.equals(t.protocol) && Arrays.equals(all(), t.all())
                    && plainPort == t.plainPort && tlsPort == t.tlsPort;
        }

        @Override
        public int hashCode() {
            return protocol.hashCode() * 31 + Arrays.hashCode(all());
        }

        @Override
        public String toString() {
            return protocol + " settings";
        }
    }

    /** Checks nothing but nulls; use {@link #of} to build a checked configuration. */
    public InboundSettings {
        if (tags == null || host == null || security == null || user == null || password == null || folder == null
                || trust == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "inbound settings: a value is missing");
        }
    }

    /**
     * Builds and checks a configuration.
     *
     * @param tags   the protocol's tags
     * @param lookup the value for a tag (only its id matters), or empty when absent
     * @return the configuration
     * @throws MapiException MAPI_E_UNCONFIGURED naming the first missing or invalid value
     */
    public static InboundSettings of(Tags tags, IntFunction<Optional<PropValue>> lookup) {
        String protocol = tags.protocol();
        String host = string(lookup, tags.host()).map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> unconfigured(protocol, "no server host name (" + PropTag.toString(tags.host()) + ")"));
        String securityText = string(lookup, tags.security()).orElse(Security.NONE.value());
        Security security = Security.parse(securityText).orElseThrow(() -> unconfigured(protocol,
                "security must be none, starttls or tls, not '" + securityText + "' ("
                        + PropTag.toString(tags.security()) + ")"));
        int defaultPort = security == Security.TLS ? tags.tlsPort() : tags.plainPort();
        int port = number(protocol, lookup, tags.port()).orElse(defaultPort);
        if (port < 1 || port > 65535) {
            throw unconfigured(protocol, "port " + port + " is not between 1 and 65535 (" + PropTag.toString(tags.port())
                    + ")");
        }
        String user = string(lookup, tags.user()).filter(s -> !s.isEmpty())
                .orElseThrow(() -> unconfigured(protocol, "no user name (" + PropTag.toString(tags.user()) + ")"));
        String password = string(lookup, tags.password())
                .orElseThrow(() -> unconfigured(protocol, "no password (" + PropTag.toString(tags.password()) + ")"));
        if (hasControl(user) || hasControl(password)) {
            throw unconfigured(protocol, "the user name or the password contains a line break or NUL character");
        }
        int poll = DEFAULT_POLL_SECONDS;
        for (int t : tags.pollSeconds()) {
            Optional<Integer> v = number(protocol, lookup, t);
            if (v.isPresent()) {
                poll = v.get();
                if (poll < 0) {
                    throw unconfigured(protocol, "the check interval " + poll + " is negative (" + PropTag.toString(t)
                            + ")");
                }
                break;
            }
        }
        String folder = tags.folder() == 0 ? "INBOX"
                : string(lookup, tags.folder()).filter(s -> !s.isBlank()).orElse("INBOX");
        ServerTrust trust = trust(tags, security, lookup);
        return new InboundSettings(tags, host, port, security, user, password, poll, folder, trust);
    }

    /**
     * Reads the trust settings as the SMTP transport does: an empty value is no value; the path and the fingerprint
     * text are always checked, the trust store's content only when TLS is used.
     */
    private static ServerTrust trust(Tags tags, Security security, IntFunction<Optional<PropValue>> lookup) {
        String protocol = tags.protocol();
        Path store = string(lookup, tags.trustStore()).filter(s -> !s.isBlank())
                .map(s -> ServerTrust.trustStorePath(s, naming(protocol, tags.trustStore()))).orElse(null);
        String storePassword = string(lookup, tags.trustStorePassword()).filter(s -> !s.isEmpty()).orElse(null);
        byte[] pin = string(lookup, tags.certFingerprint()).filter(s -> !s.isBlank())
                .map(s -> ServerTrust.fingerprint(s, naming(protocol, tags.certFingerprint()))).orElse(null);
        if (security == Security.NONE) {
            return ServerTrust.jvmDefault(); // never used: no TLS
        }
        return ServerTrust.of(store, storePassword, pin, PropTag.toString(tags.trustStorePassword()),
                naming(protocol, tags.trustStore()));
    }

    /** @return a maker of MAPI_E_UNCONFIGURED exceptions whose messages end with the name of {@code tag} */
    private static Function<String, MapiException> naming(String protocol, int tag) {
        return why -> unconfigured(protocol, why + " (" + PropTag.toString(tag) + ")");
    }

    /**
     * Reads the configuration of a transport logon: its own profile section, then its service's section.
     *
     * @param support the logon's support object
     * @param tags    the protocol's tags
     * @return the checked configuration
     * @throws MapiException MAPI_E_UNCONFIGURED when a required value is missing or a value is invalid
     */
    public static InboundSettings read(MapiSupport support, Tags tags) {
        int[] all = tags.all();
        List<PropValue> own;
        List<PropValue> service = List.of();
        try (ProfileSection section = support.openProfileSection(null, 0)) {
            own = section.getProps(all, 0).values();
            Optional<PropValue> uid = section.getProps(new int[] {PropTags.PR_SERVICE_UID}, 0)
                    .find(PropTags.PR_SERVICE_UID);
            if (uid.isPresent() && uid.get().asBinary().length == MapiUid.LENGTH) {
                try (ProfileSection s = support.openProfileSection(MapiUid.of(uid.get().asBinary()), 0)) {
                    service = s.getProps(all, 0).values();
                } catch (MapiException e) {
                    if (e.hresult() != HResult.MAPI_E_NOT_FOUND) {
                        throw e;
                    }
                }
            }
        }
        List<PropValue> fallback = service;
        return of(tags, tag -> find(own, tag).or(() -> find(fallback, tag)));
    }

    /**
     * @param values property values
     * @param tag    a tag (only its id matters)
     * @return the first non-error value with the tag's id
     */
    public static Optional<PropValue> find(List<PropValue> values, int tag) {
        if (values == null) {
            return Optional.empty();
        }
        int id = PropTag.id(tag);
        return values.stream().filter(v -> v != null && v.id() == id && !v.isError()).findFirst();
    }

    private static Optional<String> string(IntFunction<Optional<PropValue>> lookup, int tag) {
        return lookup.apply(tag).filter(v -> isString(v.type())).map(PropValue::asString);
    }

    private static boolean hasControl(String text) {
        return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\0') >= 0;
    }

    private static boolean isString(int type) {
        return type == PropType.PT_UNICODE || type == PropType.PT_STRING8;
    }

    private static Optional<Integer> number(String protocol, IntFunction<Optional<PropValue>> lookup, int tag) {
        Optional<PropValue> v = lookup.apply(tag);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get().type() == PropType.PT_LONG) {
            return Optional.of(v.get().asInt());
        }
        if (isString(v.get().type())) {
            String s = v.get().asString().strip();
            try {
                return Optional.of(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw unconfigured(protocol, "'" + s + "' is not a number (" + PropTag.toString(tag) + ")");
            }
        }
        throw unconfigured(protocol, PropTag.toString(tag) + " must be a PT_LONG, not " + PropType.name(v.get().type()));
    }

    private static MapiException unconfigured(String protocol, String why) {
        return new MapiException(HResult.MAPI_E_UNCONFIGURED, protocol + " transport is not configured: " + why);
    }

    /** @return {@code host:port} */
    public String where() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Removes the password from a text that may echo what was sent (a server's error reply), so that it can go into
     * a status row or an exception message. Passwords shorter than 4 characters are not searched for (they would
     * match ordinary words); they are never put into a text by this package either.
     *
     * @param text any text, or null
     * @return the text with every occurrence of the password replaced by {@code ********}
     */
    public String scrub(String text) {
        if (text == null || password.length() < 4) {
            return text;
        }
        return text.replace(password, "********");
    }

    /** @return the configuration without the password */
    @Override
    public String toString() {
        return tags.protocol() + " " + user + "@" + where() + " (" + security.value() + ", every " + pollSeconds
                + " s" + (tags.folder() != 0 ? ", folder " + folder : "")
                + (security != Security.NONE ? ", " + trust : "") + ")";
    }
}
