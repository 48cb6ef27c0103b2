package org.jmapi;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class LeakTrackerTest {
    static final class Leaky extends BaseMapiObject {
    }

    @Test
    void releasedObjectsLeaveTheLiveCount() {
        // Other tests' leaked objects may be collected meanwhile, which only lowers the count: compare with <=.
        long before = LeakTracker.liveObjects();
        List<Leaky> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(new Leaky());
        }
        many.forEach(Leaky::release);
        assertThat(LeakTracker.liveObjects()).isLessThanOrEqualTo(before);
    }

    @Test
    void anObjectCollectedWithReferencesHeldIsReportedWithItsCreatingStack() throws Exception {
        List<LeakTracker.Leak> leaks = new CopyOnWriteArrayList<>();
        Runnable remove = LeakTracker.addListener(leaks::add);
        LeakTracker.captureStacks(true);
        try {
            createAndForget();
            long deadline = System.currentTimeMillis() + 20_000;
            while (leaks.stream().noneMatch(l -> l.type().equals(Leaky.class.getName()))
                    && System.currentTimeMillis() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            LeakTracker.Leak leak = leaks.stream().filter(l -> l.type().equals(Leaky.class.getName()))
                    .findFirst().orElseThrow(() -> new AssertionError("the leaked object was never reported"));
            assertThat(leak.created()).isNotNull();
            assertThat(leak.created().getStackTrace()).anyMatch(f -> f.getMethodName().equals("createAndForget"));
            assertThat(LeakTracker.leakedObjects()).isPositive();
        } finally {
            LeakTracker.captureStacks(false);
            remove.run();
        }
    }

    private static void createAndForget() {
        new Leaky().addRef(); // two references, never released
    }
}
