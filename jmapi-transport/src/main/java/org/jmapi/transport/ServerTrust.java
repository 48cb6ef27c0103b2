package org.jmapi.transport;

import org.jmapi.MapiException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Function;

/**
 * How a transport's TLS connection (SMTP, POP3, IMAP) decides to trust the server's certificate, in one of three
 * ways, configured per account:
 * <ol>
 * <li><b>Pinned fingerprint</b> (SMTP {@code PR_SMTP_CERT_FINGERPRINT}, POP3 {@code PR_POP3_CERT_FINGERPRINT}, IMAP
 *     {@code PR_IMAP_CERT_FINGERPRINT}): the server's own certificate (the first of its chain) must have exactly this
 *     SHA-256 fingerprint; nothing else is checked, since the pin names the one certificate accepted. For a server
 *     with a self-signed certificate. It wins over a trust store given as well.</li>
 * <li><b>Trust store</b> ({@code PR_*_TRUST_STORE}): the chain must lead to a certificate in this file (PKIX), and
 *     the certificate must name the configured host (RFC 2818 host name check, as for HTTPS). The file is PEM or DER
 *     certificates, or a PKCS12 / JKS key store ({@code PR_*_TRUST_STORE_PASSWORD} when it has a password). For a
 *     private CA.</li>
 * <li><b>Neither</b>: the JVM's default trust ({@link SSLSocketFactory#getDefault()}, looked up at every
 *     handshake), with the host name check.</li>
 * </ol>
 * There is no "trust everything" setting. The settings' texts are checked by {@link #trustStorePath} and
 * {@link #fingerprint(String, Function)}; each caller passes how a configuration error is reported (its own
 * MAPI_E_UNCONFIGURED message). Immutable and thread-safe: one instance serves every connection of an account.
 */
public final class ServerTrust {
    /** Creates the TLS sockets; null for the JVM default, looked up at each {@link #start}. */
    private final SSLSocketFactory factory;
    /** Whether the host name is checked against the certificate (not for a pinned certificate). */
    private final boolean checkHostName;
    /** What this trust is, for {@link #toString()}. */
    private final String description;

    private ServerTrust(SSLSocketFactory factory, boolean checkHostName, String description) {
        this.factory = factory;
        this.checkHostName = checkHostName;
        this.description = description;
    }

    /** @return the JVM's default trust with the host name check (nothing configured) */
    public static ServerTrust jvmDefault() {
        return new ServerTrust(null, true, "JVM default trust");
    }

    /**
     * Builds the trust a configuration asks for: the pin when there is one, else the trust store when there is one,
     * else {@link #jvmDefault()}.
     *
     * @param trustStore       a checked trust store file ({@link #trustStorePath}), or null
     * @param password         the trust store's password, or null
     * @param pinnedSha256     a checked SHA-256 fingerprint ({@link #fingerprint(String, Function)}), or null
     * @param passwordTagName  the name of the password's property, for the message when the file cannot be read
     * @param unconfigured     makes the caller's MAPI_E_UNCONFIGURED exception from a reason
     * @return the trust decision
     * @throws MapiException what {@code unconfigured} makes, when the trust store cannot be read
     */
    public static ServerTrust of(Path trustStore, String password, byte[] pinnedSha256, String passwordTagName,
                                 Function<String, MapiException> unconfigured) {
        try {
            if (pinnedSha256 != null) {
                return new ServerTrust(context(new TrustManager[] {new Pinned(pinnedSha256)}).getSocketFactory(),
                        false, "pinned SHA-256 " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(pinnedSha256));
            }
            if (trustStore != null) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(trustStore, password, passwordTagName, unconfigured));
                return new ServerTrust(context(tmf.getTrustManagers()).getSocketFactory(), true,
                        "trust store " + trustStore);
            }
            return jvmDefault();
        } catch (GeneralSecurityException e) {
            throw unconfigured.apply("cannot set up TLS: " + e.getMessage());
        }
    }

    private static SSLContext context(TrustManager[] managers) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, managers, null);
        return ctx;
    }

    /** Reads the trust store file: certificates (PEM or DER) first, else a key store. */
    private static KeyStore load(Path trustStore, String password, String passwordTagName,
                                 Function<String, MapiException> unconfigured) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        Collection<? extends Certificate> certs = null;
        try (InputStream in = Files.newInputStream(trustStore)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException | IOException e) {
            certs = null; // not certificates: try it as a key store below
        }
        if (certs != null && !certs.isEmpty()) {
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("cert-" + i++, c);
            }
            return ks;
        }
        char[] pw = password == null ? null : password.toCharArray();
        try {
            return KeyStore.getInstance(trustStore.toFile(), pw);
        } catch (IOException | KeyStoreException e) {
            // IOException: a key store the password does not open; KeyStoreException: no key store format at all
            throw unconfigured.apply("trust store " + trustStore + " is neither certificates (PEM or"
                    + " DER) nor a key store this JDK reads with the configured password (" + passwordTagName + ")");
        }
    }

    /**
     * Checks a configured trust store path.
     *
     * @param text         the configured text (not blank)
     * @param unconfigured makes the caller's MAPI_E_UNCONFIGURED exception from a reason
     * @return the absolute, normalised path of a readable regular file
     * @throws MapiException what {@code unconfigured} makes, when the text is no path or no readable file
     */
    public static Path trustStorePath(String text, Function<String, MapiException> unconfigured) {
        Path p;
        try {
            p = Path.of(text.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw unconfigured.apply("trust store '" + text + "' is not a valid path");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw unconfigured.apply("trust store " + p + " is not a readable file");
        }
        return p;
    }

    /**
     * Parses a configured certificate fingerprint.
     *
     * @param text         a SHA-256 fingerprint: 64 hex digits, optionally separated by colons or spaces (as keytool
     *                     and openssl print it), optionally prefixed "SHA256:" / "sha256/"
     * @param unconfigured makes the caller's MAPI_E_UNCONFIGURED exception from a reason
     * @return its 32 bytes
     * @throws MapiException what {@code unconfigured} makes, when the text is not such a fingerprint
     */
    public static byte[] fingerprint(String text, Function<String, MapiException> unconfigured) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sha256:") || lower.startsWith("sha256/") || lower.startsWith("sha-256:")) {
            t = t.substring(t.indexOf(lower.startsWith("sha256/") ? '/' : ':') + 1);
        }
        String hex = t.replaceAll("[:\\s]", "");
        if (!hex.matches("[0-9A-Fa-f]{64}")) {
            throw unconfigured.apply("certificate fingerprint '" + text + "' is not a SHA-256 fingerprint (64 hex"
                    + " digits, colons allowed)");
        }
        return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    }

    /**
     * Starts TLS on a connected socket and completes the handshake. Closing {@code plain} from another thread makes a
     * handshake in progress fail at once.
     *
     * @param plain  the connected socket
     * @param host   the configured host (SNI and the host name check)
     * @param port   the port
     * @param millis the read timeout for the TLS socket
     * @return the TLS socket, handshake done
     * @throws IOException when the handshake fails (an untrusted certificate among others)
     */
    public SSLSocket start(Socket plain, String host, int port, int millis) throws IOException {
        SSLSocketFactory f = factory != null ? factory : (SSLSocketFactory) SSLSocketFactory.getDefault();
        SSLSocket ssl = (SSLSocket) f.createSocket(plain, host, port, true);
        ssl.setUseClientMode(true);
        if (checkHostName) {
            SSLParameters p = ssl.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(p);
        }
        ssl.setSoTimeout(millis);
        ssl.startHandshake();
        return ssl;
    }

    /**
     * @param cert a certificate
     * @return its SHA-256 fingerprint, hex with colons (as keytool prints it)
     */
    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException("SHA-256 of a certificate", e);
        }
    }

    /** @return which trust this is (never a password) */
    @Override
    public String toString() {
        return description;
    }

    /** Accepts exactly the certificate with the pinned SHA-256 fingerprint. */
    private static final class Pinned implements X509TrustManager {
        private final byte[] pin;

        Pinned(byte[] pin) {
            this.pin = pin.clone();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            byte[] got;
            try {
                got = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            } catch (NoSuchAlgorithmException e) {
                throw new CertificateException("no SHA-256 in this JDK", e);
            }
            if (!MessageDigest.isEqual(got, pin)) {
                throw new CertificateException("the server certificate's SHA-256 fingerprint "
                        + HexFormat.ofDelimiter(":").withUpperCase().formatHex(got)
                        + " is not the pinned one " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(pin));
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client certificate is never trusted here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
