package org.jmapi.transport.local;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.local.LocalFixture.*;

/**
 * Mail is never lost (R-MAIL-1, R-MAIL-3) when the process moving it dies with SIGKILL. A child JVM
 * ({@link LocalMailChild}) runs a real session with its spooler on a SQLite store and the local transport, sending or
 * receiving a stream of messages and acknowledging each on stdout; the test kills it with
 * {@link Process#destroyForcibly()} after N acknowledgements, then looks at what the kill left (every acknowledged
 * message still queued or in the maildrop; every maildrop file still in new/ or in the store; no partial file in
 * new/), and lets a session in this process finish the job: every message arrives, duplicates only where the kill
 * fell between "delivered" and "done" (at-least-once), each counted in the assertion messages and carrying the
 * same Message-ID as its twin.
 */
class LocalCrashTest {
    private static final int SEND_TOTAL = 60;
    private static final int RECEIVE_TOTAL = 120;

    @TempDir
    Path home;

    @AfterEach
    void end() {
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
    }

    @ParameterizedTest(name = "killed after {0} submissions")
    @ValueSource(ints = {1, 12, 45})
    void R_MAIL_1_senderKilled_everySubmissionQueuedOrDelivered_aLaterSessionSendsTheRest(int killAfter)
            throws Exception {
        profiles("alice", "bob");
        List<Integer> acks = runAndKill(killAfter, "submitted", "send", home.toString(), "alice", "bob@localhost",
                String.valueOf(SEND_TOTAL));
        assertThat(acks).as("acknowledged in order, none skipped")
                .containsExactlyElementsOf(IntStream.range(0, acks.size()).boxed().toList());
        Set<String> acknowledged = acks.stream().map(n -> LocalMailChild.subject("out", n))
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));

        // What the kill left: every acknowledged submission still queued, or delivered (a complete file in new/).
        spoolerTiming();
        Mapi.initialize(MapiInit.home(home));
        MapiSession look = logonNoMail("alice");
        MsgStore lookStore = open(look);
        Set<String> queued = submitted(lookStore);
        Set<String> finished = subjects(contents(lookStore, PropTags.PR_IPM_SENTMAIL_ENTRYID));
        endSession(look, lookStore);
        Map<String, List<Mail>> delivered = parseAll(incoming("bob"), "out");
        Set<String> inBoth = new HashSet<>(queued);
        inBoth.retainAll(delivered.keySet());
        String state = String.format("killed after %d acknowledgements: %d queued, %d delivered, %d in Sent Items, "
                + "%d both queued and delivered", acks.size(), queued.size(), delivered.size(), finished.size(),
                inBoth.size());
        assertThat(acknowledged.stream().filter(s -> !queued.contains(s) && !delivered.containsKey(s)).toList())
                .as("lost submissions (%s)", state).isEmpty();
        assertThat(finished).as("a message in Sent Items was delivered (%s)", state)
                .isSubsetOf(delivered.keySet());
        assertThat(delivered.values()).as("one copy per message before the restart (%s)", state)
                .allSatisfy(copies -> assertThat(copies).hasSize(1));

        // A later session sends the rest; bob's session in this process receives what the killed process delivered.
        MapiSession alice = logon("alice");
        MsgStore aliceStore = open(alice);
        await(() -> submitted(aliceStore).isEmpty(), () -> "alice's queue sent (" + state + "); still queued: "
                + describeQueued(aliceStore));
        Set<String> sentAfter = subjects(contents(aliceStore, PropTags.PR_IPM_SENTMAIL_ENTRYID));
        endSession(alice, aliceStore);
        assertThat(sentAfter).as("every acknowledged message ends in Sent Items (%s)", state)
                .containsAll(acknowledged);

        MapiSession bob = logon("bob");
        MsgStore bobStore = open(bob);
        await(() -> entries(incoming("bob")).isEmpty(), () -> "bob's new/ emptied; it holds "
                + entries(incoming("bob")).size());
        Received got = received(bobStore, "out");
        endSession(bob, bobStore);
        report("sender", killAfter, state, got);
        assertThat(acknowledged).as("every acknowledged message reached bob (%s; %s)", state, got)
                .isSubsetOf(got.counts().keySet());
        assertThat(got.duplicates()).as("duplicates only where the kill fell between delivery and FinishedMsg "
                + "(%s; %s)", state, got).isSubsetOf(inBoth);
        assertThat(got.messageIdsPerSubject()).as("every copy of a message has its Message-ID (%s)", got)
                .allSatisfy((subject, ids) -> assertThat(ids).hasSize(1));
    }

    @ParameterizedTest(name = "killed after {0} received")
    @ValueSource(ints = {1, 15, 60})
    void R_MAIL_3_receiverKilled_everyFileStillInNewOrInTheStore_aLaterSessionReceivesTheRest(int killAfter)
            throws Exception {
        profiles("bob");
        Maildrop drop = new Maildrop(home.resolve("maildrop"));
        for (int n = 0; n < RECEIVE_TOTAL; n++) {
            byte[] mail = ("From: alice@localhost\r\nTo: bob@localhost\r\nSubject: " + LocalMailChild.subject("in", n)
                    + "\r\nMessage-ID: <in-" + n + "@localhost>\r\n\r\n" + LocalMailChild.body("in", n))
                    .getBytes(StandardCharsets.US_ASCII);
            drop.commit(drop.stage("bob", out -> out.write(mail)));
        }
        Set<String> all = IntStream.range(0, RECEIVE_TOTAL).mapToObj(n -> LocalMailChild.subject("in", n))
                .collect(Collectors.toSet());
        List<Integer> acks = runAndKill(killAfter, "received", "receive", home.toString(), "bob");
        int acknowledged = acks.stream().mapToInt(Integer::intValue).max().orElse(0);

        // What the kill left: every file still in new/ or in bob's store; at least what was acknowledged is stored.
        spoolerTiming();
        Mapi.initialize(MapiInit.home(home));
        MapiSession look = logonNoMail("bob");
        MsgStore lookStore = open(look);
        Received stored = received(lookStore, "in");
        endSession(look, lookStore);
        Map<String, List<Mail>> waiting = parseAll(incoming("bob"), "in");
        Set<String> inBoth = new HashSet<>(waiting.keySet());
        inBoth.retainAll(stored.counts().keySet());
        String state = String.format("killed after %d acknowledged: %d stored, %d still in new/, %d both stored "
                + "and in new/", acknowledged, stored.total(), waiting.size(), inBoth.size());
        assertThat(all.stream().filter(s -> !waiting.containsKey(s) && !stored.counts().containsKey(s)).sorted()
                .toList()).as("lost messages (%s)", state).isEmpty();
        assertThat(stored.total()).as("acknowledged receipts are stored (%s)", state)
                .isGreaterThanOrEqualTo(acknowledged);
        assertThat(stored.duplicates()).as("no duplicate before the restart (%s)", state).isEmpty();

        // A later session receives the rest, exactly once except where the kill fell between save and delete.
        MapiSession bob = logon("bob");
        MsgStore bobStore = open(bob);
        await(() -> entries(incoming("bob")).isEmpty(), () -> "bob's new/ emptied; it holds "
                + entries(incoming("bob")).size());
        Received got = received(bobStore, "in");
        endSession(bob, bobStore);
        report("receiver", killAfter, state, got);
        assertThat(got.counts().keySet()).as("every message is in the store (%s; %s)", state, got)
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(got.duplicates()).as("duplicates only where the kill fell between SaveChanges and the file's "
                + "removal (%s; %s)", state, got).isSubsetOf(inBoth);
        assertThat(got.messageIdsPerSubject()).as("every copy of a message has its Message-ID (%s)", got)
                .allSatisfy((subject, ids) -> assertThat(ids).hasSize(1));
        assertThat(entries(incoming("bob").resolveSibling("bad"))).isEmpty();
    }

    // ---- the child ----------------------------------------------------------------------------------------

    /** Creates the profiles with MAPI, then ends MAPI in this process so the child is the only one moving mail. */
    private void profiles(String... users) {
        try (LocalFixture f = LocalFixture.start(home, users)) {
            assertThat(f.maildrop).isDirectory();
        }
    }

    /**
     * Starts {@link LocalMailChild} with {@code args}, reads its acknowledgements ({@code <word> N}), kills it with
     * SIGKILL once {@code killAfter} arrived (for "received", once N reached it), and waits for it to be gone.
     *
     * @return the numbers acknowledged, in the order read
     */
    private List<Integer> runAndKill(int killAfter, String word, String... args) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                LocalMailChild.class.getName()));
        command.addAll(List.of(args));
        Path stderr = home.resolve("child-stderr.txt");
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        List<Integer> acks = new ArrayList<>();
        CountDownLatch enough = new CountDownLatch(1);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> read(child.getInputStream(), word, acks,
                killAfter, enough));
        try {
            assertThat(enough.await(120, TimeUnit.SECONDS)).as("the child reached %d acknowledgements (got %s); "
                    + "its stderr: %s", killAfter, acks, readQuietly(stderr)).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        reader.get(30, TimeUnit.SECONDS);
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    private static void read(InputStream in, String word, List<Integer> acks, int killAfter, CountDownLatch enough) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f.length != 2 || !f[0].equals(word)) {
                    continue;
                }
                int n;
                try {
                    n = Integer.parseInt(f[1]);
                } catch (NumberFormatException e) {
                    continue; // a line cut short by the kill acknowledges nothing
                }
                synchronized (acks) {
                    acks.add(n);
                    if (acks.size() >= killAfter || n >= killAfter) {
                        enough.countDown();
                    }
                }
            }
        } catch (IOException e) {
            // the child was killed while we were reading: what was read so far is what counts
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    // ---- looking at mail ----------------------------------------------------------------------------------

    private Path incoming(String mailbox) {
        return home.resolve("maildrop").resolve(mailbox).resolve("new");
    }

    /** A message file in a Maildir, parsed. */
    private record Mail(Path file, String subject, String messageId) {}

    /**
     * Parses every file of a {@code new/} directory and checks it is a complete message of the stream (its body
     * exactly what the sender wrote): a partial file must never be visible there.
     *
     * @return the files by subject
     */
    private static Map<String, List<Mail>> parseAll(Path dir, String stream) throws Exception {
        Map<String, List<Mail>> out = new TreeMap<>();
        for (Path file : entries(dir)) {
            MimeMessage m;
            try (InputStream in = Files.newInputStream(file)) {
                m = new MimeMessage(Session.getInstance(new Properties()), in);
            }
            String subject = m.getSubject();
            assertThat(subject).as("subject of %s", file).startsWith(stream + " ");
            int n = Integer.parseInt(subject.substring(stream.length() + 1));
            assertThat(String.valueOf(m.getContent())).as("the complete body of %s", file)
                    .isEqualTo(LocalMailChild.body(stream, n));
            out.computeIfAbsent(subject, s -> new ArrayList<>()).add(new Mail(file, subject, m.getMessageID()));
        }
        return out;
    }

    /** @return the subjects of the Outbox messages still submitted (MSGFLAG_SUBMIT) */
    private static Set<String> submitted(MsgStore store) {
        try (MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID);
             MapiTable t = outbox.getContentsTable(0)) {
            t.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_MESSAGE_FLAGS}, 0);
            Set<String> out = new HashSet<>();
            for (Row r : t.queryRows(10_000, 0)) {
                int flags = r.find(PropTags.PR_MESSAGE_FLAGS).map(PropValue::asInt).orElse(0);
                if ((flags & Flags.MSGFLAG_SUBMIT) != 0) {
                    out.add(r.get(PropTags.PR_SUBJECT).asString());
                }
            }
            return out;
        }
    }

    /** @return the submitted Outbox messages with their submit flags and recipients, for a failure message */
    private static String describeQueued(MsgStore store) {
        StringBuilder b = new StringBuilder();
        try (MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID)) {
            for (Item i : contents(outbox)) {
                try (org.jmapi.client.Message m = (org.jmapi.client.Message) store.openEntry(i.id(),
                        Flags.MAPI_BEST_ACCESS)) {
                    b.append(i.subject()).append(": flags ").append(m.getProp(PropTags.PR_MESSAGE_FLAGS)
                            .map(PropValue::asInt).orElse(-1)).append(", submit flags ")
                            .append(m.getProp(PropTags.PR_SUBMIT_FLAGS).map(PropValue::asInt).orElse(-1))
                            .append(", recipients ").append(recipients(m).stream().map(r -> r.find(
                                    PropTags.PR_EMAIL_ADDRESS).map(PropValue::asString).orElse("?") + " responsible="
                                    + r.find(PropTags.PR_RESPONSIBILITY).map(PropValue::asBoolean).orElse(false))
                                    .toList()).append("; ");
                }
            }
        }
        return b.toString();
    }

    private static Set<String> subjects(List<Item> items) {
        return items.stream().map(Item::subject).collect(Collectors.toSet());
    }

    /**
     * What an Inbox holds of a stream.
     *
     * @param counts               copies per subject
     * @param messageIdsPerSubject the distinct PR_INTERNET_MESSAGE_IDs per subject
     */
    private record Received(Map<String, Integer> counts, Map<String, Set<String>> messageIdsPerSubject) {
        int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** @return the subjects stored more than once */
        Set<String> duplicates() {
            return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        }

        @Override
        public String toString() {
            return total() + " stored, " + counts.size() + " distinct, " + (total() - counts.size())
                    + " duplicate copies " + duplicates();
        }
    }

    private static Received received(MsgStore store, String stream) {
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Set<String>> ids = new TreeMap<>();
        try (MapiFolder inbox = inbox(store);
             MapiTable t = inbox.getContentsTable(0)) {
            t.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_INTERNET_MESSAGE_ID, PropTags.PR_ENTRYID}, 0);
            for (Row r : t.queryRows(100_000, 0)) {
                String subject = r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse("");
                assertThat(subject).as("only the stream arrives").startsWith(stream + " ");
                counts.merge(subject, 1, Integer::sum);
                String id = r.find(PropTags.PR_INTERNET_MESSAGE_ID).map(PropValue::asString).orElseGet(() ->
                        "(none: " + EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()).toHex() + ")");
                ids.computeIfAbsent(subject, s -> new HashSet<>()).add(id);
            }
        }
        return new Received(counts, ids);
    }

    private static void report(String who, int killAfter, String state, Received got) {
        System.out.printf("LocalCrashTest %s killAfter=%d: %s; after the restart: %s%n", who, killAfter, state, got);
    }
}
