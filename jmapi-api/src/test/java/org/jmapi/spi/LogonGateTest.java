package org.jmapi.spi;

import org.jmapi.BaseMapiObject;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogonGateTest {

    @Test
    void closedGateRefusesNewCallsWithInvalidObject() {
        LogonGate gate = new LogonGate();
        try (LogonGate.Pass p = gate.enter()) {
            assertThat(gate.activeThreads()).isEqualTo(1);
        }
        assertThat(gate.close(Duration.ofSeconds(1))).isTrue();
        assertThatThrownBy(gate::enter).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_INVALID_OBJECT));
    }

    @Test
    void closeWaitsForCallsOfOtherThreadsToLeave() throws Exception {
        LogonGate gate = new LogonGate();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        AtomicBoolean callFinishedBeforeClose = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try (LogonGate.Pass p = gate.enter()) {
                inside.countDown();
                leave.await();
                callFinishedBeforeClose.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        caller.start();
        inside.await();
        Thread closer = new Thread(() -> gate.close(Duration.ofSeconds(30)));
        closer.start();
        closer.join(200);
        assertThat(closer.isAlive()).as("close must wait for the call inside").isTrue();
        leave.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(callFinishedBeforeClose).isTrue();
        caller.join();
    }

    @Test
    void aThreadInsideMayCloseWithoutWaitingForItselfAndMayReEnter() {
        LogonGate gate = new LogonGate();
        try (LogonGate.Pass outer = gate.enter()) {
            assertThat(gate.close(Duration.ofMillis(50))).isTrue();
            try (LogonGate.Pass inner = gate.enter()) {
                assertThat(gate.isClosed()).isTrue();
            }
        }
        assertThat(gate.activeThreads()).isZero();
    }

    @Test
    void closeGivesUpAfterTheDrainLimit() throws Exception {
        LogonGate gate = new LogonGate();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            try (LogonGate.Pass p = gate.enter()) {
                inside.countDown();
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        caller.start();
        inside.await();
        assertThat(gate.close(Duration.ofMillis(50))).isFalse();
        leave.countDown();
        caller.join();
    }

    @Test
    void R_INV_2_registryInvalidatesEveryOpenObject() {
        ObjectRegistry registry = new ObjectRegistry();
        class Obj extends BaseMapiObject {
        }
        Obj a = registry.register(new Obj());
        Obj b = registry.register(new Obj());
        Obj gone = registry.register(new Obj());
        registry.unregister(gone);
        assertThat(registry.size()).isEqualTo(2);
        assertThat(registry.invalidateAll()).isEqualTo(2);
        assertThat(a.isInvalid()).isTrue();
        assertThat(b.isInvalid()).isTrue();
        assertThat(gone.isInvalid()).isFalse();
        assertThat(registry.size()).isZero();
        Obj late = new Obj();
        assertThatThrownBy(() -> registry.register(late)).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_INVALID_OBJECT));
        assertThat(late.isInvalid()).isTrue();
    }
}
