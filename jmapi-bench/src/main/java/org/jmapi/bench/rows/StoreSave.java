package org.jmapi.bench.rows;

import org.jmapi.bench.Bench;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;
import org.jmapi.bench.InterleavedSaves;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code store.save}: durable single-thread saves of new messages; ratio = jmapi / baseline throughput. */
public final class StoreSave implements Row {
    static final double TARGET = 0.7;

    @Override
    public String name() {
        return "store.save";
    }

    @Override
    public String what() {
        return "new message (20 properties, 2 recipients, 4 KB body) saved with SqliteStorage.saveMessage, durable on "
                + "return (WAL, synchronous=FULL), one thread";
    }

    @Override
    public String baseline() {
        return "the same values inserted with plain JDBC into SQLite at the same durability (WAL, synchronous=FULL, "
                + "one transaction per message): 1 message row + 20 property rows + 2 recipient rows";
    }

    @Override
    public String target() {
        return "ratio (jmapi / baseline messages/s) ≥ " + TARGET;
    }

    @Override
    public List<Result> measure(Bench bench) throws Exception {
        double warmup = bench.quick() ? 2 : 10;
        double measure = bench.quick() ? 8 : 60;
        InterleavedSaves.Measurement m = InterleavedSaves.run(
                Files.createDirectories(bench.work().resolve("save")), warmup, measure, 1.0, bench.log());
        Map<String, Object> params = bench.params();
        params.put("harness", String.format(Locale.ROOT, "timed loop in one JVM (org.jmapi.bench.Interleaved), not"
                + " JMH: jmapi and baseline saves alternate one by one, each timed; warm-up %.0f s, measurement %.0f s"
                + " in 1 s windows", warmup, measure));
        params.put("saves_per_side", m.saves());
        params.put("properties", 20);
        params.put("recipients", 2);
        params.put("body_chars", InterleavedSaves.BODY_CHARS);
        InterleavedSaves.describeStorage(params);
        params.put("durability", "WAL, synchronous=FULL, one transaction (one WAL fsync) per message, both sides");
        params.put("threads", 1);
        params.put("filesystem", fileSystem(bench.work()));
        params.put("median_latency_ms", Map.of("jmapi", Result.round(m.jmapiP50Ms()),
                "baseline", Result.round(m.plainP50Ms())));
        params.put("ratio_error", Result.round(m.ratioError()));
        params.put("window_ratios", m.windows());
        return List.of(new Result(name(), m.jmapi(), m.jmapiError(), "messages/s", "jdbc-sqlite.save",
                m.plain(), m.plainError(), m.ratio(), target(),
                List.of(new Result.Check("ratio ≥ " + TARGET, m.ratio() >= TARGET)), params));
    }

    static String fileSystem(Path dir) {
        try {
            return dir.getParent() + " on " + Files.getFileStore(dir).type();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
