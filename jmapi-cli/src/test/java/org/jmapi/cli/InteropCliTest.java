package org.jmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line against the real Postfix + Dovecot pair of {@code ../shared/tools/mail-peers.sh} (interop suite,
 * run with {@code ./mvnw -Pinterop verify}; {@code .ci/run} starts the peers): alice's profile sends over SMTP,
 * bob's profile receives over IMAP and over POP3, and {@code ls} lists the message — the quick start's flow with real
 * servers instead of local delivery. Ports and credentials come from the variables mail-peers.sh reads.
 */
@Tag("interop")
class InteropCliTest {
    private static final String HOST = "127.0.0.1";
    private static final int SMTP_PORT = port("SMTP_PORT", 2525);
    private static final int IMAP_PORT = port("IMAP_PORT", 1143);
    private static final int POP3_PORT = port("POP3_PORT", 1110);
    private static final String DOMAIN = env("MAILPEERS_DOMAIN", "example.test");
    private static final String PASSWORD = env("MAILPEERS_PASSWORD", "secret");

    private static String env(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : v;
    }

    private static int port(String name, int otherwise) {
        return Integer.parseInt(env(name, Integer.toString(otherwise)));
    }

    /** Fails (never skips) when a peer is not listening. */
    private static void requirePeers() {
        for (int p : new int[] {SMTP_PORT, IMAP_PORT, POP3_PORT}) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, p), 2000);
            } catch (IOException e) {
                throw new AssertionError("no mail peer on " + HOST + ":" + p + " (" + e.getMessage()
                        + "); start them with: bash ../shared/tools/mail-peers.sh all");
            }
        }
    }

    private static Cli.Result run(Path home, String... args) {
        return Cli.runEnv(Map.of("USER", "alice", "PEER_PW", PASSWORD), "", home, args);
    }

    private static Cli.Result ok(Path home, String... args) {
        Cli.Result r = run(home, args);
        assertThat(r.code()).as("jmapi " + String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    private static List<String> inbox(Path home, String profile) {
        try {
            JsonNode json = CommandsTest.json(ok(home, "--json", "--profile", profile, "ls", "Inbox", "-c", "subject"));
            return json.get("messages").findValuesAsText("subject");
        } catch (IOException e) {
            throw new AssertionError("ls --json printed no JSON", e);
        }
    }

    private void sendAndReceive(Path home, String receiver, String... receive) {
        requirePeers();
        ok(home, "profile", "create", "alice", "--no-local", "--address", "alice@" + DOMAIN, "--default",
                "--smtp", HOST + ":" + SMTP_PORT, "--smtp-security", "none");
        String[] create = new String[receive.length + 6];
        System.arraycopy(new String[] {"profile", "create", receiver, "--no-local", "--address", "bob@" + DOMAIN}, 0,
                create, 0, 6);
        System.arraycopy(receive, 0, create, 6, receive.length);
        ok(home, create);
        String subject = "interop " + UUID.randomUUID();
        ok(home, "send", "--to", "bob@" + DOMAIN, "--subject", subject, "--body", "over real servers");
        Cli.Result flushed = ok(home, "flush", "--timeout", "60");
        assertThat(flushed.out()).contains("still queued 0");
        Cli.await(Duration.ofSeconds(60), () -> {
            run(home, "--profile", receiver, "flush", "--timeout", "30");
            return inbox(home, receiver).contains(subject);
        }, () -> "bob's " + receiver + " profile to receive " + subject);
        assertThat(inbox(home, receiver)).containsOnlyOnce(subject);
        assertThat(inbox(home, "alice")).doesNotContain("Undeliverable: " + subject);
    }

    @Test
    void sendOverSmtp_receiveOverImap_lsListsIt(@TempDir Path home) {
        sendAndReceive(home, "bob-imap", "--imap", HOST + ":" + IMAP_PORT, "--imap-security", "none",
                "--imap-user", "bob@" + DOMAIN, "--imap-password-env", "PEER_PW", "--poll", "1");
    }

    @Test
    void sendOverSmtp_receiveOverPop3_lsListsIt(@TempDir Path home) {
        sendAndReceive(home, "bob-pop3", "--pop3", HOST + ":" + POP3_PORT, "--pop3-security", "none",
                "--pop3-user", "bob@" + DOMAIN, "--pop3-password-env", "PEER_PW", "--poll", "1");
    }
}
