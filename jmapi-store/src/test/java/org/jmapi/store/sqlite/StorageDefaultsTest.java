package org.jmapi.store.sqlite;

import org.jmapi.store.DefaultsOnlyStorage;
import org.jmapi.store.Storage;
import org.jmapi.store.StorageContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage contract through {@link DefaultsOnlyStorage}: the SQLite engine underneath, but
 * {@code Storage.copyFolder} and {@code Storage.openValueStream(LargeValue, long)} as the interface's default
 * implementations, so that an engine relying on them passes the same contract.
 */
class StorageDefaultsTest extends StorageContract {
    @TempDir
    Path dir;

    private final List<Storage> opened = new ArrayList<>();
    private int stores;

    @Override
    protected Storage create(Clock clock, Duration lease) {
        Storage st = new DefaultsOnlyStorage(SqliteStorage.create(dir.resolve("store" + (++stores) + ".jmapi"),
                "Test store", null, SqliteStorageTest.options(clock, lease)));
        opened.add(st);
        return st;
    }

    @Override
    protected Storage openOther(Storage existing, Clock clock, Duration lease) {
        SqliteStorage engine = (SqliteStorage) ((DefaultsOnlyStorage) existing).engine();
        Storage st = new DefaultsOnlyStorage(SqliteStorage.open(engine.path(),
                SqliteStorageTest.options(clock, lease)));
        opened.add(st);
        return st;
    }

    @Override
    protected int inlineLimit() {
        return SqliteStorageTest.INLINE_LIMIT;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Storage::close);
    }
}
