package org.jmapi.bench.jmh;

import org.jmapi.bench.MessageData;
import org.jmapi.bench.PlainSqlite;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.MessageRow;
import org.jmapi.store.sqlite.SqliteStorage;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code table.sort} and {@code table.restrict} under JMH ({@code bench/run --jmh}; by default those rows use the
 * interleaved timed loop, see {@link org.jmapi.bench.Interleaved}), over a folder built once per run by the driver
 * ({@link org.jmapi.bench.FolderFixture}); the forks only open the files it names in the system properties
 * {@code jmapi.bench.store}, {@code jmapi.bench.plain} and {@code jmapi.bench.folder}. Each call reads the first
 * {@link #PAGE} rows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class TableBench {
    /** Rows read per call. */
    public static final int PAGE = 50;

    /**
     * @param folderId the folder
     * @return the table.sort query: PR_MESSAGE_DELIVERY_TIME descending, first {@link #PAGE} rows
     */
    public static ContentsQuery sortQuery(long folderId) {
        return ContentsQuery.of(folderId).withSort(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME))
                .page(0, PAGE);
    }

    /**
     * @param folderId the folder
     * @return the table.restrict query: PR_SUBJECT contains {@link MessageData#NEEDLE} ignoring case, first
     *         {@link #PAGE} rows (table order: id)
     */
    public static ContentsQuery restrictQuery(long folderId) {
        return ContentsQuery.of(folderId).withRestriction(new Restriction.Content(
                Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE, PropTags.PR_SUBJECT,
                PropValue.ofString(PropTags.PR_SUBJECT, MessageData.NEEDLE))).page(0, PAGE);
    }

    static long folder() {
        return Long.parseLong(required("jmapi.bench.folder"));
    }

    static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set: run TableBench through"
                    + " bench/run (org.jmapi.bench.BenchMain), which builds the folder and passes its files");
        }
        return v;
    }

    /** The jmapi store of the fixture, open. */
    @State(Scope.Benchmark)
    public static class Jmapi {
        SqliteStorage store;
        ContentsQuery sort;
        ContentsQuery restrict;

        /** Opens the store. */
        @Setup
        public void setUp() {
            store = SqliteStorage.open(Path.of(required("jmapi.bench.store")));
            sort = sortQuery(folder());
            restrict = restrictQuery(folder());
        }

        /** Closes it. */
        @TearDown
        public void tearDown() {
            store.close();
        }
    }

    /** The plain SQLite table of the fixture, open. */
    @State(Scope.Benchmark)
    public static class Plain {
        PlainSqlite.Table table;
        long folder;

        /** Opens the file. */
        @Setup
        public void setUp() throws SQLException {
            table = PlainSqlite.Table.open(Path.of(required("jmapi.bench.plain")));
            folder = folder();
        }

        /** Closes it. */
        @TearDown
        public void tearDown() throws SQLException {
            table.close();
        }
    }

    /**
     * @param s the store
     * @return the rows
     */
    @Benchmark
    public List<MessageRow> sortJmapi(Jmapi s) {
        return s.store.query(s.sort);
    }

    /**
     * @param s the table
     * @return the rows
     * @throws SQLException when SQLite fails
     */
    @Benchmark
    public List<Object[]> sortPlain(Plain s) throws SQLException {
        return s.table.newest(s.folder, PAGE);
    }

    /**
     * @param s the store
     * @return the rows
     */
    @Benchmark
    public List<MessageRow> restrictJmapi(Jmapi s) {
        return s.store.query(s.restrict);
    }

    /**
     * @param s the table
     * @return the rows
     * @throws SQLException when SQLite fails
     */
    @Benchmark
    public List<Object[]> restrictPlain(Plain s) throws SQLException {
        return s.table.subjectContains(s.folder, MessageData.NEEDLE, PAGE);
    }
}
