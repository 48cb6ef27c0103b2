package org.jmapi.runtime.testproviders;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.XpLogonResult;
import org.jmapi.spi.XpProvider;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory transport's IXPProvider. Every TransportLogon creates a new {@link MemoryTransportLogon}, which AddRefs
 * its support object (R-LOGON-1), adds its status row (R-XP-4) and registers the address type {@value #ADDRESS_TYPE}
 * and the UID {@link #ADDRESS_TYPE_UID} (R-XP-3, R-UID-5). The logon asks to be polled (LOGON_SP_POLL); Poll answers
 * the number set with {@link #setPendingInbound} for its profile. The configuration checks of {@link TestHooks}
 * apply.
 *
 * <p><b>Shutdown</b> (R-LOFF-4): allowed only when every logon of this object has done its TransportLogoff (the
 * spooler may release the logon objects later); otherwise MAPI_E_CALL_FAILED, a runtime bug the tests catch.
 */
public final class MemoryTransportProvider extends BaseMapiObject implements XpProvider {
    /** Counters over every memory-transport provider object. */
    public static final ProviderStats STATS = new ProviderStats();
    /** The address type the transport handles. */
    public static final String ADDRESS_TYPE = "MEMXP";
    /** The MAPIUID the transport registers through AddressTypes: recipient ids it delivers directly. */
    public static final MapiUid ADDRESS_TYPE_UID = MapiUid.parse("6a6d617069746573746d656d78700001");

    private static final int LOGON_FLAGS = Flags.LOGON_NO_DIALOG | Flags.LOGON_NO_CONNECT | Flags.LOGON_NO_INBOUND
            | Flags.LOGON_NO_OUTBOUND;
    private static final Map<String, Integer> PENDING_INBOUND = new ConcurrentHashMap<>();
    private static final Map<String, Control> CONTROLS = new ConcurrentHashMap<>();
    private static final List<Sent> SENT = new CopyOnWriteArrayList<>();

    /** A message the transport sent (EndMessage answered 0): its profile, subject and the addresses reached. */
    public record Sent(String profile, String subject, List<String> recipients) {}

    /** A gate a test closes to hold the transport inside SubmitMessage / StartMessage until it opens it again. */
    public static final class Hold {
        private boolean closed;
        private int waiting;
        private int peak;

        /** Makes the next calls wait inside the transport. */
        public synchronized void close() {
            closed = true;
        }

        /** Lets waiting and later calls through. */
        public synchronized void open() {
            closed = false;
            notifyAll();
        }

        /** @return how many calls are waiting at the gate now */
        public synchronized int waiting() {
            return waiting;
        }

        /** @return the most calls that waited at the gate at the same time */
        public synchronized int peak() {
            return peak;
        }

        synchronized void wake() {
            notifyAll();
        }

        synchronized void await(java.util.function.BooleanSupplier cancelled) {
            waiting++;
            peak = Math.max(peak, waiting);
            try {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                while (closed && !cancelled.getAsBoolean() && System.nanoTime() < deadline) {
                    try {
                        wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            } finally {
                waiting--;
            }
        }
    }

    /** Per-profile test controls of the transport's send and receive. */
    public static final class Control {
        /** Closed: SubmitMessage waits inside the transport (a send in progress). */
        public final Hold holdSubmit = new Hold();
        /** Closed: StartMessage waits inside the transport (a receive in progress). */
        public final Hold holdReceive = new Hold();
        /** Non-zero: the next SubmitMessage throws this HRESULT. */
        public final AtomicInteger failNextSubmit = new AtomicInteger();
        /** Non-zero: the next EndMessage answers these END_* flags. */
        public final AtomicInteger endMessageAnswer = new AtomicInteger();
        /** How many messages the logon takes at once ({@code ConcurrentSubmissions}); 1 by default. */
        public volatile int concurrentSubmissions = 1;
        /** The retry delay a failing SubmitMessage asks for (MAPI_E_WAIT / MAPI_E_NETWORK_ERROR). */
        public volatile int retryAfterSeconds;
        final Map<Integer, Sent> pendingEnd = new ConcurrentHashMap<>();
    }

    /** @param profileName a profile @return its controls, created on first use */
    public static Control control(String profileName) {
        return CONTROLS.computeIfAbsent(profileName, p -> new Control());
    }

    /** @return every message sent so far, in order */
    public static List<Sent> sent() {
        return List.copyOf(SENT);
    }

    /** Forgets sent messages, controls and pending inbound counts. */
    public static void resetMail() {
        SENT.clear();
        CONTROLS.clear();
        PENDING_INBOUND.clear();
    }

    static void recordSent(Sent sent) {
        SENT.add(sent);
    }

    /** @return the number of the message taken from the profile's pending inbound count, 0 when none was left */
    static int takeInbound(String profileName) {
        int[] taken = {0};
        PENDING_INBOUND.computeIfPresent(profileName, (p, n) -> {
            taken[0] = n;
            return n > 1 ? n - 1 : null;
        });
        return taken[0];
    }

    private final AtomicInteger liveLogons = new AtomicInteger();
    private volatile boolean shutdownCalled;

    /** Created by {@link MemoryTransportService#xpProviderInit}. */
    MemoryTransportProvider() {
        STATS.providerCreated();
    }

    /**
     * Sets what {@link MemoryTransportLogon#poll()} answers for a profile's logons.
     *
     * @param profileName the profile
     * @param count       inbound messages "waiting"; 0 clears
     */
    public static void setPendingInbound(String profileName, int count) {
        if (count <= 0) {
            PENDING_INBOUND.remove(profileName);
        } else {
            PENDING_INBOUND.put(profileName, count);
        }
    }

    /** @param profileName a profile @return what Poll answers for it */
    static int pendingInbound(String profileName) {
        return PENDING_INBOUND.getOrDefault(profileName, 0);
    }

    /** @return whether Shutdown ran */
    public boolean isShutdown() {
        return shutdownCalled;
    }

    /** @return logons of this object not yet logged off */
    public int liveLogons() {
        return liveLogons.get();
    }

    @Override
    public XpLogonResult transportLogon(MapiSupport support, long uiParam, String profileName, int flags) {
        checkValid();
        if (shutdownCalled) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "the provider object was already shut down");
        }
        Flags.checkKnown(flags, LOGON_FLAGS, "IXPProvider::TransportLogon");
        if (support == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "TransportLogon: no support object");
        }
        Optional<ProfileSection> own = TestHooks.ownSection(support);
        if (own.isPresent()) {
            try (ProfileSection section = own.get()) {
                TestHooks.checkLogon(support, section);
            }
        }
        MemoryTransportLogon logon = new MemoryTransportLogon(this, support, profileName, flags);
        return new XpLogonResult(logon, Flags.LOGON_SP_POLL);
    }

    @Override
    public void shutdown(int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "IXPProvider::Shutdown");
        if (liveLogons.get() > 0) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED,
                    "IXPProvider::Shutdown while " + liveLogons.get() + " logon(s) are not logged off (R-LOFF-4)");
        }
        if (!shutdownCalled) {
            shutdownCalled = true;
            STATS.providerShutdown();
        }
    }

    @Override
    protected void onFinalRelease() {
        if (!shutdownCalled) {
            shutdownCalled = true;
            STATS.providerReleasedWithoutShutdown();
        }
    }

    void logonStarted() {
        liveLogons.incrementAndGet();
        STATS.logonStarted();
    }

    void logonEnded() {
        liveLogons.decrementAndGet();
        STATS.logonEnded();
    }

    @Override
    protected String describe() {
        return "memory-transport provider";
    }
}
