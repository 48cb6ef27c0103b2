package org.jmapi.transport.shared;

import org.jmapi.Flags;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgStore;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.store.postgres.PostgresServer;
import org.jmapi.store.postgres.PostgresStorage;
import org.jmapi.transport.smtp.SmtpResponder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several {@code jmapi serve} hosts on one PostgreSQL outgoing queue: two child JVMs ({@link SpoolerChild}), each a
 * session whose spooler sends the same mailbox's queue through the SMTP transport, authenticating as a user of its
 * own, to one SMTP sink in this process ({@link SmtpResponder}, which records who sent each message). The queue is
 * filled through MAPI first ({@value #MESSAGES} messages, submitted by a session of this process without spooler).
 *
 * <ul>
 *   <li>Both run to the end: every message is delivered, none twice, and both spoolers sent some (each message was
 *       claimed by exactly one of them).</li>
 *   <li>One is killed with SIGKILL ({@link Process#destroyForcibly()}) in the middle: every message is still
 *       delivered (the survivor claims the dead one's message at once: it sees the process is gone); a message is
 *       delivered twice only when the dead spooler had sent it and not yet finished it — at most one, since a spooler
 *       sends one message at a time — and such a duplicate's copies are the dead spooler's before the kill and the
 *       survivor's after it. The test counts and prints them.</li>
 * </ul>
 * Timing goes to standard output (the surefire report of this class), so the run documents what it measured.
 */
@ExtendWith(PostgresServer.class)
class SpoolersOnOneQueueTest {
    /** How many messages the queue holds. */
    static final int MESSAGES = 2000;
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final Pattern SUBJECT = Pattern.compile("^Subject: (shared [0-9]+)\\r?$", Pattern.MULTILINE);

    private final PostgresServer pg;
    @TempDir
    Path dir;
    private SmtpResponder sink;
    private final List<Child> children = new ArrayList<>();
    private final java.util.Set<Child> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    SpoolersOnOneQueueTest(PostgresServer pg) {
        this.pg = pg;
    }

    @BeforeEach
    void sink() {
        sink = SmtpResponder.start();
        sink.authMechanisms = List.of("PLAIN");
        sink.users.put("host-a", SharedMailbox.SMTP_PASSWORD);
        sink.users.put("host-b", SharedMailbox.SMTP_PASSWORD);
    }

    @AfterEach
    void end() {
        for (Child c : children) {
            c.process().destroyForcibly();
        }
        sink.close();
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
    }

    @Test
    void twoSpoolers_oneQueue_everyMessageDeliveredExactlyOnce() throws Exception {
        String url = pg.newDatabase("spoolers");
        List<String> subjects = fill(url);
        long started = System.nanoTime();
        Child a = start("a", url);
        Child b = start("b", url);
        awaitAllSent(url, subjects);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        stop(a);
        stop(b);

        Delivered d = delivered();
        String summary = String.format("%d messages, two spoolers: %d delivered in %d ms (from the children's start),"
                + " host-a sent %d, host-b %d, duplicates %d %s", MESSAGES, d.total(), ms, d.byUser("host-a"),
                d.byUser("host-b"), d.duplicates().size(), d.duplicates());
        System.out.println(summary);
        assertThat(d.counts().keySet()).as("every message delivered (%s)", summary)
                .containsExactlyInAnyOrderElementsOf(subjects);
        assertThat(d.duplicates()).as("no message delivered twice (%s)", summary).isEmpty();
        assertThat(d.byUser("host-a")).as("both spoolers sent (%s)", summary).isPositive();
        assertThat(d.byUser("host-b")).as("both spoolers sent (%s)", summary).isPositive();
    }

    @Test
    void oneSpoolerKilledMidRun_everyMessageStillDelivered_duplicatesOnlyInFlight() throws Exception {
        String url = pg.newDatabase("killed");
        List<String> subjects = fill(url);
        long started = System.nanoTime();
        Child a = start("a", url);
        Child b = start("b", url);
        await(() -> sink.received().size() >= MESSAGES / 3 && delivered().byUser("host-b") >= 20,
                () -> "a third of the queue sent, some of it by host-b; " + delivered());
        killed.add(b);
        b.process().destroyForcibly();
        assertThat(b.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        int atKill = sink.received().size();
        int sentByB = delivered().byUser("host-b");
        awaitAllSent(url, subjects);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        stop(a);

        Delivered d = delivered();
        String summary = String.format("%d messages, host-b killed after %d deliveries (%d of them its own): %d "
                + "delivered in %d ms, host-a sent %d, host-b %d, duplicates %d %s", MESSAGES, atKill, sentByB,
                d.total(), ms, d.byUser("host-a"), d.byUser("host-b"), d.duplicates().size(), d.duplicates());
        System.out.println(summary);
        assertThat(d.counts().keySet()).as("every message delivered (%s)", summary)
                .containsExactlyInAnyOrderElementsOf(subjects);
        assertThat(d.byUser("host-b")).as("nothing from the dead host after the kill (%s)", summary)
                .isEqualTo(sentByB);
        assertThat(d.duplicates()).as("at most the one message the killed spooler had in flight (%s)", summary)
                .hasSizeLessThanOrEqualTo(1);
        for (String dup : d.duplicates()) {
            List<Integer> at = d.positions().get(dup);
            assertThat(at).as("%s: delivered twice (%s)", dup, summary).hasSize(2);
            assertThat(d.users().get(at.get(0))).as("%s: first sent by the killed host (%s)", dup, summary)
                    .isEqualTo("host-b");
            assertThat(at.get(0)).as("%s: first copy before the kill (%s)", dup, summary).isLessThan(atKill);
            assertThat(d.users().get(at.get(1))).as("%s: resent by the survivor (%s)", dup, summary)
                    .isEqualTo("host-a");
            assertThat(at.get(1)).as("%s: second copy after the kill (%s)", dup, summary)
                    .isGreaterThanOrEqualTo(atKill);
        }
    }

    // ---- the queue ----------------------------------------------------------------------------------------------

    /** Submits {@value #MESSAGES} messages through MAPI from a session of this process that has no spooler. */
    private List<String> fill(String url) {
        List<String> subjects = IntStream.range(0, MESSAGES).mapToObj(n -> String.format("shared %04d", n)).toList();
        long started = System.nanoTime();
        Mapi.initialize(MapiInit.home(dir.resolve("filler")));
        SharedMailbox.createProfile(url, "mailbox", 0, null);
        MapiSession s = SharedMailbox.logon(Flags.MAPI_NO_MAIL);
        try (MsgStore store = SharedMailbox.open(s)) {
            SharedMailbox.submit(store, subjects);
        }
        s.logoff(0, 0, 0);
        s.release();
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
        System.out.printf("queued %d messages through MAPI in %d ms%n", MESSAGES,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        assertThat(queued(url)).isEqualTo(MESSAGES);
        return subjects;
    }

    /** @return how many messages the mailbox's queue holds, read from the database */
    private static int queued(String url) {
        try (PostgresStorage s = PostgresStorage.open(url, PostgresServer.USER, PostgresServer.PASSWORD,
                "mailbox")) {
            return s.queue().size();
        }
    }

    private void awaitAllSent(String url, List<String> subjects) {
        await(() -> delivered().counts().size() == subjects.size(), () -> "every message delivered; " + delivered());
        await(() -> queued(url) == 0, () -> "the queue emptied (FinishedMsg of every message); "
                + queued(url) + " still queued");
    }

    // ---- the sink -----------------------------------------------------------------------------------------------

    /**
     * What the sink received.
     *
     * @param counts    copies per subject
     * @param positions the positions (arrival order) of each subject's copies
     * @param users     the AUTH user (host) of each arrival, in order
     */
    private record Delivered(Map<String, Integer> counts, Map<String, List<Integer>> positions, List<String> users) {
        int total() {
            return users.size();
        }

        int byUser(String user) {
            return (int) users.stream().filter(user::equals).count();
        }

        List<String> duplicates() {
            return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        }

        @Override
        public String toString() {
            return total() + " received (" + counts.size() + " distinct), host-a " + byUser("host-a") + ", host-b "
                    + byUser("host-b");
        }
    }

    private Delivered delivered() {
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, List<Integer>> positions = new LinkedHashMap<>();
        List<String> users = new ArrayList<>();
        List<SmtpResponder.Received> all = sink.received();
        for (int i = 0; i < all.size(); i++) {
            Matcher m = SUBJECT.matcher(all.get(i).text());
            String subject = m.find() ? m.group(1) : "(no subject #" + i + ")";
            counts.merge(subject, 1, Integer::sum);
            positions.computeIfAbsent(subject, k -> new ArrayList<>()).add(i);
            users.add(all.get(i).user());
        }
        return new Delivered(counts, positions, users);
    }

    // ---- the children -------------------------------------------------------------------------------------------

    /** A running {@link SpoolerChild}, its stdin and what it printed. */
    private record Child(String name, Process process, Writer stdin, CompletableFuture<Void> ready, Path stderr) {}

    private Child start(String name, String url) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path home = dir.resolve("host-" + name);
        Files.createDirectories(home);
        Path stderr = dir.resolve("host-" + name + "-stderr.txt");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SpoolerChild.class.getName(), home.toString(), url, "mailbox", String.valueOf(sink.port()),
                "host-" + name).redirectError(stderr.toFile()).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.equals("ready")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the child was killed
            }
            ready.completeExceptionally(new AssertionError("host-" + name + " ended before it was ready"));
        }, "host-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        Child c = new Child(name, p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), ready,
                stderr);
        children.add(c);
        return c;
    }

    /** Tells a child to log off, and waits until it exited normally. */
    private void stop(Child c) throws Exception {
        c.stdin().write("stop\n");
        c.stdin().flush();
        boolean ended = c.process().waitFor(60, TimeUnit.SECONDS);
        assertThat(ended).as("host-%s ended after stop", c.name()).isTrue();
        assertThat(c.process().exitValue()).as("host-%s's exit; stderr: %s", c.name(), stderr(c)).isZero();
    }

    private static String stderr(Child c) {
        try {
            return Files.readString(c.stderr());
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            for (Child c : children) {
                if (!c.process().isAlive() && !killed.contains(c)) {
                    throw new AssertionError("host-" + c.name() + " ended by itself (exit " + c.process().exitValue()
                            + ") while waiting for " + what.get() + "; stderr: " + stderr(c));
                }
            }
            if (System.nanoTime() > deadline) {
                StringBuilder why = new StringBuilder("timed out waiting for " + what.get());
                for (Child c : children) {
                    why.append("\nhost-").append(c.name()).append(" stderr: ").append(stderr(c));
                }
                throw new AssertionError(why.toString());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
