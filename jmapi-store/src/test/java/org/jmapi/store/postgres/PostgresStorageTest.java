package org.jmapi.store.postgres;

import org.jmapi.store.MutableClock;
import org.jmapi.store.Storage;
import org.jmapi.store.StorageContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The storage contract, run against the PostgreSQL engine on a real server ({@link PostgresServer}): one database
 * for the class, a fresh store in it for every test (so the stores of all tests share the database's tables, as
 * a deployment's mailboxes do).
 */
@ExtendWith(PostgresServer.class)
class PostgresStorageTest extends StorageContract {
    static final int INLINE_LIMIT = 4096;
    private static final AtomicInteger STORES = new AtomicInteger();
    private static String url;

    private final List<Storage> opened = new ArrayList<>();

    @BeforeAll
    static void database(PostgresServer pg) {
        url = pg.newDatabase("contract");
    }

    static PostgresStorage.Options options(Clock clock, Duration lease) {
        Duration heartbeat = clock instanceof MutableClock ? Duration.ZERO : Duration.ofSeconds(1);
        return PostgresStorage.Options.defaults().withClock(clock).withLease(lease, heartbeat)
                .withValueSizes(INLINE_LIMIT, 1024);
    }

    @Override
    protected Storage create(Clock clock, Duration lease) {
        PostgresStorage st = PostgresStorage.create(url, PostgresServer.USER, PostgresServer.PASSWORD,
                "store" + STORES.incrementAndGet(), "Test store", null, options(clock, lease));
        opened.add(st);
        return st;
    }

    @Override
    protected Storage openOther(Storage existing, Clock clock, Duration lease) {
        PostgresStorage st = PostgresStorage.open(url, PostgresServer.USER, PostgresServer.PASSWORD,
                ((PostgresStorage) existing).storeName(), options(clock, lease));
        opened.add(st);
        return st;
    }

    @Override
    protected int inlineLimit() {
        return INLINE_LIMIT;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Storage::close);
    }
}
