package org.jmapi.store.sqlite;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.store.Attachment;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageRow;
import org.jmapi.store.StoredMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety: a child JVM ({@link CrashWriter}) saves messages as fast as it can and acknowledges each one on
 * stdout; the test kills it with SIGKILL ({@link Process#destroyForcibly()}) after a number of acknowledgements,
 * reopens the store and checks that every acknowledged save is there, intact, that every acknowledged submission
 * is still queued and — its spooler being dead — unlocked (R-MAIL-1), and that SQLite finds the file intact.
 */
class SqliteCrashTest {
    @TempDir
    Path dir;

    private record Ack(int n, long id, boolean submitted) {}

    @ParameterizedTest(name = "killed after {0} acknowledged saves")
    @ValueSource(ints = {10, 50, 200})
    @DisplayName("kill -9 in the middle of saves and submissions loses no acknowledged one")
    void killedWriter_losesNoAcknowledgedSave(int killAfter) throws Exception {
        Path store = dir.resolve("crash.jmapi");
        long outbox;
        try (SqliteStorage s = SqliteStorage.create(store, "crash", null)) {
            outbox = s.createFolder(s.identity().rootFolderId(), "Outbox", FolderRecord.FOLDER_GENERIC, null,
                    List.of()).id();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("child-stderr.txt");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), store.toString(), Long.toString(outbox))
                .redirectError(stderr.toFile())
                .start();
        List<Ack> acks = new ArrayList<>();
        CountDownLatch enough = new CountDownLatch(1);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> read(child.getInputStream(), acks,
                killAfter, enough));
        try {
            boolean reached = enough.await(120, TimeUnit.SECONDS);
            assertThat(reached).as("child reached %d acks; its stderr: %s", killAfter, readQuietly(stderr)).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        reader.get(30, TimeUnit.SECONDS);
        List<Ack> acknowledged;
        synchronized (acks) {
            acknowledged = List.copyOf(acks);
        }
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(killAfter);

        try (SqliteStorage s = SqliteStorage.open(store)) {
            assertThat(s.checkIntegrity()).as("PRAGMA integrity_check").isEmpty();
            Map<Long, Ack> byId = acknowledged.stream().collect(Collectors.toMap(Ack::id, a -> a));
            for (Ack a : acknowledged) {
                StoredMessage m = s.loadMessage(a.id());
                assertThat(m.info().folderId()).isEqualTo(outbox);
                assertSameContent(s, m, CrashWriter.image(a.n()), a);
                assertThat(m.info().submitted()).as("message %d submitted", a.n()).isEqualTo(a.submitted());
            }
            List<MessageRow> queue = s.queue();
            Set<Long> queued = queue.stream().map(MessageRow::id).collect(Collectors.toSet());
            for (Ack a : acknowledged) {
                if (a.submitted()) {
                    assertThat(queued).contains(a.id());
                }
            }
            assertThat(queue).allSatisfy(r -> assertThat(r.info().queue().locked())
                    .as("a lock of the killed spooler must not survive").isFalse());
            int stored = s.loadFolder(outbox).contentCount();
            // Every acknowledged save is there; saves committed after the last acknowledgement we could read are
            // allowed too (the kill can cut the pipe before the child's last lines reach us).
            assertThat(stored).isGreaterThanOrEqualTo(acknowledged.size());
            assertThat(s.count(outbox, false, null)).isEqualTo(stored);
            assertThat(byId).hasSize(acknowledged.size());
            assertThat(s.lockNextQueued()).isPresent();
        }
    }

    private static void read(InputStream in, List<Ack> acks, int killAfter, CountDownLatch enough) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f.length == 4 && f[0].equals("ACK")) {
                    synchronized (acks) {
                        acks.add(new Ack(Integer.parseInt(f[1]), Long.parseLong(f[2]), Boolean.parseBoolean(f[3])));
                        if (acks.size() >= killAfter) {
                            enough.countDown();
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the child was killed while we were reading: the acks read so far are what counts
        } catch (NumberFormatException e) {
            // a line cut short by the kill is not an acknowledgement
        }
    }

    private static void assertSameContent(SqliteStorage s, StoredMessage m, MessageImage expected, Ack a)
            throws IOException {
        MessageImage got = m.image();
        assertThat(got.find(PropTags.PR_SUBJECT)).isEqualTo(expected.find(PropTags.PR_SUBJECT));
        assertThat(got.find(PropTags.PR_MESSAGE_DELIVERY_TIME)).isEqualTo(expected.find(
                PropTags.PR_MESSAGE_DELIVERY_TIME));
        assertThat(got.find(PropTags.PR_MESSAGE_FLAGS).orElseThrow().asInt() & 1).isEqualTo(a.n() % 2);
        assertThat(got.recipients()).isEqualTo(expected.recipients());
        if (a.n() % 4 == 0) {
            assertThat(got.findLarge(PropTags.PR_BODY)).isPresent();
            try (InputStream in = s.openValueStream(m.info().id(), PropTags.PR_BODY)) {
                assertThat(in.readAllBytes()).isEqualTo(CrashWriter.bytes(a.n(), CrashWriter.LARGE).readAllBytes());
            }
        } else {
            assertThat(got.find(PropTags.PR_BODY)).isEqualTo(expected.find(PropTags.PR_BODY));
        }
        Attachment att = got.attachment(0).orElseThrow();
        assertThat(att.properties()).filteredOn(v -> v.id() != PropTag.id(PropTags.PR_ATTACH_DATA_BIN))
                .isEqualTo(expected.attachment(0).orElseThrow().properties());
        try (InputStream in = s.openAttachmentValueStream(m.info().id(), 0, PropTags.PR_ATTACH_DATA_BIN)) {
            assertThat(in.readAllBytes()).isEqualTo(CrashWriter.bytes(a.n(), 1000 + a.n() * 37 % 9000).readAllBytes());
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
