package org.jmapi.runtime.testproviders;

import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.spi.AbLogon;
import org.jmapi.spi.AbProvider;
import org.jmapi.spi.MapiSupport;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory address book's IABProvider. Every Logon creates a new {@link MemoryAbLogon} (R-AB-1) that AddRefs its
 * support object (R-LOGON-1) and registers the hard-coded {@link #AB_UID} (R-AB-2, R-UID-2); all logons share that
 * UID and the same fixed directory ({@link #DIRECTORY}), so any of them can open any entry (R-UID-4). The
 * configuration checks of {@link TestHooks} apply. The address book keeps no status row (OpenStatusEntry answers
 * MAPI_E_NO_SUPPORT; spec C-5).
 *
 * <p><b>Shutdown</b> (R-AB-3): allowed only after every logon object of this provider object was released; otherwise
 * MAPI_E_CALL_FAILED, a runtime bug the tests catch.
 */
public final class MemoryAbProvider extends BaseMapiObject implements AbProvider {
    /** Counters over every memory-address-book provider object. */
    public static final ProviderStats STATS = new ProviderStats();
    /** The MAPIUID every logon registers; bytes 4..19 of every entry id of this address book. */
    public static final MapiUid AB_UID = MapiUid.parse("6a6d617069746573746d656d61620001");
    /** The directory: SMTP address to display name. */
    public static final Map<String, String> DIRECTORY;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bob@localhost", "Bob");
        d.put("alice@localhost", "Alice");
        DIRECTORY = java.util.Collections.unmodifiableMap(d);
    }

    private final AtomicInteger liveLogons = new AtomicInteger();
    private volatile boolean shutdownCalled;

    /** Created by {@link MemoryAbService#abProviderInit}. */
    MemoryAbProvider() {
        STATS.providerCreated();
    }

    /**
     * @param address an address of {@link #DIRECTORY} (any string works; unknown ones are not found at OpenEntry)
     * @return the entry id of that mail user: {@code EntryId.create(0, AB_UID, address bytes)}
     */
    public static EntryId entryIdOf(String address) {
        return EntryId.create(0, AB_UID, address.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the entry id of the root container */
    public static EntryId rootEntryId() {
        return EntryId.create(0, AB_UID, new byte[0]);
    }

    /** @return whether Shutdown ran */
    public boolean isShutdown() {
        return shutdownCalled;
    }

    /** @return logons of this object not yet released */
    public int liveLogons() {
        return liveLogons.get();
    }

    @Override
    public AbLogon logon(MapiSupport support, long uiParam, String profileName, int flags) {
        checkValid();
        if (shutdownCalled) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "the provider object was already shut down");
        }
        Flags.checkKnown(flags, Flags.AB_NO_DIALOG | Flags.MAPI_DEFERRED_ERRORS | Flags.MAPI_UNICODE,
                "IABProvider::Logon");
        if (support == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "IABProvider::Logon: no support object");
        }
        Optional<ProfileSection> own = TestHooks.ownSection(support);
        if (own.isPresent()) {
            try (ProfileSection section = own.get()) {
                TestHooks.checkLogon(support, section);
            }
        }
        MemoryAbLogon logon = new MemoryAbLogon(this, support);
        try {
            support.setProviderUid(AB_UID, 0);
        } catch (RuntimeException e) {
            logon.release();
            throw e;
        }
        return logon;
    }

    @Override
    public void shutdown(int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "IABProvider::Shutdown");
        if (liveLogons.get() > 0) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED,
                    "IABProvider::Shutdown while " + liveLogons.get() + " logon(s) are not released (R-AB-3)");
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

    void logonReleased() {
        liveLogons.decrementAndGet();
        STATS.logonEnded();
    }

    @Override
    protected String describe() {
        return "memory-address-book provider";
    }
}
