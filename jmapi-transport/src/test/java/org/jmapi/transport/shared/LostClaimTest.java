package org.jmapi.transport.shared;

import org.jmapi.Flags;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.runtime.trace.TraceRecorder;
import org.jmapi.store.postgres.PostgresServer;
import org.jmapi.store.postgres.PostgresStorage;
import org.jmapi.transport.smtp.SmtpResponder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A spooler that loses the race for a message to another spooler sharing the queue passes it by without a retry
 * time (Outbound, R-OQ-2): its SetLockState fails cleanly and the next pass looks again. The other spooler is played
 * by a transaction that holds the message's row the way a claim in progress does (so SKIP LOCKED passes the row by
 * and SetLockState answers MAPI_E_BUSY), while the outgoing queue still shows the message unlocked. The spooler's
 * first retry delay is ten minutes: the message is sent within the test's deadline only if the lost claim cost no
 * retry time.
 */
@ExtendWith(PostgresServer.class)
class LostClaimTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @AfterEach
    void end() {
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
    }

    @Test
    void R_OQ_2_aClaimLostToAnotherSpooler_costsNoRetryTime_theNextPassSendsIt(@TempDir Path home, PostgresServer pg)
            throws Exception {
        String url = pg.newDatabase("lost");
        System.setProperty("jmapi.spooler.poll", "100");
        System.setProperty("jmapi.spooler.retry", "600000");
        TraceRecorder trace = new TraceRecorder();
        try (SmtpResponder sink = SmtpResponder.start()) {
            Mapi.initialize(MapiInit.home(home));
            Runnable stopTrace = Mapi.trace().addListener(trace);
            SharedMailbox.createProfile(url, "mailbox", sink.port(), null);
            MapiSession s = SharedMailbox.logon(0);
            MsgStore store = SharedMailbox.open(s);
            try (Connection other = pg.connect(url)) {
                other.setAutoCommit(false);
                try (Message m = SharedMailbox.compose(store, "contested")) {
                    long id = onlyMessage(other);
                    // another spooler's claim of the message is in progress: its row is held
                    try (PreparedStatement ps = other.prepareStatement(
                            "SELECT id FROM jmapi.message WHERE id = ? FOR KEY SHARE")) {
                        ps.setLong(1, id);
                        ps.executeQuery().close();
                    }
                    m.submitMessage(0);
                }
                long mark = Mapi.trace().lastSeq();
                await(() -> lockAttempts(trace, mark) >= 2, () -> "two SetLockState attempts: the first one failed"
                        + " and cost no retry time; " + lockAttempts(trace, mark) + " so far");
                assertThat(sink.received()).as("not sent while the other spooler holds it").isEmpty();
                other.rollback(); // the other spooler gave up its claim
            }
            await(() -> sink.received().size() == 1, () -> "the message sent once the other spooler let go");
            await(() -> queued(url) == 0, () -> "FinishedMsg");
            assertThat(sink.received()).singleElement().satisfies(r -> assertThat(r.text()).contains("contested"));
            store.release();
            s.logoff(0, 0, 0);
            s.release();
            stopTrace.run();
        } finally {
            System.clearProperty("jmapi.spooler.retry");
        }
    }

    private static long onlyMessage(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT m.id FROM jmapi.message m JOIN jmapi.store s ON "
                + "s.id = m.store_id WHERE s.name = 'mailbox' AND NOT m.associated");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            long id = rs.getLong(1);
            assertThat(rs.next()).isFalse();
            return id;
        }
    }

    private static long lockAttempts(TraceRecorder trace, long mark) {
        return trace.since(mark).stream().filter(e -> e.call().equals("IMsgStore::SetLockState")
                && e.phase() == TraceEvent.Phase.CALL && e.flags() == Flags.MSG_LOCKED).count();
    }

    private static int queued(String url) {
        try (PostgresStorage st = PostgresStorage.open(url, PostgresServer.USER, PostgresServer.PASSWORD,
                "mailbox")) {
            return st.queue().size();
        }
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
