package org.jmapi.store.postgres;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.ChangeSignal;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageImage;
import org.jmapi.store.SaveRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.jmapi.store.postgres.PostgresServer.PASSWORD;
import static org.jmapi.store.postgres.PostgresServer.USER;

/**
 * The PostgreSQL engine's change signal (issue 7): a commit of one instance wakes another instance's subscribers
 * through LISTEN/NOTIFY — for a change of the store, a spooler claim and an event-log entry — the setting that turns
 * it off really sends and listens to nothing, a server that refuses {@code pg_notify} turns it off by itself (and
 * writes keep working), and a listening session that the server ends is replaced.
 */
@ExtendWith(PostgresServer.class)
class PostgresChangeSignalTest {
    private final PostgresServer pg;

    PostgresChangeSignalTest(PostgresServer pg) {
        this.pg = pg;
    }

    static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 30 s: " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private static void touch(PostgresStorage s, String value) {
        s.setStoreProperties(List.of(PropValue.ofString(PropTags.PR_COMMENT, value)), List.of());
    }

    @Test
    @Timeout(120)
    void aCommitOfAnotherInstance_wakesTheSubscribers_forChangesClaimsAndEvents() {
        String url = pg.newDatabase("signal");
        try (PostgresStorage a = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null);
             PostgresStorage b = PostgresStorage.open(url, USER, PASSWORD, "box")) {
            long outbox = a.createFolder(a.identity().rootFolderId(), "Outbox", FolderRecord.FOLDER_GENERIC, null,
                    List.of()).id();
            long queued = a.saveMessages(List.of(SaveRequest.create(outbox, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SUBJECT, "q")))).withSubmit(Instant.ofEpochSecond(1000), 0)))
                    .get(0).id();
            ChangeSignal signal = b.changeSignal().orElseThrow();
            assertThat(signal.live()).as("nobody subscribed yet: no listening connection").isFalse();
            AtomicInteger wakes = new AtomicInteger();
            try (ChangeSignal.Subscription sub = signal.subscribe(wakes::incrementAndGet)) {
                await(signal::live, () -> "the signal listening");
                await(() -> wakes.get() >= 1, () -> "the wake-up when the signal became live");

                int before = wakes.get();
                touch(a, "changed by a");
                await(() -> wakes.get() > before, () -> "a wake-up for a's change of the store");

                int beforeClaim = wakes.get();
                assertThat(a.lockNextQueued()).isPresent().get().extracting(r -> r.id()).isEqualTo(queued);
                await(() -> wakes.get() > beforeClaim, () -> "a wake-up for a's claim of a queued message");

                int beforeEvent = wakes.get();
                a.publishEvents(List.of(new byte[] {1, 2, 3}));
                await(() -> wakes.get() > beforeEvent, () -> "a wake-up for a's event-log entry");
            }
        }
    }

    @Test
    @Timeout(120)
    void withListenNotifyOff_theInstanceHasNoSignal_andItsCommitsNotifyNobody() throws SQLException {
        String url = pg.newDatabase("signaloff");
        PostgresStorage.Options off = PostgresStorage.Options.defaults().withListenNotify(false);
        try (PostgresStorage quiet = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null, off);
             PostgresStorage loud = PostgresStorage.open(url, USER, PASSWORD, "box");
             Connection raw = pg.connect(url)) {
            assertThat(quiet.changeSignal()).isEmpty();
            assertThat(loud.changeSignal()).isPresent();
            long storeId = Sql.longValue(raw, "SELECT id FROM jmapi.store WHERE name = 'box'");
            try (Statement s = raw.createStatement()) {
                s.execute("LISTEN " + PostgresChangeSignal.channel(storeId));
            }
            touch(quiet, "by the quiet one");
            quiet.publishEvents(List.of(new byte[] {1}));
            touch(loud, "by the loud one");
            // notifications arrive in commit order: had the quiet instance notified, its would come first
            List<String> payloads = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!payloads.contains(loud.ownerId())) {
                assertThat(System.nanoTime()).as("the loud instance's notification within 30 s").isLessThan(deadline);
                PGNotification[] got = raw.unwrap(PGConnection.class).getNotifications(500);
                if (got != null) {
                    for (PGNotification n : got) {
                        payloads.add(n.getParameter());
                    }
                }
            }
            assertThat(payloads).containsOnly(loud.ownerId());
        }
    }

    @Test
    @Timeout(120)
    void aServerThatRefusesNotify_turnsItOffByItself_andWritesStillWork() throws SQLException {
        String url = pg.newDatabase("signalrefused");
        String database = url.substring(url.lastIndexOf('/') + 1);
        try (Connection su = pg.superuser(database); Statement s = su.createStatement()) {
            // in this database only: the role may not call pg_notify, as on an engine without it
            s.execute("REVOKE EXECUTE ON FUNCTION pg_notify(text, text) FROM PUBLIC");
        }
        try (PostgresStorage a = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null);
             PostgresStorage b = PostgresStorage.open(url, USER, PASSWORD, "box")) {
            assertThat(a.changeSignal()).as("no signal where the server refused").isEmpty();
            assertThat(b.changeSignal()).isEmpty();
            // had the writers kept notifying, these would fail with the server's refusal
            touch(a, "written without NOTIFY");
            a.publishEvents(List.of(new byte[] {1}));
            long outbox = a.createFolder(a.identity().rootFolderId(), "Outbox", FolderRecord.FOLDER_GENERIC, null,
                    List.of()).id();
            a.saveMessages(List.of(SaveRequest.create(outbox, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SUBJECT, "q")))).withSubmit(Instant.ofEpochSecond(1000), 0)));
            assertThat(b.lockNextQueued()).isPresent();
            assertThat(b.storeProperties()).contains(PropValue.ofString(PropTags.PR_COMMENT, "written without NOTIFY"));
        }
    }

    @Test
    @Timeout(120)
    void aListeningSessionTheServerEnds_isReplaced_andWakesAgain() throws SQLException {
        String url = pg.newDatabase("signallost");
        try (PostgresStorage a = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null);
             PostgresStorage b = PostgresStorage.open(url, USER, PASSWORD, "box")) {
            ChangeSignal signal = b.changeSignal().orElseThrow();
            AtomicInteger wakes = new AtomicInteger();
            try (ChangeSignal.Subscription sub = signal.subscribe(wakes::incrementAndGet)) {
                await(signal::live, () -> "the signal listening");
                int first = b.listenerPid();
                assertThat(first).isPositive();
                try (Connection su = pg.superuser("postgres")) {
                    assertThat(Sql.one(su, "SELECT pg_terminate_backend(?)", rs -> rs.getBoolean(1), first))
                            .contains(true);
                }
                await(() -> b.listenerPid() != 0 && b.listenerPid() != first,
                        () -> "a new listening session after " + first + " was terminated");

                int before = wakes.get();
                touch(a, "after the reconnection");
                await(() -> wakes.get() > before, () -> "a wake-up through the new listening session");
            }
        }
    }

    /**
     * Not a check but a measurement: PostgreSQL serialises the commits of notifying transactions server-wide, so
     * writers of different stores lose their parallel commits. Four threads, each writing its own store, with and
     * without notifications; prints the throughput (no assertion on durations).
     */
    @Test
    @Timeout(300)
    void measure_writersOfDifferentStores_withAndWithoutNotify() throws Exception {
        int stores = 4;
        int writes = 300;
        for (int round = 0; round < 2; round++) {
            for (boolean on : round == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                String url = pg.newDatabase("notifycost");
                PostgresStorage.Options options = PostgresStorage.Options.defaults().withListenNotify(on);
                List<PostgresStorage> open = new ArrayList<>();
                try {
                    for (int i = 0; i < stores; i++) {
                        open.add(PostgresStorage.create(url, USER, PASSWORD, "box" + i, "Box", null, options));
                    }
                    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors
                            .newFixedThreadPool(stores);
                    long start = System.nanoTime();
                    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                    for (PostgresStorage s : open) {
                        done.add(threads.submit(() -> {
                            for (int w = 0; w < writes; w++) {
                                touch(s, "w" + w);
                            }
                        }));
                    }
                    for (java.util.concurrent.Future<?> f : done) {
                        f.get();
                    }
                    long nanos = System.nanoTime() - start;
                    threads.shutdown();
                    assertThat(open).allSatisfy(s -> assertThat(s.changeSignal().isPresent()).isEqualTo(on));
                    System.out.printf("%d threads x %d writes, each thread its own store, NOTIFY %s: %.2f s, %.0f"
                            + " writes/s%n", stores, writes, on ? "on " : "off", nanos / 1e9,
                            stores * writes / (nanos / 1e9));
                } finally {
                    open.forEach(PostgresStorage::close);
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void closingTheStorage_endsTheSignal() {
        String url = pg.newDatabase("signalclose");
        PostgresStorage b;
        try (PostgresStorage a = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null)) {
            b = PostgresStorage.open(url, USER, PASSWORD, "box");
            ChangeSignal signal = b.changeSignal().orElseThrow();
            signal.subscribe(() -> { });
            await(signal::live, () -> "the signal listening");
            int pid = b.listenerPid();
            b.close();
            assertThat(signal.live()).isFalse();
            await(() -> {
                try (Connection su = pg.superuser("postgres")) {
                    return Sql.longValue(su, "SELECT count(*) FROM pg_stat_activity WHERE pid = ?", pid) == 0;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, () -> "the listening session " + pid + " to end after close");
        }
    }
}
