package org.jmapi.transport.local;

import org.jmapi.Flags;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.runtime.trace.TraceRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.local.LocalFixture.*;

/**
 * A message another spooler holds locked is sent once that spooler lets go of it, although nothing notifies the
 * let-go: the spooler reads the queue again every second while it passes by a held message (Outbound.HELD_LOOK),
 * whatever its poll interval. Here the holder is another JVM ({@link HeldLockChild}) killed while it holds the lock:
 * its lock ends with its process, with no write to the store, so the outgoing-queue table has no change to tell. (The
 * same happens in the quick start when the spooler of {@code jmapi send} starts on the message and gives it up as its
 * session ends: its lock and unlock can both fall between two reads of the server's queue table.) The spooler's poll
 * interval is ten minutes, so only that second look sends the message within the test's wait.
 */
class HeldLockTest {
    @TempDir
    Path home;

    private Process child;

    @AfterEach
    void end() {
        if (child != null) {
            child.destroyForcibly();
        }
        System.clearProperty("jmapi.spooler.poll");
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
    }

    @Test
    void R_OQ_2_aMessageAnotherSpoolerHeld_isSentOnceItsLockEnds_withoutAnyNotification() throws Exception {
        try (LocalFixture f = LocalFixture.start(home, "me")) {
            System.setProperty("jmapi.spooler.poll", "600000");
            MapiSession composer = logonNoMail("me");
            MsgStore draft = open(composer);
            submit(draft, "me@localhost", "held", "held by another spooler",
                    List.of(recipient("bob@localhost", Flags.MAPI_TO)));
            endSession(composer, draft);

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    HeldLockChild.class.getName(), storeFile(home, "me").toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the other spooler's answer").isEqualTo("locked");

            TraceRecorder trace = new TraceRecorder();
            Runnable stopTrace = Mapi.trace().addListener(trace);
            MapiSession session = logon("me");
            MsgStore store = open(session);
            // Two reads of the queue by the mail thread: the first pass passed the message by, the second look came
            // without any notification (the poll interval is ten minutes).
            await(() -> queueReads(trace) >= 2, () -> "the spooler's mail thread reading the queue twice; "
                    + queueReads(trace) + " so far");
            assertThat(entries(f.maildrop.resolve("bob").resolve("new"))).as("not sent while held").isEmpty();
            assertThat(lockAttempts(trace)).as("no SetLockState on a message the queue shows locked").isZero();

            child.destroyForcibly().waitFor();
            await(() -> entries(f.maildrop.resolve("bob").resolve("new")).size() == 1,
                    () -> "the message delivered once its holder died");
            await(() -> contents(store, PropTags.PR_IPM_OUTBOX_ENTRYID).isEmpty()
                    && contents(store, PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 1, () -> "FinishedMsg");
            endSession(session, store);
            stopTrace.run();
        }
    }

    private static long queueReads(TraceRecorder trace) {
        return trace.events().stream().filter(e -> e.call().equals("IMsgStore::GetOutgoingQueue")
                && e.thread().startsWith("jmapi-spooler-mail-")).count();
    }

    private static long lockAttempts(TraceRecorder trace) {
        return trace.events().stream().filter(e -> e.call().equals("IMsgStore::SetLockState")
                && e.phase() == TraceEvent.Phase.CALL && e.flags() == Flags.MSG_LOCKED).count();
    }
}
