package org.jmapi.runtime;

import org.jmapi.MapiUid;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MAPIUIDs registered by the live AB and store logons of one session, in registration order (R-UID-1,
 * R-UID-3, R-UID-4). Routing picks the earliest registration still alive; a logon's registrations are removed
 * together when its support object is finally released (R-SR-1 step 2, R-SR-5). Thread-safe.
 */
final class UidRegistry {
    private record Entry(MapiUid uid, LogonRecord owner) {}

    private final List<Entry> entries = new ArrayList<>();

    synchronized void register(MapiUid uid, LogonRecord owner) {
        entries.add(new Entry(uid, owner));
    }

    synchronized Optional<LogonRecord> route(MapiUid uid) {
        return entries.stream().filter(e -> e.uid().equals(uid)).map(Entry::owner).findFirst();
    }

    /** @return every live logon that registered {@code uid}, earliest first (for forwarding, R-UID-4) */
    synchronized List<LogonRecord> routes(MapiUid uid) {
        return entries.stream().filter(e -> e.uid().equals(uid)).map(Entry::owner).distinct().toList();
    }

    /** @return how many registrations were removed */
    synchronized int unregister(LogonRecord owner) {
        int before = entries.size();
        entries.removeIf(e -> e.owner() == owner);
        return before - entries.size();
    }

    synchronized List<MapiUid> uidsOf(LogonRecord owner) {
        List<MapiUid> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.owner() == owner) {
                out.add(e.uid());
            }
        }
        return out;
    }

    synchronized int size() {
        return entries.size();
    }
}
