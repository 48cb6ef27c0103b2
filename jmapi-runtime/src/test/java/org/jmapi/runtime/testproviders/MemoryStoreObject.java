package org.jmapi.runtime.testproviders;

import org.jmapi.Flags;
import org.jmapi.prop.NamedProperty;
import org.jmapi.spi.LogonGate;

import java.util.List;

/**
 * What every object opened through a memory-store logon shares (folders, messages, attachments): it enters its
 * store's logon gate on every non-IUnknown call, is registered with the logon's object registry from creation
 * (the store's {@code track}) and leaves it at its final release, and maps named properties through the store.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
abstract class MemoryStoreObject extends MemoryProp {
    /** The store logon this object was opened through. */
    final MemoryStore store;

    /** @param store the store logon that hands the object out (and registers it) */
    MemoryStoreObject(MemoryStore store) {
        this.store = store;
    }

    @Override
    protected final LogonGate.Pass enter() {
        checkValid();
        return store.enterGate();
    }

    @Override
    protected final void onFinalRelease() {
        store.untrack(this);
        destroyed();
    }

    /** Runs once, after the object left the registry at its final release. */
    protected void destroyed() {
    }

    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_CREATE, "IMAPIProp::GetIDsFromNames");
            if ((flags & Flags.MAPI_CREATE) != 0) {
                store.checkWritable();
            }
            return store.data().idsFromNames(names, (flags & Flags.MAPI_CREATE) != 0);
        }
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        try (var pass = enter()) {
            return store.data().namesFromIds(tags);
        }
    }
}
