package org.jmapi.bench.rows;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.LeakTracker;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgStore;
import org.jmapi.bench.Bench;
import org.jmapi.bench.MapiProfile;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code session.cycle}: logon → open store → storeLogoff(LOGOFF_NO_WAIT) → release → session logoff → release,
 * cycles per second, in one initialised subsystem with one SQLite store file (created once). A plain timed loop with
 * warm-up; the live {@code jmapi-*} threads and {@code LeakTracker.liveObjects()} are taken after the warm-up and
 * after the loop, and must not grow.
 */
public final class SessionCycle implements Row {
    static final int QUICK_CYCLES = 1_000;
    static final int FULL_CYCLES = 100_000;
    /**
     * A safety stop only: the full run does all {@value #FULL_CYCLES} cycles (the target's "no growth over 100,000
     * cycles"; about 5.5 minutes at 300 cycles/s), unless a cycle became so slow that they would take longer than
     * this. The parameters say whether it stopped early, and the checks then name the cycles actually run.
     */
    static final double FULL_CAP_S = 900;

    @Override
    public String name() {
        return "session.cycle";
    }

    @Override
    public String what() {
        return "MAPILogonEx → openMsgStore (SQLite store provider, one store file) → storeLogoff(LOGOFF_NO_WAIT) → "
                + "release → session logoff → release, cycles per second, one thread, one initialised subsystem";
    }

    @Override
    public String baseline() {
        return "—";
    }

    @Override
    public String target() {
        return "report; no growth over 100,000 cycles (jmapi-* threads, LeakTracker.liveObjects())";
    }

    @Override
    public List<Result> measure(Bench bench) throws Exception {
        int cycles = bench.quick() ? QUICK_CYCLES : FULL_CYCLES;
        int warmup = bench.quick() ? 200 : 3_000;
        double capS = bench.quick() ? Double.POSITIVE_INFINITY : FULL_CAP_S;
        try (MapiProfile profile = new MapiProfile(bench.work().resolve("session-cycle"))) {
            EntryId storeId;
            MapiSession first = profile.logon();
            try {
                storeId = MapiProfile.storeId(first);
                // create the store's content once (the first open initialises the file's folders)
                cycle(first, storeId);
            } finally {
                first.logoff(0, 0, 0);
                first.release();
            }
            bench.log().printf("  warm-up %,d cycles, then %,d timed%s%n", warmup, cycles,
                    bench.quick() ? "" : " (stopping at " + (int) FULL_CAP_S + " s)");
            for (int i = 0; i < warmup; i++) {
                oneCycle(profile, storeId);
            }
            settle(Integer.MAX_VALUE, Long.MAX_VALUE);
            Map<String, Integer> threadsBefore = MapiProfile.jmapiThreads();
            int threadsBeforeN = MapiProfile.jmapiThreadCount();
            long liveBefore = LeakTracker.liveObjects();
            long leakedBefore = LeakTracker.leakedObjects();

            int window = Math.max(cycles / 20, 100);
            List<Double> windowRates = new ArrayList<>();
            List<Map<String, Object>> samples = new ArrayList<>();
            long[] times = new long[cycles];
            long start = System.nanoTime();
            long windowStart = start;
            long deadline = Double.isInfinite(capS) ? Long.MAX_VALUE : start + (long) (capS * 1e9);
            int done = 0;
            while (done < cycles) {
                long t0 = System.nanoTime();
                oneCycle(profile, storeId);
                long t1 = System.nanoTime();
                times[done++] = t1 - t0;
                if (done % window == 0) {
                    windowRates.add(Result.round(window / ((t1 - windowStart) / 1e9)));
                    windowStart = t1;
                    if (done % (window * 4) == 0) {
                        samples.add(Map.of("cycles", done, "jmapi_threads", MapiProfile.jmapiThreadCount(),
                                "live_objects", LeakTracker.liveObjects()));
                    }
                }
                if (t1 > deadline) {
                    break;
                }
            }
            double elapsedS = (System.nanoTime() - start) / 1e9;
            double rate = done / elapsedS;
            // storeLogoff(LOGOFF_NO_WAIT) lets the spooler's side finish on its own threads: give it up to 5 s to
            // come back to where it was before the loop, then take the "after" figures
            long settledMs = settle(threadsBeforeN, liveBefore);
            Map<String, Integer> threadsAfter = MapiProfile.jmapiThreads();
            int threadsAfterN = MapiProfile.jmapiThreadCount();
            long liveAfter = LeakTracker.liveObjects();
            long leakedAfter = LeakTracker.leakedObjects();

            long[] sorted = Arrays.copyOf(times, done);
            Arrays.sort(sorted);
            Map<String, Object> params = bench.params();
            params.put("harness", String.format(Locale.ROOT, "plain timed loop, one thread: %,d warm-up cycles, then "
                    + "%s", warmup, bench.quick() ? String.format(Locale.ROOT, "%,d timed cycles (quick mode)", cycles)
                    : String.format(Locale.ROOT, "up to %,d timed cycles, stopped at %.0f s if not done (full mode)",
                    cycles, FULL_CAP_S)));
            params.put("cycles", done);
            params.put("cycles_planned", cycles);
            params.put("stopped_by_time_cap", done < cycles);
            params.put("elapsed_s", Result.round(elapsedS));
            params.put("median_cycle_ms", Result.round(sorted[done / 2] / 1e6));
            params.put("p99_cycle_ms", Result.round(sorted[Math.min(done - 1, (int) (done * 0.99))] / 1e6));
            params.put("window_rates", windowRates);
            params.put("store", "jmapi.sqlite-store, one file created once by configureMsgService; store entry id "
                    + "read once from the message-store table");
            params.put("jmapi_threads_before", threadsBeforeN + " " + threadsBefore);
            params.put("jmapi_threads_after", threadsAfterN + " " + threadsAfter);
            params.put("live_objects_before", liveBefore);
            params.put("live_objects_after", liveAfter);
            params.put("leaked_objects_during", leakedAfter - leakedBefore);
            params.put("samples_during", samples);
            params.put("settle_after_loop_ms", settledMs);
            List<Result.Check> checks = List.of(
                    new Result.Check(String.format(Locale.ROOT, "no growth of jmapi-* threads over %,d cycles (%d → %d)",
                            done, threadsBeforeN, threadsAfterN), threadsAfterN <= threadsBeforeN),
                    new Result.Check(String.format(Locale.ROOT,
                            "no growth of LeakTracker.liveObjects() over %,d cycles (%d → %d)", done, liveBefore,
                            liveAfter), liveAfter <= liveBefore),
                    new Result.Check("no object leaked (LeakTracker.leakedObjects() unchanged)",
                            leakedAfter == leakedBefore),
                    new Result.Check(String.format(Locale.ROOT, "every planned cycle ran (%,d of %,d%s)", done, cycles,
                            bench.quick() ? ", quick mode" : ""), done == cycles));
            return List.of(new Result(name(), rate, Double.NaN, "cycles/s", "—", Double.NaN, Double.NaN, Double.NaN,
                    target(), checks, params));
        }
    }

    private static void oneCycle(MapiProfile profile, EntryId storeId) {
        MapiSession s = profile.logon();
        cycle(s, storeId);
        s.logoff(0, 0, 0);
        s.release();
    }

    private static void cycle(MapiSession s, EntryId storeId) {
        MsgStore store = MapiProfile.open(s, storeId);
        int out = store.storeLogoff(Flags.LOGOFF_NO_WAIT);
        if ((out & Flags.LOGOFF_COMPLETE) == 0) {
            throw new IllegalStateException("storeLogoff(LOGOFF_NO_WAIT) did not complete: 0x" + Integer.toHexString(out));
        }
        store.release();
    }

    /** Waits (up to 5 s) until the jmapi threads and live objects are at most the given counts; @return ms waited */
    private static long settle(int threads, long live) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + 5_000_000_000L;
        if (threads == Integer.MAX_VALUE) {
            Thread.sleep(200);
            return 200;
        }
        while (System.nanoTime() < deadline
                && (MapiProfile.jmapiThreadCount() > threads || LeakTracker.liveObjects() > live)) {
            Thread.sleep(10);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
