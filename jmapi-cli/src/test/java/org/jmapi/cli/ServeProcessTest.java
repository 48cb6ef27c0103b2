package org.jmapi.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jmapi serve} in a child JVM (this test's class path), stopped with a real SIGTERM or SIGINT: exit code 0,
 * a one-line summary, the sessions logged off in order, and queued mail still queued afterwards.
 */
class ServeProcessTest {
    /** A serve process, its output files. */
    record Serve(Process process, Path out, Path err) {
        String output() throws IOException {
            return Files.readString(out);
        }

        String errors() throws IOException {
            return Files.readString(err);
        }
    }

    /**
     * Starts serve with SIGINT at its default disposition, whatever this JVM inherited: a build started in the
     * background by a non-interactive shell ignores SIGINT, every child inherits that, and the JVM cannot catch a
     * signal it was started ignoring. GNU env's {@code --default-signal} resets it before the child JVM starts.
     */
    static Serve start(Path home, String... extra) throws IOException {
        return startWith(home, "--default-signal=INT", extra);
    }

    /** @param disposition the GNU env option that sets SIGINT's disposition for the child JVM */
    static Serve startWith(Path home, String disposition, String... extra) throws IOException {
        Path out = Files.createTempFile(home.getParent(), "serve", ".out");
        Path err = Files.createTempFile(home.getParent(), "serve", ".err");
        List<String> cmd = new ArrayList<>(List.of("env", disposition,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Jmapi.class.getName(), "--home", home.toString(), "serve"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("USER", "alice");
        Serve s = new Serve(pb.start(), out, err);
        Cli.await(Duration.ofSeconds(60), () -> {
            try {
                return s.output().contains("serving ") || s.output().contains("\"started\"") || !s.process().isAlive();
            } catch (IOException e) {
                return false;
            }
        }, () -> "serve to start");
        assertThat(s.process().isAlive()).as("serve is running; stderr: %s", read(err)).isTrue();
        return s;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static int stop(Serve s, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(s.process().pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(s.process().waitFor(60, TimeUnit.SECONDS)).as("serve ends after SIG" + signal).isTrue();
        return s.process().exitValue();
    }

    @Test
    void sigterm_exitsZero_withAOneLineSummary(@TempDir Path home) throws Exception {
        Serve s = start(home);
        assertThat(s.output()).contains("serving alice from " + home);
        int code = stop(s, "TERM");
        assertThat(code).as(s.errors()).isZero();
        List<String> lines = s.output().lines().toList();
        assertThat(lines.stream().filter(l -> l.contains("stopped after"))).hasSize(1);
        assertThat(lines.get(lines.size() - 1)).matches("\\d\\d:\\d\\d:\\d\\d  stopped after \\d+ s: 1 mailbox, "
                + "sent 0, received 0, still queued 0");
        assertThat(s.errors().lines()).allSatisfy(l -> assertThat(l).startsWith("jmapi: first run: created the default"));
    }

    @Test
    void sigint_withQueuedMail_exitsZero_andTheMailStaysQueued(@TempDir Path home) throws Exception {
        // No transport in this profile: what is submitted stays in the outgoing queue.
        Cli.ok(home, "profile", "create", "bare", "--no-local", "--default");
        Cli.ok(home, "send", "--to", "bob@example.org", "-s", "later");
        Serve s = start(home, "--json");
        int code = stop(s, "INT");
        assertThat(code).as(s.errors()).isZero();
        List<String> lines = s.output().lines().toList();
        var summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(summary.get("event").asText()).isEqualTo("stopped");
        assertThat(summary.get("queued").asInt()).isEqualTo(1);
        assertThat(summary.get("sent").asInt()).isZero();
        assertThat(new ObjectMapper().readTree(Cli.ok(home, "--json", "ls", "Outbox", "-c", "subject,flags").out())
                .get("messages").get(0).get("flags").asInt() & org.jmapi.Flags.MSGFLAG_SUBMIT).isNotZero();
    }

    @Test
    void sigint_ignoredSinceStart_isNamed_andSigtermStillStops(@TempDir Path home) throws Exception {
        Serve s = startWith(home, "--ignore-signal=INT");
        assertThat(s.errors()).contains("jmapi: SIGINT is ignored in this process").contains("stop serve with SIGTERM");
        assertThat(s.output()).contains("; stop with kill " + s.process().pid());
        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(s.process().pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        // Nothing to await: an ignored signal leaves no trace. A second later serve is still serving.
        assertThat(s.process().waitFor(1, TimeUnit.SECONDS)).as("serve ignores SIGINT").isFalse();
        assertThat(stop(s, "TERM")).isZero();
        assertThat(s.output()).contains("stopped after");
    }

    @Test
    void serve_printsWhatAnotherProcessQueues(@TempDir Path home) throws Exception {
        CommandsTest.bare(home); // no transport: the message stays queued, so its row stays in the Outbox
        Serve s = start(home);
        Cli.ok(home, "send", "--to", "bob@example.org", "-s", "watched");
        Cli.await(Duration.ofSeconds(30), () -> read(s.out()).contains("bare: queued \"watched\" to bob@example.org"),
                () -> "serve output:\n" + read(s.out()));
        assertThat(stop(s, "TERM")).isZero();
        assertThat(s.output()).contains("still queued 1");
    }

    @Test
    void serve_deliversLocally_andProvisionsTheRecipientsMailbox(@TempDir Path home) throws Exception {
        Serve s = start(home);
        Cli.ok(home, "send", "--to", "bob@localhost", "-s", "hi", "-b", "hello");
        Files.createDirectories(home.resolve("maildrop/dora"));
        Cli.await(Duration.ofSeconds(60), () -> read(s.out()).contains("bob: received \"hi\" from alice@localhost")
                && read(s.out()).contains("dora: new mailbox dora (dora@localhost)"),
                () -> "serve output:\n" + read(s.out()) + read(s.err()));
        assertThat(s.output()).contains("bob: new mailbox bob (bob@localhost)");
        // the steps of a transfer (STATUS_INBOUND_ACTIVE / OUTBOUND_ACTIVE) are not printed, only the state after it
        assertThat(s.output()).contains(": status ").doesNotContain("inbound active").doesNotContain("outbound active");
        Cli.Result ls = Cli.ok(home, "ls", "--mailbox", "bob", "Inbox");
        assertThat(ls.lines()).hasSize(2);
        assertThat(ls.lines().get(1)).contains("alice", "hi");
        assertThat(stop(s, "TERM")).isZero();
        assertThat(s.output()).contains("stopped after").contains(": 3 mailboxes,").contains("received 1");
        assertThat(home.resolve("mailboxes/dora.jmapi")).isRegularFile();
    }
}
