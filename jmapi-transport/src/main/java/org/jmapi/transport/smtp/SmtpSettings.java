package org.jmapi.transport.smtp;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.transport.ServerProps;
import org.jmapi.transport.ServerTrust;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * One SMTP transport's checked configuration, read from profile-section properties (see
 * {@link SmtpTransportService} for the tags and their defaults). Immutable; {@link #toString()} never shows the
 * password.
 *
 * @param host               the server host name or address
 * @param port               the server port
 * @param security           {@value #NONE}, {@value #STARTTLS} or {@value #TLS}
 * @param user               the AUTH user, or null for no AUTH
 * @param password           the AUTH password, or null
 * @param timeoutSeconds     connect and read timeout
 * @param idleSeconds        how long an unused connection stays open; 0 closes it after every message
 * @param retrySeconds       the first retry delay after a network failure (doubling per failure, at most an hour)
 * @param trust              how the server's certificate is trusted (a pinned fingerprint, a trust store file, or the
 *                           JVM's default trust), built once from the settings; unused with {@value #NONE}
 * @param maxConnections     how many connections may be open at once, each sending its own message
 */
record SmtpSettings(String host, int port, String security, String user, String password, int timeoutSeconds,
        int idleSeconds, int retrySeconds, ServerTrust trust, int maxConnections) {
    /** Security: plain SMTP. */
    static final String NONE = "none";
    /** Security: plain connect, then STARTTLS before anything else (RFC 3207); refused if the server lacks it. */
    static final String STARTTLS = "starttls";
    /** Security: TLS from the first byte ("implicit TLS", RFC 8314). */
    static final String TLS = "tls";
    /** Default connect/read timeout, seconds. */
    static final int DEFAULT_TIMEOUT = 60;
    /** Default idle time before a kept connection is closed, seconds. */
    static final int DEFAULT_IDLE = 30;
    /** Default first retry delay after a network failure, seconds. */
    static final int DEFAULT_RETRY = 60;

    /** @return "host:port" */
    String peer() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** @return whether TLS is used at all */
    boolean secure() {
        return !NONE.equals(security);
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + peer() + ", security=" + security + ", user=" + user
                + (password != null ? ", password set" : "") + ", timeout=" + timeoutSeconds + "s, idle="
                + idleSeconds + "s, retry=" + retrySeconds + "s, connections=" + maxConnections
                + (secure() ? ", " + trust : "") + "]";
    }

    /**
     * Reads and checks a configuration.
     *
     * @param props the configured value for a tag (any string flavour for string tags), empty when not set
     * @return the settings
     * @throws MapiException MAPI_E_UNCONFIGURED, saying which setting is missing or wrong and what it should be
     */
    static SmtpSettings read(IntFunction<Optional<PropValue>> props) {
        String host = string(props, ServerProps.PR_SMTP_HOST)
                .orElseThrow(() -> unconfigured("no server host: set " + tagName(ServerProps.PR_SMTP_HOST)));
        if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw unconfigured("'" + host + "' is not a host name");
        }
        host = host.strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String security = string(props, ServerProps.PR_SMTP_SECURITY).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .orElse(STARTTLS);
        int defaultPort = switch (security) {
            case NONE -> 25;
            case STARTTLS -> 587;
            case TLS -> 465;
            default -> throw unconfigured("security '" + security + "' is none of \"none\", \"starttls\", \"tls\"");
        };
        int port = integer(props, ServerProps.PR_SMTP_PORT).orElse(defaultPort);
        if (port < 1 || port > 65535) {
            throw unconfigured("port " + port + " is outside 1..65535");
        }
        String user = string(props, ServerProps.PR_SMTP_USER).filter(s -> !s.isEmpty()).orElse(null);
        String password = string(props, ServerProps.PR_SMTP_PASSWORD).filter(s -> !s.isEmpty()).orElse(null);
        if (user != null && password == null) {
            throw unconfigured("user '" + user + "' is configured without a password ("
                    + tagName(ServerProps.PR_SMTP_PASSWORD) + ")");
        }
        if (user == null && password != null) {
            throw unconfigured("a password is configured without a user (" + tagName(ServerProps.PR_SMTP_USER) + ")");
        }
        if (user != null && user.chars().anyMatch(c -> c < ' ')) {
            throw unconfigured("the user name holds control characters");
        }
        int timeout = range(props, SmtpTransportService.PR_SMTP_TIMEOUT, DEFAULT_TIMEOUT, 1, 3600, "timeout", "s");
        int idle = range(props, SmtpTransportService.PR_SMTP_IDLE_SECONDS, DEFAULT_IDLE, 0, 3600, "idle time", "s");
        int retry = range(props, SmtpTransportService.PR_SMTP_RETRY_SECONDS, DEFAULT_RETRY, 1, 86400, "retry delay",
                "s");
        int connections = range(props, SmtpTransportService.PR_SMTP_MAX_CONNECTIONS, 1, 1,
                SmtpTransportService.MAX_CONNECTIONS, "connection count", "");
        Path trustStore = string(props, SmtpTransportService.PR_SMTP_TRUST_STORE).filter(s -> !s.isBlank())
                .map(SmtpSettings::trustStorePath).orElse(null);
        String trustPassword = string(props, SmtpTransportService.PR_SMTP_TRUST_STORE_PASSWORD)
                .filter(s -> !s.isEmpty()).orElse(null);
        byte[] pin = string(props, SmtpTransportService.PR_SMTP_CERT_FINGERPRINT).filter(s -> !s.isBlank())
                .map(SmtpSettings::fingerprint).orElse(null);
        // built now, once: a trust store that cannot be read is a configuration error, found when it is configured
        ServerTrust trust = NONE.equals(security) ? ServerTrust.jvmDefault()
                : ServerTrust.of(trustStore, trustPassword, pin,
                        tagName(SmtpTransportService.PR_SMTP_TRUST_STORE_PASSWORD), SmtpSettings::unconfigured);
        return new SmtpSettings(host, port, security, user, password, timeout, idle, retry, trust, connections);
    }

    private static Path trustStorePath(String text) {
        return ServerTrust.trustStorePath(text, SmtpSettings::unconfigured);
    }

    /**
     * @param text a SHA-256 fingerprint: 64 hex digits, optionally separated by colons or spaces (as keytool and
     *             openssl print it), optionally prefixed "SHA256:" / "sha256/"
     * @return its 32 bytes
     */
    static byte[] fingerprint(String text) {
        return ServerTrust.fingerprint(text, SmtpSettings::unconfigured);
    }


    private static int range(IntFunction<Optional<PropValue>> props, int tag, int dflt, int min, int max, String what,
            String unit) {
        int v = integer(props, tag).orElse(dflt);
        if (v < min || v > max) {
            throw unconfigured(what + " " + v + unit + " is outside " + min + ".." + max + " (" + tagName(tag) + ")");
        }
        return v;
    }

    private static Optional<String> string(IntFunction<Optional<PropValue>> props, int tag) {
        return props.apply(tag).filter(v -> !v.isError() && isString(v.type())).map(PropValue::asString);
    }

    private static Optional<Integer> integer(IntFunction<Optional<PropValue>> props, int tag) {
        Optional<PropValue> v = props.apply(tag).filter(x -> !x.isError());
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get().type() == PropType.PT_LONG) {
            return Optional.of(v.get().asInt());
        }
        if (isString(v.get().type())) {
            try {
                return Optional.of(Integer.parseInt(v.get().asString().strip()));
            } catch (NumberFormatException e) {
                throw unconfigured("'" + v.get().asString() + "' is not a number (" + tagName(tag) + ")");
            }
        }
        throw unconfigured(tagName(tag) + " has type " + PropType.name(v.get().type()) + ", expected PT_LONG");
    }

    /** @return whether a property type is one of the string types */
    static boolean isString(int type) {
        return type == PropType.PT_UNICODE || type == PropType.PT_STRING8;
    }

    static String tagName(int tag) {
        return PropTag.toString(tag);
    }

    static MapiException unconfigured(String why) {
        return new MapiException(HResult.MAPI_E_UNCONFIGURED, SmtpTransportService.NAME + " is not configured: " + why);
    }
}
