package org.jmapi.bench.rows;

import org.jmapi.bench.Bench;
import org.jmapi.bench.BenchPostgres;
import org.jmapi.bench.Interleaved;
import org.jmapi.bench.PlainPostgres;
import org.jmapi.bench.PostgresFolder;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;
import org.jmapi.bench.jmh.TableBench;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.postgres.PostgresStorage;

import java.util.List;
import java.util.Map;

/**
 * {@code table.sort[postgresql]}: {@code table.sort} on the PostgreSQL engine — the newest 50 messages of the run's
 * PostgreSQL folder ({@link PostgresFolder}: the same messages as the SQLite folder) through
 * {@link PostgresStorage#query}, alternating with the indexed {@code SELECT … ORDER BY … LIMIT 50} of the plain
 * table on the same server; ratio = jmapi / baseline time, plus the absolute limit. Always the interleaved timed
 * loop (also with {@code --jmh}, which applies to the SQLite rows only).
 */
public final class TableSortPostgres implements Row {
    @Override
    public String name() {
        return "table.sort[postgresql]";
    }

    @Override
    public String what() {
        return "table.sort on PostgreSQL: the same 100,000-message folder (its first 2,000 with --quick) in a PostgresStorage "
                + "store, Storage.query sorted by PR_MESSAGE_DELIVERY_TIME descending, first 50 rows; embedded "
                + "PostgreSQL on this machine over loopback";
    }

    @Override
    public String baseline() {
        return "SELECT … WHERE folder_id = ? ORDER BY delivery_time DESC, id DESC LIMIT 50 (one prepared statement, "
                + "the LIMIT a constant, autocommit: one round trip) on a plain wide table with the same data and an "
                + "index (folder_id, delivery_time, id), in another database of the same server";
    }

    @Override
    public String target() {
        return "ratio (jmapi / baseline ms) ≤ " + TableSort.TARGET_RATIO + ", and jmapi < " + TableSort.TARGET_MS
                + " ms";
    }

    @Override
    public List<Result> measure(Bench bench) throws Exception {
        PostgresFolder f = bench.postgresFolder();
        BenchPostgres pg = bench.postgres();
        ContentsQuery sort = TableBench.sortQuery(f.folderId());
        // quick: shorter than the SQLite rows' loop (4 + 10 s), so that the quick run with the server stays short
        double warmup = bench.quick() ? 3 : bench.loopWarmupS();
        double measure = bench.quick() ? 6 : bench.loopMeasureS();
        Interleaved.Measurement m;
        try (PostgresStorage store = PostgresStorage.open(f.jmapiUrl(), BenchPostgres.USER, null, f.storeName());
             PlainPostgres.Table table = PlainPostgres.Table.open(pg.connect(f.plainDatabase()))) {
            m = Interleaved.run(() -> store.query(sort), () -> table.newest(f.folderId()), warmup, measure, 1,
                    bench.log());
        }
        Map<String, Object> params = bench.params();
        params.put("harness", String.format(java.util.Locale.ROOT, "timed loop in one JVM (org.jmapi.bench.Interleaved):"
                + " jmapi and baseline calls alternate one by one, each timed; warm-up %.0f s, measurement %.0f s in"
                + " 1 s windows%s", warmup, measure, bench.jmh() ? " (--jmh applies to the SQLite rows only)" : ""));
        params.put("messages", f.messages());
        if (bench.quick()) {
            params.put("note", "quick run: a " + String.format("%,d", f.messages())
                    + "-message folder instead of 100,000");
        }
        params.put("page", TableBench.PAGE);
        params.put("body_chars", org.jmapi.bench.FolderFixture.BODY_CHARS);
        params.put("build_s", Result.round(f.buildSeconds()));
        params.put("build", "jmapi saveMessages, " + org.jmapi.bench.FolderFixture.BATCH + " per batch; both"
                + " databases VACUUM ANALYZEd after building");
        params.put("baseline_build_s", Result.round(f.plainBuildSeconds()));
        params.put("store_mb", Result.round(f.jmapiBytes() / 1e6));
        params.put("baseline_mb", Result.round(f.plainBytes() / 1e6));
        params.put("same_rows_checked", true);
        params.putAll(pg.settings());
        params.put("jmapi_plan", f.jmapiSortPlan());
        params.put("baseline_plan", f.plainSortPlan());
        params.put("reads_per_side", m.calls());
        params.put("median_ms", Map.of("jmapi", Result.round(m.aMedianMs()), "baseline",
                Result.round(m.bMedianMs())));
        params.put("ratio_error", Result.round(m.ratioError()));
        params.put("window_ratios", m.windowRatios());
        return List.of(new Result(name(), m.aMs(), m.aError(), "ms", "postgresql.select-order-by-limit", m.bMs(),
                m.bError(), m.ratio(), target(),
                List.of(new Result.Check("ratio ≤ " + TableSort.TARGET_RATIO, m.ratio() <= TableSort.TARGET_RATIO),
                        new Result.Check("< " + TableSort.TARGET_MS + " ms", m.aMs() < TableSort.TARGET_MS)),
                params));
    }
}
