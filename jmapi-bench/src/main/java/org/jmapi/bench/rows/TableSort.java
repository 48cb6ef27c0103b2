package org.jmapi.bench.rows;

import org.jmapi.bench.Bench;
import org.jmapi.bench.FolderFixture;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;
import org.jmapi.bench.jmh.TableBench;

import java.util.List;
import java.util.Map;

/** {@code table.sort}: newest 50 of a big folder; ratio = jmapi / baseline time, plus an absolute limit. */
public final class TableSort implements Row {
    static final double TARGET_RATIO = 2.0;
    static final double TARGET_MS = 5.0;

    @Override
    public String name() {
        return "table.sort";
    }

    @Override
    public String what() {
        return "100,000-message folder (10,000 with --quick): Storage.query sorted by PR_MESSAGE_DELIVERY_TIME descending, first 50 rows";
    }

    @Override
    public String baseline() {
        return "SELECT … WHERE folder_id = ? ORDER BY delivery_time DESC, id DESC LIMIT 50 on a plain SQLite table "
                + "with the same data and an index (folder_id, delivery_time)";
    }

    @Override
    public String target() {
        return "ratio (jmapi / baseline ms) ≤ " + TARGET_RATIO + ", and jmapi < " + TARGET_MS + " ms";
    }

    @Override
    public List<Result> measure(Bench bench) throws Exception {
        FolderFixture f = bench.folder();
        ReadPair p = ReadPair.measure(bench, f, TableBench.sortQuery(f.folderId()),
                (t, folder) -> t.newest(folder, TableBench.PAGE), "sortJmapi", "sortPlain");
        Map<String, Object> params = folderParams(bench, f, p);
        params.put("jmapi_plan", f.jmapiSortPlan());
        params.put("baseline_plan", f.plainSortPlan());
        params.putAll(p.spread());
        return List.of(new Result(name(), p.jmapiMs(), p.jmapiError(), "ms", "sqlite.select-order-by-limit",
                p.baselineMs(), p.baselineError(), p.ratio(), target(),
                List.of(new Result.Check("ratio ≤ " + TARGET_RATIO, p.ratio() <= TARGET_RATIO),
                        new Result.Check("< " + TARGET_MS + " ms", p.jmapiMs() < TARGET_MS)), params));
    }

    static Map<String, Object> folderParams(Bench bench, FolderFixture f, ReadPair p) {
        Map<String, Object> params = bench.params();
        params.put("harness", p.harness());
        params.put("messages", f.messages());
        if (bench.quick()) {
            params.put("note", "quick run: a " + String.format("%,d", f.messages())
                    + "-message folder instead of 100,000");
        }
        params.put("page", TableBench.PAGE);
        params.put("body_chars", FolderFixture.BODY_CHARS);
        params.put("build_s", Result.round(f.buildSeconds()));
        params.put("build", "jmapi saveMessages, " + FolderFixture.BATCH + " per batch");
        params.put("baseline_build_s", Result.round(f.plainBuildSeconds()));
        params.put("store_mb", Result.round(f.storeBytes() / 1e6));
        params.put("baseline_mb", Result.round(f.plainBytes() / 1e6));
        params.put("same_rows_checked", true);
        return params;
    }
}
