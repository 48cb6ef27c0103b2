package org.jmapi.runtime.testproviders;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide counters of one test-provider class, so that tests can see what the runtime did to provider
 * objects it owns and never hands out: how many it created (R-LOAD-1, R-LOAD-3), how many got their Shutdown
 * (R-SR-3, R-LOFF-2, R-AB-3), how many were finally released without one (R-LOFF-5), and how many logons are
 * alive across all objects of the class. Thread-safe.
 */
public final class ProviderStats {
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger shutdowns = new AtomicInteger();
    private final AtomicInteger releasedWithoutShutdown = new AtomicInteger();
    private final AtomicInteger liveLogons = new AtomicInteger();

    ProviderStats() {
    }

    /** @return provider objects created (one per *ProviderInit call) since the last {@link #reset()} */
    public int created() {
        return created.get();
    }

    /** @return provider objects that received Shutdown */
    public int shutdowns() {
        return shutdowns.get();
    }

    /** @return provider objects finally released without a Shutdown first */
    public int releasedWithoutShutdown() {
        return releasedWithoutShutdown.get();
    }

    /**
     * @return logons alive across every provider object of the class: for stores and address books until the
     *         logon object is destroyed, for transports until TransportLogoff (R-LOFF-4)
     */
    public int liveLogons() {
        return liveLogons.get();
    }

    /** Sets every counter to zero (test isolation). */
    public void reset() {
        created.set(0);
        shutdowns.set(0);
        releasedWithoutShutdown.set(0);
        liveLogons.set(0);
    }

    void providerCreated() {
        created.incrementAndGet();
    }

    void providerShutdown() {
        shutdowns.incrementAndGet();
    }

    void providerReleasedWithoutShutdown() {
        releasedWithoutShutdown.incrementAndGet();
    }

    void logonStarted() {
        liveLogons.incrementAndGet();
    }

    void logonEnded() {
        liveLogons.decrementAndGet();
    }

    @Override
    public String toString() {
        return "ProviderStats[created=" + created + ", shutdowns=" + shutdowns + ", releasedWithoutShutdown="
                + releasedWithoutShutdown + ", liveLogons=" + liveLogons + "]";
    }
}
