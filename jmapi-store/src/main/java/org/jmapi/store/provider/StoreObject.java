package org.jmapi.store.provider;

import org.jmapi.BaseMapiObject;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.NamedProperty;
import org.jmapi.spi.LogonGate;

import java.util.List;

/**
 * What every object opened through an SQLite store logon shares (folders, messages, attachments): each
 * non-IUnknown call checks the object and enters the logon's gate ({@link #enter()}), so no call half-runs on a
 * logged-off store (ARCHITECTURE.md &sect;3); the object is registered with the logon's object registry from
 * creation (the store's {@code track}) and leaves it at its final release, so the logoff invalidates exactly the
 * objects still open (R-SR-2, R-INV-2); named properties map through the store (one mapping per store file,
 * persisted, the same in every process). <b>Threads:</b> subclasses are thread-safe.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
abstract class StoreObject extends BaseMapiObject implements MapiProp {
    /** The logon this object was opened through. */
    final SqliteMsgStore store;

    /** @param store the logon that hands the object out (and registers it) */
    StoreObject(SqliteMsgStore store) {
        this.store = store;
    }

    /**
     * Checks validity and enters the logon's gate.
     *
     * @return the pass to close when the call ends
     */
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
            return store.idsFromNames(names, flags);
        }
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        try (var pass = enter()) {
            return store.namesFromIds(tags);
        }
    }
}
