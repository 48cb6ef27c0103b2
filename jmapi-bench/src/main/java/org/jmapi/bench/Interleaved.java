package org.jmapi.bench;

import org.openjdk.jmh.util.ListStatistics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A timed loop that measures two operations in the same instants: it alternates one call of {@code a} and one of
 * {@code b} (the order flipped every pair, so neither side always runs right after the other), times each call,
 * and after a warm-up collects the times in fixed windows. On a shared machine a burst of background load (another
 * build, a slow fsync) then hits both sides alike, and their ratio holds even when the absolute figures move —
 * which separate, sequential JMH forks could not guarantee here (see docs/performance.md).
 */
public final class Interleaved {
    private Interleaved() {}

    /** One of the two operations; its result is folded into a sink so it cannot be optimised away. */
    public interface Op {
        /**
         * @return anything
         * @throws Exception when the operation fails (the measurement stops)
         */
        Object run() throws Exception;
    }

    /**
     * The figures.
     *
     * @param aMs          mean time per call of a (total time / calls), ms
     * @param aError       99.9% half-width of a's per-window means, ms
     * @param bMs          mean time per call of b, ms
     * @param bError       99.9% half-width of b's per-window means, ms
     * @param ratio        aMs / bMs
     * @param ratioError   99.9% half-width of the per-window ratios
     * @param windowRatios each window's a/b time ratio
     * @param calls        calls per side during measurement
     * @param aMedianMs    median call of a, ms
     * @param bMedianMs    median call of b, ms
     */
    public record Measurement(double aMs, double aError, double bMs, double bError, double ratio, double ratioError,
                              List<Double> windowRatios, long calls, double aMedianMs, double bMedianMs) {}

    private static volatile int sink;

    /**
     * @param a        the jmapi operation
     * @param b        the baseline operation
     * @param warmupS  seconds of alternating calls before measuring
     * @param measureS seconds of measurement
     * @param windowS  window length, seconds
     * @param log      progress
     * @return the figures
     * @throws Exception when an operation fails
     */
    public static Measurement run(Op a, Op b, double warmupS, double measureS, double windowS, PrintStream log)
            throws Exception {
        log.printf("  timed loop: warm-up %.0f s, then %.0f s in %.0f s windows, jmapi and baseline alternating%n",
                warmupS, measureS, windowS);
        loop(a, b, (long) (warmupS * 1e9), (long) (windowS * 1e9), null);
        Times t = new Times();
        loop(a, b, (long) (measureS * 1e9), (long) (windowS * 1e9), t);
        ListStatistics as = new ListStatistics();
        ListStatistics bs = new ListStatistics();
        ListStatistics rs = new ListStatistics();
        List<Double> ratios = new ArrayList<>();
        for (double[] w : t.windows) {
            as.addValue(w[0]);
            bs.addValue(w[1]);
            rs.addValue(w[0] / w[1]);
            ratios.add(Result.round(w[0] / w[1]));
        }
        double aMs = t.aTotal / 1e6 / t.aCount;
        double bMs = t.bTotal / 1e6 / t.bCount;
        return new Measurement(aMs, err(as), bMs, err(bs), aMs / bMs, err(rs), ratios, t.aCount,
                median(t.aCalls, t.aCount) / 1e6, median(t.bCalls, t.bCount) / 1e6);
    }

    /** What the measurement collects. */
    private static final class Times {
        final List<double[]> windows = new ArrayList<>();
        long[] aCalls = new long[1 << 12];
        long[] bCalls = new long[1 << 12];
        int aCount;
        int bCount;
        long aTotal;
        long bTotal;

        void add(boolean isA, long nanos) {
            if (isA) {
                if (aCount == aCalls.length) {
                    aCalls = Arrays.copyOf(aCalls, aCount * 2);
                }
                aCalls[aCount++] = nanos;
                aTotal += nanos;
            } else {
                if (bCount == bCalls.length) {
                    bCalls = Arrays.copyOf(bCalls, bCount * 2);
                }
                bCalls[bCount++] = nanos;
                bTotal += nanos;
            }
        }
    }

    private static void loop(Op a, Op b, long durationNanos, long windowNanos, Times t) throws Exception {
        long start = System.nanoTime();
        long windowStart = start;
        long aNanos = 0;
        long bNanos = 0;
        long aCount = 0;
        long bCount = 0;
        int h = 0;
        for (long pair = 0; ; pair++) {
            boolean aFirst = (pair & 1) == 0;
            for (int k = 0; k < 2; k++) {
                boolean isA = (k == 0) == aFirst;
                long t0 = System.nanoTime();
                Object r = isA ? a.run() : b.run();
                long dt = System.nanoTime() - t0;
                h ^= System.identityHashCode(r);
                if (isA) {
                    aNanos += dt;
                    aCount++;
                } else {
                    bNanos += dt;
                    bCount++;
                }
                if (t != null) {
                    t.add(isA, dt);
                }
            }
            long now = System.nanoTime();
            if (now - windowStart >= windowNanos) {
                if (t != null) {
                    t.windows.add(new double[] {aNanos / 1e6 / aCount, bNanos / 1e6 / bCount});
                }
                windowStart = now;
                aNanos = bNanos = aCount = bCount = 0;
            }
            if (now - start >= durationNanos) {
                sink = h;
                return;
            }
        }
    }

    private static double err(ListStatistics s) {
        return s.getN() > 2 ? s.getMeanErrorAt(0.999) : Double.NaN;
    }

    private static double median(long[] v, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] a = Arrays.copyOf(v, n);
        Arrays.sort(a);
        return a[n / 2];
    }
}
