package org.jmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An SMTP profile made with {@code profile create}, against a real SMTP server in-process (GreenMail): the password
 * comes from the environment, is kept in the 0600 profile file and is never printed; {@code send} + {@code flush}
 * deliver through it; an unreachable server and a refused password are one clear line and a non-zero exit.
 */
class SmtpProfileTest {
    private static final String PASSWORD = "pa55-w0rd-xyz";
    private GreenMail smtp;

    @BeforeEach
    void startServer() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        smtp.setUser("alice@example.test", "alice", PASSWORD);
    }

    @AfterEach
    void stopServer() {
        smtp.stop();
    }

    private Cli.Result create(Path home, int port, String password, String... more) {
        List<String> args = new ArrayList<>(List.of("profile", "create", "work",
                "--no-local", "--smtp", "127.0.0.1:" + port, "--smtp-security", "none", "--smtp-user", "alice",
                "--smtp-password-env", "SMTP_PW", "--address", "Alice <alice@example.test>", "--default"));
        args.addAll(List.of(more));
        return Cli.runEnv(Map.of("USER", "alice", "SMTP_PW", password), "", home, args.toArray(String[]::new));
    }

    @Test
    void smtpConnections_severalMessagesGoAtOnce_shownInProfile_badCountsRefused(@TempDir Path home) {
        Cli.Result zero = create(home, smtp.getSmtp().getPort(), PASSWORD, "--smtp-connections", "0");
        assertThat(zero.code()).isNotZero();
        assertThat(zero.err()).contains("--smtp-connections must be from 1 to 20");
        Cli.Result alone = Cli.run(home, "profile", "create", "other", "--no-local", "--smtp-connections", "2");
        assertThat(alone.code()).isNotZero();
        assertThat(alone.err()).contains("--smtp HOST is missing for --smtp-connections");
        assertThat(Cli.ok(home, "profile", "list").out()).doesNotContain("work", "other");

        assertThat(create(home, smtp.getSmtp().getPort(), PASSWORD, "--smtp-connections", "3").code()).isZero();
        assertThat(Cli.ok(home, "profile", "show", "work").out()).contains("connections: 3");
        for (int i = 0; i < 6; i++) {
            Cli.ok(home, "send", "--to", "bob@example.test", "--subject", "at once " + i, "--body", "hello");
        }
        Cli.Result flushed = Cli.run(home, "flush", "--timeout", "60");
        assertThat(flushed.code()).as(flushed.toString()).isZero();
        assertThat(flushed.out()).contains("still queued 0");
        assertThat(smtp.getReceivedMessages()).hasSize(6);
    }

    @Test
    void sendAndFlush_deliverThroughTheServer_passwordNeverShown(@TempDir Path home) throws Exception {
        Cli.Result created = create(home, smtp.getSmtp().getPort(), PASSWORD);
        assertThat(created.code()).as(created.toString()).isZero();
        Cli.Result shown = Cli.ok(home, "profile", "show", "work");
        assertThat(shown.out()).contains("jmapi.smtp", "host: 127.0.0.1", "port: " + smtp.getSmtp().getPort(),
                "security: none", "user: alice", "password: (set)");
        JsonNode json = CommandsTest.json(Cli.ok(home, "--json", "profile", "show", "work"));
        assertThat(json.toString()).doesNotContain(PASSWORD);
        Path file;
        try (var s = Files.list(home.resolve("profiles"))) {
            file = s.filter(p -> p.toString().endsWith(".profile.json")).findFirst().orElseThrow();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Cli.ok(home, "send", "--to", "bob@example.test", "--subject", "over smtp", "--body", "hello");
        Cli.Result flushed = Cli.run(home, "flush", "--timeout", "60");
        assertThat(flushed.code()).as(flushed.toString()).isZero();
        assertThat(flushed.out()).contains("still queued 0");
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("over smtp");
        assertThat(m.getFrom()[0].toString()).contains("alice@example.test");
        assertThat(CommandsTest.json(Cli.ok(home, "--json", "ls", "Sent Items", "-c", "subject")).get("messages")
                .findValuesAsText("subject")).containsExactly("over smtp");
        for (Cli.Result r : new Cli.Result[] {created, shown, flushed}) {
            assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void unreachableServer_oneLine_exit1_mailStaysQueued(@TempDir Path home) throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(create(home, closed, PASSWORD).code()).isZero();
        Cli.ok(home, "send", "--to", "bob@example.test", "--subject", "nowhere");
        Cli.Result r = Cli.run(home, "flush", "--timeout", "3");
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("jmapi: 1 message still queued after 3 s: ")
                .contains("127.0.0.1:" + closed).contains("MAPI_E_NETWORK_ERROR");
        assertThat(CommandsTest.json(Cli.ok(home, "--json", "ls", "Outbox")).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void refusedPassword_oneLine_exit1_neverPrinted(@TempDir Path home) throws IOException {
        String wrong = "not-the-password-42";
        assertThat(create(home, smtp.getSmtp().getPort(), wrong).code()).isZero();
        Cli.ok(home, "send", "--to", "bob@example.test", "--subject", "refused");
        Cli.Result r = Cli.run(home, "flush", "--timeout", "3");
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("MAPI_E_LOGON_FAILED").doesNotContain(wrong);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }
}
