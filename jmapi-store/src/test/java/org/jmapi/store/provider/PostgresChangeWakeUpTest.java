package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Notification;
import org.jmapi.store.ChangeSignal;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.postgres.PostgresServer;
import org.jmapi.store.postgres.PostgresStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.jmapi.store.postgres.PostgresServer.PASSWORD;
import static org.jmapi.store.postgres.PostgresServer.USER;

/**
 * Issue 7: an open store ({@link StoreFile}) over a PostgreSQL store hears of another instance's commit through
 * LISTEN/NOTIFY instead of its 200 ms poll. Every test gives the store file a safety-net poll of an hour while the
 * signal is live, so within the tests' deadlines only a notification can deliver — except where the signal is off or
 * lost, where the fast poll must take over. The last test measures the time from another instance's write to this
 * store file's wake-up, with NOTIFY and with the poll, and prints it (no assertion on durations).
 */
@ExtendWith(PostgresServer.class)
class PostgresChangeWakeUpTest {
    /** Long enough that no safety-net poll runs during a test. */
    private static final Duration NEVER = Duration.ofHours(1);

    private final PostgresServer pg;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> open = new ArrayList<>();

    PostgresChangeWakeUpTest(PostgresServer pg) {
        this.pg = pg;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        poller.shutdownNow();
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 30 s: " + what.get());
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** A store file over its own instance, in use by one logon, counting the "everything changed" fan-outs. */
    private final class Watched {
        final PostgresStorage storage;
        final StoreFile file;
        final AtomicInteger everything = new AtomicInteger();
        final AtomicLong lastWake = new AtomicLong();
        final List<Notification> foreign = new CopyOnWriteArrayList<>();

        Watched(String url, PostgresStorage.Options options) {
            storage = PostgresStorage.open(url, USER, PASSWORD, "box", options);
            file = new StoreFile(StoreBackend.location("pg:" + url, "test store", () -> storage), storage, poller,
                    Runnable::run, NEVER);
            open.add(file::close);
            file.watch(c -> {
                if (c.everything()) {
                    lastWake.set(System.nanoTime());
                    everything.incrementAndGet();
                }
            });
            file.addTarget(foreign::addAll);
            file.acquire();
        }

        ChangeSignal signal() {
            return storage.changeSignal().orElseThrow();
        }
    }

    private PostgresStorage writer(String url) {
        PostgresStorage a = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null);
        open.add(a);
        return a;
    }

    private static void newFolder(PostgresStorage a, String name) {
        a.createFolder(a.identity().rootFolderId(), name, FolderRecord.FOLDER_GENERIC, null, List.of());
    }

    private static Notification newMail(int n) {
        return new Notification.NewMail(EntryId.of(new byte[] {0, 0, 0, 0, (byte) n}),
                EntryId.of(new byte[] {0, 0, 0, 0, 9}), 0, "IPM.Note", 0);
    }

    @Test
    @Timeout(120)
    void aCommitOfAnotherInstance_reachesTheStoreFile_withoutWaitingForThePoll() {
        String url = pg.newDatabase("wake");
        PostgresStorage a = writer(url);
        Watched b = new Watched(url, PostgresStorage.Options.defaults());
        await(() -> b.signal().live(), () -> "b's signal listening");
        int before = b.everything.get();

        newFolder(a, "made by a");
        await(() -> b.everything.get() > before, () -> "b's tables told of a's new folder");

        a.publishEvents(List.of(EventCodec.encode(newMail(1))));
        await(() -> !b.foreign.isEmpty(), () -> "a's notification delivered to b's logon");
        assertThat(b.foreign).containsExactly(newMail(1));
    }

    @Test
    @Timeout(120)
    void withListenNotifyOff_theFastPollStillDelivers() {
        String url = pg.newDatabase("wakeoff");
        PostgresStorage a = writer(url);
        Watched b = new Watched(url, PostgresStorage.Options.defaults().withListenNotify(false));
        assertThat(b.storage.changeSignal()).isEmpty();
        int before = b.everything.get();

        newFolder(a, "made by a");
        await(() -> b.everything.get() > before, () -> "b's poll noticing a's new folder");
        a.publishEvents(List.of(EventCodec.encode(newMail(2))));
        await(() -> !b.foreign.isEmpty(), () -> "a's notification delivered to b's logon by the poll");
    }

    @Test
    @Timeout(120)
    void whileTheListenerIsDown_theFastPollDelivers_andOnceItIsBack_notificationsDoAgain() throws SQLException {
        String url = pg.newDatabase("wakelost");
        String database = url.substring(url.lastIndexOf('/') + 1);
        PostgresStorage a = writer(url);
        Watched b = new Watched(url, PostgresStorage.Options.defaults());
        await(() -> b.signal().live(), () -> "b's signal listening");
        try (Connection su = pg.superuser("postgres"); Statement s = su.createStatement()) {
            // keep the listener out: no new sessions in the database (the pools' open ones stay), then end it
            s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false");
            try {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND application_name = 'jmapi-store listener'");
                await(() -> !b.signal().live(), () -> "b's signal noticing the loss");
                int before = b.everything.get();
                newFolder(a, "made while nobody listens");
                await(() -> b.everything.get() > before, () -> "b's fast poll noticing a's folder");
            } finally {
                s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
            }
        }
        await(() -> b.signal().live(), () -> "b's signal listening again");
        int before = b.everything.get();
        newFolder(a, "made after the reconnection");
        await(() -> b.everything.get() > before, () -> "b's tables told of a's folder through the new listener");
    }

    /**
     * Not a check but a measurement: from the start of a write by one instance (a folder created: one short
     * transaction) to the moment another instance's store file tells its tables, over the loopback interface; writes
     * a random 0-400 ms apart (two poll cycles: a uniform phase against the poll).
     */
    @Test
    @Timeout(300)
    void measure_commitToWakeUp_notifyVersusPoll() {
        String url = pg.newDatabase("wakemeasure");
        PostgresStorage a = writer(url);
        int rounds = 40;
        Watched notified = new Watched(url, PostgresStorage.Options.defaults());
        await(() -> notified.signal().live(), () -> "the signal listening");
        long[] viaNotify = measure(a, notified, rounds, "n");
        Watched polled = new Watched(url, PostgresStorage.Options.defaults().withListenNotify(false));
        long[] viaPoll = measure(a, polled, rounds, "p");
        System.out.println("commit-to-wake-up, " + rounds + " writes each, ms from the write call's start:");
        System.out.println("  NOTIFY: " + summary(viaNotify));
        System.out.println("  poll (" + StoreFile.POLL_INTERVAL.toMillis() + " ms): " + summary(viaPoll));
    }

    private long[] measure(PostgresStorage a, Watched b, int rounds, String prefix) {
        long[] out = new long[rounds];
        long[] calls = new long[rounds];
        java.util.Random pause = new java.util.Random(7);
        for (int i = 0; i < rounds; i++) {
            int before = b.everything.get();
            long start = System.nanoTime();
            newFolder(a, prefix + i);
            calls[i] = System.nanoTime() - start;
            await(() -> b.everything.get() > before, () -> "the wake-up");
            out[i] = b.lastWake.get() - start;
            try {
                // a uniform phase against the 200 ms poll: after a wake-up, waiting a fixed time would always
                // write at the same point of the poll's cycle
                Thread.sleep(pause.nextInt(400));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        System.out.println("  (" + prefix + ") the write calls themselves: " + summary(calls));
        return out;
    }

    private static String summary(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("median %.1f, 90th percentile %.1f, max %.1f", s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.9)] / 1e6, s[s.length - 1] / 1e6);
    }
}
