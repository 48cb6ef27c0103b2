package org.jmapi.transport.smtp;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.smtp.SmtpFixture.await;
import static org.jmapi.transport.smtp.SmtpFixture.recipient;

/**
 * Several connections at once ({@link SmtpTransportService#PR_SMTP_MAX_CONNECTIONS}, the transport's
 * {@code ConcurrentSubmissions}): the spooler hands the transport as many messages at once as it takes, each goes
 * on a connection of its own, and each is sent exactly once; a transport that takes one at a time never gets two,
 * even beside one that takes several; a logoff with several messages in flight leaves every one of them queued
 * (R-LOFF-3, R-MAIL-2); mail submitted while a slow message is being sent goes out before it ends. Elsewhere the
 * messages are submitted in a session without spooler first, so the spooler finds them all in one pass; one of them
 * has a recipient the server refuses, reported from a sender thread. The peer is the {@link SmtpResponder}, whose
 * reply to each message's "." the tests hold.
 */
class SmtpParallelTest {
    private static final int WAIT_SECONDS = 20;

    private static List<PropValue> settings(int port, int connections) {
        List<PropValue> s = SmtpFixture.smtp(port, "none");
        s.add(PropValue.ofInt(SmtpTransportService.PR_SMTP_MAX_CONNECTIONS, connections));
        return s;
    }

    private static List<String> submit(SmtpFixture f, String prefix, int n) {
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            subjects.add(prefix + " " + i);
            f.submit(prefix + " " + i, i == 5
                    ? List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO),
                            recipient("Nobody", "nobody@example.org", Flags.MAPI_CC))
                    : List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
        }
        return subjects;
    }

    /** @return whether {@code latch} opened within {@code seconds} (an interrupt is kept and counts as not) */
    private static boolean opened(CountDownLatch latch, long seconds) {
        try {
            return latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> receivedSubjects(SmtpResponder server) {
        List<String> out = new ArrayList<>();
        for (SmtpResponder.Received r : server.received()) {
            for (String line : r.text().split("\r\n")) {
                if (line.startsWith("Subject: ")) {
                    out.add(line.substring("Subject: ".length()));
                }
            }
        }
        return out;
    }

    @Test
    void R_XPS_2_threeConnectionsCarryThreeMessagesAtOnce_andEachMessageIsSentOnce(@TempDir Path home)
            throws InterruptedException {
        try (SmtpResponder server = SmtpResponder.start()) {
            server.extensions = List.of("PIPELINING", "8BITMIME");
            server.rcptReply = a -> a.equals("nobody@example.org") ? "550 5.1.1 no such user" : "250 2.1.5 ok";
            // The reply to a message's "." waits until three messages wait for theirs: only three at once get on.
            CountDownLatch three = new CountDownLatch(3);
            AtomicBoolean alone = new AtomicBoolean();
            server.dataReply = r -> {
                three.countDown();
                if (!opened(three, WAIT_SECONDS)) {
                    alone.set(true);
                }
                return "250 2.0.0 queued";
            };
            try (SmtpFixture f = SmtpFixture.start(home, SmtpTransportService.NAME, settings(server.port(), 3))
                    .logon(Flags.MAPI_NO_MAIL)) {
                List<String> subjects = submit(f, "parallel", 12);
                f.restart(); // with spooler
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 12,
                        () -> "12 sent, got " + f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).size());
                assertThat(alone).as("a message waited alone for its reply: not three at once").isFalse();
                assertThat(three.getCount()).isZero();
                assertThat(server.connections()).as("one connection per message in flight, reused").isEqualTo(3);
                assertThat(receivedSubjects(server)).as("each exactly once").containsExactlyInAnyOrderElementsOf(
                        subjects);
                assertThat(f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID)).containsExactlyInAnyOrderElementsOf(subjects);
                assertThat(f.queued()).isEmpty();
                assertThat(f.submitResults()).hasSize(12).containsOnly(HResult.S_OK);
                assertThat(server.violations()).isEmpty();
                // StatusRecips from a sender thread: the one refused recipient gets one report (R-XPS-5)
                assertThat(f.inboxSubjects()).containsExactly("Undeliverable: parallel 5");
                await(() -> (f.statusCode() & Flags.STATUS_OUTBOUND_ACTIVE) == 0, () -> "no send active");
                assertThat(f.statusString()).isEqualTo("Connected to 127.0.0.1:" + server.port());
            }
        }
    }

    @Test
    void R_XPS_2_mailSubmittedWhileASlowMessageIsBeingSentGoesOutOnAnotherConnectionBeforeItEnds(@TempDir Path home)
            throws InterruptedException {
        try (SmtpResponder server = SmtpResponder.start()) {
            CountDownLatch slowArrived = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            server.dataReply = r -> {
                if (r.text().contains("Subject: slow")) {
                    slowArrived.countDown();
                    opened(release, 60); // a server that takes its time over this one
                }
                return "250 2.0.0 queued";
            };
            try (SmtpFixture f = SmtpFixture.start(home, settings(server.port(), 2))) {
                f.submit("slow", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                assertThat(slowArrived.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the slow message at the server")
                        .isTrue();
                f.submit("fast", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("fast"),
                        () -> "the later message sent while the slow one is still being sent");
                assertThat(f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID)).doesNotContain("slow");
                assertThat(f.queued()).containsExactly("slow");
                release.countDown();
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("slow"), () -> "the slow one sent");
                assertThat(receivedSubjects(server)).containsExactlyInAnyOrder("slow", "fast");
                assertThat(server.connections()).isEqualTo(2);
            }
        }
    }

    @Test
    void R_XPS_1_aTransportThatTakesOneMessageAtATimeNeverGetsTwo_besideOneThatTakesThree(@TempDir Path home) {
        try (SmtpResponder first = SmtpResponder.start(); SmtpResponder second = SmtpResponder.start()) {
            AtomicInteger inData = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            first.dataReply = r -> {
                peak.accumulateAndGet(inData.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(20); // long enough for another send to overlap, were one let through
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inData.decrementAndGet();
                return "250 2.0.0 queued";
            };
            // Both take SMTP addresses; the first in transport order gets every recipient (R-XPS-1), while the
            // second makes the spooler send three messages at once.
            try (SmtpFixture f = SmtpFixture.start(home,
                    new SmtpFixture.Transport(SmtpTransportService.NAME, settings(first.port(), 1)),
                    new SmtpFixture.Transport(SmtpTransportService.NAME, settings(second.port(), 3)))
                    .logon(Flags.MAPI_NO_MAIL)) {
                List<String> subjects = submit(f, "serial", 9);
                f.restart();
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 9,
                        () -> "9 sent, got " + f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).size());
                assertThat(peak.get()).as("messages in flight at once on the one-at-a-time transport").isEqualTo(1);
                assertThat(first.connections()).isEqualTo(1);
                assertThat(receivedSubjects(first)).containsExactlyInAnyOrderElementsOf(subjects);
                assertThat(second.received()).isEmpty();
            }
        }
    }

    @Test
    void R_LOFF_3_aLogoffWithThreeMessagesInFlightLeavesEachQueued_andTheNextSessionSendsThem(@TempDir Path home)
            throws InterruptedException {
        try (SmtpResponder server = SmtpResponder.start()) {
            CountDownLatch held = new CountDownLatch(3);
            CountDownLatch release = new CountDownLatch(1);
            server.dataReply = r -> {
                held.countDown();
                opened(release, 60);
                return "451 4.3.0 too late"; // the client is gone by now: nothing is taken
            };
            List<PropValue> settings = settings(server.port(), 3);
            // A read timeout far beyond the test's deadline: only the logoff closing the sockets ends the waits.
            settings.removeIf(v -> v.id() == (SmtpTransportService.PR_SMTP_TIMEOUT >>> 16));
            settings.add(PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 3600));
            try (SmtpFixture f = SmtpFixture.start(home, SmtpTransportService.NAME, settings)
                    .logon(Flags.MAPI_NO_MAIL)) {
                List<String> subjects = submit(f, "in flight", 3);
                f.restart();
                assertThat(held.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("three messages wait for their replies")
                        .isTrue();
                assertThat(f.statusString()).isEqualTo("Sending 3 messages to 127.0.0.1:" + server.port());

                f.logoffSession();

                assertThat(f.submitResults()).containsExactly(HResult.MAPI_E_USER_CANCEL,
                        HResult.MAPI_E_USER_CANCEL, HResult.MAPI_E_USER_CANCEL);
                release.countDown();
                server.dataReply = r -> "250 2.0.0 queued";
                f.restart(Flags.MAPI_NO_MAIL); // the next process, without spooler: look at the queue
                assertThat(f.queued()).containsExactlyInAnyOrderElementsOf(subjects);
                assertThat(f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID)).isEmpty();

                f.restart(); // and with spooler: they go out
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 3, () -> "sent by the next session");
                assertThat(receivedSubjects(server)).containsExactlyInAnyOrderElementsOf(subjects);
                assertThat(f.queued()).isEmpty();
            }
        }
    }
}
