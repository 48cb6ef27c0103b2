package org.jmapi;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Reports jmapi objects the garbage collector found while references were still held: a caller forgot a
 * {@code release()}. With {@code -Djmapi.debug.leaks=true} (or {@link #captureStacks(boolean)}) each report
 * carries the stack that created the object.
 *
 * <p>Also counts live objects (created, count not yet zero), which tests use to prove that logon/logoff cycles
 * leave nothing behind. Listeners are called on the JDK's cleaner thread; keep them short. Thread-safe.
 */
public final class LeakTracker {
    /** Runs a {@link Token} when its object becomes unreachable. */
    private static final Cleaner CLEANER = Cleaner.create();
    /** See {@link #liveObjects()}. */
    private static final AtomicLong LIVE = new AtomicLong();
    /** See {@link #leakedObjects()}. */
    private static final AtomicLong LEAKED = new AtomicLong();
    /** Listeners added by {@link #addListener}. */
    private static final List<Consumer<Leak>> LISTENERS = new CopyOnWriteArrayList<>();
    /** Whether new objects record their creating stack; see {@link #captureStacks(boolean)}. */
    private static volatile boolean stacks = Boolean.getBoolean("jmapi.debug.leaks");

    /** Not instantiable. */
    private LeakTracker() {}

    /**
     * One leaked object.
     *
     * @param type    the object's class name
     * @param created the stack that created it, or null when stacks are not captured
     */
    public record Leak(String type, Throwable created) {}

    /** Per-object state the cleaner sees; it must not reference the object itself. */
    static final class Token implements Runnable {
        /** The object's class name. */
        private final String type;
        /** The creating stack, or null. */
        private final Throwable created;
        /** Set when the count reached zero or the leak was reported, whichever came first. */
        private volatile boolean destroyed;

        /**
         * @param type    the object's class name
         * @param created the creating stack, or null when stacks are not captured
         */
        Token(String type, Throwable created) {
            this.type = type;
            this.created = created;
        }

        /** Called when the object's count reached zero: no longer live, never reported as leaked. */
        void destroyed() {
            if (!destroyed) {
                destroyed = true;
                LIVE.decrementAndGet();
            }
        }

        @Override
        public void run() {
            if (!destroyed) {
                destroyed = true;
                LIVE.decrementAndGet();
                LEAKED.incrementAndGet();
                Leak leak = new Leak(type, created);
                for (Consumer<Leak> l : LISTENERS) {
                    l.accept(leak);
                }
            }
        }
    }

    /**
     * Starts tracking a new object.
     *
     * @param object the object just created
     * @return its token, to be told {@link Token#destroyed()} when the count reaches zero
     */
    static Token track(Object object) {
        Token t = new Token(object.getClass().getName(),
                stacks ? new Throwable("created here") : null);
        LIVE.incrementAndGet();
        CLEANER.register(object, t);
        return t;
    }

    /** @param on whether to record the creating stack of each object created from now on */
    public static void captureStacks(boolean on) {
        stacks = on;
    }

    /** @return objects created and not yet destroyed (count above zero), leaked ones excluded once collected */
    public static long liveObjects() {
        return LIVE.get();
    }

    /** @return objects reported as leaked since the JVM started */
    public static long leakedObjects() {
        return LEAKED.get();
    }

    /**
     * @param listener called once per leaked object, on the cleaner thread
     * @return a handle that removes the listener when run
     */
    public static Runnable addListener(Consumer<Leak> listener) {
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }
}
