package org.jmapi.store.provider;

import org.jmapi.store.FolderRecord;
import org.jmapi.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "seen" change counter of a {@link StoreFile} over SQLite, which takes its own changes from the writes
 * ({@code Storage.ownChanges}): a local change is not mistaken for a foreign one, and a foreign change is not
 * swallowed by a local one that follows it. The poll is run by hand ({@link StoreFile#pollOnce}; the file is never
 * acquired, so no timer polls), and a second storage instance on the same file plays the other process.
 */
class SqliteStoreFileChangesTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void end() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        poller.shutdownNow();
    }

    /** A store file over its own instance, counting the "everything may have changed" fan-outs. */
    private final class Watched {
        final SqliteStorage storage;
        final StoreFile file;
        final AtomicInteger everything = new AtomicInteger();

        Watched(Path path) {
            storage = SqliteStorage.open(path);
            file = new StoreFile(StoreBackend.location(path.toString(), "test store", () -> storage), storage, poller,
                    Runnable::run);
            open.add(file::close);
            file.watch(c -> {
                if (c.everything()) {
                    everything.incrementAndGet();
                }
            });
        }

        /** A local change through the file, in one folder (so its own fan-out is not "everything"). */
        void localChange(String name) {
            StoreFile.Mutation m = file.mutation();
            FolderRecord f = storage.createFolder(storage.identity().rootFolderId(), name, FolderRecord.FOLDER_GENERIC,
                    null, List.of());
            m.done(f.id());
        }
    }

    private Path store() {
        Path path = dir.resolve("changes.jmapi");
        SqliteStorage.create(path, "changes", null).close();
        return path;
    }

    @Test
    void aLocalChange_isNotTakenForAForeignOne() {
        Watched mine = new Watched(store());
        mine.localChange("mine 1");
        mine.localChange("mine 2");
        mine.everything.set(0);
        mine.file.pollOnce();
        assertThat(mine.everything.get()).as("the poll after local changes only").isZero();
    }

    @Test
    void aForeignChangeBeforeALocalOne_isStillNoticedByThePoll() {
        Path path = store();
        Watched mine = new Watched(path);
        SqliteStorage theirs = SqliteStorage.open(path);
        open.add(theirs::close);
        theirs.createFolder(theirs.identity().rootFolderId(), "theirs", FolderRecord.FOLDER_GENERIC, null, List.of());
        mine.localChange("mine");
        mine.everything.set(0);
        mine.file.pollOnce();
        assertThat(mine.everything.get()).as("the poll tells the tables of the other instance's folder").isEqualTo(1);
        mine.file.pollOnce();
        assertThat(mine.everything.get()).as("and only once").isEqualTo(1);
    }
}
