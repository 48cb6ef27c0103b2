package org.jmapi.bench;

import org.jmapi.bench.jmh.TableBench;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.postgres.PostgresStorage;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The folder {@code table.sort[postgresql]} reads, built once per run on the run's {@link BenchPostgres} server:
 * the same messages as {@link FolderFixture} (same generator, same seeds, same order) saved into a jmapi store of
 * database {@code jmapi_folder} with {@link PostgresStorage#saveMessages} batches of {@link FolderFixture#BATCH},
 * and inserted into the plain wide table of database {@code plain_folder} ({@link PlainPostgres.Table}). After
 * building, both are {@code VACUUM ANALYZE}d and checked to return the same 50 rows in the same order.
 *
 * @param jmapiUrl          the jmapi store's database
 * @param storeName         the store's name there
 * @param plainDatabase     the baseline's database name
 * @param folderId          the folder's id in the jmapi store (the plain table uses the same number)
 * @param messages          how many messages
 * @param buildSeconds      wall time of the jmapi build
 * @param plainBuildSeconds wall time of the plain build
 * @param jmapiBytes        size of the jmapi database
 * @param plainBytes        size of the plain database
 * @param jmapiSortPlan     EXPLAIN of jmapi's sort query
 * @param plainSortPlan     EXPLAIN of the baseline's sort query
 */
public record PostgresFolder(String jmapiUrl, String storeName, String plainDatabase, long folderId, int messages,
                             double buildSeconds, double plainBuildSeconds, long jmapiBytes, long plainBytes,
                             List<String> jmapiSortPlan, List<String> plainSortPlan) {

    /**
     * @param pg       the server
     * @param messages how many messages
     * @param log      progress
     * @return the built and checked folder
     * @throws SQLException when a side fails
     */
    public static PostgresFolder build(BenchPostgres pg, int messages, PrintStream log) throws SQLException {
        String url = pg.createDatabase("jmapi_folder");
        String plainDb = "plain_folder";
        pg.createDatabase(plainDb);
        String storeName = "bench";
        long folderId;
        log.printf("  building a %,d-message folder with jmapi on PostgreSQL (saveMessages, %d per batch)...%n",
                messages, FolderFixture.BATCH);
        long t0 = System.nanoTime();
        try (PostgresStorage s = PostgresStorage.create(url, BenchPostgres.USER, null, storeName, "bench", null)) {
            folderId = s.createFolder(s.identity().rootFolderId(), "Inbox", FolderRecord.FOLDER_GENERIC, null,
                    List.of()).id();
            List<SaveRequest> batch = new ArrayList<>(FolderFixture.BATCH);
            for (MessageData m : FolderFixture.messages(messages)) {
                batch.add(SaveRequest.create(folderId, m.image()));
                if (batch.size() == FolderFixture.BATCH) {
                    s.saveMessages(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                s.saveMessages(batch);
            }
        }
        double build = (System.nanoTime() - t0) / 1e9;
        log.printf("  ... %.1f s; the same with plain JDBC...%n", build);
        long t1 = System.nanoTime();
        PlainPostgres.Table.build(pg.connect(plainDb), folderId, FolderFixture.messages(messages),
                FolderFixture.BATCH);
        double plainBuild = (System.nanoTime() - t1) / 1e9;
        log.printf("  ... %.1f s; VACUUM ANALYZE of the jmapi database, checking that both return the same rows%n",
                plainBuild);
        try (Connection c = pg.connect("jmapi_folder"); Statement st = c.createStatement()) {
            // the plain side is vacuumed and analysed after its build; the same for jmapi's tables, so both read
            // with fresh statistics and visibility maps
            st.execute("VACUUM ANALYZE");
        }
        List<String> js;
        List<String> ps;
        try (PostgresStorage s = PostgresStorage.open(url, BenchPostgres.USER, null, storeName);
             PlainPostgres.Table t = PlainPostgres.Table.open(pg.connect(plainDb))) {
            FolderFixture.same("table.sort[postgresql]", s.query(TableBench.sortQuery(folderId)),
                    t.newest(folderId));
            js = s.explainQuery(TableBench.sortQuery(folderId));
            ps = t.explain("SELECT * FROM message WHERE folder_id = " + folderId
                    + " ORDER BY delivery_time DESC, id DESC LIMIT 50");
        }
        return new PostgresFolder(url, storeName, plainDb, folderId, messages, build, plainBuild,
                size(pg, "jmapi_folder"), size(pg, plainDb), js, ps);
    }

    private static long size(BenchPostgres pg, String db) throws SQLException {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_database_size('" + db + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
