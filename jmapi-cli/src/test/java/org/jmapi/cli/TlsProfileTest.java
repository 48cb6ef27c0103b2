package org.jmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.jmapi.transport.ServerTrust;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code profile create}'s trust options, against GreenMail's SMTPS port (implicit TLS with GreenMail's own
 * self-signed certificate, which the JDK's trust anchors do not hold): with the certificate's fingerprint pinned
 * ({@code --smtp-cert-fingerprint}) mail goes out; without it, or with another fingerprint, it stays queued with the
 * certificate named as the reason. Options that cannot work are refused before the home is touched, and a trust
 * store the transport cannot read fails the create without leaving a profile behind.
 */
class TlsProfileTest {
    private GreenMail smtps;

    @BeforeEach
    void startServer() {
        smtps = new GreenMail(ServerSetupTest.SMTPS.dynamicPort());
        smtps.start();
    }

    @AfterEach
    void stopServer() {
        smtps.stop();
    }

    /** @return the SHA-256 fingerprint of the certificate GreenMail serves (its bundled greenmail.p12) */
    private static String greenMailFingerprint() {
        try (InputStream in = TlsProfileTest.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            if (in == null) {
                throw new AssertionError("greenmail.p12 is not on the test class path (GreenMail changed?)");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, "changeit".toCharArray());
            return ServerTrust.fingerprint((X509Certificate) ks.getCertificate(ks.aliases().nextElement()));
        } catch (GeneralSecurityException | IOException e) {
            throw new AssertionError("reading GreenMail's certificate: " + e, e);
        }
    }

    private Cli.Result create(Path home, String... trust) {
        List<String> args = new ArrayList<>(List.of("profile", "create", "tls", "--no-local", "--smtp",
                "127.0.0.1:" + smtps.getSmtps().getPort(), "--smtp-security", "tls", "--address", "alice@example.test",
                "--default"));
        args.addAll(List.of(trust));
        return Cli.runEnv(Map.of("USER", "alice", "STORE_PW", "changeit"), "", home, args.toArray(String[]::new));
    }

    /** Sends one message and flushes for at most a few seconds. */
    private static Cli.Result sendAndFlush(Path home) {
        Cli.ok(home, "send", "--to", "bob@example.test", "--subject", "over tls", "--body", "hello");
        return Cli.run(home, "flush", "--timeout", "5");
    }

    @Test
    void aPinnedFingerprint_sendsOverTls_andProfileShowListsIt(@TempDir Path home) throws Exception {
        String pin = greenMailFingerprint();
        Cli.Result created = create(home, "--smtp-cert-fingerprint", pin);
        assertThat(created.code()).as(created.toString()).isZero();
        JsonNode shown = CommandsTest.json(Cli.ok(home, "--json", "profile", "show", "tls"));
        assertThat(shown.toString()).contains("\"cert-fingerprint\":\"" + pin + "\"");
        Cli.Result flushed = sendAndFlush(home);
        assertThat(flushed.code()).as(flushed.toString()).isZero();
        assertThat(smtps.getReceivedMessages()).hasSize(1);
        assertThat(smtps.getReceivedMessages()[0].getSubject()).isEqualTo("over tls");
    }

    @Test
    void withoutTheOption_orWithAnotherFingerprint_theCertificateIsRefused_andTheMailStaysQueued(@TempDir Path home) {
        Path a = home.resolve("a");
        assertThat(create(a).code()).isZero();
        Cli.Result r = sendAndFlush(a);
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(r.err()).contains("1 message still queued").contains("MAPI_E_NETWORK_ERROR");

        Path b = home.resolve("b");
        assertThat(create(b, "--smtp-cert-fingerprint", "00".repeat(32)).code()).isZero();
        r = sendAndFlush(b);
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(r.err()).contains("is not the pinned one");
        assertThat(smtps.getReceivedMessages()).isEmpty();
    }

    @Test
    void optionsThatCannotWork_areRefused_andNothingIsLeftBehind(@TempDir Path home) throws IOException {
        Cli.Result plain = Cli.run(home, "profile", "create", "p", "--no-local", "--smtp", "127.0.0.1:25",
                "--smtp-security", "none", "--smtp-cert-fingerprint", "00".repeat(32));
        assertThat(plain.code()).isNotZero();
        assertThat(plain.err()).contains("--smtp-cert-fingerprint are for TLS");

        Cli.Result noStore = Cli.runEnv(Map.of("USER", "alice", "STORE_PW", "x"), "", home, "profile", "create", "p",
                "--no-local", "--imap", "127.0.0.1:993", "--imap-security", "tls", "--imap-user", "u",
                "--imap-password-env", "STORE_PW", "--imap-trust-store-password-env", "STORE_PW");
        assertThat(noStore.code()).isNotZero();
        assertThat(noStore.err()).contains("--imap-trust-store-password-env needs --imap-trust-store FILE");

        Cli.Result noHost = Cli.run(home, "profile", "create", "p", "--pop3-cert-fingerprint", "00".repeat(32));
        assertThat(noHost.code()).isNotZero();
        assertThat(noHost.err()).contains("--pop3 HOST is missing");

        Path notCertificates = Files.writeString(home.resolve("not-certificates.pem"), "hello");
        Cli.Result badStore = create(home, "--smtp-trust-store", notCertificates.toString());
        assertThat(badStore.code()).isNotZero();
        assertThat(badStore.err()).contains("MAPI_E_UNCONFIGURED").contains(notCertificates.toString());
        assertThat(Cli.ok(home, "profile", "list").out()).doesNotContain("tls");
    }
}
