package org.jmapi.transport.smtp;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.client.MapiStatus;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.transport.smtp.SmtpFixture.await;
import static org.jmapi.transport.smtp.SmtpFixture.recipient;

/**
 * Connections in a real session: one connection for many messages (no RSET after a transaction that ended, RSET
 * after one that did not), pipelined transactions, a kept connection the server dropped or timed out, the idle close,
 * working offline, and QUIT at logoff. Connections are
 * counted at the peer (a {@link TcpProxy} in front of GreenMail, or the {@link SmtpResponder}).
 */
class SmtpConnectionReuseTest {
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

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static List<String> submitMany(SmtpFixture f, int n) {
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            subjects.add("message " + i);
            f.submit("message " + i, List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
        }
        return subjects;
    }

    @Test
    void R_XPS_2_fiftyMessagesGoOverOneConnectionWithoutRsetAndQuitAtLogoff(@TempDir Path home) {
        try (SmtpFixture f = SmtpFixture.start(home, SmtpFixture.smtp(proxy.port(), "none"))) {
            List<String> subjects = submitMany(f, 50);
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 50,
                    () -> "50 sent, got " + f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).size());
            assertThat(f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID)).containsExactlyInAnyOrderElementsOf(subjects);
            assertThat(greenMail.getReceivedMessages()).hasSize(50);
            assertThat(proxy.connections()).isEqualTo(1);
            String sent = proxy.clientTranscript();
            assertThat(count(sent, "\r\nMAIL FROM:<")).isEqualTo(50);
            // every transaction ended with the reply to its ".": the next MAIL FROM follows at once (RFC 5321 4.1.1.4)
            assertThat(count(sent, "RSET\r\n")).isZero();
            assertThat(f.statusString()).isEqualTo("Connected to 127.0.0.1:" + proxy.port());
            f.logoff();
            await(() -> proxy.clientTranscript().endsWith("QUIT\r\n"), () -> "QUIT at logoff");
        }
    }

    @Test
    void R_XPS_2_fiftyMessagesArePipelinedOverOneConnection(@TempDir Path home) {
        try (SmtpResponder server = SmtpResponder.start()) {
            server.extensions = List.of("PIPELINING", "SIZE 10000000", "8BITMIME");
            try (SmtpFixture f = SmtpFixture.start(home, SmtpFixture.smtp(server.port(), "none"))) {
                for (int i = 0; i < 50; i++) {
                    f.submit("pipelined " + i, List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO),
                            recipient("Bob", "bob@example.org", Flags.MAPI_CC),
                            recipient("Cid", "cid@example.org", Flags.MAPI_BCC)));
                }
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 50,
                        () -> "50 sent; violations " + server.violations());
            }
            assertThat(server.violations()).isEmpty(); // nor a MAIL FROM inside an open transaction
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.commands()).doesNotContain("RSET");
            assertThat(server.received()).hasSize(50).allSatisfy(r -> {
                assertThat(r.recipients()).containsExactly("ann@example.org", "bob@example.org", "cid@example.org");
                assertThat(r.mailLine()).matches("MAIL FROM:<sender@example.org> SIZE=\\d+");
            });
        }
    }

    @Test
    void R_MAIL_2_aKeptConnectionTheServerDroppedIsReplacedWithoutAnError(@TempDir Path home) {
        try (SmtpFixture f = SmtpFixture.start(home, SmtpFixture.smtp(proxy.port(), "none"))) {
            f.submit("first", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("first"), () -> "first sent");
            proxy.dropConnections();
            await(() -> proxy.openConnections() == 0, () -> "the connection dropped");
            f.submit("second", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("second"), () -> "second sent");
            assertThat(proxy.connections()).isEqualTo(2);
            assertThat(greenMail.getReceivedMessages()).hasSize(2);
            assertThat(f.submitResults()).containsExactly(HResult.S_OK, HResult.S_OK);
            assertThat(f.statusCode() & Flags.STATUS_FAILURE).isZero();
        }
    }

    @Test
    void R_MAIL_2_aKeptConnectionTheServerTimedOutWith421IsReplacedWithoutAnError(@TempDir Path home) {
        try (SmtpResponder server = SmtpResponder.start()) {
            server.extensions = List.of("PIPELINING", "8BITMIME");
            try (SmtpFixture f = SmtpFixture.start(home, SmtpFixture.smtp(server.port(), "none"))) {
                f.submit("first", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("first"), () -> "first sent");
                server.expireConnections(); // "421 4.4.2 ... timeout" and close, while the connection is kept
                f.submit("second", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("second"), () -> "second sent");
                assertThat(server.connections()).isEqualTo(2);
                assertThat(server.received()).extracting(r -> r.text().contains("Subject: second")).containsOnlyOnce(true);
                assertThat(server.received()).hasSize(2);
                assertThat(f.submitResults()).containsExactly(HResult.S_OK, HResult.S_OK);
                assertThat(f.statusCode() & Flags.STATUS_FAILURE).isZero();
            }
            assertThat(server.violations()).isEmpty();
        }
    }

    @Test
    void R_XPS_2_aTransactionThatDidNotEnd_isResetBeforeTheNextMessage(@TempDir Path home) {
        try (SmtpResponder server = SmtpResponder.start()) {
            server.extensions = List.of("PIPELINING", "8BITMIME");
            server.rcptReply = a -> a.startsWith("nobody@") ? "550 5.1.1 no such user" : "250 2.1.5 OK";
            try (SmtpFixture f = SmtpFixture.start(home, SmtpFixture.smtp(server.port(), "none"))) {
                // every RCPT TO refused: DATA gets 554 and the server keeps the transaction (MAIL FROM) open
                f.submit("to nobody", List.of(recipient("Nobody", "nobody@example.org", Flags.MAPI_TO)));
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("to nobody"), () -> "first done");
                f.submit("to ann", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("to ann"), () -> "second sent");
                f.submit("to ann again", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
                await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("to ann again"), () -> "third sent");
            }
            assertThat(server.violations()).isEmpty();
            assertThat(server.connections()).isEqualTo(1);
            List<String> verbs = server.commands().stream().map(c -> c.split("[ :]")[0])
                    .filter(v -> !v.equals("EHLO") && !v.equals("QUIT")).toList();
            // RSET only after the transaction that was left open; none after the one that ended with its "."
            assertThat(verbs).containsExactly("MAIL", "RCPT", "DATA", "RSET", "MAIL", "RCPT", "DATA", "MAIL", "RCPT",
                    "DATA");
            assertThat(server.received()).hasSize(2);
        }
    }

    @Test
    void R_XPS_2_anIdleConnectionIsClosedWithQuit(@TempDir Path home) {
        List<PropValue> settings = SmtpFixture.smtp(proxy.port(), "none");
        settings.add(PropValue.ofInt(SmtpTransportService.PR_SMTP_IDLE_SECONDS, 1));
        try (SmtpFixture f = SmtpFixture.start(home, settings)) {
            f.submit("then idle", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("then idle"), () -> "sent");
            await(() -> proxy.openConnections() == 0, () -> "the idle connection closed");
            assertThat(proxy.clientTranscript()).endsWith("QUIT\r\n");
            await(() -> f.statusString().equals("Available"), () -> "status Available, got " + f.statusString());
            f.submit("after idle", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("after idle"), () -> "sent again");
            assertThat(proxy.connections()).isEqualTo(2);
        }
    }

    @Test
    void R_VS_1_workingOfflineClosesTheConnectionAndKeepsMailQueuedUntilBackOnline(@TempDir Path home) {
        try (SmtpFixture f = SmtpFixture.start(home, SmtpFixture.smtp(proxy.port(), "none"))) {
            f.submit("online", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("online"), () -> "sent");
            try (MapiStatus status = f.transportStatus()) {
                status.validateState(0, Flags.FORCE_XP_DISCONNECT);
            }
            assertThat(f.statusString()).isEqualTo("Offline");
            assertThat(f.statusCode() & Flags.STATUS_OFFLINE).isNotZero();
            await(() -> proxy.openConnections() == 0, () -> "the connection closed");
            assertThat(proxy.clientTranscript()).endsWith("QUIT\r\n");

            f.submit("while offline", List.of(recipient("Ann", "ann@example.org", Flags.MAPI_TO)));
            f.flushOutbound(); // returns after the send loop ran: the offline transport got nothing
            assertThat(f.queued()).containsExactly("while offline");
            assertThat(proxy.connections()).isEqualTo(1);

            try (MapiStatus status = f.transportStatus()) {
                status.validateState(0, Flags.FORCE_XP_CONNECT);
            }
            f.flushOutbound();
            await(() -> f.subjects(PropTags.PR_IPM_SENTMAIL_ENTRYID).contains("while offline"), () -> "sent online");
            assertThat(greenMail.getReceivedMessages()).hasSize(2);
        }
    }
}
