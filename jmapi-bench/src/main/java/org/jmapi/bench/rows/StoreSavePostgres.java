package org.jmapi.bench.rows;

import org.jmapi.bench.Bench;
import org.jmapi.bench.BenchPostgres;
import org.jmapi.bench.InterleavedSaves;
import org.jmapi.bench.PlainPostgres;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;
import org.jmapi.store.postgres.PostgresStorage;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code store.save[postgresql]}: {@code store.save} on the PostgreSQL engine — durable single-thread saves of new
 * messages through {@link PostgresStorage#saveMessage}, alternating with the plain-JDBC baseline
 * ({@link PlainPostgres.Save}) on the same server ({@link BenchPostgres}), each side in its own fresh database;
 * ratio = jmapi / baseline throughput.
 */
public final class StoreSavePostgres implements Row {
    @Override
    public String name() {
        return "store.save[postgresql]";
    }

    @Override
    public String what() {
        return "store.save on PostgreSQL: the same messages (20 properties, 2 recipients, 4 KB body) saved with "
                + "PostgresStorage.saveMessage, durable on return (synchronous_commit=on, fsync=on), one thread; "
                + "embedded PostgreSQL on this machine over loopback";
    }

    @Override
    public String baseline() {
        return "the same values inserted with plain JDBC (pgjdbc) into a database of the same server at the same "
                + "durability (one transaction per message, synchronous_commit=on): 1 message row + 20 property rows "
                + "+ 2 recipient rows, the property and recipient rows as JDBC batches";
    }

    @Override
    public String target() {
        return "ratio (jmapi / baseline messages/s) ≥ " + StoreSave.TARGET;
    }

    @Override
    public List<Result> measure(Bench bench) throws Exception {
        // quick: shorter than the SQLite row's 3 + 15 s, so that the quick run with the server's start stays short
        double warmup = bench.quick() ? 2 : 10;
        double measure = bench.quick() ? 8 : 60;
        BenchPostgres pg = bench.postgres();
        String url = pg.createDatabase("jmapi_save");
        pg.createDatabase("plain_save");
        InterleavedSaves.Measurement m;
        Map<String, String> engine;
        try (PostgresStorage store = PostgresStorage.create(url, BenchPostgres.USER, null, "bench", "bench", null);
             PlainPostgres.Save plain = new PlainPostgres.Save(pg.connect("plain_save"))) {
            engine = store.settings();
            m = InterleavedSaves.run(store, plain, warmup, measure, 1.0, bench.log());
        }
        Map<String, Object> params = bench.params();
        params.put("harness", String.format(Locale.ROOT, "timed loop in one JVM (org.jmapi.bench.Interleaved), not"
                + " JMH: jmapi and baseline saves alternate one by one, each timed; warm-up %.0f s, measurement %.0f s"
                + " in 1 s windows", warmup, measure));
        params.put("saves_per_side", m.saves());
        params.put("properties", 20);
        params.put("recipients", 2);
        params.put("body_chars", InterleavedSaves.BODY_CHARS);
        InterleavedSaves.describeStorage(params);
        params.put("durability", "synchronous_commit=on, fsync=on, one transaction (one WAL flush) per message,"
                + " both sides");
        params.put("threads", 1);
        params.putAll(pg.settings());
        params.put("jmapi_connection", engine.get("synchronous_commit") + " synchronous_commit, "
                + engine.get("transaction_isolation") + " (PostgresStorage.settings())");
        params.put("databases", "jmapi: jmapi_save (one store); baseline: plain_save");
        params.put("median_latency_ms", Map.of("jmapi", Result.round(m.jmapiP50Ms()),
                "baseline", Result.round(m.plainP50Ms())));
        params.put("ratio_error", Result.round(m.ratioError()));
        params.put("window_ratios", m.windows());
        return List.of(new Result(name(), m.jmapi(), m.jmapiError(), "messages/s", "jdbc-postgresql.save",
                m.plain(), m.plainError(), m.ratio(), target(),
                List.of(new Result.Check("ratio ≥ " + StoreSave.TARGET, m.ratio() >= StoreSave.TARGET)), params));
    }
}
