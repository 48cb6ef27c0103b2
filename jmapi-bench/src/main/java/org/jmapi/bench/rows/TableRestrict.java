package org.jmapi.bench.rows;

import org.jmapi.bench.Bench;
import org.jmapi.bench.FolderFixture;
import org.jmapi.bench.MessageData;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;
import org.jmapi.bench.jmh.TableBench;

import java.util.List;
import java.util.Map;

/** {@code table.restrict}: first 50 messages whose subject contains a word, ignoring case; ratio = time ratio. */
public final class TableRestrict implements Row {
    static final double TARGET_RATIO = 1.5;

    @Override
    public String name() {
        return "table.restrict";
    }

    @Override
    public String what() {
        return "same folder: Storage.query with RES_CONTENT FL_SUBSTRING|FL_IGNORECASE on PR_SUBJECT, first 50 rows "
                + "(table order)";
    }

    @Override
    public String baseline() {
        return "SELECT … WHERE folder_id = ? AND subject LIKE '%word%' ORDER BY id LIMIT 50 on the same plain table";
    }

    @Override
    public String target() {
        return "ratio (jmapi / baseline ms) ≤ " + TARGET_RATIO;
    }

    @Override
    public List<Result> measure(Bench bench) throws Exception {
        FolderFixture f = bench.folder();
        ReadPair p = ReadPair.measure(bench, f, TableBench.restrictQuery(f.folderId()),
                (t, folder) -> t.subjectContains(folder, MessageData.NEEDLE, TableBench.PAGE), "restrictJmapi",
                "restrictPlain");
        Map<String, Object> params = TableSort.folderParams(bench, f, p);
        params.put("word", MessageData.NEEDLE);
        params.put("matching_messages", f.needleMessages());
        params.put("jmapi_plan", f.jmapiRestrictPlan());
        params.put("baseline_plan", f.plainRestrictPlan());
        params.putAll(p.spread());
        return List.of(new Result(name(), p.jmapiMs(), p.jmapiError(), "ms", "sqlite.select-like-limit",
                p.baselineMs(), p.baselineError(), p.ratio(), target(),
                List.of(new Result.Check("ratio ≤ " + TARGET_RATIO, p.ratio() <= TARGET_RATIO)), params));
    }
}
