package org.jmapi.store.sqlite;

import org.jmapi.store.Storage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Storage#ownChanges()} of the SQLite engine: the change counter each thread's own committed writes left, taken
 * from the counter's update in the write itself, and how many of them changed it. Two instances on one file stand for
 * two processes.
 */
class SqliteOwnChangesTest {
    @TempDir
    Path dir;
    private final List<SqliteStorage> opened = new ArrayList<>();

    @AfterEach
    void end() {
        opened.forEach(SqliteStorage::close);
    }

    private SqliteStorage open(Path file) {
        SqliteStorage s = Files.exists(file) ? SqliteStorage.open(file)
                : SqliteStorage.create(file, "own changes", null);
        opened.add(s);
        return s;
    }

    private static void write(SqliteStorage s, boolean changes) {
        s.db().write("test write", changes, c -> Sql.update(c, "UPDATE store_identity SET id = id WHERE id = 1"));
    }

    @Test
    void everyChangingCommit_leavesTheCounterItSet_andCountsForItsThreadOnly() throws Exception {
        SqliteStorage s = open(dir.resolve("a.jmapi"));
        Storage.OwnChanges start = s.ownChanges();
        write(s, true);
        write(s, true);
        Storage.OwnChanges after = s.ownChanges();
        assertThat(after.writes() - start.writes()).isEqualTo(2);
        assertThat(after.counter()).isEqualTo(s.changeCounter());

        write(s, false); // a write that changes nothing others should notice: the counter stays, nothing counted
        assertThat(s.ownChanges()).isEqualTo(after);

        // another thread's write moves the counter but is not this thread's
        CompletableFuture.runAsync(() -> write(s, true)).get();
        assertThat(s.ownChanges()).isEqualTo(after);
        assertThat(s.changeCounter()).isEqualTo(after.counter() + 1);
    }

    @Test
    void aForeignWriteBetween_showsAsAGapBeforeTheOwnOne() {
        Path file = dir.resolve("b.jmapi");
        SqliteStorage mine = open(file);
        SqliteStorage theirs = open(file);
        write(mine, true);
        Storage.OwnChanges before = mine.ownChanges();
        write(theirs, true); // another process, between this thread's writes
        write(mine, true);
        Storage.OwnChanges after = mine.ownChanges();
        long writes = after.writes() - before.writes();
        assertThat(writes).isEqualTo(1);
        // the counter just before the own write is after - writes: the foreign write is in it, not taken for own
        assertThat(after.counter() - writes).isEqualTo(before.counter() + 1);
        assertThat(after.counter()).isEqualTo(theirs.changeCounter());
    }
}
