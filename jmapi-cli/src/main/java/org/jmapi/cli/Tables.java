package org.jmapi.cli;

import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.util.ArrayList;
import java.util.List;

/** Reading MAPI tables the way the commands need: every row, or one page. Stateless. */
final class Tables {
    private static final int BATCH = 200;

    private Tables() {}

    /**
     * Reads every row from the cursor on (QueryRows in batches until it answers no row).
     *
     * @param t a table with its columns set
     * @return the rows
     */
    static List<Row> all(MapiTable t) {
        List<Row> out = new ArrayList<>();
        while (true) {
            List<Row> batch = t.queryRows(BATCH, 0);
            if (batch.isEmpty()) {
                return out;
            }
            out.addAll(batch);
        }
    }

    /**
     * Reads one page: SeekRow from the beginning by {@code offset}, then at most {@code limit} rows.
     *
     * @param t      a table with its columns, sort and restriction set
     * @param offset rows to skip
     * @param limit  rows to read at most; 0 or less reads to the end
     * @return the rows
     */
    static List<Row> page(MapiTable t, int offset, int limit) {
        if (offset > 0) {
            t.seekRow(org.jmapi.Flags.BOOKMARK_BEGINNING, offset);
        }
        if (limit <= 0) {
            return all(t);
        }
        List<Row> out = new ArrayList<>();
        while (out.size() < limit) {
            List<Row> batch = t.queryRows(Math.min(BATCH, limit - out.size()), 0);
            if (batch.isEmpty()) {
                break;
            }
            out.addAll(batch);
        }
        return out;
    }
}
