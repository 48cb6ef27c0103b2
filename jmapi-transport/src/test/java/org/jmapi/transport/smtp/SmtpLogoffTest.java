package org.jmapi.transport.smtp;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.smtp.SmtpFixture.await;
import static org.jmapi.transport.smtp.SmtpFixture.recipient;

/**
 * TransportLogoff in the middle of a send (R-LOFF-3, R-MAIL-2): GreenMail behind a {@link TcpProxy} that holds the
 * transfer right after DATA, so the message's bytes never reach the server while the transport waits for the reply
 * to its final ".". The session logs off: the transport closes its socket at once, SubmitMessage returns
 * MAPI_E_USER_CANCEL, and the message stays queued, unlocked, for the next session to send.
 */
class SmtpLogoffTest {
    private GreenMail greenMail;
    private TcpProxy proxy;

    @BeforeEach
    void start() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        proxy = TcpProxy.start("127.0.0.1", greenMail.getSmtp().getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        greenMail.stop();
    }

    @Test
    void R_LOFF_3_sessionLogoffWhileHeldMidDataLeavesTheMessageQueuedAndTheNextSessionSendsIt(@TempDir Path home) {
        List<PropValue> settings = SmtpFixture.smtp(proxy.port(), "none");
        // A read timeout far beyond the test's deadline: only the logoff closing the socket ends the wait.
        settings.removeIf(v -> v.id() == (SmtpTransportService.PR_SMTP_TIMEOUT >>> 16));
        settings.add(PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 3600));
        try (SmtpFixture f = SmtpFixture.start(home, settings)) {
            proxy.holdAfter("DATA\r\n");
            EntryId id = f.submit("held", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
            assertThat(proxy.awaitHeld(SmtpFixture.DEADLINE)).as("the transfer held after DATA").isTrue();
            await(() -> proxy.clientTranscript().contains("Subject: held"), () -> "the content written");
            assertThat(f.statusString()).isEqualTo("Sending 1 message to 127.0.0.1:" + proxy.port());
            assertThat(f.statusCode() & Flags.STATUS_OUTBOUND_ACTIVE).isNotZero();
            assertThat(f.submitFlags(id) & Flags.SUBMITFLAG_LOCKED).as("the spooler holds it").isNotZero();

            f.logoffSession();

            await(() -> proxy.openConnections() == 0, () -> "the transport closed its connection at logoff");
            assertThat(proxy.isHolding()).isFalse();
            proxy.release(); // nothing left to forward: the server never got the end of the message
            assertThat(f.submitResults()).containsExactly(HResult.MAPI_E_USER_CANCEL);
            assertThat(greenMail.getReceivedMessages()).isEmpty();

            f.restart(Flags.MAPI_NO_MAIL); // the next process, without spooler: look at the queue
            assertThat(f.queued()).containsExactly("held");
            assertThat(f.submitFlags(id) & Flags.SUBMITFLAG_LOCKED).as("unlocked").isZero();
            assertThat(f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID)).isEmpty();

            f.restart(); // and with spooler: it goes out
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("held"),
                    () -> "sent by the next session");
            assertThat(greenMail.getReceivedMessages()).hasSize(1);
            assertThat(f.queued()).isEmpty();
            assertThat(proxy.awaitHeld(Duration.ZERO)).isFalse();
        }
    }
}
