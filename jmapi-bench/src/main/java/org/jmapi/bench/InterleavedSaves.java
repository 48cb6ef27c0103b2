package org.jmapi.bench;

import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageImage;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.Storage;
import org.jmapi.store.sqlite.SqliteStorage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code store.save} measurement: {@link Interleaved} alternating one jmapi save and one baseline save into two
 * fresh files in the same directory. Durable saves are fsync-bound, and on a shared or virtual disk the fsync rate
 * swings by 3× within seconds (observed here: 1,241 → 408 saves/s across three 1-second JMH iterations), so the two
 * sides must be measured in the same instants for their ratio to mean anything.
 */
public final class InterleavedSaves {
    private InterleavedSaves() {}

    /** Body length of a saved message, in characters ("4 KB body"). */
    public static final int BODY_CHARS = 4096;

    /** Distinct messages cycled through. */
    static final int DISTINCT = 256;

    /**
     * The figures, as throughput.
     *
     * @param jmapi        jmapi messages/s (saves / time inside jmapi calls)
     * @param jmapiError   99.9% half-width over the windows
     * @param plain        baseline messages/s
     * @param plainError   99.9% half-width over the windows
     * @param ratio        jmapi / baseline throughput
     * @param ratioError   99.9% half-width of the per-window ratios
     * @param windows      each window's throughput ratio (rounded)
     * @param saves        saves per side during measurement
     * @param jmapiP50Ms   median jmapi save latency
     * @param plainP50Ms   median baseline save latency
     */
    public record Measurement(double jmapi, double jmapiError, double plain, double plainError, double ratio,
                              double ratioError, List<Double> windows, long saves, double jmapiP50Ms,
                              double plainP50Ms) {}

    /** A baseline that saves one message per call, durably ({@link PlainSqlite.Save}, {@link PlainPostgres.Save}). */
    public interface PlainSave extends AutoCloseable {
        /**
         * Inserts one message and commits it durably.
         *
         * @param m     the message
         * @param props its properties as {@link MessageData#props()} gives them (precomputed)
         * @return the new message's id
         * @throws java.sql.SQLException when the database fails
         */
        long save(MessageData m, List<Object[]> props) throws java.sql.SQLException;

        @Override
        void close() throws java.sql.SQLException;
    }

    /**
     * Adds what both engines' save rows store and index, for the row's parameters.
     *
     * @param params the row's parameters
     */
    public static void describeStorage(java.util.Map<String, Object> params) {
        params.put("body_storage", "jmapi: PR_BODY (PT_UNICODE, 4,096 ASCII characters) is 4,096 bytes in the"
                + " properties blob, within the 4,096-byte inline limit (org.jmapi.store.engine.InlineRule), so it"
                + " stays in the message row; baseline: TEXT in its property row");
        params.put("indexes", "jmapi: a new store's message indexes are the folder's and delivery time's; the other"
                + " column indexes are built on the first sort by their column (org.jmapi.store.engine.SortIndexes),"
                + " and each one built adds an index entry to every later save; baseline: its keys and folder index");
    }

    /**
     * The SQLite pair: a fresh {@link SqliteStorage} file and a fresh {@link PlainSqlite.Save} file side by side.
     *
     * @param dir      an empty directory for the two files
     * @param warmupS  seconds of alternating saves before measuring
     * @param measureS seconds of measurement
     * @param windowS  window length in seconds
     * @param log      progress
     * @return the figures
     * @throws Exception when a save fails
     */
    public static Measurement run(Path dir, double warmupS, double measureS, double windowS, java.io.PrintStream log)
            throws Exception {
        try (SqliteStorage store = SqliteStorage.create(dir.resolve("save.jmapi"), "bench", null);
             PlainSqlite.Save plain = new PlainSqlite.Save(dir.resolve("save.sqlite"))) {
            return run(store, plain, warmupS, measureS, windowS, log);
        }
    }

    /**
     * Alternates saves into a fresh jmapi store (a new folder "Inbox" under its root) and a fresh baseline.
     *
     * @param store    an empty jmapi store of any engine (not closed here)
     * @param plain    the baseline (not closed here)
     * @param warmupS  seconds of alternating saves before measuring
     * @param measureS seconds of measurement
     * @param windowS  window length in seconds
     * @param log      progress
     * @return the figures
     * @throws Exception when a save fails
     */
    public static Measurement run(Storage store, PlainSave plain, double warmupS, double measureS, double windowS,
                                  java.io.PrintStream log) throws Exception {
        MessageData[] data = new MessageData[DISTINCT];
        MessageImage[] images = new MessageImage[DISTINCT];
        List<List<Object[]>> props = new ArrayList<>();
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < DISTINCT; i++) {
            data[i] = MessageData.generate(1_000_000L + i, BODY_CHARS, base);
            images[i] = data[i].image();
            props.add(data[i].props());
        }
        long folder = store.createFolder(store.identity().rootFolderId(), "Inbox", FolderRecord.FOLDER_GENERIC,
                null, List.of()).id();
        int[] next = {0, 0};
        Interleaved.Measurement m = Interleaved.run(
                () -> store.saveMessage(SaveRequest.create(folder, images[next[0]++ % DISTINCT])),
                () -> {
                    int i = next[1]++ % DISTINCT;
                    return plain.save(data[i], props.get(i));
                }, warmupS, measureS, windowS, log);
        List<Double> ratios = new ArrayList<>();
        for (double r : m.windowRatios()) {
            ratios.add(Result.round(1 / r));
        }
        double j = 1000 / m.aMs();
        double p = 1000 / m.bMs();
        // the windows' errors are on ms per save; convert to messages/s around the mean (first order)
        return new Measurement(j, j * m.aError() / m.aMs(), p, p * m.bError() / m.bMs(), j / p,
                m.ratioError() / (m.ratio() * m.ratio()), ratios, m.calls(), m.aMedianMs(), m.bMedianMs());
    }
}
