package org.jmapi.transport.smtp;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.prop.PropTags;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.store.engine.GroupCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit of the spooler's outcome writes (jmapi's {@code DeferredOutcomes}, R-MAIL-1) through a real session,
 * the SQLite store and the SMTP transport: the save of PR_RESPONSIBILITY and FinishedMsg commit without the fsync,
 * and the spooler makes them durable at the end of every send pass.
 *
 * <p>What a test can see of durability: the flushes the store records in its file ({@code store_counter} row
 * {@code durable_flushes}, one per durable flush commit, read with a connection of its own), the spooler's
 * {@code jmapi::FlushOutcomes} trace event, and what a process crash or a power loss leaves. A SIGKILL loses nothing
 * the OS already has (an unflushed commit included), so the power loss is played by putting back a copy of the store
 * file taken at a durable point before the sends: the worst a power loss can leave (the log keeps a prefix of the
 * commits, and nothing after the submissions was flushed).
 *
 * <p>The group commit's own timer is set to an hour here, so only the spooler's flushes make the outcomes durable.
 */
class SpoolerGroupCommitTest {
    private static final Pattern SUBJECT = Pattern.compile("^Subject: (gc [0-9]+)\\r?$", Pattern.MULTILINE);
    private static final Pattern MESSAGE_ID = Pattern.compile("^Message-ID: (\\S+)\\r?$",
            Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);

    @TempDir
    Path home;
    @TempDir
    Path saved;
    private SmtpResponder sink;
    private Process child;

    @AfterEach
    void end() {
        if (child != null) {
            child.destroyForcibly();
        }
        if (sink != null) {
            sink.close();
        }
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
        System.clearProperty(GroupCommit.DELAY_PROPERTY);
    }

    private static List<List<org.jmapi.prop.PropValue>> bob() {
        return List.of(SmtpFixture.recipient("Bob", "bob@example.org", Flags.MAPI_TO));
    }

    private static long durableFlushes(Path store) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM store_counter WHERE name = 'durable_flushes'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private List<String> sent() {
        return sink.received().stream().map(r -> {
            Matcher m = SUBJECT.matcher(r.text());
            return m.find() ? m.group(1) : "?";
        }).toList();
    }

    private List<String> messageIds(String subject) {
        return sink.received().stream().map(SmtpResponder.Received::text).filter(t -> t.contains("Subject: " + subject
                + "\r\n")).map(t -> {
                    Matcher m = MESSAGE_ID.matcher(t);
                    return m.find() ? m.group(1) : "?";
                }).toList();
    }

    @Test
    void R_MAIL_1_afterASendPass_theOutcomesAreDurable() throws Exception {
        System.setProperty(GroupCommit.DELAY_PROPERTY, Long.toString(Duration.ofHours(1).toMillis()));
        sink = SmtpResponder.start();
        try (SmtpFixture f = SmtpFixture.start(home, SmtpFixture.smtp(sink.port(), "none"))) {
            for (int i = 0; i < 3; i++) {
                f.submit("gc " + i, bob());
            }
            SmtpFixture.await(() -> f.queued().isEmpty()
                    && f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 3, () -> "3 messages in Sent Items, "
                    + "queue " + f.queued());
            SmtpFixture.await(() -> {
                List<TraceEvent> events = f.trace.events();
                int lastFinished = -1;
                int lastFlush = -1;
                for (int i = 0; i < events.size(); i++) {
                    TraceEvent e = events.get(i);
                    if (e.call().equals("IMsgStore::FinishedMsg")) {
                        lastFinished = i;
                    } else if (e.call().equals("jmapi::FlushOutcomes") && e.phase() == TraceEvent.Phase.RETURN
                            && Integer.valueOf(HResult.S_OK).equals(e.hresult())) {
                        lastFlush = i;
                    }
                }
                return lastFinished >= 0 && lastFlush > lastFinished;
            }, () -> "the spooler's flush at the end of the pass that finished the last message; the trace ends with: "
                    + tail(f.trace.briefs()));
            // The timer is off and the client's own writes never count as flushes: a flush commit in the file is
            // the spooler's end of pass, and the outcomes committed before it are in the log it fsynced.
            assertThat(durableFlushes(home.resolve("mail.jmapi"))).isPositive();
            assertThat(sent()).containsExactlyInAnyOrder("gc 0", "gc 1", "gc 2");
        }
    }

    @Test
    void R_MAIL_1_storeLogoffReturns_withTheOutcomesSoFarDurable_evenInTheMiddleOfAPass() throws Exception {
        System.setProperty(GroupCommit.DELAY_PROPERTY, Long.toString(Duration.ofHours(1).toMillis()));
        sink = SmtpResponder.start();
        Path store = home.resolve("mail.jmapi");
        CountDownLatch secondInData = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sink.dataReply = r -> {
            if (r.text().contains("Subject: gc 1\r\n") && secondInData.getCount() > 0) {
                secondInData.countDown(); // "gc 0" is finished: its outcome is deferred, the pass is not over
                try {
                    release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "451 4.3.0 not now";
            }
            return "250 2.0.0 queued";
        };
        try (SmtpFixture f = SmtpFixture.start(home, SmtpTransportService.NAME, SmtpFixture.smtp(sink.port(), "none"))
                .logon(Flags.MAPI_NO_MAIL)) {
            f.submit("gc 0", bob());
            f.submit("gc 1", bob());
            f.restart(0); // now with the spooler
            assertThat(secondInData.await(2, TimeUnit.MINUTES)).as("the spooler sends").isTrue();
            assertThat(durableFlushes(store)).as("nothing flushed yet: the pass goes on, the timer is off").isZero();

            int out = f.store().storeLogoff(Flags.LOGOFF_NO_WAIT); // returns at once, the drain goes on
            long flushes = durableFlushes(store);
            release.countDown();

            assertThat(out & Flags.LOGOFF_COMPLETE).isNotZero();
            assertThat(flushes).as("the outcome of gc 0 was flushed before StoreLogoff returned").isEqualTo(1);
            f.logoffSession();
        }
    }

    @Test
    void R_MAIL_1_killedBeforeTheFlush_losesNoOutcome_andAPowerLossThenMeansADuplicate_neverALoss() throws Exception {
        sink = SmtpResponder.start();
        Path store = home.resolve("mail.jmapi");
        try (SmtpFixture f = SmtpFixture.start(home, SmtpTransportService.NAME, SmtpFixture.smtp(sink.port(), "none"))
                .logon(Flags.MAPI_NO_MAIL)) {
            f.submit("gc 0", bob());
            f.submit("gc 1", bob());
        }
        // Everything closed: the submissions are durable and in the file itself. This copy is the store as a power
        // loss right after the submissions would leave it (nothing after them flushed).
        for (String suffix : new String[] {"", "-wal"}) {
            if (Files.exists(Path.of(store + suffix))) {
                Files.copy(Path.of(store + suffix), saved.resolve("mail.jmapi" + suffix));
            }
        }

        CountDownLatch secondInData = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sink.dataReply = r -> {
            if (r.text().contains("Subject: gc 1\r\n") && secondInData.getCount() > 0) {
                secondInData.countDown(); // the spooler finished "gc 0" before it began this one
                try {
                    release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "451 4.3.0 not now";
            }
            return "250 2.0.0 queued";
        };
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = home.resolve("child-stderr.txt");
        child = new ProcessBuilder(java, "-D" + GroupCommit.DELAY_PROPERTY + "=" + Duration.ofHours(1).toMillis(),
                "-cp", System.getProperty("java.class.path"), GroupCommitChild.class.getName(), home.toString())
                .redirectError(stderr.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        boolean inData = secondInData.await(2, TimeUnit.MINUTES);
        assertThat(inData).as(() -> "the child sends; its stderr: " + read(stderr) + ", stdout: " + readQuietly(out))
                .isTrue();
        child.destroyForcibly(); // inside the pass: "gc 0" finished (deferred), "gc 1" in DATA, no flush yet
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        assertThat(sent()).containsExactly("gc 0");

        assertThat(durableFlushes(store)).as("the outcome of gc 0 was never flushed: the pass had not ended and the"
                + " group commit's timer is off").isZero();
        try (SmtpFixture f = SmtpFixture.existing(home).logon(Flags.MAPI_NO_MAIL)) {
            assertThat(f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID)).as("a process crash kept the unflushed outcome")
                    .containsExactly("gc 0");
            assertThat(f.queued()).containsExactly("gc 1");
            f.restart(0); // the next process, with its spooler: sends what is left, once
            SmtpFixture.await(() -> f.queued().isEmpty(), () -> "the queue empty; it holds " + f.queued());
            assertThat(f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID)).containsExactlyInAnyOrder("gc 0", "gc 1");
        }
        assertThat(sent()).as("nothing sent twice after a process crash").containsExactly("gc 0", "gc 1");

        // The power loss: the store goes back to its last durable state before the sends.
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(store + suffix));
        }
        for (String suffix : new String[] {"", "-wal"}) {
            if (Files.exists(saved.resolve("mail.jmapi" + suffix))) {
                Files.copy(saved.resolve("mail.jmapi" + suffix), Path.of(store + suffix),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (SmtpFixture f = SmtpFixture.existing(home).logon()) {
            SmtpFixture.await(() -> f.queued().isEmpty() && f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 2,
                    () -> "both sent again; queue " + f.queued());
        }
        assertThat(sent()).as("after the power loss both are sent again: duplicates, none lost")
                .containsExactly("gc 0", "gc 1", "gc 0", "gc 1");
        assertThat(messageIds("gc 0")).as("a duplicate carries its twin's Message-ID").hasSize(2)
                .doesNotContain("?").containsOnly(messageIds("gc 0").get(0));
    }

    private static List<String> tail(List<String> briefs) {
        return briefs.subList(Math.max(0, briefs.size() - 20), briefs.size());
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static String readQuietly(BufferedReader r) {
        try {
            StringBuilder sb = new StringBuilder();
            while (r.ready()) {
                sb.append(r.readLine()).append('\n');
            }
            return sb.toString();
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
