package org.jmapi.store.postgres;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Disposal;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageRow;
import org.jmapi.store.SaveRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.store.postgres.PostgresServer.PASSWORD;
import static org.jmapi.store.postgres.PostgresServer.USER;

/**
 * The PostgreSQL outgoing queue with several spoolers on it (one {@link PostgresStorage} instance stands for each
 * spooler host): claims take no store-wide lock — they run while another transaction holds the store's write lock —
 * and skip rows another transaction is claiming instead of waiting ({@code FOR UPDATE SKIP LOCKED}); each message
 * goes to exactly one of many racing instances; a lock of a dead process on this host, or of an expired lease on
 * another host, is claimed again, a live one on another host is not; the decisions made from a lock (abort) wait
 * for a claim in progress and see it.
 */
@ExtendWith(PostgresServer.class)
class PostgresQueueTest {
    private final PostgresServer pg;

    PostgresQueueTest(PostgresServer pg) {
        this.pg = pg;
    }

    private static void assertCode(int hresult, ThrowingCallable call, String... mentions) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class, e -> {
            assertThat(e.hresult()).withFailMessage("expected %s, got %s: %s", HResult.name(hresult),
                    HResult.name(e.hresult()), e.getMessage()).isEqualTo(hresult);
            for (String m : mentions) {
                assertThat(e.getMessage()).contains(m);
            }
        });
    }

    /** A store with {@code n} queued messages in its Outbox, submitted one second apart; @return their ids */
    private static List<Long> queued(PostgresStorage s, int n) {
        long outbox = s.createFolder(s.identity().rootFolderId(), "Outbox", FolderRecord.FOLDER_GENERIC, null,
                List.of()).id();
        List<SaveRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(SaveRequest.create(outbox, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SUBJECT, "q" + i)))).withSubmit(Instant.ofEpochSecond(1000 + i), 0));
        }
        return s.saveMessages(requests).stream().map(m -> m.id()).toList();
    }

    private Connection holder(String url) throws SQLException {
        Connection c = pg.connect(url);
        c.setAutoCommit(false);
        return c;
    }

    @Test
    @Timeout(120)
    @DisplayName("claims take no store-wide lock: they succeed while another transaction holds the store's write lock")
    void claims_doNotWaitForTheStoreWriteLock() throws SQLException {
        String url = pg.newDatabase("claims");
        PostgresStorage.Options quick = PostgresStorage.Options.defaults().withBusyTimeout(Duration.ofMillis(500));
        try (PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null, quick);
             PostgresStorage spooler = PostgresStorage.open(url, USER, PASSWORD, "box", quick);
             Connection holder = holder(url)) {
            List<Long> ids = queued(s, 3);
            spooler.lockMessage(ids.get(2)); // the first lock also registers the instance as a lock owner
            long counter = s.changeCounter();
            Sql.list(holder, "SELECT id FROM jmapi.store WHERE name = 'box' FOR UPDATE", rs -> rs.getLong(1));
            // an ordinary write waits for the store's lock and gives up after the busy timeout ...
            assertCode(HResult.MAPI_E_BUSY, () -> s.setStoreProperties(List.of(PropValue.ofString(
                    PropTags.PR_COMMENT, "blocked")), List.of()), "busy timeout");
            // ... while the queue's claims go ahead
            assertThat(spooler.lockNextQueued()).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(ids.get(0)));
            assertThat(spooler.lockMessage(ids.get(1)).queue().lockOwner()).isEqualTo(spooler.ownerId());
            spooler.unlockMessage(ids.get(1));
            assertThat(spooler.lockNextQueued()).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(ids.get(1)));
            assertThat(spooler.lockNextQueued()).isEmpty();
            assertThat(s.changeCounter()).as("claims count as changes").isGreaterThan(counter);
            assertThat(s.activitySummary().lockedMessages()).isEqualTo(3);
            holder.rollback();
            spooler.finishMessage(ids.get(0), Disposal.KEEP);
            assertThat(s.queue()).extracting(MessageRow::id).containsExactly(ids.get(1), ids.get(2));
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("FOR UPDATE SKIP LOCKED: a message another transaction is claiming is skipped at once, never waited for")
    void aRowBeingClaimed_isSkipped_andLockingItFailsAtOnce() throws SQLException {
        String url = pg.newDatabase("skip");
        PostgresStorage.Options patient = PostgresStorage.Options.defaults().withBusyTimeout(Duration.ofSeconds(30));
        try (PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null, patient);
             Connection holder = holder(url)) {
            List<Long> ids = queued(s, 2);
            Sql.list(holder, "SELECT id FROM jmapi.message WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), ids.get(0));
            // waiting for the row would end in the 30-second lock timeout's "busy timeout" message
            assertCode(HResult.MAPI_E_BUSY, () -> s.lockMessage(ids.get(0)), "right now");
            assertThat(s.lockNextQueued()).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(ids.get(1)));
            assertThat(s.lockNextQueued()).isEmpty();
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.lockMessage(424242));
            holder.rollback();
            assertThat(s.lockNextQueued()).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(ids.get(0)));
        }
    }

    @Test
    @Timeout(180)
    @DisplayName("each of 400 queued messages goes to exactly one of five instances claiming from three threads each")
    void manyInstances_eachMessageClaimedExactlyOnce() throws Exception {
        String url = pg.newDatabase("race");
        int n = 400;
        try (PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null)) {
            Set<Long> all = Set.copyOf(queued(s, n));
            List<PostgresStorage> spoolers = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(15);
            Set<Long> taken = ConcurrentHashMap.newKeySet();
            List<Long> duplicates = Collections.synchronizedList(new ArrayList<>());
            try {
                for (int i = 0; i < 5; i++) {
                    spoolers.add(PostgresStorage.open(url, USER, PASSWORD, "box"));
                }
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < 15; t++) {
                    PostgresStorage st = spoolers.get(t % 5);
                    futures.add(pool.submit(() -> {
                        start.await();
                        int mine = 0;
                        for (Optional<MessageRow> next = st.lockNextQueued(); next.isPresent();
                             next = st.lockNextQueued()) {
                            if (!taken.add(next.get().id())) {
                                duplicates.add(next.get().id());
                            }
                            st.finishMessage(next.get().id(), Disposal.KEEP);
                            mine++;
                        }
                        return mine;
                    }));
                }
                long started = System.nanoTime();
                start.countDown();
                int total = 0;
                for (Future<Integer> f : futures) {
                    total += f.get(150, TimeUnit.SECONDS);
                }
                System.out.printf("%d messages claimed and finished by 5 instances x 3 threads in %d ms%n", n,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                assertThat(duplicates).as("messages claimed twice").isEmpty();
                assertThat(taken).isEqualTo(all);
                assertThat(total).isEqualTo(n);
                assertThat(s.queue()).isEmpty();
            } finally {
                pool.shutdownNow();
                spoolers.forEach(PostgresStorage::close);
            }
        }
    }

    /** Makes {@code owner} hold {@code messageId}, as a spooler of that process on that host would. */
    private void plantLock(String url, long storeId, long messageId, String owner, long pid, String host,
                           long leaseExpires) throws SQLException {
        try (Connection c = pg.connect(url)) {
            c.setAutoCommit(true);
            Sql.update(c, "INSERT INTO jmapi.storage_owner (store_id, owner_id, pid, process_start, host, opened_at, "
                    + "lease_expires) VALUES (?, ?, ?, 0, ?, 0, ?)", storeId, owner, pid, host, leaseExpires);
            Sql.update(c, "UPDATE jmapi.message SET lock_owner = ?, lock_expires = ? WHERE store_id = ? AND id = ?",
                    owner, leaseExpires, storeId, messageId);
        }
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(30, TimeUnit.SECONDS);
        long pid = p.pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        return pid;
    }

    @Test
    @Timeout(120)
    @DisplayName("a lock of a dead process on this host is claimed at once; one on another host waits for its lease")
    void deadOwners_areClaimedAgain_liveOnesOnOtherHostsAreNot() throws Exception {
        String url = pg.newDatabase("dead");
        try (PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null)) {
            List<Long> ids = queued(s, 3);
            s.beginActivity(org.jmapi.store.ActivityKind.OUTBOUND, "test", 0).close(); // registered: no sweep below
            long far = System.currentTimeMillis() + 3_600_000;
            plantLock(url, s.sid(), ids.get(0), "killed-here", deadPid(), PostgresQueue.HOST, far);
            plantLock(url, s.sid(), ids.get(1), "alive-elsewhere", 1, "another-host/boot", far);
            plantLock(url, s.sid(), ids.get(2), "expired-elsewhere", 1, "another-host/boot",
                    System.currentTimeMillis() - 1);
            assertThat(s.queue()).extracting(r -> r.info().queue().locked()).containsExactly(false, true, false);
            assertCode(HResult.MAPI_E_BUSY, () -> s.lockMessage(ids.get(1)), "another-host");
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.unlockMessage(ids.get(1)));
            assertCode(HResult.MAPI_E_UNABLE_TO_ABORT, () -> s.abortSubmit(ids.get(1)));
            assertThat(s.lockNextQueued()).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(ids.get(0)));
            assertThat(s.lockNextQueued()).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(ids.get(2)));
            assertThat(s.lockNextQueued()).isEmpty();
            assertThat(s.messageInfo(ids.get(0)).queue().lockOwner()).isEqualTo(s.ownerId());
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("AbortSubmit waits for a claim in progress and sees its lock (MAPI_E_UNABLE_TO_ABORT), never undoes it")
    void abortDuringAClaim_seesTheClaim() throws Exception {
        String url = pg.newDatabase("abort");
        try (PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null);
             Connection claim = holder(url)) {
            long id = queued(s, 1).get(0);
            long far = System.currentTimeMillis() + 3_600_000;
            try (Connection c = pg.connect(url)) {
                Sql.update(c, "INSERT INTO jmapi.storage_owner (store_id, owner_id, pid, process_start, host, "
                        + "opened_at, lease_expires) VALUES (?, 'other-spooler', 1, 0, 'another-host/boot', 0, ?)",
                        s.sid(), far);
            }
            // another spooler's claim, not yet committed
            Sql.list(claim, "SELECT id FROM jmapi.message WHERE id = ? FOR UPDATE SKIP LOCKED", rs -> rs.getLong(1),
                    id);
            Sql.update(claim, "UPDATE jmapi.message SET lock_owner = 'other-spooler', lock_expires = ? WHERE id = ?",
                    far, id);
            AtomicReference<Throwable> aborted = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                try {
                    s.abortSubmit(id);
                } catch (Throwable e) {
                    aborted.set(e);
                } finally {
                    done.countDown();
                }
            }, "abort");
            t.start();
            awaitLockWait(url);
            assertThat(done.getCount()).as("the abort waits for the claim's row").isEqualTo(1);
            claim.commit();
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(aborted.get()).isInstanceOfSatisfying(MapiException.class,
                    e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_UNABLE_TO_ABORT));
            assertThat(s.messageInfo(id).queue().lockOwner()).isEqualTo("other-spooler");
        }
    }

    /** Waits until a backend of the database waits for a row lock. */
    private void awaitLockWait(String url) throws Exception {
        String db = url.substring(url.lastIndexOf('/') + 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = pg.superuser(db)) {
            while (Sql.longValue(c, "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND wait_event_type = "
                    + "'Lock'", db) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no transaction of " + db + " started waiting for a lock");
                }
                Thread.sleep(5);
            }
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("migration 3 gives the stores of a version-2 database their queue_state row; claims then work")
    void migration3_addsQueueStateForExistingStores() throws SQLException {
        String url = pg.newDatabase("v2");
        List<Migration> v2 = Schema.MIGRATIONS.subList(0, 2);
        PostgresStorage.Options o = PostgresStorage.Options.defaults();
        long id;
        try (PostgresStorage old = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null, o, v2)) {
            assertThat(old.identity().schemaVersion()).isEqualTo(2);
            id = queued(old, 1).get(0);
        }
        try (Connection c = pg.connect(url)) {
            assertThat(Sql.longValue(c, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'jmapi' "
                    + "AND table_name = 'queue_state'")).isZero();
        }
        try (PostgresStorage s = PostgresStorage.open(url, USER, PASSWORD, "box", o, Schema.MIGRATIONS.subList(0, 3))) {
            assertThat(s.identity().schemaVersion()).isEqualTo(3);
            long before = s.changeCounter();
            try (Connection c = pg.connect(url)) {
                assertThat(before).isEqualTo(Sql.longValue(c, "SELECT changes FROM jmapi.store WHERE id = ?",
                        s.sid()));
            }
            s.lockMessage(id);
            assertThat(s.changeCounter()).isEqualTo(before + 1);
            try (Connection c = pg.connect(url)) {
                assertThat(Sql.longValue(c, "SELECT lock_changes FROM jmapi.queue_state WHERE store_id = ?", s.sid()))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("the schema's queue_state row exists once per store and moves the store's change counter")
    void queueState_isPerStore() throws SQLException {
        String url = pg.newDatabase("qstate");
        try (PostgresStorage a = PostgresStorage.create(url, USER, PASSWORD, "a", "A", null);
             PostgresStorage b = PostgresStorage.create(url, USER, PASSWORD, "b", "B", null)) {
            List<Long> qa = queued(a, 2);
            long before = b.changeCounter();
            a.lockMessage(qa.get(0));
            a.lockNextQueued();
            a.unlockMessage(qa.get(0));
            assertThat(b.changeCounter()).as("another store's claims are not this store's changes").isEqualTo(before);
            try (Connection c = pg.connect(url)) {
                assertThat(Sql.list(c, "SELECT store_id || '=' || lock_changes FROM jmapi.queue_state ORDER BY store_id",
                        rs -> rs.getString(1))).containsExactly(a.sid() + "=3", b.sid() + "=0");
            }
        }
    }
}
