package org.jmapi.cli;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.runtime.trace.TraceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jmapi --trace FILE send ...} writes the lifecycle trace (docs/trace.md) of a model client: the client's
 * store logon ends with exactly one {@code IMAPISupport::StoreLogoffTransports}, with the flag {@code send} uses
 * (LOGOFF_NO_WAIT), followed by the release chain of R-SR-1 in order; the provider is shut down once, after its
 * last logon; the session is logged off and MAPI uninitialised.
 */
class TraceTest {
    private static final String SLT = "IMAPISupport::StoreLogoffTransports";

    static List<TraceEvent> read(Path file) throws IOException {
        List<TraceEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            events.add(TraceEvent.fromJson(line));
        }
        events.sort(Comparator.comparingLong(TraceEvent::seq));
        return events;
    }

    static String brief(TraceEvent e) {
        return e.call() + " " + e.phase().wireName();
    }

    @Test
    void R_SL_3_R_SR_1_sendTrace_oneStoreLogoffTransports_thenTheReleaseChainInOrder(@TempDir Path home)
            throws IOException {
        Cli.ok(home, "ls"); // the default mailbox exists: the traced command is only the send
        Path file = home.resolve("t.jsonl");
        Cli.ok(home, "--trace", file.toString(), "send", "--to", "bob@localhost", "--subject", "hi", "--body", "hello");
        List<TraceEvent> events = read(file);

        assertThat(brief(events.get(0))).isEqualTo("MAPIInitialize call");
        assertThat(brief(events.get(events.size() - 1))).isEqualTo("MAPIUninitialize return");
        String store = events.stream().filter(e -> e.call().equals("IMSProvider::Logon")).findFirst().orElseThrow()
                .object();
        String spooler = events.stream().filter(e -> e.call().equals("IMSProvider::SpoolerLogon")).findFirst()
                .orElseThrow().object();
        String provider = events.stream().filter(e -> e.call().equals("MSProviderInit")).findFirst().orElseThrow()
                .object();

        List<TraceEvent> slt = events.stream().filter(e -> e.call().equals(SLT)).toList();
        assertThat(slt).extracting(TraceTest::brief).containsExactly(SLT + " call", SLT + " return");
        assertThat(slt).allSatisfy(e -> assertThat(e.object()).isEqualTo(store));
        assertThat(slt.get(0).flags()).isEqualTo(Flags.LOGOFF_NO_WAIT);
        assertThat(slt.get(1).flags() & Flags.LOGOFF_COMPLETE).isNotZero();
        assertThat(slt.get(1).hresult()).isEqualTo(HResult.S_OK);

        long logoffSeq = events.stream().filter(e -> e.call().equals("IMsgStore::StoreLogoff")
                && e.phase() == TraceEvent.Phase.CALL).findFirst().orElseThrow().seq();
        List<TraceEvent> end = events.stream().filter(e -> e.seq() >= logoffSeq && e.object().equals(store)).toList();
        assertThat(end).extracting(TraceTest::brief).containsExactly(
                "IMsgStore::StoreLogoff call", SLT + " call", SLT + " return", "IMsgStore::StoreLogoff return",
                "IMsgStore::Release call", "IMAPISupport::Release call",
                "MAPI::UnregisterUIDs call", "MAPI::UnregisterUIDs return",
                "MAPI::RemoveStatusRows call", "MAPI::RemoveStatusRows return",
                "IMSLogon::Logoff call", "IMSLogon::Logoff return",
                "IMSLogon::Release call", "IMSLogon::Release return",
                "IMAPISupport::Release return", "IMsgStore::Release return");
        assertThat(end.get(0).flags()).isEqualTo(Flags.LOGOFF_NO_WAIT);
        assertThat(end.get(3).flags()).isEqualTo(slt.get(1).flags()); // StoreLogoff returns what SLT answered (R-SL-5)
        assertThat(end).filteredOn(e -> e.phase() == TraceEvent.Phase.RETURN)
                .allSatisfy(e -> assertThat(e.hresult()).isEqualTo(HResult.S_OK));

        // R-SR-1 (6)-(7): Shutdown once, after the last logon of the provider (client's or spooler's) was released.
        List<TraceEvent> shutdown = events.stream().filter(e -> e.call().equals("IMSProvider::Shutdown")).toList();
        assertThat(shutdown).hasSize(2);
        assertThat(shutdown.get(0).object()).isEqualTo(provider);
        long lastLogonRelease = events.stream().filter(e -> e.call().equals("IMSLogon::Release")
                && (e.object().equals(store) || e.object().equals(spooler))).mapToLong(TraceEvent::seq).max()
                .orElseThrow();
        assertThat(shutdown.get(0).seq()).isGreaterThan(lastLogonRelease);
        long providerRelease = events.stream().filter(e -> e.call().equals("IMSProvider::Release")
                && e.phase() == TraceEvent.Phase.CALL).findFirst().orElseThrow().seq();
        assertThat(providerRelease).isGreaterThan(shutdown.get(1).seq());

        // The session is logged off before MAPIUninitialize; nothing of the store's is called after its chain.
        long sessionLogoff = events.stream().filter(e -> e.call().equals("IMAPISession::Logoff")).findFirst()
                .orElseThrow().seq();
        assertThat(sessionLogoff).isGreaterThan(end.get(end.size() - 1).seq());
        // No secret, no content: the trace has no subject and no address in it.
        assertThat(Files.readString(file)).doesNotContain("hello", "bob@localhost", "\"hi\"");
    }

    @Test
    void traceOfAReadOnlyCommand_endsTheStoreWithOrderly(@TempDir Path home) throws IOException {
        Path file = home.resolve("ls.jsonl");
        Cli.ok(home, "--trace", file.toString(), "ls", "Inbox");
        List<TraceEvent> slt = read(file).stream().filter(e -> e.call().equals(SLT)).toList();
        assertThat(slt).hasSize(2);
        assertThat(slt.get(0).flags()).isEqualTo(Flags.LOGOFF_ORDERLY);
        // MAPI_NO_MAIL: no spooler logon on the store at all (R-SES-3)
        assertThat(read(file)).noneMatch(e -> e.call().equals("IMSProvider::SpoolerLogon"));
    }

    @Test
    void traceFileThatCannotBeWritten_isOneClearError(@TempDir Path home) throws IOException {
        Path dirAsFile = home.resolve("taken");
        Files.writeString(dirAsFile, "x");
        Cli.Result r = Cli.run(home, "--trace", dirAsFile.resolve("t.jsonl").toString(), "ls");
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(r.err()).startsWith("jmapi: cannot write the trace file ").doesNotContain("\tat ");
    }
}
