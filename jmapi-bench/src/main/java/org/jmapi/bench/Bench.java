package org.jmapi.bench;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a run shares: the mode (quick or full), the work directory (deleted at the end), the log directory, the
 * folder fixture (built on first use, once per run), the timed-loop settings and the way JMH is driven (the
 * {@code table.*} rows with {@code --jmh}).
 *
 * <p>JMH settings: quick — 1 round, 1 fork, warm-up 4 × 1 s, measurement 5 × 1 s; full — 3 rounds, each 1 fork,
 * warm-up 3 × 1 s, measurement 5 × 1 s. A round runs the jmapi benchmark and then its baseline, so on a shared,
 * noisy machine both sides see the same background load over the run. The figures are medians over the rounds;
 * their ± pools every measured iteration of every round (99.9% confidence half-width as JMH computes it).
 */
public final class Bench implements AutoCloseable {
    private final boolean quick;
    private final Path root;
    private final Path work;
    private final Path logs;
    private final PrintStream log;
    private final boolean jfr;
    private final boolean jmh;
    private FolderFixture fixture;
    private BenchPostgres postgres;
    private PostgresFolder postgresFolder;

    /**
     * @param quick whether this is the short smoke run
     * @param root  the repository root
     * @param work  the work directory (temporary files)
     * @param logs  where JMH's logs (and JFR recordings) go
     * @param log   progress output (stderr)
     * @param jfr   whether to record every fork with JFR (profile settings)
     * @param jmh   whether the table.* rows use JMH instead of the interleaved timed loop
     */
    public Bench(boolean quick, Path root, Path work, Path logs, PrintStream log, boolean jfr, boolean jmh) {
        this.quick = quick;
        this.root = root;
        this.jmh = jmh;
        this.work = work;
        this.logs = logs;
        this.log = log;
        this.jfr = jfr;
    }

    /** @return whether this is the quick run */
    public boolean quick() {
        return quick;
    }

    /** @return whether the table.* rows use JMH ({@code --jmh}) instead of the interleaved timed loop */
    public boolean jmh() {
        return jmh;
    }

    /** @return warm-up of the interleaved timed loops, seconds */
    public double loopWarmupS() {
        return quick ? 3 : 10;
    }

    /** @return measurement of the interleaved timed loops, seconds */
    public double loopMeasureS() {
        return quick ? 6 : 30;
    }

    /** @return the timed loops' settings, as a sentence for the report */
    public String loopSettings() {
        return String.format(java.util.Locale.ROOT, "timed loop in one JVM (org.jmapi.bench.Interleaved): jmapi and "
                + "baseline calls alternate one by one, each timed; warm-up %.0f s, measurement %.0f s in 1 s windows",
                loopWarmupS(), loopMeasureS());
    }

    /** @return the repository root */
    public Path root() {
        return root;
    }

    /** @return the run's work directory (deleted at the end) */
    public Path work() {
        return work;
    }

    /** @return progress output */
    public PrintStream log() {
        return log;
    }

    /** @return "quick" or "full" */
    public String mode() {
        return quick ? "quick" : "full";
    }

    /** @return messages in the table.* folder: 10,000 quick, 100,000 full */
    public int folderMessages() {
        return quick ? 10_000 : 100_000;
    }

    int rounds() {
        return quick ? 1 : 3;
    }

    /** @return the JMH settings, as a sentence for the report */
    public String jmhSettings() {
        return quick ? "JMH, 1 round × 1 fork, warm-up 4×1 s, measurement 5×1 s"
                : "JMH, 3 rounds × 1 fork (jmapi and baseline alternating), warm-up 3×1 s, measurement 5×1 s";
    }

    /**
     * @return the folder fixture, built on first use
     * @throws Exception when building fails
     */
    public synchronized FolderFixture folder() throws Exception {
        if (fixture == null) {
            Path dir = Files.createDirectories(work.resolve("folder"));
            fixture = FolderFixture.build(dir, folderMessages(), log);
        }
        return fixture;
    }

    /**
     * @return the run's PostgreSQL server ({@link BenchPostgres}), started on first use; stopped by {@link #close()}
     * @throws Exception when it cannot start
     */
    public synchronized BenchPostgres postgres() throws Exception {
        if (postgres == null) {
            postgres = BenchPostgres.start(work.resolve("postgres"), log);
        }
        return postgres;
    }

    /**
     * @return messages in the {@code table.sort[postgresql]} folder: 2,000 quick (the first 2,000 of the SQLite
     *         folder's messages: building both PostgreSQL sides takes about 1 ms a message here, and the quick run
     *         stays under 2 minutes), 100,000 full
     */
    public int postgresFolderMessages() {
        return quick ? 2_000 : 100_000;
    }

    /**
     * @return the PostgreSQL folder of {@code table.sort[postgresql]}, {@link #postgresFolderMessages()} messages,
     *         built on first use
     * @throws Exception when building fails
     */
    public synchronized PostgresFolder postgresFolder() throws Exception {
        if (postgresFolder == null) {
            postgresFolder = PostgresFolder.build(postgres(), postgresFolderMessages(), log);
        }
        return postgresFolder;
    }

    /**
     * Stops the PostgreSQL server if one was started (before the work directory is deleted).
     *
     * @throws java.io.IOException when stopping fails
     */
    @Override
    public synchronized void close() throws java.io.IOException {
        if (postgres != null) {
            BenchPostgres p = postgres;
            postgres = null;
            p.close();
        }
    }

    /** The pooled figures of one benchmark over every round. */
    public record Figure(double mean, double error, String unit, List<Double> roundScores) {}

    /**
     * The jmapi and baseline figures of a pair, measured alternately. The headline figures are medians over the
     * rounds (with one round: that round), so one round disturbed by a burst of background load on one side does
     * not decide the ratio.
     */
    public record Pair(Figure jmapi, Figure baseline) {
        /** @return the median over the rounds of jmapi's round mean */
        public double jmapiValue() {
            return median(jmapi.roundScores());
        }

        /** @return the median over the rounds of the baseline's round mean */
        public double baselineValue() {
            return median(baseline.roundScores());
        }

        /** @return the median over the rounds of jmapi's score / the baseline's score */
        public double ratio() {
            List<Double> r = new ArrayList<>();
            for (int i = 0; i < jmapi.roundScores().size(); i++) {
                r.add(jmapi.roundScores().get(i) / baseline.roundScores().get(i));
            }
            return median(r);
        }

        private static double median(List<Double> v) {
            double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
        }

        /** @return jmapi's score / the baseline's score, per round */
        public List<Double> roundRatios() {
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < jmapi.roundScores().size(); i++) {
                out.add(Result.round(jmapi.roundScores().get(i) / baseline.roundScores().get(i)));
            }
            return out;
        }
    }

    /**
     * Runs two benchmark methods of a JMH class, alternating, {@link #rounds()} times.
     *
     * @param benchmark   the JMH class
     * @param jmapi       the jmapi method
     * @param baseline    the baseline method
     * @param sysProps    system properties for the forks
     * @return both figures
     * @throws RunnerException when JMH fails
     */
    public Pair pair(Class<?> benchmark, String jmapi, String baseline, Map<String, String> sysProps)
            throws RunnerException {
        List<List<Double>> a = new ArrayList<>();
        List<List<Double>> b = new ArrayList<>();
        String[] unit = new String[1];
        for (int r = 1; r <= rounds(); r++) {
            a.add(run(benchmark, jmapi, sysProps, r, unit));
            b.add(run(benchmark, baseline, sysProps, r, unit));
        }
        return new Pair(pool(a, unit[0]), pool(b, unit[0]));
    }

    private List<Double> run(Class<?> benchmark, String method, Map<String, String> sysProps, int round,
                             String[] unit) throws RunnerException {
        String id = benchmark.getSimpleName() + "." + method + "-r" + round;
        log.printf("  JMH %s (round %d/%d)...%n", benchmark.getSimpleName() + "." + method, round, rounds());
        List<String> jvm = new ArrayList<>();
        jvm.add("-Djmapi.bench.dir=" + work.resolve("forks"));
        for (Map.Entry<String, String> e : sysProps.entrySet()) {
            jvm.add("-D" + e.getKey() + "=" + e.getValue());
        }
        if (jfr) {
            jvm.add("-XX:StartFlightRecording=filename=" + logs.resolve(id + ".jfr") + ",settings=profile");
        }
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
                .forks(1)
                .warmupIterations(quick ? 4 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(jvm.toArray(String[]::new))
                .shouldFailOnError(true)
                .output(logs.resolve(id + ".log").toString());
        RunResult result = single(new Runner(o.build()).run());
        List<Double> scores = new ArrayList<>();
        for (BenchmarkResult br : result.getBenchmarkResults()) {
            for (IterationResult ir : br.getIterationResults()) {
                scores.add(ir.getPrimaryResult().getScore());
            }
        }
        unit[0] = result.getPrimaryResult().getScoreUnit();
        log.printf("    %.4g %s%n", result.getPrimaryResult().getScore(), unit[0]);
        return scores;
    }

    private static RunResult single(java.util.Collection<RunResult> results) {
        if (results.size() != 1) {
            throw new IllegalStateException("expected one JMH result, got " + results.size()
                    + " (is the benchmark list in target/classes/META-INF up to date?)");
        }
        return results.iterator().next();
    }

    private static Figure pool(List<List<Double>> rounds, String unit) {
        ListStatistics all = new ListStatistics();
        List<Double> roundMeans = new ArrayList<>();
        for (List<Double> r : rounds) {
            double sum = 0;
            for (double s : r) {
                all.addValue(s);
                sum += s;
            }
            roundMeans.add(sum / r.size());
        }
        return new Figure(all.getMean(), all.getN() > 2 ? all.getMeanErrorAt(0.999) : Double.NaN, unit,
                roundMeans);
    }

    /**
     * @return the parameters every row starts with
     */
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mode", mode());
        return p;
    }
}
