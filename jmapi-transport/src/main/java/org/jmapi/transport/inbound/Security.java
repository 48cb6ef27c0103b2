package org.jmapi.transport.inbound;

import java.util.Locale;
import java.util.Optional;

/**
 * How a mail-server connection is protected, as configured in the profile ({@code "none"}, {@code "starttls"},
 * {@code "tls"}). With {@link #STARTTLS} the connection starts in clear and is upgraded (POP3 {@code STLS}, IMAP
 * {@code STARTTLS}) before anything secret is sent; a server that does not offer the upgrade is refused, never
 * silently used in clear. With {@link #TLS} the connection is TLS from its first byte. Both check the server's
 * certificate as the account's {@link InboundSettings#trust()} says: a pinned fingerprint, a trust store, or (when
 * neither is configured) the JVM's default trust; with the last two also its host name.
 */
public enum Security {
    /** No protection: user name and password travel in clear. */
    NONE("none"),
    /** Clear connection upgraded with STLS / STARTTLS before logging in. */
    STARTTLS("starttls"),
    /** Implicit TLS (POP3S, IMAPS). */
    TLS("tls");

    private final String value;

    Security(String value) {
        this.value = value;
    }

    /** @return the profile value, e.g. {@code "starttls"} */
    public String value() {
        return value;
    }

    /**
     * @param text a configured value; case and surrounding blanks are ignored
     * @return the matching mode, or empty for an unknown value
     */
    public static Optional<Security> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (Security s : values()) {
            if (s.value.equals(t)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
