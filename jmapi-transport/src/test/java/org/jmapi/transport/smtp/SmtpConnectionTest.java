package org.jmapi.transport.smtp;

import org.jmapi.HResult;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropValue;
import org.jmapi.transport.ServerProps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SMTP client itself, against {@link SmtpResponder} over real sockets: session set-up (EHLO / HELO, STARTTLS,
 * AUTH PLAIN and LOGIN), the trust settings, the transaction's parameters and pipelining, timeouts and close from
 * another thread, and that no text it makes holds the password.
 */
class SmtpConnectionTest {
    private static final String PASSWORD = "s3cret-Pa55";
    @TempDir
    static Path certDir;
    private static TestCertificates certs;
    private SmtpResponder server;

    @org.junit.jupiter.api.BeforeAll
    static void certificates() {
        certs = TestCertificates.create(certDir);
    }

    @BeforeEach
    void start() {
        server = SmtpResponder.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SmtpSettings settings(String security, PropValue... more) {
        Map<Integer, PropValue> m = new HashMap<>();
        List<PropValue> all = new ArrayList<>(List.of(PropValue.ofString(ServerProps.PR_SMTP_HOST, "127.0.0.1"),
                PropValue.ofInt(ServerProps.PR_SMTP_PORT, server.port()),
                PropValue.ofString(ServerProps.PR_SMTP_SECURITY, security),
                PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 5)));
        all.addAll(List.of(more));
        for (PropValue v : all) {
            m.put(v.id(), v);
        }
        return SmtpSettings.read(tag -> Optional.ofNullable(m.get(PropTag.id(tag))));
    }

    private static SmtpConnection connection(SmtpSettings s) {
        return new SmtpConnection(s, new Secrets(s.user(), s.password()));
    }

    private static PropValue user(String u) {
        return PropValue.ofString(ServerProps.PR_SMTP_USER, u);
    }

    private static PropValue password(String p) {
        return PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, p);
    }

    @Test
    void ehloAnnouncementsAreRead() throws Exception {
        server.extensions = List.of("PIPELINING", "SIZE 1000", "8BITMIME", "auth=LOGIN");
        try (SmtpConnection c = connection(settings("none"))) {
            c.open();
            assertThat(c.has("PIPELINING")).isTrue();
            assertThat(c.has("8BITMIME")).isTrue();
            assertThat(c.has("STARTTLS")).isFalse();
            assertThat(c.maxSize()).isEqualTo(1000);
        }
        assertThat(server.commands().get(0)).startsWith("EHLO [127.0.0.1]");
    }

    @Test
    void aServerWithoutEhloGetsHelo() throws Exception {
        server.ehlo = false;
        server.extensions = List.of("PIPELINING");
        try (SmtpConnection c = connection(settings("none"))) {
            c.open();
            assertThat(c.has("PIPELINING")).as("no extensions after HELO").isFalse();
            SmtpTransaction t = SmtpTransaction.run(c, "a@example.org", List.of("b@example.org"),
                    "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(t.end.code()).isEqualTo(250);
        }
        assertThat(server.commands()).startsWith("EHLO [127.0.0.1]", "HELO [127.0.0.1]");
    }

    @Test
    void aGreetingOtherThan220RefusesTheSession() {
        server.greeting = "554 5.3.2 not accepting mail from you";
        try (SmtpConnection c = connection(settings("none"))) {
            assertThatThrownBy(c::open).isInstanceOfSatisfying(SmtpFailure.class, f -> {
                assertThat(f.hresult()).isEqualTo(HResult.MAPI_E_NETWORK_ERROR);
                assertThat(f.getMessage()).contains("554 5.3.2 not accepting mail from you");
            });
        }
    }

    @Test
    void sizeAndEightBitAreAnnouncedOnlyWhenTheServerOffersThemAndTheMessageNeedsThem() throws Exception {
        byte[] eightBit = "Subject: x\r\n\r\ncaf\u00e9\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] ascii = "Subject: x\r\n\r\ncafe\r\n".getBytes(StandardCharsets.US_ASCII);
        server.extensions = List.of("SIZE 100000", "8BITMIME");
        try (SmtpConnection c = connection(settings("none"))) {
            c.open();
            SmtpTransaction.run(c, "a@example.org", List.of("b@example.org"), eightBit);
            c.command("RSET");
            SmtpTransaction.run(c, "a@example.org", List.of("b@example.org"), ascii);
        }
        server.extensions = List.of();
        try (SmtpConnection c = connection(settings("none"))) {
            c.open();
            SmtpTransaction.run(c, "a@example.org", List.of("b@example.org"), eightBit);
        }
        assertThat(server.received()).extracting(SmtpResponder.Received::mailLine).containsExactly(
                "MAIL FROM:<a@example.org> SIZE=" + eightBit.length + " BODY=8BITMIME",
                "MAIL FROM:<a@example.org> SIZE=" + ascii.length,
                "MAIL FROM:<a@example.org>");
        assertThat(server.received().get(0).content()).isEqualTo(eightBit);
    }

    @Test
    void pipeliningSendsTheWholeGroupBeforeReadingAndReadsTheRepliesInOrder() throws Exception {
        server.extensions = List.of("PIPELINING");
        server.rcptReply = a -> a.startsWith("no") ? "550 5.1.1 <" + a + ">: no such user" : "250 2.1.5 ok";
        try (SmtpConnection c = connection(settings("none"))) {
            c.open();
            SmtpTransaction t = SmtpTransaction.run(c, "", List.of("a@example.org", "nobody@example.org",
                    "c@example.org"), "Subject: p\r\n\r\n.dot\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(t.pipelined).isTrue();
            assertThat(t.mail.code()).isEqualTo(250);
            assertThat(t.rcpt).extracting(SmtpReply::code).containsExactly(250, 550, 250);
            assertThat(t.rcpt[1].text()).isEqualTo("550 5.1.1 <nobody@example.org>: no such user");
            assertThat(t.data.code()).isEqualTo(354);
            assertThat(t.end.code()).isEqualTo(250);
        }
        assertThat(server.violations()).isEmpty();
        assertThat(server.received()).singleElement().satisfies(r -> {
            assertThat(r.from()).isEmpty();
            assertThat(r.recipients()).containsExactly("a@example.org", "c@example.org");
            assertThat(r.text()).isEqualTo("Subject: p\r\n\r\n.dot\r\n");
        });
    }

    @Test
    void pipelinedWithNoRecipientAcceptedTheContentIsNotSent() throws Exception {
        server.extensions = List.of("PIPELINING");
        server.rcptReply = a -> "550 5.1.1 no";
        try (SmtpConnection c = connection(settings("none"))) {
            c.open();
            SmtpTransaction t = SmtpTransaction.run(c, "a@example.org", List.of("x@example.org"),
                    "Subject: p\r\n\r\nsecret content\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(t.accepted()).isZero();
            assertThat(t.end).isNull();
            assertThat(c.command("RSET").code()).as("the session is still usable").isEqualTo(250);
        }
        assertThat(server.received()).isEmpty();
    }

    @Test
    void withoutPipeliningNoRecipientAcceptedMeansNoData() throws Exception {
        server.rcptReply = a -> "550 5.1.1 no";
        try (SmtpConnection c = connection(settings("none"))) {
            c.open();
            SmtpTransaction t = SmtpTransaction.run(c, "a@example.org", List.of("x@example.org", "y@example.org"),
                    "Subject: p\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(t.pipelined).isFalse();
            assertThat(t.data).isNull();
        }
        assertThat(server.commands()).noneMatch(l -> l.equals("DATA"));
    }

    @Test
    void authPlainAndAuthLogin() throws Exception {
        server.users.put("me", PASSWORD);
        server.authMechanisms = List.of("PLAIN", "LOGIN");
        try (SmtpConnection c = connection(settings("none", user("me"), password(PASSWORD)))) {
            c.open();
            SmtpTransaction.run(c, "a@example.org", List.of("b@example.org"), "S: x\r\n\r\n".getBytes());
        }
        server.authMechanisms = List.of("LOGIN");
        try (SmtpConnection c = connection(settings("none", user("me"), password(PASSWORD)))) {
            c.open();
            SmtpTransaction.run(c, "a@example.org", List.of("b@example.org"), "S: x\r\n\r\n".getBytes());
        }
        assertThat(server.received()).extracting(SmtpResponder.Received::user).containsExactly("me", "me");
        assertThat(server.commands()).anyMatch(l -> l.startsWith("AUTH PLAIN "))
                .anyMatch(l -> l.equals("AUTH LOGIN"));
    }

    @Test
    void refusedCredentialsAreLogonFailedAndNoTextHoldsThePassword() {
        server.users.put("me", "another password");
        server.authMechanisms = List.of("PLAIN");
        server.authFailure = "535 5.7.8 credentials invalid: %s"; // a server that echoes the AUTH line
        try (SmtpConnection c = connection(settings("none", user("me"), password(PASSWORD)))) {
            assertThatThrownBy(c::open).isInstanceOfSatisfying(SmtpFailure.class, f -> {
                assertThat(f.hresult()).isEqualTo(HResult.MAPI_E_LOGON_FAILED);
                assertThat(f.getMessage()).contains("535 5.7.8 credentials invalid: AUTH PLAIN " + Secrets.MASK)
                        .contains("'me'");
                assertNoSecret(f.getMessage());
            });
        }
        server.authMechanisms = List.of("LOGIN");
        server.authFailure = "535 5.7.8 no";
        try (SmtpConnection c = connection(settings("none", user("me"), password(PASSWORD)))) {
            assertThatThrownBy(c::open).isInstanceOfSatisfying(SmtpFailure.class,
                    f -> assertThat(f.hresult()).isEqualTo(HResult.MAPI_E_LOGON_FAILED));
        }
    }

    private static void assertNoSecret(String text) {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        assertThat(text).doesNotContain(PASSWORD)
                .doesNotContain(b64.encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)))
                .doesNotContain(b64.encodeToString(Secrets.plainToken("me", PASSWORD)));
    }

    @Test
    void aConfiguredUserAndAServerWithoutAuthFailClearly() {
        try (SmtpConnection c = connection(settings("none", user("me"), password(PASSWORD)))) {
            assertThatThrownBy(c::open).isInstanceOfSatisfying(SmtpFailure.class, f -> {
                assertThat(f.hresult()).isEqualTo(HResult.MAPI_E_LOGON_FAILED);
                assertThat(f.getMessage()).contains("does not offer AUTH");
            });
        }
    }

    @Test
    void startTlsWithATrustStoreThenAuth() throws Exception {
        server.startTls = certs.serverContext();
        server.users.put("me", PASSWORD);
        server.authMechanisms = List.of("PLAIN");
        PropValue pem = PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, certs.serverPem.toString());
        try (SmtpConnection c = connection(settings("starttls", pem, user("me"), password(PASSWORD)))) {
            c.open();
            assertThat(c.tlsActive()).isTrue();
            SmtpTransaction.run(c, "a@example.org", List.of("b@example.org"), "S: x\r\n\r\n".getBytes());
        }
        PropValue p12 = PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, certs.trustStore.toString());
        PropValue p12Password = PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE_PASSWORD,
                TestCertificates.PASSWORD);
        try (SmtpConnection c = connection(settings("starttls", p12, p12Password, user("me"), password(PASSWORD)))) {
            c.open();
            SmtpTransaction.run(c, "a@example.org", List.of("b@example.org"), "S: x\r\n\r\n".getBytes());
        }
        assertThat(server.received()).hasSize(2).allSatisfy(r -> {
            assertThat(r.tls()).isTrue();
            assertThat(r.user()).isEqualTo("me");
        });
        assertThat(server.commands()).containsSubsequence("EHLO [127.0.0.1]", "STARTTLS", "EHLO [127.0.0.1]");
        assertThat(server.commands().indexOf("STARTTLS"))
                .isLessThan(indexOfPrefix(server.commands(), "AUTH PLAIN"));
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void anUntrustedCertificateOrAWrongPinEndsTheHandshake() {
        server.startTls = certs.serverContext();
        PropValue other = PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, certs.otherPem.toString());
        try (SmtpConnection c = connection(settings("starttls", other))) {
            assertThatThrownBy(c::open).isInstanceOf(IOException.class).hasMessageContaining("TLS with 127.0.0.1:");
        }
        PropValue wrongPin = PropValue.ofString(SmtpTransportService.PR_SMTP_CERT_FINGERPRINT, "00".repeat(32));
        try (SmtpConnection c = connection(settings("starttls", wrongPin))) {
            assertThatThrownBy(c::open).isInstanceOf(IOException.class).hasMessageContaining("TLS with");
        }
        try (SmtpConnection c = connection(settings("starttls"))) {
            assertThatThrownBy(c::open).as("the JDK's trust anchors do not know a test certificate")
                    .isInstanceOf(IOException.class);
        }
        assertThat(server.commands()).noneMatch(l -> l.startsWith("MAIL"));
    }

    @Test
    void aTrustedCertificateThatDoesNotNameTheHostIsRefusedButMayBePinned() throws Exception {
        server.startTls = TestCertificates.serverContext(certs.wrongNameKeyStore);
        PropValue trusted = PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, certs.wrongNamePem.toString());
        try (SmtpConnection c = connection(settings("starttls", trusted))) {
            assertThatThrownBy(c::open).isInstanceOf(IOException.class).hasMessageContaining("TLS with");
        }
        PropValue pin = PropValue.ofString(SmtpTransportService.PR_SMTP_CERT_FINGERPRINT,
                TestCertificates.fingerprint(certs.wrongNamePem));
        try (SmtpConnection c = connection(settings("starttls", pin))) {
            c.open();
            assertThat(c.tlsActive()).isTrue();
        }
    }

    @Test
    void theHostNameIsCheckedByName() throws Exception {
        server.startTls = certs.serverContext();
        Map<Integer, PropValue> m = new HashMap<>();
        for (PropValue v : List.of(PropValue.ofString(ServerProps.PR_SMTP_HOST, "localhost"),
                PropValue.ofInt(ServerProps.PR_SMTP_PORT, server.port()),
                PropValue.ofString(ServerProps.PR_SMTP_SECURITY, "starttls"),
                PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 5),
                PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, certs.serverPem.toString()))) {
            m.put(v.id(), v);
        }
        try (SmtpConnection c = connection(SmtpSettings.read(tag -> Optional.ofNullable(m.get(PropTag.id(tag)))))) {
            c.open(); // "localhost" is in the certificate's names
            assertThat(c.tlsActive()).isTrue();
        }
    }

    @Test
    void aPinnedCertificateIsAcceptedWithoutATrustStore() throws Exception {
        server.startTls = certs.serverContext();
        try (SmtpConnection c = connection(settings("starttls",
                PropValue.ofString(SmtpTransportService.PR_SMTP_CERT_FINGERPRINT,
                        TestCertificates.fingerprint(certs.serverPem))))) {
            c.open();
            assertThat(c.tlsActive()).isTrue();
        }
    }

    @Test
    void startTlsRequiredButNotOfferedSendsNothing() {
        try (SmtpConnection c = connection(settings("starttls",
                PropValue.ofString(SmtpTransportService.PR_SMTP_CERT_FINGERPRINT, "00".repeat(32))))) {
            assertThatThrownBy(c::open).isInstanceOfSatisfying(SmtpFailure.class, f -> {
                assertThat(f.hresult()).isEqualTo(HResult.MAPI_E_NETWORK_ERROR);
                assertThat(f.getMessage()).contains("does not offer STARTTLS");
            });
        }
        assertThat(server.commands()).containsExactly("EHLO [127.0.0.1]");
    }

    @Test
    void aServerThatSaysNothingTimesOut() {
        server.silent = true;
        try (SmtpConnection c = connection(settings("none",
                PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 1)))) {
            assertThatThrownBy(c::open).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        server.silent = true;
        SmtpConnection c = connection(settings("none", PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 600)));
        CompletableFuture<Throwable> result = CompletableFuture.supplyAsync(() -> {
            try {
                c.open();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        SmtpFixture.await(() -> server.connections() == 1, () -> "the connection");
        c.close();
        assertThat(result.get(30, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(c.isClosed()).isTrue();
    }
}
