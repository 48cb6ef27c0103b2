package org.jmapi.runtime.profile;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropertyBag;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One profile: its message services, their providers, the transport order and every profile section, written
 * through to one file under the jmapi home (spec &sect;3).
 *
 * <p><b>Consistency.</b> Every change re-reads the file under the home lock (a JVM lock plus a file lock on
 * {@code profiles/.lock}), applies itself to what is on disk, writes the result atomically and publishes it here, so
 * changes made by other processes are never lost. Reads answer from the state last published here: after this
 * object's own changes at once, after another process's changes once {@link #reload()} ran (opening a section and
 * every admin call reload first). A profile deleted (or deleted and re-created) elsewhere answers MAPI_E_NOT_FOUND
 * to every change and reload.
 *
 * <p><b>Rules.</b> Sections follow R-PROF-1..4 ({@link #openSection}); ordering follows R-PROF-5
 * ({@link #transportOrder()}, {@link #defaultStore()}); services and providers are added and removed through
 * {@link #serviceAdmin()}, which calls the service entry point per R-PROF-6 and refuses a second copy of a
 * SERVICE_SINGLE_COPY service (R-PROF-7).
 *
 * <p><b>Threads.</b> Thread-safe. Service entry points are never called while the home lock is held.
 *
 * <p>Obtained from {@link ProfileStore#load(String)}; not a reference-counted object itself.
 */
public final class Profile {
    private final ProfileStore store;
    private final ProfileDirectory directory;
    private final Path file;
    private final String name;
    private final MapiUid generation;
    private final SectionHost liveHost = new LiveHost();
    private volatile ProfileData data;

    Profile(ProfileStore store, Path file, ProfileData data) {
        this.store = store;
        this.directory = store.directory();
        this.file = file;
        this.name = data.name;
        this.generation = data.generation;
        this.data = data;
    }

    /** @return the profile name (at most 64 characters, no leading or trailing space) */
    public String name() {
        return name;
    }

    /** @return the message services, in the order they were added; an unmodifiable snapshot */
    public List<ServiceRecord> services() {
        return List.copyOf(data.services.values());
    }

    /** @return every provider of every service, in the order they were added; an unmodifiable snapshot */
    public List<ProviderRecord> providers() {
        return List.copyOf(data.providers.values());
    }

    /**
     * @param kind store, transport or address book
     * @return the providers of that kind, in the order they were added; an unmodifiable snapshot
     */
    public List<ProviderRecord> providers(ProviderKind kind) {
        return data.providers.values().stream().filter(p -> p.kind() == kind).toList();
    }

    /**
     * The transport order (R-PROF-5): the order in which transports were added, except that every transport whose
     * resource flags have STATUS_XP_PREFER_LAST comes after all others; once a client replaced it with
     * {@link MsgServiceAdmin#msgServiceTransportOrder}, that order, with later additions placed by the same rule.
     *
     * @return every transport provider, in order; an unmodifiable snapshot
     */
    public List<ProviderRecord> transportOrder() {
        ProfileData d = data;
        return d.transportOrder.stream().map(d.providers::get).toList();
    }

    /**
     * The default store (R-PROF-5): the first store provider, in the order added, whose resource flags have
     * STATUS_DEFAULT_STORE.
     *
     * @return that provider, or empty when no store is flagged
     */
    public Optional<ProviderRecord> defaultStore() {
        return data.providers.values().stream()
                .filter(p -> p.kind() == ProviderKind.STORE && (p.resourceFlags() & Flags.STATUS_DEFAULT_STORE) != 0)
                .findFirst();
    }

    /**
     * @param uid a provider's section UID
     * @return the provider
     * @throws MapiException MAPI_E_NOT_FOUND when the profile has no such provider
     */
    public ProviderRecord provider(MapiUid uid) {
        ProviderRecord p = uid == null ? null : data.providers.get(uid);
        if (p == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "profile " + name + " has no provider " + uid);
        }
        return p;
    }

    /**
     * @param uid a service UID
     * @return the service, if the profile has it
     */
    public Optional<ServiceRecord> service(MapiUid uid) {
        return uid == null ? Optional.empty() : Optional.ofNullable(data.services.get(uid));
    }

    /**
     * Opens a profile section (R-PROF-2): the runtime's IMAPISupport::OpenProfileSection for a provider resolves a
     * null UID to the provider's own section before calling this. Reloads the profile first, so the section shows
     * what other processes stored.
     *
     * <p>The section is not transacted: setProps and deleteProps are written to disk at once, saveChanges does
     * nothing and named-property methods throw MAPI_E_NO_SUPPORT (R-PROF-1); ids 0x6600..0x67FF are returned only
     * when asked for by tag (R-PROF-3). Without MAPI_MODIFY it is read-only: setProps and deleteProps throw
     * MAPI_E_NO_ACCESS. With {@code forProvider} (a provider opening its own section at logon) PR_RESOURCE_FLAGS
     * and PR_PROVIDER_DLL_NAME cannot be set or deleted: they come back as MAPI_E_NO_ACCESS problem entries
     * (R-PROF-4).
     *
     * @param uid         the section
     * @param flags       0 (read-only) or MAPI_MODIFY
     * @param forProvider whether a provider opens its own section through its support object
     * @return the section; the caller owns one reference
     * @throws MapiException MAPI_E_UNKNOWN_FLAGS for other flag bits; MAPI_E_INVALID_PARAMETER for a null UID;
     *                       MAPI_E_NOT_FOUND when the section does not exist and MAPI_MODIFY was not given (with
     *                       MAPI_MODIFY it is created, empty)
     */
    public ProfileSection openSection(MapiUid uid, int flags, boolean forProvider) {
        Flags.checkKnown(flags, Flags.MAPI_MODIFY, "OpenProfileSection");
        if (uid == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "OpenProfileSection: a section UID is required here");
        }
        reload();
        return openResolved(uid, flags, forProvider, null);
    }

    /**
     * Deletes a section that is neither a service's nor a provider's (a temporary store section, say); service
     * and provider sections go with {@link MsgServiceAdmin#deleteMsgService} and
     * {@link org.jmapi.client.ProviderAdmin#deleteProvider}. Handles still open on the section answer
     * MAPI_E_OBJECT_DELETED afterwards.
     *
     * @param uid the section
     * @throws MapiException MAPI_E_INVALID_PARAMETER for null; MAPI_E_NOT_FOUND when there is no such section;
     *                       MAPI_E_NO_ACCESS for a service or provider section
     */
    public void deleteSection(MapiUid uid) {
        if (uid == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "deleteSection: null UID");
        }
        mutate(d -> {
            if (!d.sections.containsKey(uid)) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "profile " + name + " has no section " + uid);
            }
            if (d.services.containsKey(uid) || d.providers.containsKey(uid)) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "section " + uid
                        + " belongs to a service or provider: delete the service or provider instead");
            }
            d.sections.remove(uid);
            d.sectionOwners.remove(uid);
            return null;
        });
    }

    /**
     * IProfAdmin::AdminServices for this profile.
     *
     * @return a new IMsgServiceAdmin; the caller owns one reference
     */
    public MsgServiceAdmin serviceAdmin() {
        return new LocalMsgServiceAdmin(this);
    }

    /**
     * Re-reads the profile from disk, picking up what another process (or another {@link ProfileStore}) changed.
     *
     * @throws MapiException MAPI_E_NOT_FOUND when the profile was deleted (or deleted and re-created) since it was
     *                       loaded; MAPI_E_CORRUPT_DATA when the file cannot be read (the file is left untouched)
     */
    public void reload() {
        directory.locked(() -> {
            data = readCurrent();
            return null;
        });
    }

    @Override
    public String toString() {
        return "Profile[" + name + "]";
    }

    // ---- package-private: state ------------------------------------------------------------------------------

    ProfileStore store() {
        return store;
    }

    MapiUid generation() {
        return generation;
    }

    ProfileData data() {
        return data;
    }

    /** Publishes state that {@link ProfileStore#load} read under the home lock. */
    Profile publish(ProfileData fresh) {
        data = fresh;
        return this;
    }

    private ProfileData readCurrent() {
        ProfileData fresh;
        try {
            fresh = directory.readProfile(file);
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "profile " + name + " was deleted");
            }
            throw e;
        }
        if (!fresh.generation.equals(generation)) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "profile " + name + " was deleted and re-created");
        }
        return fresh;
    }

    /**
     * Runs a change against the current file content under the home lock and writes the result. If the change
     * throws, nothing is written and the published state stays as it was.
     */
    <T> T mutate(Function<ProfileData, T> change) {
        return directory.locked(() -> {
            ProfileData fresh = readCurrent();
            T result = change.apply(fresh);
            directory.writeProfile(file, fresh);
            data = fresh;
            return result;
        });
    }

    /**
     * Opens (and with MAPI_MODIFY creates) a section; a created section is recorded as the owner's when
     * {@code owner} is not null.
     */
    LocalProfileSection openResolved(MapiUid uid, int flags, boolean forProvider, MapiUid owner) {
        boolean modify = (flags & Flags.MAPI_MODIFY) != 0;
        if (!data.sections.containsKey(uid)) {
            if (!modify) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "profile " + name + " has no section " + uid);
            }
            mutate(d -> {
                if (!d.sections.containsKey(uid)) {
                    d.sections.put(uid, List.of());
                    if (owner != null) {
                        d.sectionOwners.put(uid, owner);
                    }
                }
                return null;
            });
        }
        return new LocalProfileSection(uid, liveHost, modify, forProvider);
    }

    /** The scope a service's support object and provider admin open sections in. */
    SectionScope serviceScope(MapiUid serviceUid) {
        return (uid, flags) -> {
            Flags.checkKnown(flags, Flags.MAPI_MODIFY, "OpenProfileSection");
            reload();
            ProfileData d = data;
            if (!d.services.containsKey(serviceUid)) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "profile " + name + " has no service " + serviceUid);
            }
            MapiUid target = uid == null ? serviceUid : uid;
            MapiUid owner = d.sections.containsKey(target) ? d.ownerOf(target) : null;
            if (owner != null && !owner.equals(serviceUid)) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS,
                        "section " + target + " belongs to another message service");
            }
            return openResolved(target, flags, false, serviceUid);
        };
    }

    // ---- package-private: service administration (R-PROF-6, R-PROF-7) ---------------------------------------

    /** IMsgServiceAdmin::CreateMsgService; see {@link LocalMsgServiceAdmin#createMsgService}. */
    MapiUid createService(String serviceName, String displayName, int uiFlags) {
        if (serviceName == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CreateMsgService: null service name");
        }
        MessageService svc = store.catalog().find(serviceName).orElseThrow(() -> new MapiException(
                HResult.MAPI_E_NOT_FOUND, "no message service named " + serviceName + " is installed"));
        reload();
        checkSingleCopy(data, svc);
        MapiUid serviceUid = MapiUid.random();
        ServiceRecord record = new ServiceRecord(serviceUid, svc.name(),
                displayName != null ? displayName : svc.displayName(), svc.serviceFlags());
        StagedService staged = new StagedService(this, record);
        for (ProviderInfo info : svc.providers()) {
            ProviderRecord p = new ProviderRecord(MapiUid.random(), serviceUid, svc.name(), info.key(), info.kind(),
                    info.displayName(), info.resourceFlags());
            staged.addProvider(p, providerSection(p, List.of()));
        }
        store.ensureInstalled(svc, () -> callEntry(svc, Flags.MSG_SERVICE_INSTALL, staged, uiFlags, List.of()));
        callEntry(svc, Flags.MSG_SERVICE_CREATE, staged, uiFlags, List.of());
        mutate(d -> {
            checkSingleCopy(d, svc);
            staged.commitInto(d);
            return null;
        });
        return serviceUid;
    }

    private void checkSingleCopy(ProfileData d, MessageService svc) {
        if ((svc.serviceFlags() & Flags.SERVICE_SINGLE_COPY) != 0
                && d.services.values().stream().anyMatch(s -> s.serviceName().equals(svc.name()))) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "message service " + svc.name()
                    + " is SERVICE_SINGLE_COPY and profile " + name + " already contains it");
        }
    }

    /** IMsgServiceAdmin::ConfigureMsgService; see {@link LocalMsgServiceAdmin#configureMsgService}. */
    void configureService(MapiUid serviceUid, int uiFlags, List<PropValue> props) {
        List<PropValue> values = checkStorable(props, "ConfigureMsgService");
        ServiceRecord record = requireService(serviceUid);
        MessageService svc = implementation(record);
        callEntry(svc, Flags.MSG_SERVICE_CONFIGURE, serviceScope(serviceUid), uiFlags, values);
        mutate(d -> {
            ServiceRecord current = d.services.get(serviceUid);
            if (current == null) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "service " + serviceUid + " was deleted");
            }
            PropertyBag b = new PropertyBag();
            b.replaceAll(d.sections.get(serviceUid));
            for (PropValue v : values) {
                if (v.id() != PropTag.id(PropTags.PR_SERVICE_UID) && v.id() != PropTag.id(PropTags.PR_SERVICE_NAME)) {
                    b.put(v);
                }
            }
            d.sections.put(serviceUid, List.copyOf(b.snapshot()));
            d.syncRecord(serviceUid);
            return null;
        });
    }

    /** IMsgServiceAdmin::DeleteMsgService; see {@link LocalMsgServiceAdmin#deleteMsgService}. */
    void deleteService(MapiUid serviceUid) {
        ServiceRecord record = requireService(serviceUid);
        Optional<MessageService> svc = store.catalog().find(record.serviceName());
        if (svc.isPresent()) {
            callEntry(svc.get(), Flags.MSG_SERVICE_DELETE, serviceScope(serviceUid), 0, List.of());
        }
        mutate(d -> {
            if (!d.services.containsKey(serviceUid)) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "service " + serviceUid + " was deleted");
            }
            d.removeService(serviceUid);
            return null;
        });
    }

    /** IProviderAdmin::CreateProvider; see {@link LocalProviderAdmin#createProvider}. */
    MapiUid createProvider(MapiUid serviceUid, String key, List<PropValue> props) {
        if (key == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CreateProvider: null provider key");
        }
        List<PropValue> values = checkStorable(props, "CreateProvider");
        ServiceRecord record = requireService(serviceUid);
        MessageService svc = implementation(record);
        ProviderInfo info = svc.providers().stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new MapiException(HResult.MAPI_E_NOT_FOUND,
                        "message service " + svc.name() + " has no provider with key " + key));
        callEntry(svc, Flags.MSG_SERVICE_PROVIDER_CREATE, serviceScope(serviceUid), 0, values);
        String display = info.displayName();
        int resourceFlags = info.resourceFlags();
        for (PropValue v : values) {
            if (v.id() == PropTag.id(PropTags.PR_DISPLAY_NAME) && v.value() instanceof String s) {
                display = s;
            } else if (v.tag() == PropTags.PR_RESOURCE_FLAGS) {
                resourceFlags = v.asInt();
            }
        }
        ProviderRecord p = new ProviderRecord(MapiUid.random(), serviceUid, svc.name(), key, info.kind(), display,
                resourceFlags);
        List<PropValue> section = providerSection(p, values);
        mutate(d -> {
            if (!d.services.containsKey(serviceUid)) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "service " + serviceUid + " was deleted");
            }
            d.addProvider(p, section);
            return null;
        });
        return p.uid();
    }

    /** IProviderAdmin::DeleteProvider; see {@link LocalProviderAdmin#deleteProvider}. */
    void deleteProvider(MapiUid serviceUid, MapiUid providerUid) {
        if (providerUid == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "DeleteProvider: null provider UID");
        }
        ServiceRecord record = requireService(serviceUid);
        ProviderRecord p = data.providers.get(providerUid);
        if (p == null || !p.serviceUid().equals(serviceUid)) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND,
                    "service " + serviceUid + " has no provider " + providerUid);
        }
        Optional<MessageService> svc = store.catalog().find(record.serviceName());
        if (svc.isPresent()) {
            callEntry(svc.get(), Flags.MSG_SERVICE_PROVIDER_DELETE, serviceScope(serviceUid), 0,
                    List.of(PropValue.ofBinary(PropTags.PR_PROVIDER_UID, providerUid.toBytes())));
        }
        mutate(d -> {
            ProviderRecord current = d.providers.get(providerUid);
            if (current == null || !current.serviceUid().equals(serviceUid)) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "provider " + providerUid + " was deleted");
            }
            d.removeProvider(providerUid);
            return null;
        });
    }

    /** IMsgServiceAdmin::MsgServiceTransportOrder (R-PROF-5). */
    void setTransportOrder(List<MapiUid> order) {
        if (order == null || order.stream().anyMatch(Objects::isNull)) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "MsgServiceTransportOrder: null UID list or entry");
        }
        List<MapiUid> copy = List.copyOf(order);
        mutate(d -> {
            Set<MapiUid> wanted = new HashSet<>(copy);
            if (wanted.size() != copy.size() || copy.size() != d.transportOrder.size()
                    || !wanted.equals(new HashSet<>(d.transportOrder))) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "MsgServiceTransportOrder: the list must"
                        + " name every transport of profile " + name + " exactly once: " + d.transportOrder);
            }
            d.transportOrder.clear();
            d.transportOrder.addAll(copy);
            return null;
        });
    }

    /** Reloads and returns the service, or MAPI_E_NOT_FOUND. */
    ServiceRecord requireService(MapiUid serviceUid) {
        if (serviceUid == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "null service UID");
        }
        reload();
        ServiceRecord r = data.services.get(serviceUid);
        if (r == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "profile " + name + " has no service " + serviceUid);
        }
        return r;
    }

    private MessageService implementation(ServiceRecord record) {
        return store.catalog().find(record.serviceName()).orElseThrow(() -> new MapiException(
                HResult.MAPI_E_NOT_FOUND, "message service " + record.serviceName() + " is not installed"));
    }

    private static List<PropValue> checkStorable(List<PropValue> props, String method) {
        if (props == null) {
            return List.of();
        }
        List<PropValue> out = new ArrayList<>(props.size());
        for (PropValue v : props) {
            if (v == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, method + ": a null property value");
            }
            if (v.tag() != PropTag.PR_NULL && !v.isError() && !PropValueJson.canEncode(v)) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, method + ": "
                        + PropTag.toString(v.tag()) + " (" + PropType.name(v.type()) + ") cannot be stored in a profile");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    /**
     * Calls a service entry point with a fresh service support object, and invalidates and releases that object
     * when the call returns (R-PROF-6): a service that kept it gets MAPI_E_INVALID_OBJECT afterwards.
     */
    static void callEntry(MessageService svc, int context, SectionScope scope, int uiFlags, List<PropValue> props) {
        ServiceSupport support = new ServiceSupport(scope, svc.name());
        try {
            svc.serviceEntry(context, support, uiFlags, props);
        } catch (MapiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED,
                    "message service " + svc.name() + " failed in context " + context + ": " + e, e);
        } finally {
            support.invalidate();
            support.release();
        }
    }

    /** The section MAPI writes for a provider: the documented properties, then the caller's extra ones. */
    static List<PropValue> providerSection(ProviderRecord p, List<PropValue> extra) {
        PropertyBag b = new PropertyBag();
        b.put(PropValue.ofString(PropTags.PR_DISPLAY_NAME, p.displayName()));
        b.put(PropValue.ofString(PropTags.PR_PROVIDER_DISPLAY, p.displayName()));
        b.put(PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, p.resourceFlags()));
        b.put(PropValue.ofInt(PropTags.PR_RESOURCE_TYPE, p.kind().resourceType()));
        b.put(PropValue.ofString(PropTags.PR_PROVIDER_DLL_NAME, p.serviceName()));
        b.put(PropValue.ofBinary(PropTags.PR_SERVICE_UID, p.serviceUid().toBytes()));
        b.put(PropValue.ofBinary(PropTags.PR_PROVIDER_UID, p.uid().toBytes()));
        b.put(PropValue.ofString(PropTags.PR_SERVICE_NAME, p.serviceName()));
        Set<Integer> mapiOwned = Set.of(PropTag.id(PropTags.PR_DISPLAY_NAME), PropTag.id(PropTags.PR_PROVIDER_DISPLAY),
                PropTag.id(PropTags.PR_RESOURCE_FLAGS), PropTag.id(PropTags.PR_RESOURCE_TYPE),
                PropTag.id(PropTags.PR_PROVIDER_DLL_NAME), PropTag.id(PropTags.PR_SERVICE_UID),
                PropTag.id(PropTags.PR_PROVIDER_UID), PropTag.id(PropTags.PR_SERVICE_NAME));
        for (PropValue v : extra) {
            if (!mapiOwned.contains(v.id())) {
                b.put(v);
            }
        }
        return List.copyOf(b.snapshot());
    }

    /** The section MAPI writes for a service. */
    static List<PropValue> serviceSection(ServiceRecord s) {
        return List.of(
                PropValue.ofString(PropTags.PR_SERVICE_NAME, s.serviceName()),
                PropValue.ofString(PropTags.PR_DISPLAY_NAME, s.displayName()),
                PropValue.ofBinary(PropTags.PR_SERVICE_UID, s.uid().toBytes()),
                PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, s.resourceFlags()));
    }

    /** Sections of the persistent profile. */
    private final class LiveHost implements SectionHost {
        @Override
        public List<PropValue> read(MapiUid uid) {
            List<PropValue> v = data.sections.get(uid);
            if (v == null) {
                throw new MapiException(HResult.MAPI_E_OBJECT_DELETED, "profile section " + uid + " was deleted");
            }
            return v;
        }

        @Override
        public <T> T edit(MapiUid uid, Function<List<PropValue>, Edited<T>> edit) {
            return directory.locked(() -> {
                ProfileData fresh = readCurrent();
                List<PropValue> current = fresh.sections.get(uid);
                if (current == null) {
                    throw new MapiException(HResult.MAPI_E_OBJECT_DELETED, "profile section " + uid + " was deleted");
                }
                Edited<T> e = edit.apply(current);
                if (!e.values().equals(current)) {
                    // Only a real change is written (and fsynced); providers re-publish unchanged values at logon.
                    fresh.sections.put(uid, List.copyOf(e.values()));
                    fresh.syncRecord(uid);
                    directory.writeProfile(file, fresh);
                }
                data = fresh;
                return e.result();
            });
        }
    }
}
