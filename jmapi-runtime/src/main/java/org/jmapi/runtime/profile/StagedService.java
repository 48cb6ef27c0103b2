package org.jmapi.runtime.profile;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A message service being created: its record, provider records and sections, held in memory while the entry point
 * runs with MSG_SERVICE_INSTALL and MSG_SERVICE_CREATE. The service configures its sections through its support
 * object as usual; only when the entry point returned normally does {@link #commitInto} add everything to the
 * profile in one write, so a failing entry point leaves the profile untouched (R-PROF-6).
 *
 * <p>Thread-safe (every method synchronises on the staging area).
 */
final class StagedService implements SectionHost, SectionScope {
    private final Profile profile;
    private final ServiceRecord service;
    private final List<ProviderRecord> providers = new ArrayList<>();
    private final Map<MapiUid, List<PropValue>> sections = new LinkedHashMap<>();
    private final Set<MapiUid> created = new LinkedHashSet<>();

    StagedService(Profile profile, ServiceRecord service) {
        this.profile = profile;
        this.service = service;
        sections.put(service.uid(), Profile.serviceSection(service));
    }

    synchronized void addProvider(ProviderRecord p, List<PropValue> section) {
        providers.add(p);
        sections.put(p.uid(), List.copyOf(section));
    }

    /** Adds the staged service to {@code d}: record, providers (transports placed by R-PROF-5), sections. */
    synchronized void commitInto(ProfileData d) {
        d.services.put(service.uid(), service);
        d.sections.put(service.uid(), sections.get(service.uid()));
        d.syncRecord(service.uid());
        for (ProviderRecord p : providers) {
            List<PropValue> section = sections.get(p.uid());
            d.addProvider(ProfileData.synced(p, section), section);
        }
        for (MapiUid u : created) {
            d.sections.put(u, sections.get(u));
            d.sectionOwners.put(u, service.uid());
        }
    }

    @Override
    public ProfileSection open(MapiUid uid, int flags) {
        Flags.checkKnown(flags, Flags.MAPI_MODIFY, "OpenProfileSection");
        MapiUid target = uid == null ? service.uid() : uid;
        boolean modify = (flags & Flags.MAPI_MODIFY) != 0;
        synchronized (this) {
            if (sections.containsKey(target)) {
                return new LocalProfileSection(target, this, modify, false);
            }
        }
        ProfileData live = profile.data();
        if (live.sections.containsKey(target)) {
            if (live.ownerOf(target) != null) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS,
                        "section " + target + " belongs to another message service");
            }
            return profile.openResolved(target, flags, false, null);
        }
        if (!modify) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "profile " + profile.name() + " has no section " + target);
        }
        synchronized (this) {
            if (!sections.containsKey(target)) {
                sections.put(target, List.of());
                created.add(target);
            }
        }
        return new LocalProfileSection(target, this, true, false);
    }

    @Override
    public synchronized List<PropValue> read(MapiUid uid) {
        List<PropValue> v = sections.get(uid);
        if (v == null) {
            throw new MapiException(HResult.MAPI_E_OBJECT_DELETED, "profile section " + uid + " was deleted");
        }
        return v;
    }

    @Override
    public synchronized <T> T edit(MapiUid uid, Function<List<PropValue>, Edited<T>> edit) {
        Edited<T> e = edit.apply(read(uid));
        sections.put(uid, List.copyOf(e.values()));
        return e.result();
    }
}
