package org.jmapi;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BaseMapiObjectTest {

    /** A small real object: counts its destructions and answers one method. */
    static final class Thing extends BaseMapiObject {
        final AtomicInteger destroyed = new AtomicInteger();
        final AtomicInteger invalidated = new AtomicInteger();

        int work() {
            checkValid();
            return 42;
        }

        @Override
        protected void onFinalRelease() {
            destroyed.incrementAndGet();
        }

        @Override
        protected void onInvalidate() {
            invalidated.incrementAndGet();
        }
    }

    interface Other extends MapiObject {
    }

    @Test
    void R_REF_4_destroyedExactlyWhenTheCountReachesZero() {
        Thing t = new Thing();
        t.addRef();
        t.release();
        assertThat(t.destroyed).hasValue(0);
        assertThat(t.isDestroyed()).isFalse();
        t.release();
        assertThat(t.destroyed).hasValue(1);
        assertThat(t.isDestroyed()).isTrue();
        t.release(); // surplus release is ignored (R-LOFF-5 robustness)
        assertThat(t.addRef()).isZero(); // no resurrection
        assertThat(t.destroyed).hasValue(1);
    }

    @Test
    void R_REF_4_concurrentReleasesDestroyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            Thing t = new Thing();
            for (int i = 0; i < 7; i++) {
                t.addRef();
            }
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                threads.add(new Thread(t::release));
            }
            threads.forEach(Thread::start);
            for (Thread th : threads) {
                th.join();
            }
            assertThat(t.destroyed).hasValue(1);
        }
    }

    @Test
    void R_REF_3_queryInterface_sameObjectPlusOneReference_orNotSupported() {
        Thing t = new Thing();
        MapiObject same = t.queryInterface(MapiObject.class);
        assertThat(same).isSameAs(t);
        assertThat(t.refCount()).isEqualTo(2);
        assertThatThrownBy(() -> t.queryInterface(Other.class)).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED));
        assertThat(t.refCount()).isEqualTo(2);
    }

    @Test
    void R_INV_1_invalidObjectsKeepIUnknownOnly() {
        Thing t = new Thing();
        assertThat(t.work()).isEqualTo(42);
        t.invalidate();
        t.invalidate();
        assertThat(t.invalidated).hasValue(1);
        assertThatThrownBy(t::work).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(0x80040108));
        assertThat(t.queryInterface(MapiObject.class)).isSameAs(t); // spec C-30
        assertThat(t.addRef()).isEqualTo(3);
        t.release();
        t.release();
        t.close();
        assertThat(t.destroyed).hasValue(1);
    }

    @Test
    void closeReleasesOneReference() {
        Thing t = new Thing();
        t.addRef();
        try (Thing held = t) {
            assertThat(held.refCount()).isEqualTo(2);
        }
        assertThat(t.refCount()).isEqualTo(1);
    }
}
