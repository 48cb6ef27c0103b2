package org.jmapi.transport.smtp;

import org.jmapi.transport.ServerTrust;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real certificates for the TLS tests, made with the JDK's own {@code keytool} (no test-only crypto library): a
 * server key store whose certificate names {@code localhost} and {@code 127.0.0.1}, the same certificate as a PEM
 * file and as a password-protected PKCS12 trust store, and GreenMail's bundled self-signed certificate (for the
 * pinned-fingerprint tests). Fails loudly when keytool is missing. Public for the POP3 / IMAP trust tests
 * ({@code inbound.InboundTransportContract}): no default trust ever holds these certificates.
 */
public final class TestCertificates {
    /** The password of every key store made here. */
    public static final String PASSWORD = "changeit";
    /** The server's PKCS12 key store (private key + certificate). */
    public final Path serverKeyStore;
    /** The server certificate, PEM. */
    public final Path serverPem;
    /** A PKCS12 trust store holding only the server certificate, password {@value #PASSWORD}. */
    public final Path trustStore;
    /** An unrelated certificate, PEM: trusting only it must make the handshake fail. */
    public final Path otherPem;
    /** A key store whose certificate names only mail.example.net (not localhost, not 127.0.0.1). */
    public final Path wrongNameKeyStore;
    /** That certificate, PEM. */
    public final Path wrongNamePem;

    private TestCertificates(Path dir) throws IOException, InterruptedException {
        serverKeyStore = dir.resolve("server.p12");
        serverPem = dir.resolve("server.pem");
        trustStore = dir.resolve("trust.p12");
        otherPem = dir.resolve("other.pem");
        Path other = dir.resolve("other.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", serverKeyStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", serverKeyStore.toString(), "-storepass",
                PASSWORD, "-file", serverPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", serverPem.toString(), "-keystore",
                trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", other.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", other.toString(), "-storepass", PASSWORD,
                "-file", otherPem.toString());
        wrongNameKeyStore = dir.resolve("wrongname.p12");
        wrongNamePem = dir.resolve("wrongname.pem");
        keytool("-genkeypair", "-alias", "wrong", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=mail.example.net", "-ext", "SAN=dns:mail.example.net", "-validity", "2", "-keystore",
                wrongNameKeyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "wrong", "-keystore", wrongNameKeyStore.toString(), "-storepass",
                PASSWORD, "-file", wrongNamePem.toString());
    }

    /** @return certificates made in {@code dir} */
    public static TestCertificates create(Path dir) {
        try {
            return new TestCertificates(dir);
        } catch (IOException e) {
            throw new AssertionError("cannot run keytool: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(tool)) {
            throw new AssertionError("the TLS tests need the JDK's keytool, not found at " + tool);
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(tool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("keytool " + String.join(" ", args) + " failed:\n"
                    + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** @return a server-side TLS context presenting the server certificate */
    public SSLContext serverContext() {
        return serverContext(serverKeyStore);
    }

    /** @return a server-side TLS context presenting the certificate of {@code keyStore} */
    public static SSLContext serverContext(Path keyStore) {
        try {
            KeyStore ks = KeyStore.getInstance(keyStore.toFile(), PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new AssertionError("server TLS context: " + e, e);
        }
    }

    /** @return the SHA-256 fingerprint of the certificate in a PEM file, as keytool prints it */
    public static String fingerprint(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return ServerTrust.fingerprint((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        } catch (GeneralSecurityException | IOException e) {
            throw new AssertionError("reading " + pem + ": " + e, e);
        }
    }

    /** @return the SHA-256 fingerprint of GreenMail's bundled self-signed certificate, as keytool prints it */
    public static String greenMailFingerprint() {
        try (InputStream in = TestCertificates.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            if (in == null) {
                throw new AssertionError("greenmail.p12 is not on the test class path (GreenMail changed?)");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            String alias = ks.aliases().nextElement();
            return ServerTrust.fingerprint((X509Certificate) ks.getCertificate(alias));
        } catch (GeneralSecurityException | IOException e) {
            throw new AssertionError("reading GreenMail's certificate: " + e, e);
        }
    }
}
