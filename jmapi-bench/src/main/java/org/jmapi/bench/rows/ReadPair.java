package org.jmapi.bench.rows;

import org.jmapi.bench.Bench;
import org.jmapi.bench.FolderFixture;
import org.jmapi.bench.Interleaved;
import org.jmapi.bench.PlainSqlite;
import org.jmapi.bench.Result;
import org.jmapi.bench.jmh.TableBench;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.sqlite.SqliteStorage;

import java.util.Map;

/**
 * Measures a table read next to its baseline over the run's folder, with the run's harness: the interleaved timed
 * loop (default) or JMH ({@code --jmh}: {@link TableBench} in forks, jmapi and baseline one after the other).
 *
 * @param jmapiMs       jmapi's time per read
 * @param jmapiError    its 99.9% half-width
 * @param baselineMs    the baseline's time per read
 * @param baselineError its 99.9% half-width
 * @param ratio         jmapi / baseline time
 * @param spread        the per-window or per-round ratios, for the parameters
 * @param harness       how it was measured
 */
record ReadPair(double jmapiMs, double jmapiError, double baselineMs, double baselineError, double ratio,
                Map<String, Object> spread, String harness) {

    /** A baseline read. */
    interface PlainRead {
        Object read(PlainSqlite.Table t, long folderId) throws Exception;
    }

    static ReadPair measure(Bench bench, FolderFixture f, ContentsQuery jmapi, PlainRead plain, String jmhJmapi,
                            String jmhPlain) throws Exception {
        if (bench.jmh()) {
            Bench.Pair p = bench.pair(TableBench.class, jmhJmapi, jmhPlain, Map.of(
                    "jmapi.bench.store", f.store().toString(), "jmapi.bench.plain", f.plain().toString(),
                    "jmapi.bench.folder", Long.toString(f.folderId())));
            return new ReadPair(p.jmapiValue(), p.jmapi().error(), p.baselineValue(), p.baseline().error(),
                    p.ratio(), Map.of("round_ratios", p.roundRatios()), bench.jmhSettings()
                    + "; figures and ratio are medians over the rounds");
        }
        try (SqliteStorage store = SqliteStorage.open(f.store());
             PlainSqlite.Table table = PlainSqlite.Table.open(f.plain())) {
            Interleaved.Measurement m = Interleaved.run(() -> store.query(jmapi),
                    () -> plain.read(table, f.folderId()), bench.loopWarmupS(), bench.loopMeasureS(), 1,
                    bench.log());
            return new ReadPair(m.aMs(), m.aError(), m.bMs(), m.bError(), m.ratio(),
                    Map.of("reads_per_side", m.calls(), "median_ms", Map.of("jmapi", Result.round(m.aMedianMs()),
                            "baseline", Result.round(m.bMedianMs())), "ratio_error", Result.round(m.ratioError()),
                            "window_ratios", m.windowRatios()), bench.loopSettings());
        }
    }
}
