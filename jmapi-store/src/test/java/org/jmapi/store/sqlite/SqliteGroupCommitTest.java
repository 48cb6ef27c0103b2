package org.jmapi.store.sqlite;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.engine.GroupCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deferred durability (group commit) of the SQLite engine, seen where it can be seen: the {@code synchronous} mode
 * each commit runs with (read inside the transaction, so it is the one COMMIT uses: 1 = NORMAL, no fsync; 2 = FULL,
 * fsync of the write-ahead log), the count of commits not yet known durable, and the flushes the engine records in
 * the file ({@code store_counter} row {@code durable_flushes}, read through a connection of its own, also after the
 * storage was closed). Whether an fsync reached the platter cannot be seen from a test; that a commit ran with FULL
 * after the deferred ones (and so fsynced the log with their frames in it) can.
 *
 * <p>The group commit's timer is set to an hour for these tests (except the one about the timer), so that only the
 * flushes under test make anything durable.
 */
class SqliteGroupCommitTest {
    private static final int NORMAL = 1;
    private static final int FULL = 2;

    @TempDir
    Path dir;
    private final List<SqliteStorage> opened = new ArrayList<>();

    @AfterEach
    void end() {
        opened.forEach(SqliteStorage::close);
        System.clearProperty(GroupCommit.DELAY_PROPERTY);
    }

    private SqliteStorage store(boolean timer) {
        if (timer) {
            System.clearProperty(GroupCommit.DELAY_PROPERTY);
        } else {
            System.setProperty(GroupCommit.DELAY_PROPERTY, Long.toString(Duration.ofHours(1).toMillis()));
        }
        SqliteStorage s = SqliteStorage.create(dir.resolve("gc" + opened.size() + ".jmapi"), "group commit", null);
        opened.add(s);
        return s;
    }

    /** A write that changes the store (bumps the change counter) and answers the synchronous mode its commit uses. */
    private static int write(SqliteStorage s) {
        return s.db().write("test write", true, c -> Sql.one(c, "PRAGMA synchronous", rs -> rs.getInt(1))
                .orElseThrow());
    }

    private static long durableFlushes(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM store_counter WHERE name = 'durable_flushes'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Test
    void deferredWrites_commitWithoutFsync_untilTheFlushCommitsWithFsync() throws Exception {
        SqliteStorage s = store(false);
        assertThat(write(s)).as("outside the scope every commit fsyncs").isEqualTo(FULL);
        int inside = s.deferDurability(() -> write(s));
        assertThat(inside).as("inside the scope the commit skips the fsync").isEqualTo(NORMAL);
        s.deferDurability(() -> {
            s.setStoreProperties(List.of(PropValue.ofString(PropTags.PR_COMMENT, "outcome")), List.of());
            return null;
        });
        assertThat(s.undurableWrites()).isEqualTo(2);
        assertThat(durableFlushes(s.path())).isZero();

        s.flushDeferred();

        assertThat(s.undurableWrites()).isZero();
        assertThat(durableFlushes(s.path())).as("one durable commit that wrote a page").isEqualTo(1);
        s.flushDeferred();
        assertThat(durableFlushes(s.path())).as("nothing pending: no commit").isEqualTo(1);
        s.deferDurability(() -> write(s));
        assertThat(write(s)).as("a durable write right after a deferred one fsyncs again").isEqualTo(FULL);
        assertThat(s.db().pragmas()).as("and the writer stays at FULL").containsEntry("synchronous", "2");
    }

    @Test
    void anyDurableWriteAfterTheDeferredOnes_makesThemDurable() {
        SqliteStorage s = store(false);
        s.deferDurability(() -> write(s));
        s.deferDurability(() -> write(s));
        assertThat(s.undurableWrites()).isEqualTo(2);
        assertThat(write(s)).isEqualTo(FULL);
        assertThat(s.undurableWrites()).as("the FULL commit fsynced the log with the earlier frames").isZero();
    }

    @Test
    void anotherThreadsWrite_staysDurable_whileOneThreadDefers() {
        SqliteStorage s = store(false);
        int[] modes = s.deferDurability(() -> {
            int mine = write(s);
            int theirs = CompletableFuture.supplyAsync(() -> write(s)).join(); // a client's SubmitMessage, say
            return new int[] {mine, theirs};
        });
        assertThat(modes[0]).isEqualTo(NORMAL);
        assertThat(modes[1]).as("a write of a thread outside the scope").isEqualTo(FULL);
        assertThat(s.undurableWrites()).as("and it took the deferred one with it").isZero();
    }

    @Test
    void atMostMaxDeferredMinusOneCommitsAreEverUndurable() {
        SqliteStorage s = store(false);
        List<Integer> modes = s.deferDurability(() -> {
            List<Integer> m = new ArrayList<>();
            for (int i = 0; i < 2 * GroupCommit.MAX_DEFERRED; i++) {
                m.add(write(s));
                assertThat(s.undurableWrites()).isLessThan(GroupCommit.MAX_DEFERRED);
            }
            return m;
        });
        List<Integer> full = new ArrayList<>();
        for (int i = 0; i < modes.size(); i++) {
            if (modes.get(i) == FULL) {
                full.add(i);
            }
        }
        assertThat(full).as("every MAX_DEFERRED-th commit of a run is durable")
                .containsExactly(GroupCommit.MAX_DEFERRED - 1, 2 * GroupCommit.MAX_DEFERRED - 1);
        assertThat(s.undurableWrites()).isZero();
    }

    @Test
    void close_flushesFirst() throws Exception {
        SqliteStorage s = store(false);
        s.deferDurability(() -> write(s));
        Path file = s.path();
        s.close();
        assertThat(durableFlushes(file)).as("the close made the deferred commit durable").isEqualTo(1);
        try (SqliteStorage again = SqliteStorage.open(file)) {
            assertThat(again.storeProperties()).isNotNull();
        }
    }

    @Test
    void theTimer_flushesWhatNobodyFlushed() throws Exception {
        SqliteStorage s = store(true);
        s.deferDurability(() -> write(s));
        Instant deadline = Instant.now().plusSeconds(30);
        while (s.undurableWrites() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(5);
        }
        assertThat(s.undurableWrites()).as("flushed by the group commit's timer").isZero();
        assertThat(durableFlushes(s.path())).isEqualTo(1);
    }
}
