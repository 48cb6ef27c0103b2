package org.jmapi.bench;

import org.jmapi.bench.rows.MimeParse;
import org.jmapi.bench.rows.MimeWrite;
import org.jmapi.bench.rows.SessionCycle;
import org.jmapi.bench.rows.ShutdownObjects;
import org.jmapi.bench.rows.SpoolerSmtp;
import org.jmapi.bench.rows.StoreSave;
import org.jmapi.bench.rows.StoreSavePostgres;
import org.jmapi.bench.rows.TableRestrict;
import org.jmapi.bench.rows.TableSort;
import org.jmapi.bench.rows.TableSortPostgres;

import java.util.List;

/**
 * Every row of issue #6, in the order, each PostgreSQL variant ({@code [postgresql]}, issue #7) right after its
 * SQLite row. Add a row here and it is run, printed and reported.
 */
public final class Rows {
    private Rows() {}

    /** The rows. */
    public static final List<Row> ALL = List.of(
            new StoreSave(),
            new StoreSavePostgres(),
            new TableSort(),
            new TableSortPostgres(),
            new TableRestrict(),
            new ShutdownObjects(),
            new SessionCycle(),
            new SpoolerSmtp(),
            new MimeParse(),
            new MimeWrite());
}
