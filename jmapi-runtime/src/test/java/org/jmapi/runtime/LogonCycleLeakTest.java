package org.jmapi.runtime;

import org.jmapi.Flags;
import org.jmapi.LeakTracker;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.runtime.testproviders.MemoryAbProvider;
import org.jmapi.runtime.testproviders.MemoryStoreData;
import org.jmapi.runtime.testproviders.MemoryStoreProvider;
import org.jmapi.runtime.testproviders.MemoryTransportProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten thousand full logon cycles in one initialised subsystem leave nothing behind: logon &rarr; open a store &rarr;
 * StoreLogoff (LOGOFF_NO_WAIT and LOGOFF_QUIET, alternating) &rarr; release &rarr; session logoff &rarr; release.
 * After a warm-up, the jmapi threads (every session's spooler control thread and NO_WAIT drain thread must end), the
 * live reference-counted objects ({@link LeakTracker}), the memory store's live logons, the providers' live logons
 * and the subsystem's session count must come back exactly to their warm-up values, and no object created by the
 * cycles may be reported as leaked (collected with references still held).
 *
 * <p>This exercises, end to end and many times over, the release chains of spec &sect;11 (R-SR-1, R-LOFF-*,
 * R-SESOFF-2) and exact-zero destruction (R-REF-4).
 */
class LogonCycleLeakTest {
    private static final int WARM_UP = 200;
    private static final int CYCLES = 10_000;
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path home;

    /** What must not grow. */
    private record Snapshot(List<String> jmapiThreads, long liveObjects, int storeLogons, int storeProviderLogons,
                            int transportLogons, int abLogons, int sessions) {
        Map<String, Long> counts() {
            Map<String, Long> m = new TreeMap<>();
            m.put("jmapi threads", (long) jmapiThreads.size());
            m.put("live objects", liveObjects);
            m.put("memory-store live logons", (long) storeLogons);
            m.put("store-provider live logons", (long) storeProviderLogons);
            m.put("transport live logons", (long) transportLogons);
            m.put("address-book live logons", (long) abLogons);
            m.put("sessions", (long) sessions);
            return m;
        }
    }

    /**
     * Notification threads started lazily at the first notification and living on: the subsystem's dispatcher
     * (until the final uninitialize) and the test providers' table notifier (for the whole JVM). At most one each.
     */
    private static final List<String> SINGLETON_THREADS =
            List.of(NotificationDispatcher.THREAD_NAME, "jmapi-testproviders-notify");

    /** @return the names of the live jmapi threads other than the {@link #SINGLETON_THREADS} */
    private static List<String> jmapiThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && name.startsWith("jmapi-") && !SINGLETON_THREADS.contains(name)) {
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }

    /** @return the largest number of live threads sharing one of the {@link #SINGLETON_THREADS} names */
    private static long notifyThreads() {
        return SINGLETON_THREADS.stream().mapToLong(n -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals(n)).count()).max().orElse(0);
    }

    private static boolean sessionThreadsGone() {
        return jmapiThreads().stream().noneMatch(n -> n.startsWith("jmapi-spooler-") || n.startsWith("jmapi-drain-"));
    }

    private static Snapshot snapshot(MapiUid store) {
        return new Snapshot(jmapiThreads(), LeakTracker.liveObjects(), MemoryStoreData.forStore(store).liveLogons(),
                MemoryStoreProvider.STATS.liveLogons(), MemoryTransportProvider.STATS.liveLogons(),
                MemoryAbProvider.STATS.liveLogons(), Mapi.subsystem().sessionCount());
    }

    private static void poll(Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (!condition.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One full cycle; returns the store's UID. */
    private static MapiUid cycle(Fixture f, int i) {
        MapiSession s = f.logon();
        MsgStore store = Fixture.open(s, 0);
        MapiUid uid = MapiUid.of(store.getProp(PropTags.PR_RECORD_KEY).orElseThrow().asBinary());
        int flags = i % 2 == 0 ? Flags.LOGOFF_NO_WAIT : Flags.LOGOFF_QUIET;
        int out = store.storeLogoff(flags);
        if ((out & Flags.LOGOFF_COMPLETE) == 0) {
            throw new AssertionError("cycle " + i + ": StoreLogoff(" + flags + ") of an idle store answered " + out);
        }
        store.release();
        s.logoff(0, 0, 0);
        s.release();
        return uid;
    }

    @Test
    void tenThousandLogonCyclesLeaveNoThreadsObjectsLogonsOrSessionsBehind() {
        List<LeakTracker.Leak> leaks = new CopyOnWriteArrayList<>();
        Runnable stopLeaks = LeakTracker.addListener(leaks::add);
        LeakTracker.captureStacks(true); // tells this test's objects (stack) from earlier tests' (none)
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiUid store = null;
            for (int i = 0; i < WARM_UP; i++) {
                store = cycle(f, i);
            }
            poll(LogonCycleLeakTest::sessionThreadsGone);
            f.trace.clear();
            Snapshot warm = snapshot(store);
            assertThat(warm.jmapiThreads()).as("jmapi threads between cycles")
                    .noneMatch(n -> n.startsWith("jmapi-spooler-") || n.startsWith("jmapi-drain-"));
            long singletons = notifyThreads();
            assertThat(warm.storeLogons()).isZero();
            assertThat(warm.sessions()).isZero();
            int leaksBefore = leaks.size();
            int storesWithoutShutdown = MemoryStoreProvider.STATS.releasedWithoutShutdown();
            int transportsWithoutShutdown = MemoryTransportProvider.STATS.releasedWithoutShutdown();

            long start = System.nanoTime();
            for (int i = 0; i < CYCLES; i++) {
                cycle(f, WARM_UP + i);
                if (i % 250 == 0) {
                    f.trace.clear(); // the fixture records the whole trace; keep the heap flat
                }
            }
            long cyclesMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            f.trace.clear();

            // Background work (drain threads, spooler threads finishing) may still be ending: give it up to 30 s.
            poll(() -> sessionThreadsGone()
                    && LeakTracker.liveObjects() + foreignCollected(leaks, leaksBefore) <= warm.liveObjects());
            Snapshot after = snapshot(store);
            long foreign = foreignCollected(leaks, leaksBefore);
            System.out.printf("LogonCycleLeakTest: %d cycles in %d ms (%.2f ms/cycle); warm-up %s; after %s; "
                            + "threads %s; objects of earlier tests collected meanwhile: %d%n", CYCLES, cyclesMillis,
                    cyclesMillis / (double) CYCLES, warm.counts(), after.counts(), after.jmapiThreads(), foreign);

            assertThat(after.jmapiThreads()).as("jmapi threads").isEqualTo(warm.jmapiThreads());
            assertThat(notifyThreads()).as("notification threads").isLessThanOrEqualTo(Math.max(1, singletons));
            assertThat(after.liveObjects() + foreign).as("live objects (plus earlier tests' leaks collected meanwhile)")
                    .isEqualTo(warm.liveObjects());
            assertThat(after.storeLogons()).as("memory-store live logons").isEqualTo(warm.storeLogons());
            assertThat(after.storeProviderLogons()).as("store-provider live logons")
                    .isEqualTo(warm.storeProviderLogons());
            assertThat(after.transportLogons()).as("transport live logons").isEqualTo(warm.transportLogons());
            assertThat(after.abLogons()).as("address-book live logons").isEqualTo(warm.abLogons());
            assertThat(after.sessions()).as("sessions").isEqualTo(warm.sessions());
            assertThat(MemoryStoreProvider.STATS.releasedWithoutShutdown()).as("store providers never shut down")
                    .isEqualTo(storesWithoutShutdown);
            assertThat(MemoryTransportProvider.STATS.releasedWithoutShutdown()).as("transports never shut down")
                    .isEqualTo(transportsWithoutShutdown);
            List<LeakTracker.Leak> mine = leaks.stream().filter(l -> l.created() != null).toList();
            assertThat(mine).as("objects created by the cycles and collected with references held").isEmpty();
        } finally {
            stopLeaks.run();
            LeakTracker.captureStacks(Boolean.getBoolean("jmapi.debug.leaks"));
        }
    }

    /**
     * Leak reports since {@code from} for objects created before this test turned stack capture on: objects leaked
     * by earlier tests in the same JVM, whose collection lowers the live count while the cycles run.
     */
    private static long foreignCollected(List<LeakTracker.Leak> leaks, int from) {
        return leaks.subList(from, leaks.size()).stream().filter(l -> l.created() == null).count();
    }
}
