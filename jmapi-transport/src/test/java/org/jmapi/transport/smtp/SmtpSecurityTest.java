package org.jmapi.transport.smtp;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.MapiStatus;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.transport.ServerProps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.smtp.SmtpFixture.await;
import static org.jmapi.transport.smtp.SmtpFixture.recipient;

/**
 * TLS and AUTH in a real session: implicit TLS to GreenMail's SMTPS with its self-signed certificate pinned,
 * STARTTLS with a trust store to {@link SmtpResponder}, refused credentials (MAPI_E_LOGON_FAILED in the status row,
 * the message stays queued until the configuration is fixed), and the password never in a status row, the
 * trace or the profile-independent texts.
 */
class SmtpSecurityTest {
    private static final String PASSWORD = "Tr0ub4dor&3-secret";
    @TempDir
    static Path certDir;
    private static TestCertificates certs;

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create(certDir);
    }

    private static List<PropValue> with(List<PropValue> base, PropValue... more) {
        List<PropValue> out = new java.util.ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    private static void assertNoPassword(String what, String text) {
        Base64.Encoder b64 = Base64.getEncoder();
        assertThat(text).as(what).doesNotContain(PASSWORD)
                .doesNotContain(b64.encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)))
                .doesNotContain(b64.encodeToString(Secrets.plainToken("me", PASSWORD)));
    }

    @Test
    void R_XPS_2_implicitTlsToGreenMailWithItsCertificatePinnedAndAuth(@TempDir Path home) {
        GreenMail greenMail = new GreenMail(ServerSetupTest.SMTPS.dynamicPort());
        greenMail.start();
        try {
            greenMail.setUser("me@example.org", "me", PASSWORD);
            List<PropValue> settings = with(SmtpFixture.smtp(greenMail.getSmtps().getPort(), "tls"),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_CERT_FINGERPRINT,
                            TestCertificates.greenMailFingerprint()),
                    PropValue.ofString(ServerProps.PR_SMTP_USER, "me"),
                    PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, PASSWORD));
            try (SmtpFixture f = SmtpFixture.start(home, settings)) {
                f.submit("over tls", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("over tls"),
                        () -> "sent; status " + f.statusString());
                assertThat(greenMail.getReceivedMessages()).hasSize(1);
                assertThat(f.statusString()).isEqualTo("Connected to 127.0.0.1:" + greenMail.getSmtps().getPort()
                        + " (TLS)");
            }
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void R_XPS_2_aWrongPinSendsNothingAndSaysSo(@TempDir Path home) {
        GreenMail greenMail = new GreenMail(ServerSetupTest.SMTPS.dynamicPort());
        greenMail.start();
        try {
            List<PropValue> settings = with(SmtpFixture.smtp(greenMail.getSmtps().getPort(), "tls"),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_CERT_FINGERPRINT,
                            TestCertificates.fingerprint(certs.serverPem)));
            try (SmtpFixture f = SmtpFixture.start(home, settings)) {
                f.submit("untrusted", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.statusString().contains("TLS with 127.0.0.1"), () -> "the TLS failure in the status row, "
                        + "got " + f.statusString());
                assertThat(f.statusString()).startsWith("Network error (MAPI_E_NETWORK_ERROR)")
                        .contains("is not the pinned one");
                assertThat(greenMail.getReceivedMessages()).isEmpty();
                assertThat(f.queued()).containsExactly("untrusted");
            }
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void R_XPS_2_startTlsWithATrustStoreThenAuthLogin(@TempDir Path home) {
        try (SmtpResponder server = SmtpResponder.start()) {
            server.startTls = certs.serverContext();
            server.authMechanisms = List.of("LOGIN");
            server.users.put("me", PASSWORD);
            List<PropValue> settings = with(SmtpFixture.smtp(server.port(), "starttls"),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, certs.trustStore.toString()),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE_PASSWORD, TestCertificates.PASSWORD),
                    PropValue.ofString(ServerProps.PR_SMTP_USER, "me"),
                    PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, PASSWORD));
            try (SmtpFixture f = SmtpFixture.start(home, settings)) {
                f.submit("starttls", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("starttls"),
                        () -> "sent; status " + f.statusString());
                assertThat(server.received()).singleElement().satisfies(r -> {
                    assertThat(r.tls()).isTrue();
                    assertThat(r.user()).isEqualTo("me");
                });
                assertThat(server.commands()).containsSubsequence("STARTTLS", "AUTH LOGIN");
            }
        }
    }

    @Test
    void R_XPS_2_aRefusedPasswordIsLogonFailedTheMessageStaysQueuedAndGoesOnceItIsFixed(@TempDir Path home)
            throws Exception {
        GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        try {
            greenMail.setUser("me@example.org", "me", "the right one");
            List<PropValue> settings = with(SmtpFixture.smtp(greenMail.getSmtp().getPort(), "none"),
                    PropValue.ofString(ServerProps.PR_SMTP_USER, "me"),
                    PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, PASSWORD));
            try (SmtpFixture f = SmtpFixture.start(home, settings)) {
                EntryId id = f.submit("bad password", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.statusString().contains("MAPI_E_LOGON_FAILED"), () -> "the logon failure in the status"
                        + " row, got " + f.statusString());
                assertThat(f.statusString()).startsWith("Logon to 127.0.0.1:" + greenMail.getSmtp().getPort()
                        + " failed (MAPI_E_LOGON_FAILED)").contains("535").contains("'me'");
                assertThat(f.statusCode() & Flags.STATUS_FAILURE).isNotZero();
                assertThat(greenMail.getReceivedMessages()).isEmpty();
                assertThat(f.queued()).containsExactly("bad password");
                await(() -> (f.submitFlags(id) & Flags.SUBMITFLAG_LOCKED) == 0, () -> "the message unlocked");

                assertNoPassword("status row", f.statusString());
                assertNoPassword("trace", f.traceText());
                try (Stream<Path> files = Files.walk(home)) {
                    for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString()
                            .startsWith("profile") && !p.toString().contains("profiles")).toList()) {
                        if (p.getFileName().toString().endsWith(".jmapi") || p.toString().contains("-wal")
                                || p.toString().contains("-shm")) {
                            continue; // the store file holds mail, never settings
                        }
                        assertNoPassword(p.toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
                    }
                }

                f.reconfigure(SmtpTransportService.NAME, List.of(
                        PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, "the right one")));
                try (MapiStatus status = f.transportStatus()) {
                    status.validateState(0, Flags.CONFIG_CHANGED);
                }
                f.flushOutbound();
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("bad password"),
                        () -> "sent after the fix; status " + f.statusString());
                assertThat(greenMail.getReceivedMessages()).hasSize(1);
                assertThat(f.statusCode() & Flags.STATUS_FAILURE).isZero();
            }
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void R_XPS_2_aServerEchoingTheCredentialsDoesNotBringThemIntoTheStatusRow(@TempDir Path home) {
        try (SmtpResponder server = SmtpResponder.start()) {
            server.authMechanisms = List.of("PLAIN");
            server.authFailure = "535 5.7.8 rejected: %s";
            List<PropValue> settings = with(SmtpFixture.smtp(server.port(), "none"),
                    PropValue.ofString(ServerProps.PR_SMTP_USER, "me"),
                    PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, PASSWORD));
            try (SmtpFixture f = SmtpFixture.start(home, settings)) {
                f.submit("echo", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.statusString().contains("535"), () -> "the refusal, got " + f.statusString());
                assertThat(f.statusString()).contains("rejected: AUTH PLAIN " + Secrets.MASK);
                assertNoPassword("status row", f.statusString());
                assertNoPassword("trace", f.traceText());
            }
            assertThat(server.commands()).anyMatch(l -> l.startsWith("AUTH PLAIN "));
        }
    }

    @Test
    void R_XPS_2_starttlsNotOfferedMeansNothingIsSentInClearText(@TempDir Path home) {
        try (SmtpResponder server = SmtpResponder.start()) {
            List<PropValue> settings = with(SmtpFixture.smtp(server.port(), "starttls"),
                    PropValue.ofString(ServerProps.PR_SMTP_USER, "me"),
                    PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, PASSWORD));
            try (SmtpFixture f = SmtpFixture.start(home, settings)) {
                f.submit("clear", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.statusString().contains("does not offer STARTTLS"), () -> "the refusal, got "
                        + f.statusString());
                assertThat(f.queued()).containsExactly("clear");
            }
            assertThat(server.commands()).allMatch(l -> l.startsWith("EHLO") || l.equals("QUIT"));
        }
    }
}
