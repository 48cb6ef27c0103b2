package org.jmapi.bench;

import org.jmapi.bench.jmh.TableBench;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.sqlite.SqliteStorage;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Timing breakdowns behind the analysis of missed targets ({@code bench/run --diagnose}; prints, publishes nothing):
 * <ol>
 *   <li>store.save: WAL pages each durable save appends, jmapi vs baseline; the interleaved save loop on a RAM
 *       file system (no real fsync: CPU + SQLite work only) and on the work directory's disk;</li>
 *   <li>table.*: the SQL statement jmapi issues, timed alone with plain JDBC on jmapi's own file (default page
 *       cache, then a 200 MB one), next to the baseline's statement and to jmapi's full {@code Storage.query};
 *       and the per-row large-value lookup jmapi makes for every returned row.</li>
 * </ol>
 * The jmapi SQL below mirrors {@code org.jmapi.store.sqlite.SqliteContents}/{@code SqliteMessages} as of this
 * commit; if those change, update it.
 */
public final class Diagnose {
    private Diagnose() {}

    private static final String HEAD = "id, folder_id, associated, version, created_at, modified_at, message_size, "
            + "queued, queue_time, queue_flags, lock_owner, lock_expires, props, message_flags";
    private static final String LARGE = "SELECT prop_tag, size, id FROM large_value WHERE message_id = ? AND "
            + "object_id = ? ORDER BY id";

    /**
     * @param work     a scratch directory on the disk the benchmarks use
     * @param messages folder size for the table part
     * @param out      where to print
     * @throws Exception when something fails
     */
    public static void run(Path work, int messages, PrintStream out) throws Exception {
        run(work, messages, out, null);
    }

    /**
     * @param work     a scratch directory on the disk the benchmarks use
     * @param messages folder size for the table part
     * @param out      where to print
     * @param only     a regular expression: only the parts whose row name ("store.save", "table.sort",
     *                 "table.restrict") matches it run; null for all
     * @throws Exception when something fails
     */
    public static void run(Path work, int messages, PrintStream out, String only) throws Exception {
        if (only == null || "store.save".matches(only)) {
            saveParts(work, out);
        }
        if (only == null || "table.sort".matches(only) || "table.restrict".matches(only)) {
            tableParts(work, messages, out);
        }
    }

    private static void saveParts(Path work, PrintStream out) throws Exception {
        out.println("== store.save: WAL pages appended per durable save (after 5 warm-up saves, 10 measured)");
        walPages(Files.createDirectories(work.resolve("wal")), out);
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            out.println("== store.save on a RAM file system (fsync costs nothing: CPU and SQLite work only)");
            Path ram = Files.createTempDirectory(shm, "jmapi-diagnose-");
            try {
                saves(ram, out);
            } finally {
                BenchMain.deleteTree(ram);
            }
        }
        out.println("== store.save on " + work.getParent() + " (" + Files.getFileStore(work).type() + ")");
        saves(Files.createDirectories(work.resolve("disk")), out);
    }

    private static void tableParts(Path work, int messages, PrintStream out) throws Exception {
        out.printf("== table.*: %,d-message folder%n", messages);
        FolderFixture f = FolderFixture.build(Files.createDirectories(work.resolve("folder")), messages, out);
        String folder = "folder_id = " + f.folderId();
        String jmapiRestrict = "SELECT " + HEAD + " FROM message WHERE " + folder + " AND associated = 0 AND "
                + "(subject_fold IS NOT NULL AND instr(subject_fold, '" + MessageData.NEEDLE + "') > 0) "
                + "ORDER BY id LIMIT 50";
        String jmapiSort = "SELECT " + HEAD + " FROM message WHERE " + folder + " AND associated = 0 "
                + "ORDER BY delivery_time DESC, id DESC LIMIT 50";
        String jmapiLike = "SELECT " + HEAD + " FROM message WHERE " + folder + " AND associated = 0 AND "
                + "subject LIKE '%" + MessageData.NEEDLE + "%' ORDER BY id LIMIT 50";
        String plainRestrict = "SELECT * FROM message WHERE " + folder + " AND subject LIKE '%"
                + MessageData.NEEDLE + "%' ORDER BY id LIMIT 50";
        String plainSort = "SELECT * FROM message WHERE " + folder + " ORDER BY delivery_time DESC, id DESC LIMIT 50";
        try (SqliteStorage store = SqliteStorage.open(f.store());
             Connection jc = DriverManager.getConnection("jdbc:sqlite:" + f.store());
             Connection pc = DriverManager.getConnection("jdbc:sqlite:" + f.plain())) {
            out.printf("  file pages: jmapi %s, baseline %s; avg jmapi props blob %s bytes%n",
                    scalar(jc, "PRAGMA page_count"), scalar(pc, "PRAGMA page_count"),
                    scalar(jc, "SELECT round(avg(length(props))) FROM message"));
            out.println("  pages per b-tree (dbstat), jmapi file:");
            treePages(jc, out);
            out.println("  pages per b-tree, baseline file:");
            treePages(pc, out);
            time(out, "jmapi Storage.query, sort (what table.sort measures)",
                    () -> store.query(TableBench.sortQuery(f.folderId())).size());
            time(out, "jmapi Storage.query, restrict (what table.restrict measures)",
                    () -> store.query(TableBench.restrictQuery(f.folderId())).size());
            for (String cache : new String[] {"-2000", "-" + SqliteStorage.READ_CACHE_KIB, "-200000"}) {
                exec(jc, "PRAGMA cache_size=" + cache);
                exec(pc, "PRAGMA cache_size=" + cache);
                out.println("  plain JDBC, PRAGMA cache_size=" + cache + (cache.equals("-2000") ? " (SQLite's default)"
                        : cache.equals("-" + SqliteStorage.READ_CACHE_KIB) ? " (jmapi's read connections, and the"
                        + " baseline's in the table rows)" : ""));
                time(out, "  jmapi's sort SQL on jmapi's file", sql(jc, jmapiSort));
                time(out, "  baseline sort SQL", sql(pc, plainSort));
                time(out, "  jmapi's restrict SQL on jmapi's file", sql(jc, jmapiRestrict));
                time(out, "  the same on jmapi's file with LIKE on subject instead of instr", sql(jc, jmapiLike));
                time(out, "  baseline restrict SQL", sql(pc, plainRestrict));
            }
            long[] ids = new long[50];
            try (Statement s = jc.createStatement(); ResultSet rs = s.executeQuery(jmapiSort)) {
                for (int i = 0; rs.next(); i++) {
                    ids[i] = rs.getLong(1);
                }
            }
            time(out, "50 large-value lookups, statement prepared per row (jmapi before 71d14c0)", () -> {
                int n = 0;
                for (long id : ids) {
                    try (PreparedStatement ps = jc.prepareStatement(LARGE)) {
                        n += lookup(ps, id);
                    }
                }
                return n;
            });
            try (PreparedStatement ps = jc.prepareStatement(LARGE)) {
                time(out, "50 large-value lookups, one cached statement (jmapi: one query per page)", () -> {
                    int n = 0;
                    for (long id : ids) {
                        n += lookup(ps, id);
                    }
                    return n;
                });
            }
        }
    }

    private static void treePages(Connection c, PrintStream out) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, count(*), sum(payload),"
                + " sum(ncell) FROM dbstat GROUP BY name ORDER BY count(*) DESC LIMIT 8")) {
            while (rs.next()) {
                out.printf("    %-40s %6d pages, %,12d bytes payload, %,8d cells%n", rs.getString(1), rs.getLong(2),
                        rs.getLong(3), rs.getLong(4));
            }
        }
    }

    private static int lookup(PreparedStatement ps, long id) throws SQLException {
        ps.setLong(1, id);
        ps.setLong(2, 0);
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }

    /** Messages saved into both files before the pages are counted (indexes spread over many pages, as in a run). */
    static final int PREFILL = 5_000;

    private static void walPages(Path dir, PrintStream out) throws Exception {
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        MessageData[] d = new MessageData[15];
        for (int i = 0; i < d.length; i++) {
            d[i] = MessageData.generate(1_000_000L + i, InterleavedSaves.BODY_CHARS, base);
        }
        Path js = dir.resolve("s.jmapi");
        Path ps = dir.resolve("p.sqlite");
        long folder;
        try (SqliteStorage s = SqliteStorage.create(js, "x", null);
             PlainSqlite.Save p = new PlainSqlite.Save(ps)) {
            folder = s.createFolder(s.identity().rootFolderId(), "Inbox", FolderRecord.FOLDER_GENERIC, null,
                    List.of()).id();
            for (int from = 0; from < PREFILL; from += 1000) {
                List<SaveRequest> batch = new java.util.ArrayList<>();
                List<MessageData> plain = new java.util.ArrayList<>();
                for (int i = from; i < from + 1000; i++) {
                    MessageData m = MessageData.generate(2_000_000L + i, InterleavedSaves.BODY_CHARS, base);
                    batch.add(SaveRequest.create(folder, m.image()));
                    plain.add(m);
                }
                s.saveMessages(batch);
                p.saveAll(plain);
            }
        }
        // reopened: the WAL starts empty (closing checkpointed it), and 15 saves stay under the 1,000-page
        // auto-checkpoint, so the WAL file only grows and its frames can be counted
        Path jw = dir.resolve("s.jmapi-wal");
        Path pw = dir.resolve("p.sqlite-wal");
        try (SqliteStorage s = SqliteStorage.open(js);
             PlainSqlite.Save p = new PlainSqlite.Save(ps)) {
            long j0 = 0;
            long p0 = 0;
            for (int i = 0; i < d.length; i++) {
                if (i == 5) {
                    j0 = frames(jw);
                    p0 = frames(pw);
                }
                s.saveMessage(SaveRequest.create(folder, d[i].image()));
                p.save(d[i], d[i].props());
            }
            int n = d.length - 5;
            out.printf("  %,d messages saved first; then jmapi %.1f pages, baseline %.1f pages (4 KiB each)%n",
                    PREFILL, (frames(jw) - j0) / (double) n, (frames(pw) - p0) / (double) n);
            out.println("  jmapi pages per save by b-tree (WAL frames of the measured saves, named with dbstat):");
            byTree(jw, j0, js, n, out);
            out.println("  baseline pages per save by b-tree:");
            byTree(pw, p0, ps, n, out);
            // everything written, checkpoints included: the process's write(2) bytes over many saves, each side alone
            int many = 400;
            long w0 = writtenBytes();
            for (int i = 0; i < many; i++) {
                s.saveMessage(SaveRequest.create(folder, d[i % d.length].image()));
            }
            long w1 = writtenBytes();
            for (int i = 0; i < many; i++) {
                p.save(d[i % d.length], d[i % d.length].props());
            }
            long w2 = writtenBytes();
            if (w0 >= 0) {
                out.printf("  bytes written per save over %d saves, WAL checkpoints included (/proc/self/io wchar):"
                        + " jmapi %.1f KiB, baseline %.1f KiB%n", many, (w1 - w0) / 1024.0 / many,
                        (w2 - w1) / 1024.0 / many);
            }
        }
    }

    /** @return the bytes this process has passed to write(2) so far (Linux /proc/self/io wchar), or -1 */
    private static long writtenBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Attributes the WAL frames from frame {@code from} on to the b-trees (tables, indexes) their pages belong to,
     * using SQLite's dbstat table on a separate connection (which reads through the WAL), and prints pages per save.
     */
    private static void byTree(Path wal, long from, Path db, int saves, PrintStream out) throws Exception {
        java.util.Map<Long, String> owner = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, pageno FROM dbstat")) {
            while (rs.next()) {
                owner.put(rs.getLong(2), rs.getString(1));
            }
        } catch (SQLException e) {
            out.println("    (dbstat unavailable: " + e.getMessage() + ")");
            return;
        }
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        byte[] bytes = Files.readAllBytes(wal);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        for (long f = from; 32 + (f + 1) * (4096 + 24) <= bytes.length; f++) {
            long page = Integer.toUnsignedLong(b.getInt((int) (32 + f * (4096 + 24))));
            counts.merge(page == 1 ? "(page 1: header, sqlite_schema)" : owner.getOrDefault(page, "(free/other)"),
                    1, Integer::sum);
        }
        counts.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue())
                .forEach(e -> out.printf("    %-40s %5.1f%n", e.getKey(), e.getValue() / (double) saves));
    }

    private static long frames(Path wal) throws java.io.IOException {
        return Files.exists(wal) ? (Files.size(wal) - 32) / (4096 + 24) : 0;
    }

    private static void saves(Path dir, PrintStream out) throws Exception {
        InterleavedSaves.Measurement m = InterleavedSaves.run(dir, 3, 10, 1, out);
        out.printf("  jmapi %.0f/s (median %.3f ms), baseline %.0f/s (median %.3f ms), ratio %.3f ± %.3f%n",
                m.jmapi(), m.jmapiP50Ms(), m.plain(), m.plainP50Ms(), m.ratio(), m.ratioError());
    }

    /** Something to time. */
    private interface Op {
        int run() throws Exception;
    }

    private static Op sql(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        return () -> {
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                int cols = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= cols; i++) {
                        rs.getObject(i);
                    }
                    n++;
                }
            }
            return n;
        };
    }

    private static void time(PrintStream out, String what, Op op) throws Exception {
        int sink = 0;
        long end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            sink += op.run();
        }
        int n = 0;
        long t0 = System.nanoTime();
        end = t0 + 2_000_000_000L;
        long now;
        do {
            sink += op.run();
            n++;
            now = System.nanoTime();
        } while (now < end);
        out.printf("  %-72s %.3f ms%s%n", what, (now - t0) / 1e6 / n, sink == -1 ? "!" : "");
    }

    private static String scalar(Connection c, String q) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void exec(Connection c, String q) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(q);
        }
    }
}
