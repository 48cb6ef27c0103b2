package org.jmapi.store.postgres;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.engine.GroupCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deferred durability (group commit) of the PostgreSQL engine on a real server ({@link PostgresServer}): the
 * {@code synchronous_commit} each commit runs with (read inside the transaction: {@code off} = the commit returns
 * before the WAL flush), the count of commits not yet known durable, and the flush (a commit with a transaction id
 * under {@code synchronous_commit = on}). The group commit's timer is set to an hour, so only the flushes under test
 * make anything durable.
 */
@ExtendWith(PostgresServer.class)
class PostgresGroupCommitTest {
    private static final AtomicInteger STORES = new AtomicInteger();
    private static String url;
    private final List<PostgresStorage> opened = new ArrayList<>();

    @BeforeAll
    static void database(PostgresServer pg) {
        url = pg.newDatabase("groupcommit");
    }

    @AfterEach
    void end() {
        opened.forEach(PostgresStorage::close);
        System.clearProperty(GroupCommit.DELAY_PROPERTY);
    }

    private PostgresStorage store() {
        System.setProperty(GroupCommit.DELAY_PROPERTY, Long.toString(Duration.ofHours(1).toMillis()));
        PostgresStorage s = PostgresStorage.create(url, PostgresServer.USER, PostgresServer.PASSWORD,
                "gc" + STORES.incrementAndGet(), "group commit", null);
        opened.add(s);
        return s;
    }

    /** A write that changes the store and answers the synchronous_commit its commit uses. */
    private static String write(PostgresStorage s) {
        return s.db().write("test write", true, c -> Sql.one(c, "SHOW synchronous_commit", rs -> rs.getString(1))
                .orElseThrow());
    }

    @Test
    void deferredWrites_skipTheWalFlush_untilAFlushOrADurableWrite() {
        PostgresStorage s = store();
        assertThat(write(s)).isEqualTo("on");
        assertThat(s.deferDurability(() -> write(s))).isEqualTo("off");
        s.deferDurability(() -> {
            s.setStoreProperties(List.of(PropValue.ofString(PropTags.PR_COMMENT, "outcome")), List.of());
            return null;
        });
        assertThat(s.undurableWrites()).isEqualTo(2);
        s.flushDeferred();
        assertThat(s.undurableWrites()).isZero();

        s.deferDurability(() -> write(s));
        assertThat(s.undurableWrites()).isEqualTo(1);
        assertThat(CompletableFuture.supplyAsync(() -> write(s)).join())
                .as("another thread's write stays durable").isEqualTo("on");
        assertThat(s.undurableWrites()).as("and its flush covered the deferred commit before it").isZero();
    }

    @Test
    void atMostMaxDeferredMinusOneCommitsAreEverUndurable() {
        PostgresStorage s = store();
        List<String> modes = s.deferDurability(() -> {
            List<String> m = new ArrayList<>();
            for (int i = 0; i < GroupCommit.MAX_DEFERRED; i++) {
                m.add(write(s));
                assertThat(s.undurableWrites()).isLessThan(GroupCommit.MAX_DEFERRED);
            }
            return m;
        });
        assertThat(modes.subList(0, GroupCommit.MAX_DEFERRED - 1)).containsOnly("off");
        assertThat(modes.get(GroupCommit.MAX_DEFERRED - 1)).isEqualTo("on");
        assertThat(s.undurableWrites()).isZero();
    }
}
