package org.jmapi.transport.inbound;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;

/**
 * The test certificate for TLS peers: {@code localhost.p12} (a self-signed RSA certificate for DNS localhost and IP
 * 127.0.0.1, password {@code changeit}, valid for a century; made with {@code keytool -genkeypair ... -ext
 * SAN=dns:localhost,ip:127.0.0.1}). {@link #server()} is what a test peer presents; {@link #writeCertificatePem}
 * writes the certificate to a PEM file, which a test names as the account's trust store (PR_POP3_TRUST_STORE,
 * PR_IMAP_TRUST_STORE), so the transports connect to the test peers with certificate and host-name checks fully on.
 * The JVM's default trust is never changed: it is the JDK's own CAs, which do not hold this certificate.
 */
public final class TestTls {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final String ALIAS = "localhost";
    private static SSLContext server;

    private TestTls() {
    }

    private static KeyStore keyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = TestTls.class.getResourceAsStream("localhost.p12")) {
            if (in == null) {
                throw new IllegalStateException("test resource localhost.p12 is missing");
            }
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** @return a server-side context presenting the test certificate */
    public static synchronized SSLContext server() {
        if (server == null) {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore(), PASSWORD);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                server = ctx;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot load the test certificate", e);
            }
        }
        return server;
    }

    /**
     * Writes the test certificate (not its key) as a PEM file, for an account's trust store setting.
     *
     * @param dir the directory, e.g. a test's @TempDir
     * @return the file written, {@code dir/localhost-cert.pem}
     */
    public static Path writeCertificatePem(Path dir) {
        try {
            KeyStore ks = keyStore();
            Certificate cert = ks.getCertificate(ALIAS);
            if (cert == null) {
                throw new IllegalStateException("localhost.p12 has no entry '" + ALIAS + "'; it holds "
                        + Collections.list(ks.aliases()));
            }
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                    cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
            Path file = dir.resolve("localhost-cert.pem");
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            return file;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write the test certificate to " + dir, e);
        }
    }
}
