package org.jmapi.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The driver behind {@code bench/run}: runs every row of {@link Rows#ALL} that can be measured, prints one JSON
 * object per line on stdout (progress goes to stderr), writes {@code bench/results/latest.json} and regenerates
 * {@code docs/performance.md} ({@link Report}).
 *
 * <pre>
 * BenchMain [--quick] [--root DIR] [--command "bench/run --quick"] [--only REGEX] [--jmh] [--jfr] [--keep]
 *           [--report-only] [--diagnose]
 * </pre>
 * {@code --only} runs the matching rows and writes nothing (the published figures always come from one complete
 * run); {@code --jmh} measures the {@code table.*} rows with JMH forks instead of the interleaved timed loop;
 * {@code --jfr} records each JMH fork with JFR into {@code jmapi-bench/target/bench-logs};
 * {@code --report-only} regenerates the document from {@code latest.json} without measuring; {@code --diagnose}
 * prints the timing breakdowns of {@link Diagnose} (with {@code --quick}: a 10,000-message folder; with
 * {@code --only}: the parts of the matching rows) and writes nothing.
 */
public final class BenchMain {
    private BenchMain() {}

    /**
     * @param args see the class comment
     * @throws Exception when a measurement fails (nothing is written then)
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean jfr = false;
        boolean keep = false;
        boolean reportOnly = false;
        boolean diagnose = false;
        boolean jmh = false;
        String only = null;
        Path root = Path.of("").toAbsolutePath();
        String command = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--jfr" -> jfr = true;
                case "--keep" -> keep = true;
                case "--report-only" -> reportOnly = true;
                case "--diagnose" -> diagnose = true;
                case "--jmh" -> jmh = true;
                case "--only" -> only = args[++i];
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
                case "--command" -> command = args[++i];
                default -> {
                    System.err.println("unknown argument " + args[i] + "; usage: bench/run [--quick] [--only REGEX]"
                            + " [--jmh] [--jfr] [--keep] [--report-only] [--diagnose]");
                    System.exit(2);
                }
            }
        }
        if (command == null) {
            command = "bench/run" + (quick ? " --quick" : "");
        }
        Path latest = root.resolve("bench/results/latest.json");
        ObjectMapper json = new ObjectMapper();
        if (reportOnly) {
            Report.write(json.readTree(latest.toFile()), root);
            System.err.println("regenerated docs/performance.md from " + root.relativize(latest));
            return;
        }
        PrintStream log = System.err;
        if (diagnose) {
            Path dir = Files.createTempDirectory("jmapi-diagnose-");
            try {
                Diagnose.run(dir, quick ? 10_000 : 100_000, System.out, only);
            } finally {
                deleteTree(dir);
            }
            return;
        }
        Path logs = Files.createDirectories(root.resolve("jmapi-bench/target/bench-logs"));
        Path work = Files.createTempDirectory("jmapi-bench-");
        Map<String, Object> machine = Machine.describe();
        Instant start = Instant.now();
        log.printf("jmapi-bench %s run: %s cores, JDK %s; work dir %s; JMH logs in %s%n", quick ? "quick" : "full",
                machine.get("cores"), machine.get("jdk"), work, root.relativize(logs));
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> notMeasured = new ArrayList<>();
        Bench bench = new Bench(quick, root, work, logs, log, jfr, jmh);
        try {
            for (Row row : Rows.ALL) {
                if (only != null && !row.name().matches(only)) {
                    continue;
                }
                String reason = row.notMeasuredReason();
                if (reason != null) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", row.name());
                    m.put("what", row.what());
                    m.put("baseline", row.baseline());
                    m.put("target", row.target());
                    m.put("reason", reason);
                    notMeasured.add(m);
                    log.printf("%s: not measured yet (%s)%n", row.name(), reason);
                    continue;
                }
                log.printf("%s: %s%n", row.name(), row.what());
                for (Result r : row.measure(bench)) {
                    Map<String, Object> m = r.toJson();
                    System.out.println(json.writeValueAsString(m));
                    System.out.flush();
                    Map<String, Object> full = new LinkedHashMap<>(m);
                    full.put("what", row.what());
                    @SuppressWarnings("unchecked")
                    Map<String, Object> b = new LinkedHashMap<>((Map<String, Object>) m.get("baseline"));
                    b.put("what", row.baseline());
                    full.put("baseline", b);
                    rows.add(full);
                    log.printf("  => %s %.4g %s, baseline %.4g, ratio %.3f: %s%n", r.name(), r.value(), r.unit(),
                            r.baselineValue(), r.ratio(), r.met() ? "met" : "MISSED");
                }
            }
        } finally {
            try {
                bench.close(); // the PostgreSQL server, if a [postgresql] row started one
            } finally {
                if (!keep) {
                    deleteTree(work);
                } else {
                    log.println("kept the work dir " + work);
                }
            }
        }
        if (only != null) {
            log.println("--only: nothing written (bench/results/latest.json and docs/performance.md come from"
                    + " complete runs)");
            return;
        }
        machine.put("loadavg_end", Machine.loadAverage());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("date", start.truncatedTo(ChronoUnit.SECONDS).toString());
        out.put("command", command);
        out.put("mode", quick ? "quick" : "full");
        out.put("duration_s", Result.round((System.currentTimeMillis() - start.toEpochMilli()) / 1000.0));
        out.put("machine", machine);
        out.put("harness", "store.save: timed loop alternating jmapi and baseline saves ("
                + (quick ? "3 s warm-up, 15 s; [postgresql] 2 s, 8 s" : "10 s warm-up, 60 s") + " in 1 s windows);"
                + (quick ? " table.sort[postgresql]: the same loop, 3 s warm-up, 6 s;" : "") + " table.*: "
                + (jmh ? bench.jmhSettings() : bench.loopSettings()) + "; mime.*: "
                + org.jmapi.bench.rows.MimeParse.settings(bench));
        out.put("rows", rows);
        out.put("notMeasured", notMeasured);
        Files.createDirectories(latest.getParent());
        json.enable(SerializationFeature.INDENT_OUTPUT).writeValue(latest.toFile(), out);
        Report.write(new ObjectMapper().valueToTree(out), root);
        log.println("wrote " + root.relativize(latest) + " and docs/performance.md");
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
