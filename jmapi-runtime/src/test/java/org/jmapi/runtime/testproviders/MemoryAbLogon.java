package org.jmapi.runtime.testproviders;

import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.client.MapiStatus;
import org.jmapi.spi.AbLogon;
import org.jmapi.spi.LogonGate;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.ObjectRegistry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One logon of the memory address book (IABLogon). OpenEntry(null) or the root id gives the root container,
 * an id made by {@link MemoryAbProvider#entryIdOf} a {@link MemoryMailUser}; both are read-only (MAPI_MODIFY →
 * MAPI_E_NO_ACCESS) and registered with the logon's {@link ObjectRegistry} while open.
 *
 * <p>Logoff (flags 0, else MAPI_E_UNKNOWN_FLAGS and nothing happens) closes the logon's gate, invalidates every
 * object still open and the logon itself, and releases the support object last (R-LOFF-1); a final release
 * without Logoff does the same (R-LOFF-5) and then tells the provider the logon is gone (R-AB-3).
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class MemoryAbLogon extends BaseMapiObject implements AbLogon {
    private final MemoryAbProvider provider;
    private final MapiSupport support;
    private final ObjectRegistry objects = new ObjectRegistry();
    private final LogonGate gate = new LogonGate();
    private final AtomicBoolean loggedOff = new AtomicBoolean();

    /** @param provider the provider object @param support the logon's support object; AddRef'ed (R-LOGON-1) */
    MemoryAbLogon(MemoryAbProvider provider, MapiSupport support) {
        this.provider = provider;
        this.support = support;
        support.addRef();
        provider.logonStarted();
    }

    private LogonGate.Pass enter() {
        checkValid();
        return gate.enter();
    }

    /** @return a pass through the logon's gate, for the logon's objects */
    LogonGate.Pass enterGate() {
        return gate.enter();
    }

    /** @param object an object of this logon whose count reached zero */
    void untrack(BaseMapiObject object) {
        objects.unregister(object);
    }

    @Override
    public MapiObject openEntry(EntryId entryId, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_MODIFY | Flags.MAPI_BEST_ACCESS | Flags.MAPI_DEFERRED_ERRORS,
                    "IABLogon::OpenEntry");
            if ((flags & Flags.MAPI_MODIFY) != 0) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the memory address book is read-only");
            }
            if (entryId == null || entryId.equals(MemoryAbProvider.rootEntryId())) {
                return objects.register(new MemoryAbContainer(this));
            }
            String address = addressOf(entryId);
            String name = MemoryAbProvider.DIRECTORY.get(address);
            if (name == null) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no address-book entry " + address);
            }
            return objects.register(new MemoryMailUser(this, address, name));
        }
    }

    private static String addressOf(EntryId entryId) {
        if (!entryId.hasProviderUid() || !entryId.providerUid().equals(MemoryAbProvider.AB_UID)) {
            throw new MapiException(HResult.MAPI_E_INVALID_ENTRYID, "not a memory-address-book entry id");
        }
        return new String(entryId.providerData(), StandardCharsets.UTF_8);
    }

    @Override
    public boolean compareEntryIds(EntryId a, EntryId b, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, 0, "IABLogon::CompareEntryIDs");
            if (a == null || b == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CompareEntryIDs: null entry id");
            }
            try {
                return Arrays.equals(addressOf(a).getBytes(StandardCharsets.UTF_8),
                        addressOf(b).getBytes(StandardCharsets.UTF_8));
            } catch (MapiException e) {
                throw new MapiException(HResult.MAPI_E_UNKNOWN_ENTRYID, "not entry ids of this address book", e);
            }
        }
    }

    @Override
    public MapiStatus openStatusEntry(int flags) {
        try (var pass = enter()) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "the memory address book keeps no status row");
        }
    }

    @Override
    public void logoff(int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "IABLogon::Logoff");
        logoffNow();
    }

    private void logoffNow() {
        if (!loggedOff.compareAndSet(false, true)) {
            return;
        }
        gate.close(LogonGate.DEFAULT_DRAIN);
        objects.invalidateAll();
        invalidate();
        support.release();
    }

    @Override
    protected void onFinalRelease() {
        logoffNow();
        provider.logonReleased();
    }

    @Override
    protected String describe() {
        return "memory-address-book logon";
    }
}
