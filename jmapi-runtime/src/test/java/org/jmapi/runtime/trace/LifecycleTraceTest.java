package org.jmapi.runtime.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.runtime.trace.TraceEvent.Phase;
import org.jmapi.spi.Tracer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTraceTest {
    private static final Instant T0 = Instant.parse("2026-11-21T05:40:01.123Z");

    private static LifecycleTrace fixedTrace() {
        return new LifecycleTrace(Clock.fixed(T0, ZoneOffset.UTC));
    }

    @Nested
    class Recording {
        @Test
        void disabled_recordsNothingAndConsumesNoSequence() {
            LifecycleTrace trace = fixedTrace();
            TraceRecorder rec = new TraceRecorder();
            assertThat(trace.enabled()).isFalse();

            trace.call("IMsgStore::StoreLogoff", "store:2", Flags.LOGOFF_ORDERLY);
            trace.ret("IMsgStore::StoreLogoff", "store:2", Flags.LOGOFF_COMPLETE, HResult.S_OK);
            trace.bind("store:2").call("IMsgStore::Release", 0);
            assertThat(trace.lastSeq()).isZero();

            Runnable remove = trace.addListener(rec);
            assertThat(trace.enabled()).isTrue();
            trace.call("IMSLogon::Logoff", "mslogon:2", 0);
            remove.run();
            assertThat(trace.enabled()).isFalse();
            trace.call("IMSProvider::Shutdown", "msprovider:1", 0);

            assertThat(rec.events()).singleElement().satisfies(e -> {
                assertThat(e.seq()).isEqualTo(1);
                assertThat(e.call()).isEqualTo("IMSLogon::Logoff");
            });
            assertThat(trace.lastSeq()).isEqualTo(1);
        }

        @Test
        void disabled_doesNotAllocate() {
            java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
            assumeTrue(plain instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) plain;
            assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
            LifecycleTrace trace = new LifecycleTrace();
            Tracer bound = trace.bind("store:2");
            int n = 100_000;
            for (int i = 0; i < n; i++) { // warm-up: class loading, first compilation
                trace.call("IMsgStore::StoreLogoff", "store:2", i);
                bound.ret("IMsgStore::StoreLogoff", i, HResult.S_OK);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                trace.call("IMsgStore::StoreLogoff", "store:2", i);
                trace.ret("IMsgStore::StoreLogoff", "store:2", i, HResult.MAPI_E_INVALID_OBJECT);
                bound.call("IMsgStore::Release", i);
                bound.ret("IMsgStore::Release", i, HResult.S_OK);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            // 400,000 calls: one event or boxed Integer per call would be megabytes.
            assertThat(allocated).isLessThan(64 * 1024);
        }

        @Test
        void recordsCallAndReturnWithThreadFlagsAndResult() {
            LifecycleTrace trace = fixedTrace();
            TraceRecorder rec = new TraceRecorder();
            trace.addListener(rec);

            trace.call("IMAPISupport::StoreLogoffTransports", "support:2", Flags.LOGOFF_ORDERLY);
            trace.ret("IMAPISupport::StoreLogoffTransports", "support:2",
                    Flags.LOGOFF_COMPLETE | Flags.LOGOFF_OUTBOUND_QUEUE, HResult.S_OK);

            assertThat(rec.events()).containsExactly(
                    new TraceEvent(1, T0, Thread.currentThread().getName(), "IMAPISupport::StoreLogoffTransports",
                            Phase.CALL, "support:2", 0x2, null),
                    new TraceEvent(2, T0, Thread.currentThread().getName(), "IMAPISupport::StoreLogoffTransports",
                            Phase.RETURN, "support:2", 0x90000, 0));
            assertThat(rec.briefs()).containsExactly(
                    "IMAPISupport::StoreLogoffTransports call support:2 0x00000002",
                    "IMAPISupport::StoreLogoffTransports return support:2 0x00090000 S_OK");
        }

        @Test
        void boundTracer_recordsWithItsLabel() {
            LifecycleTrace trace = fixedTrace();
            TraceRecorder rec = new TraceRecorder();
            trace.addListener(rec);
            Tracer store = trace.bind("store:2");
            Tracer xp = trace.bind("xp:3");

            store.call("IMsgStore::StoreLogoff", Flags.LOGOFF_NO_WAIT);
            xp.call("IXPLogon::TransportLogoff", Flags.LOGOFF_HURRY);
            xp.ret("IXPLogon::TransportLogoff", 0, HResult.S_OK);
            store.ret("IMsgStore::StoreLogoff", Flags.LOGOFF_COMPLETE, HResult.S_OK);

            assertThat(rec.briefs()).containsExactly(
                    "IMsgStore::StoreLogoff call store:2 0x00000001",
                    "IXPLogon::TransportLogoff call xp:3 0x80000000",
                    "IXPLogon::TransportLogoff return xp:3 0x00000000 S_OK",
                    "IMsgStore::StoreLogoff return store:2 0x00010000 S_OK");
            assertThat(rec.calls("store:2")).containsExactly("IMsgStore::StoreLogoff");
            assertThat(rec.calls("xp:3")).containsExactly("IXPLogon::TransportLogoff");
            assertThat(store).hasToString("Tracer[store:2]");
        }

        @Test
        void nullArguments_areRejectedEvenWhenDisabled() {
            LifecycleTrace trace = new LifecycleTrace();
            assertThatThrownBy(() -> trace.call(null, "store:2", 0)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> trace.ret("IMSLogon::Logoff", null, 0, 0))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> trace.bind(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> trace.addListener(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void sequence_uniqueAcrossThreadsAndIncreasingPerThread() throws Exception {
            LifecycleTrace trace = new LifecycleTrace();
            Map<String, List<Long>> seenByThread = new ConcurrentHashMap<>();
            trace.addListener(e -> seenByThread.computeIfAbsent(e.thread(), t -> new ArrayList<>()).add(e.seq()));
            int threads = 4;
            int perThread = 1000;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String label = "store:" + t;
                    done.add(pool.submit(() -> {
                        Thread.currentThread().setName("tracer-" + label);
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            trace.call("IMsgStore::GetProps", label, i);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(seenByThread).hasSize(threads);
            Set<Long> all = new HashSet<>();
            for (List<Long> seqs : seenByThread.values()) {
                assertThat(seqs).hasSize(perThread).isSorted().doesNotHaveDuplicates();
                all.addAll(seqs);
            }
            assertThat(all).hasSize(threads * perThread);
            assertThat(all).allSatisfy(s -> assertThat(s).isBetween(1L, (long) threads * perThread));
            assertThat(trace.lastSeq()).isEqualTo(threads * perThread);
        }

        @Test
        void listenerExceptions_doNotPropagateAndOthersStillHearTheEvent() {
            LifecycleTrace trace = fixedTrace();
            TraceRecorder rec = new TraceRecorder();
            trace.addListener(e -> {
                throw new IllegalStateException("listener bug");
            });
            trace.addListener(rec);

            assertThatCode(() -> {
                trace.call("IMSLogon::Logoff", "mslogon:2", 0);
                trace.bind("mslogon:2").ret("IMSLogon::Logoff", 0, HResult.S_OK);
            }).doesNotThrowAnyException();

            assertThat(rec.briefs()).containsExactly(
                    "IMSLogon::Logoff call mslogon:2 0x00000000",
                    "IMSLogon::Logoff return mslogon:2 0x00000000 S_OK");
            assertThat(trace.listenerFailures()).isEqualTo(2);
        }

        @Test
        void remover_removesOnlyItsOwnRegistration() {
            LifecycleTrace trace = fixedTrace();
            TraceRecorder rec = new TraceRecorder();
            Runnable first = trace.addListener(rec);
            trace.addListener(rec);
            trace.call("IUnknown::Release", "session:1", 0);
            assertThat(rec.events()).hasSize(2);

            first.run();
            first.run();
            rec.clear();
            trace.call("IUnknown::Release", "session:1", 0);
            assertThat(rec.events()).hasSize(1);
            assertThat(trace.enabled()).isTrue();
        }
    }

    @Nested
    class Format {
        @Test
        void toJson_callLine_isExact() {
            TraceEvent e = new TraceEvent(12, T0, "main", "IMsgStore::StoreLogoff", Phase.CALL, "store:2", 2, null);
            assertThat(e.toJson()).isEqualTo("{\"seq\":12,\"time\":\"2026-11-21T05:40:01.123Z\",\"thread\":\"main\","
                    + "\"call\":\"IMsgStore::StoreLogoff\",\"phase\":\"call\",\"object\":\"store:2\","
                    + "\"flags\":\"0x00000002\"}");
            assertThat(e.brief()).isEqualTo("IMsgStore::StoreLogoff call store:2 0x00000002");
        }

        @Test
        void toJson_returnLine_isExact() {
            TraceEvent e = new TraceEvent(15, T0, "main", "IMsgStore::StoreLogoff", Phase.RETURN, "store:2",
                    Flags.LOGOFF_COMPLETE, HResult.S_OK);
            assertThat(e.toJson()).isEqualTo("{\"seq\":15,\"time\":\"2026-11-21T05:40:01.123Z\",\"thread\":\"main\","
                    + "\"call\":\"IMsgStore::StoreLogoff\",\"phase\":\"return\",\"object\":\"store:2\","
                    + "\"flags\":\"0x00010000\",\"hr\":\"0x00000000\",\"hrName\":\"S_OK\"}");
            assertThat(e.brief()).isEqualTo("IMsgStore::StoreLogoff return store:2 0x00010000 S_OK");
        }

        @Test
        void hexIsEightUpperCaseDigitsAndHrNameComesFromHResult() {
            TraceEvent e = new TraceEvent(3, T0, "main", "IMsgStore::StoreLogoff", Phase.RETURN, "store:2",
                    0xabcdef, HResult.MAPI_E_INVALID_OBJECT);
            assertThat(e.toJson())
                    .contains("\"flags\":\"0x00ABCDEF\"")
                    .contains("\"hr\":\"0x80040108\"")
                    .contains("\"hrName\":\"MAPI_E_INVALID_OBJECT\"");
            assertThat(e.brief()).isEqualTo("IMsgStore::StoreLogoff return store:2 0x00ABCDEF MAPI_E_INVALID_OBJECT");

            int unknown = 0x8ABC0001;
            TraceEvent odd = new TraceEvent(4, T0, "main", "IMSLogon::Logoff", Phase.RETURN, "mslogon:2", 0, unknown);
            assertThat(odd.toJson()).contains("\"hr\":\"0x8ABC0001\",\"hrName\":\"" + HResult.name(unknown) + "\"");
            assertThat(odd.toJson()).contains("\"hrName\":\"0x8ABC0001\"");
        }

        @Test
        void time_isMillisecondPrecisionWithThreeDigits() {
            TraceEvent whole = new TraceEvent(1, Instant.parse("2026-11-21T05:40:01Z"), "main", "IUnknown::Release",
                    Phase.CALL, "session:1", 0, null);
            assertThat(whole.toJson()).contains("\"time\":\"2026-11-21T05:40:01.000Z\"");
            TraceEvent fine = new TraceEvent(1, Instant.parse("2026-11-21T05:40:01.123456789Z"), "main",
                    "IUnknown::Release", Phase.CALL, "session:1", 0, null);
            assertThat(fine.time()).isEqualTo(T0);
            assertThat(fine.toJson()).contains("\"time\":\"2026-11-21T05:40:01.123Z\"");
        }

        @Test
        void fromJson_roundTripsEvenAwkwardStrings() {
            List<TraceEvent> events = List.of(
                    new TraceEvent(0, T0, "main", "IMAPISession::Logoff", Phase.CALL, "session:1", Flags.LOGOFF_HURRY,
                            null),
                    new TraceEvent(Long.MAX_VALUE, T0, "worker \"7\"\n\tλ", "IXPLogon::TransportLogoff",
                            Phase.RETURN, "xp:3", -1, HResult.MAPI_E_CALL_FAILED));
            for (TraceEvent e : events) {
                String line = e.toJson();
                assertThat(line).doesNotContain("\n").doesNotContain("\r");
                assertThat(TraceEvent.fromJson(line)).isEqualTo(e);
            }
        }

        @Test
        void fromJson_ignoresUnknownFieldsAndDerivedHrName() {
            TraceEvent e = TraceEvent.fromJson("{\"seq\":5,\"time\":\"2026-11-21T05:40:01.123Z\",\"thread\":\"t\","
                    + "\"call\":\"IMSProvider::Shutdown\",\"phase\":\"return\",\"object\":\"msprovider:1\","
                    + "\"flags\":\"0x00000000\",\"hr\":\"0x80040108\",\"hrName\":\"whatever\",\"later\":1}");
            assertThat(e.brief()).isEqualTo("IMSProvider::Shutdown return msprovider:1 0x00000000 MAPI_E_INVALID_OBJECT");
        }

        @Test
        void fromJson_rejectsMalformedLines() {
            String good = new TraceEvent(1, T0, "main", "IUnknown::Release", Phase.CALL, "session:1", 0, null)
                    .toJson();
            List<String> bad = List.of(
                    "",
                    "not json",
                    "[1,2]",
                    good + " {}",
                    good.replace("\"seq\":1", "\"seq\":\"1\""),
                    good.replace("\"seq\":1", "\"seq\":1.5"),
                    good.replace("\"seq\":1", "\"seq\":-1"),
                    good.replace(",\"thread\":\"main\"", ""),
                    good.replace("\"phase\":\"call\"", "\"phase\":\"CALL\""),
                    good.replace("0x00000000", "0x0000000"),
                    good.replace("0x00000000", "0x+0000000"),
                    good.replace("0x00000000", "0x0000000G"),
                    good.replace("2026-11-21T05:40:01.123Z", "yesterday"),
                    good.replace("}", ",\"hr\":\"0x00000000\"}"),
                    good.replace("\"phase\":\"call\"", "\"phase\":\"return\""),
                    good.replace("{", "{\"seq\":2,"));
            for (String line : bad) {
                assertThatThrownBy(() -> TraceEvent.fromJson(line)).as(line)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }

        @Test
        void constructor_enforcesHresultOnlyOnReturns() {
            assertThatThrownBy(() -> new TraceEvent(1, T0, "main", "IUnknown::Release", Phase.CALL, "session:1", 0, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new TraceEvent(1, T0, "main", "IUnknown::Release", Phase.RETURN, "session:1", 0,
                    null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Writer {
        @TempDir
        Path dir;

        @Test
        void writesParseableLinesThatReadBackEqual() throws IOException {
            LifecycleTrace trace = new LifecycleTrace();
            TraceRecorder rec = new TraceRecorder();
            Path file = dir.resolve("a/b/trace.jsonl");
            JsonLinesTraceWriter writer = new JsonLinesTraceWriter(file);
            trace.addListener(rec);
            Runnable remove = trace.addListener(writer);

            Tracer store = trace.bind("store:2");
            store.call("IMsgStore::StoreLogoff", Flags.LOGOFF_ORDERLY);
            trace.call("IMAPISupport::StoreLogoffTransports", "support:2", Flags.LOGOFF_ORDERLY);
            trace.ret("IMAPISupport::StoreLogoffTransports", "support:2", Flags.LOGOFF_COMPLETE, HResult.S_OK);
            store.ret("IMsgStore::StoreLogoff", Flags.LOGOFF_COMPLETE, HResult.S_OK);
            // Lines are on disk before close: a crash after the last event loses nothing.
            assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(4);
            remove.run();
            writer.close();

            List<TraceEvent> readBack = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                readBack.add(TraceEvent.fromJson(line));
            }
            assertThat(readBack).isEqualTo(rec.events()).hasSize(4);
            assertThat(writer.error()).isNull();
            assertThat(writer.file()).isEqualTo(file);
        }

        @Test
        void truncatesAnExistingFile() throws IOException {
            Path file = dir.resolve("trace.jsonl");
            Files.writeString(file, "old content\nmore\n");
            try (JsonLinesTraceWriter writer = new JsonLinesTraceWriter(file)) {
                writer.onEvent(new TraceEvent(1, T0, "main", "IUnknown::Release", Phase.CALL, "session:1", 0, null));
            }
            assertThat(Files.readAllLines(file)).containsExactly(
                    "{\"seq\":1,\"time\":\"2026-11-21T05:40:01.123Z\",\"thread\":\"main\",\"call\":\"IUnknown::Release\","
                            + "\"phase\":\"call\",\"object\":\"session:1\",\"flags\":\"0x00000000\"}");
        }

        @Test
        void survivesDoubleCloseAndIgnoresEventsAfterClose() throws IOException {
            Path file = dir.resolve("trace.jsonl");
            JsonLinesTraceWriter writer = new JsonLinesTraceWriter(file);
            writer.onEvent(new TraceEvent(1, T0, "main", "IUnknown::Release", Phase.CALL, "session:1", 0, null));
            writer.close();
            assertThatCode(writer::close).doesNotThrowAnyException();
            writer.onEvent(new TraceEvent(2, T0, "main", "IUnknown::Release", Phase.RETURN, "session:1", 0, 0));

            assertThat(Files.readAllLines(file)).hasSize(1);
            assertThat(writer.error()).isNull();
        }

        @Test
        void ioError_isRememberedNotThrown() throws IOException {
            Path full = Path.of("/dev/full");
            assumeTrue(Files.isWritable(full), "needs /dev/full");
            LifecycleTrace trace = new LifecycleTrace();
            try (JsonLinesTraceWriter writer = new JsonLinesTraceWriter(full)) {
                trace.addListener(writer);
                assertThatCode(() -> {
                    trace.call("IMsgStore::StoreLogoff", "store:2", Flags.LOGOFF_ORDERLY);
                    trace.ret("IMsgStore::StoreLogoff", "store:2", Flags.LOGOFF_COMPLETE, HResult.S_OK);
                }).doesNotThrowAnyException();
                IOException first = writer.error();
                assertThat(first).isNotNull();
                trace.call("IMsgStore::Release", "store:2", 0);
                assertThat(writer.error()).isSameAs(first);
            }
            assertThat(trace.listenerFailures()).isZero();
        }

        @Test
        void constructor_failsWhenTheFileCannotBeCreated() throws IOException {
            Path notADir = dir.resolve("plain");
            Files.writeString(notADir, "x");
            assertThatThrownBy(() -> new JsonLinesTraceWriter(notADir.resolve("trace.jsonl")))
                    .isInstanceOf(IOException.class);
        }
    }

    @Nested
    class Recorder {
        private TraceEvent ev(long seq, String call, Phase phase, String object) {
            return new TraceEvent(seq, T0, "main", call, phase, object, 0, phase == Phase.CALL ? null : 0);
        }

        @Test
        void keepsSeqOrderEvenWhenDeliveredOutOfOrder() {
            TraceRecorder rec = new TraceRecorder();
            rec.onEvent(ev(2, "IMsgStore::Release", Phase.CALL, "store:2"));
            rec.onEvent(ev(1, "IMsgStore::StoreLogoff", Phase.CALL, "store:2"));
            rec.onEvent(ev(3, "IMsgStore::Release", Phase.RETURN, "store:2"));
            assertThat(rec.events()).extracting(TraceEvent::seq).containsExactly(1L, 2L, 3L);
        }

        @Test
        void callsSinceAndClear() {
            LifecycleTrace trace = fixedTrace();
            TraceRecorder rec = new TraceRecorder();
            trace.addListener(rec);
            trace.call("IMsgStore::StoreLogoff", "store:2", Flags.LOGOFF_ORDERLY);
            trace.ret("IMsgStore::StoreLogoff", "store:2", Flags.LOGOFF_COMPLETE, HResult.S_OK);
            long mark = trace.lastSeq();
            trace.call("IMSLogon::Logoff", "mslogon:2", 0);
            trace.ret("IMSLogon::Logoff", "mslogon:2", 0, HResult.S_OK);
            trace.call("IMsgStore::Release", "store:2", 0);

            assertThat(rec.calls("store:2")).containsExactly("IMsgStore::StoreLogoff", "IMsgStore::Release");
            assertThat(rec.calls("mslogon:2")).containsExactly("IMSLogon::Logoff");
            assertThat(rec.calls("xp:3")).isEmpty();
            assertThat(rec.since(mark)).extracting(TraceEvent::brief).containsExactly(
                    "IMSLogon::Logoff call mslogon:2 0x00000000",
                    "IMSLogon::Logoff return mslogon:2 0x00000000 S_OK",
                    "IMsgStore::Release call store:2 0x00000000");

            List<TraceEvent> snapshot = rec.events();
            rec.clear();
            assertThat(rec.events()).isEmpty();
            assertThat(rec.briefs()).isEmpty();
            assertThat(snapshot).hasSize(5);
            assertThatThrownBy(() -> snapshot.add(snapshot.get(0))).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
