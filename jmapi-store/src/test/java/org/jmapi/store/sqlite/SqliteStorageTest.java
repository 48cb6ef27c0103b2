package org.jmapi.store.sqlite;

import org.jmapi.store.MutableClock;
import org.jmapi.store.Storage;
import org.jmapi.store.StorageContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The storage contract, run against the SQLite engine with store files in a temporary directory. */
class SqliteStorageTest extends StorageContract {
    static final int INLINE_LIMIT = 4096;

    @TempDir
    Path dir;

    private final List<Storage> opened = new ArrayList<>();
    private int stores;

    static SqliteStorage.Options options(Clock clock, Duration lease) {
        Duration heartbeat = clock instanceof MutableClock ? Duration.ZERO : Duration.ofSeconds(1);
        return SqliteStorage.Options.defaults().withClock(clock).withLease(lease, heartbeat)
                .withValueSizes(INLINE_LIMIT, 1024);
    }

    @Override
    protected Storage create(Clock clock, Duration lease) {
        SqliteStorage st = SqliteStorage.create(dir.resolve("store" + (++stores) + ".jmapi"), "Test store", null,
                options(clock, lease));
        opened.add(st);
        return st;
    }

    @Override
    protected Storage openOther(Storage existing, Clock clock, Duration lease) {
        SqliteStorage st = SqliteStorage.open(((SqliteStorage) existing).path(), options(clock, lease));
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
