package org.jmapi.transport.smtp;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.transport.ServerProps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.ThrowingConsumer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.transport.smtp.SmtpFixture.await;
import static org.jmapi.transport.smtp.SmtpFixture.recipient;

/**
 * The {@code jmapi.smtp} service's configuration through the real profile admin (ConfigureMsgService, R-PROF-6) and
 * an unconfigured transport in a session (R-LOGON-2): every wrong setting is refused with MAPI_E_UNCONFIGURED and a
 * message that says what to set, nothing is half-written, and no message shows a password.
 */
class SmtpTransportServiceTest {

    /** Runs {@code body} with the admin of a fresh profile holding one SMTP service. */
    private static void withService(Path home, ThrowingConsumer<Admin> body) throws Throwable {
        try (SmtpFixture f = SmtpFixture.start(home);
             ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(SmtpFixture.PROFILE, 0)) {
            MapiUid svc = services.createMsgService(SmtpTransportService.NAME, "Outgoing", 0, 0);
            body.accept(new Admin(services, svc));
        }
    }

    private record Admin(MsgServiceAdmin services, MapiUid svc) {
        void configure(PropValue... props) {
            services.configureMsgService(svc, 0, 0, List.of(props));
        }

        List<PropValue> section() {
            try (ProfileSection s = services.openProfileSection(svc, 0)) {
                java.util.Map<Integer, PropValue> m = new java.util.HashMap<>();
                SmtpProvider.collect(s, m);
                return List.copyOf(m.values());
            }
        }

        /** @return the settings a transport logon would read from the service's section */
        SmtpSettings settings() {
            java.util.Map<Integer, PropValue> m = new java.util.HashMap<>();
            for (PropValue v : section()) {
                m.put(v.id(), v);
            }
            return SmtpSettings.read(t -> java.util.Optional.ofNullable(m.get(org.jmapi.prop.PropTag.id(t))));
        }
    }

    private static void assertUnconfigured(Admin a, String mentions, PropValue... props) {
        assertThatThrownBy(() -> a.configure(props)).isInstanceOfSatisfying(MapiException.class, e -> {
            assertThat(HResult.name(e.hresult())).isEqualTo("MAPI_E_UNCONFIGURED");
            assertThat(e.getMessage()).contains(mentions);
        });
    }

    /** @return the tag with the same id and type PT_UNICODE: a number given as text */
    private static int asString(int tag) {
        return org.jmapi.prop.PropTag.tag(org.jmapi.prop.PropType.PT_UNICODE, org.jmapi.prop.PropTag.id(tag));
    }

    private static PropValue host(String h) {
        return PropValue.ofString(ServerProps.PR_SMTP_HOST, h);
    }

    @Test
    void R_PROF_6_wrongSettingsAreRefusedWithWhatToSetAndNothingIsWritten(@TempDir Path home) throws Throwable {
        withService(home, a -> {
            assertUnconfigured(a, "no server host",
                    PropValue.ofInt(ServerProps.PR_SMTP_PORT, 25));
            assertUnconfigured(a, "is not a host name", host("mail example"));
            assertUnconfigured(a, "security 'ssl' is none of", host("mail.example.com"),
                    PropValue.ofString(ServerProps.PR_SMTP_SECURITY, "ssl"));
            assertUnconfigured(a, "outside 1..65535", host("mail.example.com"),
                    PropValue.ofInt(ServerProps.PR_SMTP_PORT, 70000));
            assertUnconfigured(a, "without a password", host("mail.example.com"),
                    PropValue.ofString(ServerProps.PR_SMTP_USER, "me"));
            assertUnconfigured(a, "without a user", host("mail.example.com"),
                    PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, "pw"));
            assertUnconfigured(a, "not a SHA-256 fingerprint", host("mail.example.com"),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_CERT_FINGERPRINT, "AB:CD"));
            assertUnconfigured(a, "is not a readable file", host("mail.example.com"),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, home.resolve("none.pem").toString()));
            assertUnconfigured(a, "timeout 0s is outside", host("mail.example.com"),
                    PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 0));
            assertUnconfigured(a, "is not a number", host("mail.example.com"),
                    PropValue.ofString(asString(ServerProps.PR_SMTP_PORT), "twenty-five"));
            assertUnconfigured(a, "connection count 0 is outside 1..20", host("mail.example.com"),
                    PropValue.ofInt(SmtpTransportService.PR_SMTP_MAX_CONNECTIONS, 0));
            assertUnconfigured(a, "connection count 21 is outside 1..20", host("mail.example.com"),
                    PropValue.ofInt(SmtpTransportService.PR_SMTP_MAX_CONNECTIONS, 21));
            assertThat(a.section()).as("nothing written by a refused configuration").isEmpty();
        });
    }

    @Test
    void R_PROF_6_aTrustStoreWithAWrongPasswordIsRefusedWithoutShowingThePassword(@TempDir Path home)
            throws Throwable {
        TestCertificates certs = TestCertificates.create(Files.createDirectories(home.resolve("certs")));
        withService(home.resolve("h"), a -> {
            String wrong = "not-the-store-password";
            assertUnconfigured(a, "trust store", host("mail.example.com"),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, certs.trustStore.toString()),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE_PASSWORD, wrong));
            assertThatThrownBy(() -> a.configure(host("mail.example.com"),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, certs.trustStore.toString()),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE_PASSWORD, wrong)))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
            a.configure(host("mail.example.com"),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE, certs.trustStore.toString()),
                    PropValue.ofString(SmtpTransportService.PR_SMTP_TRUST_STORE_PASSWORD, TestCertificates.PASSWORD));
        });
    }

    @Test
    void R_PROF_6_settingsAreMergedANumberMayBeTextAndAnEmptyStringUnsetsOne(@TempDir Path home) throws Throwable {
        withService(home, a -> {
            a.configure(host("mail.example.com"), PropValue.ofString(asString(ServerProps.PR_SMTP_PORT), "2525"),
                    PropValue.ofString(ServerProps.PR_SMTP_USER, "me"),
                    PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, "pw"));
            assertThat(a.settings().port()).isEqualTo(2525);
            assertThat(a.settings().user()).isEqualTo("me");
            a.configure(PropValue.ofString(ServerProps.PR_SMTP_SECURITY, "TLS")); // the rest stays configured
            assertThat(a.settings().security()).isEqualTo("tls");
            assertThat(a.settings().host()).isEqualTo("mail.example.com");
            assertThat(a.settings().port()).isEqualTo(2525);
            assertUnconfigured(a, "without a password", PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, ""));
            a.configure(PropValue.ofString(ServerProps.PR_SMTP_USER, ""),
                    PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, ""));
            assertThat(a.settings().user()).isNull();
            assertThat(a.settings().password()).isNull();
        });
    }

    @Test
    void settingsShowNoPasswordAndDefaultsFollowTheSecurity() {
        java.util.Map<Integer, PropValue> m = new java.util.HashMap<>();
        for (PropValue v : List.of(host("mail.example.com"), PropValue.ofString(ServerProps.PR_SMTP_USER, "me"),
                PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, "hunter2"))) {
            m.put(v.id(), v);
        }
        SmtpSettings s = SmtpSettings.read(t -> java.util.Optional.ofNullable(m.get(org.jmapi.prop.PropTag.id(t))));
        assertThat(s.security()).isEqualTo("starttls");
        assertThat(s.port()).isEqualTo(587);
        assertThat(s.timeoutSeconds()).isEqualTo(60);
        assertThat(s.toString()).doesNotContain("hunter2").contains("password set");
        m.put(org.jmapi.prop.PropTag.id(ServerProps.PR_SMTP_SECURITY),
                PropValue.ofString(ServerProps.PR_SMTP_SECURITY, "tls"));
        assertThat(SmtpSettings.read(t -> java.util.Optional.ofNullable(m.get(org.jmapi.prop.PropTag.id(t)))).port())
                .isEqualTo(465);
        assertThat(SmtpSettings.fingerprint("SHA256:" + "ab".repeat(32))).hasSize(32);
    }

    @Test
    void R_LOGON_2_anUnconfiguredTransportIsSkippedAndItsMailStaysQueued(@TempDir Path home) {
        try (SmtpFixture f = SmtpFixture.start(home)) {
            try (ProfileAdmin admin = Mapi.adminProfiles(0);
                 MsgServiceAdmin services = admin.adminServices(SmtpFixture.PROFILE, 0)) {
                services.createMsgService(SmtpTransportService.NAME, "Outgoing", 0, 0);
            }
            f.logon();
            f.submit("nowhere to go", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
            f.flushOutbound();
            await(() -> f.trace.events().stream().anyMatch(e -> e.call().equals("IXPProvider::TransportLogon")
                    && Integer.valueOf(HResult.MAPI_E_UNCONFIGURED).equals(e.hresult())),
                    () -> "TransportLogon refused");
            assertThat(f.statusRow(SmtpTransportService.DISPLAY_NAME)).isEmpty();
            assertThat(f.queued()).containsExactly("nowhere to go");
            assertThat(f.inboxSubjects()).as("no report: the mail waits for a transport").isEmpty();
        }
    }

    @Test
    void theServiceIsFoundByServiceLoaderWithOneTransportProvider() {
        SmtpTransportService s = java.util.ServiceLoader.load(org.jmapi.spi.MessageService.class).stream()
                .map(java.util.ServiceLoader.Provider::get).filter(x -> x.name().equals("jmapi.smtp"))
                .map(SmtpTransportService.class::cast).findFirst().orElseThrow();
        assertThat(s.displayName()).isEqualTo("jmapi SMTP Transport");
        assertThat(s.providers()).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(org.jmapi.spi.ProviderKind.TRANSPORT));
        assertThat(PropTags.name(PropTags.PR_SERVICE_UID)).isEqualTo("PR_SERVICE_UID");
    }
}
