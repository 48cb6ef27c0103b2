package org.jmapi.bench;

import org.jmapi.bench.jmh.TableBench;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageRow;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.sqlite.SqliteStorage;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The folder the {@code table.*} rows read, built once per run: the same {@code messages} messages (20 properties,
 * 2 recipients, {@link #BODY_CHARS}-character body, random delivery times over a year, 2% of subjects holding
 * {@link MessageData#NEEDLE} in mixed case) saved into a jmapi store with {@link SqliteStorage#saveMessages} batches
 * and inserted into a plain SQLite table ({@link PlainSqlite.Table}). After building, both sides are checked to
 * return the same rows for both queries.
 *
 * @param store              the jmapi store file
 * @param plain              the plain SQLite file
 * @param folderId           the folder's id in the jmapi store (the plain table uses the same number)
 * @param messages           how many messages
 * @param buildSeconds       wall time of the jmapi build (saveMessages batches)
 * @param plainBuildSeconds  wall time of the plain build (same batch size)
 * @param needleMessages     how many messages match the restriction (the same on both sides)
 * @param storeBytes         the jmapi store file's size
 * @param plainBytes         the plain file's size
 * @param jmapiSortPlan      EXPLAIN QUERY PLAN of jmapi's sort query
 * @param plainSortPlan      EXPLAIN QUERY PLAN of the baseline sort query
 * @param jmapiRestrictPlan  EXPLAIN QUERY PLAN of jmapi's restrict query
 * @param plainRestrictPlan  EXPLAIN QUERY PLAN of the baseline restrict query
 */
public record FolderFixture(Path store, Path plain, long folderId, int messages, double buildSeconds,
                            double plainBuildSeconds, long needleMessages, long storeBytes, long plainBytes,
                            List<String> jmapiSortPlan, List<String> plainSortPlan, List<String> jmapiRestrictPlan,
                            List<String> plainRestrictPlan) {

    /** Body length of the folder's messages (inline in jmapi: 1 KiB as UTF-16, under the 4 KiB inline limit). */
    public static final int BODY_CHARS = 512;

    /** Messages per saveMessages batch (and per plain transaction). */
    public static final int BATCH = 1000;

    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

    /**
     * @param dir      an empty directory
     * @param messages how many messages
     * @param log      progress
     * @return the built and checked fixture
     * @throws SQLException when the plain side fails
     */
    public static FolderFixture build(Path dir, int messages, java.io.PrintStream log) throws SQLException {
        Path storeFile = dir.resolve("folder.jmapi");
        Path plainFile = dir.resolve("folder.sqlite");
        long folderId;
        log.printf("  building a %,d-message folder with jmapi (saveMessages, %d per batch)...%n", messages, BATCH);
        long t0 = System.nanoTime();
        try (SqliteStorage s = SqliteStorage.create(storeFile, "bench", null)) {
            folderId = s.createFolder(s.identity().rootFolderId(), "Inbox", FolderRecord.FOLDER_GENERIC, null,
                    List.of()).id();
            List<SaveRequest> batch = new ArrayList<>(BATCH);
            for (MessageData m : messages(messages)) {
                batch.add(SaveRequest.create(folderId, m.image()));
                if (batch.size() == BATCH) {
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
        PlainSqlite.Table.build(plainFile, folderId, messages(messages), BATCH);
        double plainBuild = (System.nanoTime() - t1) / 1e9;
        log.printf("  ... %.1f s; checking that both return the same rows%n", plainBuild);

        long needles;
        List<String> js;
        List<String> ps;
        List<String> jr;
        List<String> pr;
        try (SqliteStorage s = SqliteStorage.open(storeFile);
             PlainSqlite.Table t = PlainSqlite.Table.open(plainFile)) {
            ContentsQuery sort = TableBench.sortQuery(folderId);
            ContentsQuery restrict = TableBench.restrictQuery(folderId);
            same("table.sort", s.query(sort), t.newest(folderId, TableBench.PAGE));
            same("table.restrict", s.query(restrict), t.subjectContains(folderId, MessageData.NEEDLE,
                    TableBench.PAGE));
            needles = t.scalar("SELECT count(*) FROM message WHERE subject LIKE '%" + MessageData.NEEDLE + "%'");
            int jmapiNeedles = s.count(folderId, false, restrict.restriction());
            if (jmapiNeedles != needles) {
                throw new IllegalStateException("restriction counts differ: jmapi " + jmapiNeedles + ", plain "
                        + needles);
            }
            js = s.explainQuery(sort);
            jr = s.explainQuery(restrict);
            String select = "SELECT * FROM message WHERE folder_id = " + folderId;
            ps = t.explain(select + " ORDER BY delivery_time DESC, id DESC LIMIT 50");
            pr = t.explain(select + " AND subject LIKE '%" + MessageData.NEEDLE + "%' ORDER BY id LIMIT 50");
        }
        return new FolderFixture(storeFile, plainFile, folderId, messages, build, plainBuild, needles,
                size(storeFile), size(plainFile), js, ps, jr, pr);
    }

    private static long size(Path p) {
        try {
            return java.nio.file.Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Both sides must return the same messages (by PR_INTERNET_MESSAGE_ID) in the same order. */
    static void same(String what, List<MessageRow> jmapi, List<Object[]> plain) {
        List<String> a = new ArrayList<>();
        for (MessageRow r : jmapi) {
            PropValue v = r.get(PropTags.PR_INTERNET_MESSAGE_ID);
            a.add(v == null ? null : v.asString());
        }
        int col = 1 + List.of(PlainSqlite.COLUMNS).indexOf("internet_message_id");
        List<String> b = new ArrayList<>();
        for (Object[] r : plain) {
            b.add((String) r[col]);
        }
        if (a.size() != TableBench.PAGE || !a.equals(b)) {
            throw new IllegalStateException(what + ": jmapi and the baseline return different rows (" + a.size()
                    + " vs " + b.size() + "); the comparison would be meaningless");
        }
    }

    /**
     * @param n how many
     * @return the folder's messages, generated lazily (deterministic: the same sequence every time)
     */
    static Iterable<MessageData> messages(int n) {
        return () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public MessageData next() {
                if (i >= n) {
                    throw new NoSuchElementException();
                }
                return MessageData.generate(i++, BODY_CHARS, BASE);
            }
        };
    }
}
