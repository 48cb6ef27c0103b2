package org.jmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jmapi.Flags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "must show", end to end with the real launcher in child processes, in a fresh copy of the sources:
 * {@code ./jmapi serve} in one process, {@code ./jmapi send} in another, {@code ./jmapi ls --mailbox bob Inbox}
 * lists the message; and SIGTERM to serve while messages are queued exits 0, keeps them queued, and the next serve
 * sends them. These need the spooler's send/receive loops and the local-delivery transport.
 */
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static Process serve(Launcher l, Map<String, String> env, String... extra) throws IOException {
        String[] args = new String[extra.length + 1];
        args[0] = "serve";
        System.arraycopy(extra, 0, args, 1, extra.length);
        Process p = l.start(env, args);
        Cli.await(Duration.ofSeconds(120), () -> read(l.out(p)).contains("serving ")
                || read(l.out(p)).contains("\"started\"") || !p.isAlive(), () -> "serve to start");
        assertThat(p.isAlive()).as("serve runs; stderr: %s", read(l.err(p))).isTrue();
        return p;
    }

    static int sigterm(Process p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("serve ends after SIGTERM").isTrue();
        return p.exitValue();
    }

    static JsonNode lastJson(String output) throws IOException {
        List<String> lines = output.lines().toList();
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void serve_send_ls_theMessageArrivesInBobsInbox(@TempDir Path home) throws Exception {
        Launcher l = Launcher.get();
        assertThat(l.firstRun.code()).as(l.firstRun.toString()).isZero();
        Map<String, String> env = Map.of("JMAPI_HOME", home.toString());
        Process serve = serve(l, env);

        Launcher.Run sent = l.run(env, 120, "send", "--to", "bob@localhost", "--subject", "hi", "--body", "hello");
        assertThat(sent.code()).as(sent.toString()).isZero();
        Cli.await(Duration.ofSeconds(60), () -> {
            try {
                Launcher.Run ls = l.run(env, 60, "--json", "ls", "--mailbox", "bob", "Inbox");
                return ls.code() == 0 && JSON.readTree(ls.out()).get("total").asInt() > 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, () -> "the message in bob's Inbox; serve printed:\n" + read(l.out(serve)) + read(l.err(serve)));

        Launcher.Run ls = l.run(env, 60, "ls", "--mailbox", "bob", "Inbox");
        assertThat(ls.code()).as(ls.toString()).isZero();
        assertThat(ls.lines()).hasSize(2);
        assertThat(ls.out()).contains("hi").contains("alice");
        Launcher.Run show = l.run(env, 60, "--json", "show", "--mailbox", "bob", "Inbox", "1");
        JsonNode m = JSON.readTree(show.out());
        assertThat(m.get("from").asText()).contains("alice@localhost");
        assertThat(m.get("body").asText()).contains("hello");

        assertThat(sigterm(serve)).as(read(l.err(serve))).isZero();
        String out = read(l.out(serve));
        assertThat(out).contains("bob: received \"hi\" from alice@localhost");
        assertThat(out.lines().filter(x -> x.contains("stopped after"))).hasSize(1);
    }

    @Test
    void sigtermWithQueuedMail_exitsZero_keepsItQueued_andTheNextServeSendsIt(@TempDir Path home) throws Exception {
        Launcher l = Launcher.get();
        assertThat(l.firstRun.code()).as(l.firstRun.toString()).isZero();
        Map<String, String> env = Map.of("JMAPI_HOME", home.toString());
        // bob's Maildir cannot be made while a plain file stands in its place: local delivery postpones the
        // mail (END_RESEND_LATER) and it stays queued, as with a mail server that is down.
        Path blocker = home.resolve("maildrop/bob");
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "not a directory");

        Process first = serve(l, env, "--json");
        for (String subject : List.of("q1", "q2")) {
            Launcher.Run r = l.run(env, 120, "send", "--to", "bob@localhost", "--subject", subject, "--body", "b");
            assertThat(r.code()).as(r.toString()).isZero();
        }
        Cli.await(Duration.ofSeconds(60), () -> read(l.out(first)).contains("Delivery postponed"),
                () -> "serve's spooler to try and postpone:\n" + read(l.out(first)));
        assertThat(sigterm(first)).as(read(l.err(first))).isZero();
        JsonNode summary = lastJson(read(l.out(first)));
        assertThat(summary.get("event").asText()).isEqualTo("stopped");
        assertThat(summary.get("queued").asInt()).isEqualTo(2);
        JsonNode outbox = JSON.readTree(l.run(env, 60, "--json", "ls", "Outbox", "-c", "subject,flags").out());
        assertThat(outbox.get("total").asInt()).isEqualTo(2);
        assertThat(outbox.get("messages")).allSatisfy(x ->
                assertThat(x.get("flags").asInt() & Flags.MSGFLAG_SUBMIT).isNotZero());
        assertThat(JSON.readTree(l.run(env, 60, "--json", "ls", "Inbox").out()).get("total").asInt())
                .as("no bounce").isZero();

        Files.delete(blocker);
        Process second = serve(l, env);
        Cli.await(Duration.ofSeconds(90), () -> read(l.out(second)).contains("bob: received \"q1\"")
                && read(l.out(second)).contains("bob: received \"q2\""),
                () -> "bob to receive both; serve printed:\n" + read(l.out(second)));
        Cli.await(Duration.ofSeconds(30), () -> {
            try {
                return JSON.readTree(l.run(env, 60, "--json", "ls", "Outbox").out()).get("total").asInt() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, () -> "alice's Outbox to empty");
        assertThat(sigterm(second)).as(read(l.err(second))).isZero();
        assertThat(read(l.out(second))).contains("still queued 0");
        JsonNode inbox = JSON.readTree(l.run(env, 60, "--json", "ls", "--mailbox", "bob", "Inbox", "-c", "subject").out());
        assertThat(inbox.get("messages").findValuesAsText("subject")).containsExactlyInAnyOrder("q1", "q2");
    }
}
