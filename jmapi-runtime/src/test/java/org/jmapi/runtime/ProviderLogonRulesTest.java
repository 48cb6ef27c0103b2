package org.jmapi.runtime;

import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.client.AddrBook;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.profile.ProviderRecord;
import org.jmapi.runtime.testproviders.MemoryAbProvider;
import org.jmapi.runtime.testproviders.MemoryAbService;
import org.jmapi.runtime.testproviders.MemoryStoreProvider;
import org.jmapi.runtime.testproviders.MemoryStoreService;
import org.jmapi.runtime.testproviders.MemoryTransportProvider;
import org.jmapi.runtime.testproviders.MemoryTransportService;
import org.jmapi.runtime.testproviders.ProviderStats;
import org.jmapi.runtime.testproviders.TestHooks;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.spi.AbProvider;
import org.jmapi.spi.BaseMsgStore;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.MsLogonResult;
import org.jmapi.spi.MsProvider;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;
import org.jmapi.spi.ServiceProvider;
import org.jmapi.spi.XpProvider;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.jmapi.runtime.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rules of spec &sect;5 (loading providers, R-LOAD-1..4) and &sect;6 (provider logon: R-LOGON-1..5, message-store
 * logon R-MS-1..9, address-book logon R-AB-1..3), checked against the real runtime with the in-memory test providers.
 *
 * <p>Where a rule needs a provider that behaves in a way the in-memory providers do not (a wrong SPI version, a
 * logon that returns a warning or calls SpoolerNotify, a service with providers of two kinds, a transport that
 * blocks), the test installs one of the small message services nested below as a plug-in: a jar in
 * {@code HOME/plugins} holding only a {@code META-INF/services} entry that names them, which is how the runtime
 * finds provider code besides its class path (the classes themselves come from the test class path). They delegate
 * to the in-memory providers and change one thing.
 *
 * <p>Pending:
 * <ul>
 *   <li>R-LOGON-3: the UI half ("the provider MUST NOT show UI") and MAPI_E_USER_CANCEL from a dialog: jmapi has no
 *       UI at all. Tested: every logon the runtime makes carries the NO_DIALOG flag, and the logon's codes
 *       (LOGON_FAILED, UNCONFIGURED, FAILONEPROVIDER, USER_CANCEL) reach the client unchanged.</li>
 *   <li>R-LOGON-4: "error details are then available via GetLastError" and "a MAPIERROR returned becomes MAPI's to
 *       free": the jmapi SPI has no GetLastError and no MAPIERROR out-parameter; the success half is tested.</li>
 *   <li>R-LOGON-5: PrepareSubmit during logon: the support object has no PrepareSubmit yet (the spooler's send loop
 *       does not exist); SpoolerNotify during logon is tested.</li>
 *   <li>R-MS-3: "AddRef if the same interface is requested, QueryInterface otherwise" and "avoid dialogs / do not
 *       check credentials": the runtime always asks for {@code MsgStore} and jmapi has no UI or credentials; the
 *       provider-side re-open path (same object, no logon, no UID, no row, no spool data) is tested.</li>
 *   <li>R-MS-5: "crosses a process boundary / MAPI frees it": Java byte arrays hold no pointers and are garbage
 *       collected; tested is that the blob is opaque bytes handed unchanged (a copy) to SpoolerLogon.</li>
 *   <li>R-MS-9: CopyMessages / CopyFolder / CopyTo into a read-only store and SetMessageStatus: the in-memory store
 *       does not implement copying or message status yet.</li>
 *   <li>R-AB-1: "when a provider is added to the profile of a client that supports dynamic reconfiguration": jmapi
 *       sessions read their profile at logon and do not reconfigure.</li>
 * </ul>
 */
public class ProviderLogonRulesTest {

    // ---- plug-in message services used by some rules ------------------------------------------------------------

    static final ProviderInfo RULES_STORE = new ProviderInfo("store", ProviderKind.STORE, "Rules Store", 0);
    static final ProviderInfo RULES_AB = new ProviderInfo("ab", ProviderKind.ADDRESS_BOOK, "Rules AB", 0);
    static final ProviderInfo RULES_XP = new ProviderInfo("xp", ProviderKind.TRANSPORT, "Rules Transport", 0);

    /** A message service whose providers are the in-memory ones, optionally wrapped. */
    public abstract static class RulesService implements MessageService {
        private final String name;
        private final List<ProviderInfo> providers;

        RulesService(String name, ProviderInfo... providers) {
            this.name = name;
            this.providers = List.of(providers);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String displayName() {
            return name;
        }

        @Override
        public List<ProviderInfo> providers() {
            return providers;
        }

        @Override
        public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
            new MemoryStoreService().serviceEntry(context, support, uiFlags, props);
        }

        @Override
        public MsProvider msProviderInit(int version) {
            return store(new MemoryStoreService().msProviderInit(version));
        }

        @Override
        public XpProvider xpProviderInit(int version) {
            return transport(new MemoryTransportService().xpProviderInit(version));
        }

        @Override
        public AbProvider abProviderInit(int version) {
            return new MemoryAbService().abProviderInit(version);
        }

        MsProvider store(MsProvider p) {
            return p;
        }

        XpProvider transport(XpProvider p) {
            return p;
        }
    }

    @FunctionalInterface
    interface Around {
        Object call(Method method, Object[] args, Proceed proceed) throws Throwable;
    }

    @FunctionalInterface
    interface Proceed {
        Object go() throws Throwable;
    }

    /** A proxy of {@code iface} that runs {@code around} for every call to {@code target}. */
    static <T> T wrap(Class<T> iface, T target, Around around) {
        return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                (proxy, m, args) -> around.call(m, args, () -> {
                    try {
                        return m.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                })));
    }

    /** "rules.badversion": a store provider reporting {@link #VERSION} as its SPI version (R-LOAD-2). */
    public static final class BadVersionService extends RulesService {
        static volatile int VERSION = 0x01000010;

        public BadVersionService() {
            super("rules.badversion", RULES_STORE);
        }

        @Override
        MsProvider store(MsProvider p) {
            return wrap(MsProvider.class, p, (m, a, go) -> m.getName().equals("spiVersion") ? VERSION : go.go());
        }
    }

    /** "rules.warn": a store whose first-open logon returns MAPI_W_ERRORS_RETURNED (R-LOGON-4). */
    public static final class WarnService extends RulesService {
        public WarnService() {
            super("rules.warn", RULES_STORE);
        }

        @Override
        MsProvider store(MsProvider p) {
            return wrap(MsProvider.class, p, (m, a, go) -> {
                Object r = go.go();
                if (m.getName().equals("logon") && r instanceof MsLogonResult res && res.logon() != null) {
                    return new MsLogonResult(res.logon(), res.store(), res.spoolSecurity(),
                            HResult.MAPI_W_ERRORS_RETURNED);
                }
                return r;
            });
        }
    }

    /** "rules.notify": a store whose logon calls SpoolerNotify(NOTIFY_READYTOSEND) first (R-LOGON-5). */
    public static final class NotifyInLogonService extends RulesService {
        static final AtomicInteger NOTIFIED = new AtomicInteger();

        public NotifyInLogonService() {
            super("rules.notify", RULES_STORE);
        }

        @Override
        MsProvider store(MsProvider p) {
            return wrap(MsProvider.class, p, (m, a, go) -> {
                if (m.getName().equals("logon")) {
                    ((MapiSupport) a[0]).spoolerNotify(Flags.NOTIFY_READYTOSEND, null);
                    NOTIFIED.incrementAndGet();
                }
                return go.go();
            });
        }
    }

    /** "rules.recording": records what the runtime passes to Logon and SpoolerLogon (R-MS-4, R-MS-5). */
    public static final class RecordingService extends RulesService {
        record Call(String method, EntryId entryId, int flags, Object iface, byte[] spoolSecurityIn,
                    byte[] spoolSecurityOut) {}

        static final List<Call> CALLS = new CopyOnWriteArrayList<>();

        public RecordingService() {
            super("rules.recording", RULES_STORE);
        }

        @Override
        MsProvider store(MsProvider p) {
            return wrap(MsProvider.class, p, (m, a, go) -> {
                Object r = go.go();
                if (m.getName().equals("logon")) {
                    CALLS.add(new Call("logon", (EntryId) a[3], (int) a[4], a[5], null,
                            ((MsLogonResult) r).spoolSecurity()));
                } else if (m.getName().equals("spoolerLogon")) {
                    CALLS.add(new Call("spoolerLogon", (EntryId) a[3], (int) a[4], null, (byte[]) a[5], null));
                }
                return r;
            });
        }
    }

    /** "rules.configurable": counts MSG_SERVICE_CONFIGURE; with {@link #REPAIRS} it fixes PR_HOOK_UNCONFIGURED. */
    public static final class ConfigurableService extends RulesService {
        static final AtomicInteger CONFIGURE_CALLS = new AtomicInteger();
        static volatile boolean REPAIRS;

        public ConfigurableService() {
            super("rules.configurable", RULES_STORE);
        }

        @Override
        public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
            super.serviceEntry(context, support, uiFlags, props);
            if (context == Flags.MSG_SERVICE_CONFIGURE) {
                CONFIGURE_CALLS.incrementAndGet();
                if (REPAIRS) {
                    try (ProfileSection own = support.openProfileSection(null, Flags.MAPI_MODIFY)) {
                        own.setProps(List.of(PropValue.ofBoolean(TestHooks.PR_HOOK_UNCONFIGURED, false)));
                    }
                }
            }
        }
    }

    /** "rules.combo.store": a store and an address book in one service, the store listed first (R-LOAD-4). */
    public static final class ComboStoreService extends RulesService {
        public ComboStoreService() {
            super("rules.combo.store", RULES_STORE, RULES_AB);
        }
    }

    /** "rules.combo.xp": a transport and an address book in one service, the transport listed first (R-LOAD-4). */
    public static final class ComboTransportService extends RulesService {
        public ComboTransportService() {
            super("rules.combo.xp", RULES_XP, RULES_AB);
        }
    }

    /** "rules.blockxp": a transport whose TransportLogon waits for {@link #GATE} (keeps the spooler busy). */
    public static final class BlockingTransportService extends RulesService {
        static volatile CountDownLatch GATE = new CountDownLatch(0);

        public BlockingTransportService() {
            super("rules.blockxp", RULES_XP);
        }

        @Override
        XpProvider transport(XpProvider p) {
            return wrap(XpProvider.class, p, (m, a, go) -> {
                if (m.getName().equals("transportLogon")) {
                    GATE.await(60, TimeUnit.SECONDS);
                }
                return go.go();
            });
        }
    }

    private static final List<Class<? extends MessageService>> PLUGINS = List.of(BadVersionService.class,
            WarnService.class, NotifyInLogonService.class, RecordingService.class, ConfigurableService.class,
            ComboStoreService.class, ComboTransportService.class, BlockingTransportService.class);

    /** Puts a jar listing the plug-in services into HOME/plugins; call before {@link Fixture#start}. */
    static void installPlugins(Path home) throws IOException {
        Path dir = home.resolve("plugins");
        Files.createDirectories(dir);
        StringBuilder names = new StringBuilder();
        for (Class<?> c : PLUGINS) {
            names.append(c.getName()).append('\n');
        }
        try (OutputStream os = Files.newOutputStream(dir.resolve("rules-services.jar"));
             JarOutputStream jar = new JarOutputStream(os)) {
            jar.putNextEntry(new JarEntry("META-INF/services/" + MessageService.class.getName()));
            jar.write(names.toString().getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    private static Fixture startWithPlugins(Path home) throws IOException {
        installPlugins(home);
        return Fixture.start(home);
    }

    @BeforeEach
    void resetPluginState() {
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
        BadVersionService.VERSION = 0x01000010;
        NotifyInLogonService.NOTIFIED.set(0);
        RecordingService.CALLS.clear();
        ConfigurableService.CONFIGURE_CALLS.set(0);
        ConfigurableService.REPAIRS = false;
        BlockingTransportService.GATE = new CountDownLatch(0);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static void assertHr(ThrowingCallable call, int hresult) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).as(HResult.name(e.hresult()) + ": " + e.getMessage()).isEqualTo(hresult));
    }

    /** Adds a message service to the fixture's profile (before logon). */
    private static MapiUid addService(String serviceName, String displayName) {
        try (ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(Fixture.PROFILE, 0)) {
            return services.createMsgService(serviceName, displayName, 0, 0);
        }
    }

    /** @return the provider of {@code kind} in service {@code serviceUid} of the fixture's profile */
    private static ProviderRecord provider(MapiUid serviceUid, ProviderKind kind) {
        return Mapi.subsystem().profiles.load(Fixture.PROFILE).providers(kind).stream()
                .filter(p -> p.serviceUid().equals(serviceUid)).findFirst().orElseThrow();
    }

    /** @return the provider of {@code kind} of the (only) service named {@code serviceName} */
    private static ProviderRecord provider(String serviceName, ProviderKind kind) {
        return Mapi.subsystem().profiles.load(Fixture.PROFILE).providers(kind).stream()
                .filter(p -> p.serviceName().equals(serviceName)).findFirst().orElseThrow();
    }

    /** Writes configuration values (test hooks) into a provider's profile section. */
    private static void configure(ProviderRecord provider, PropValue... values) {
        try (ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(Fixture.PROFILE, 0);
             ProfileSection section = services.openProfileSection(provider.uid(), Flags.MAPI_MODIFY)) {
            section.setProps(List.of(values));
        }
    }

    private static PropValue logonError(int hresult) {
        return PropValue.ofInt(TestHooks.PR_HOOK_LOGON_ERROR, hresult);
    }

    /** @return the wrapped store id of a store provider, read from the session's message-store table */
    private static EntryId storeIdOf(MapiSession s, ProviderRecord store) {
        return Fixture.storeIds(s).stream().filter(id -> MsgStoresTable.sectionOf(id).equals(store.uid()))
                .findFirst().orElseThrow();
    }

    private static MsgStore openWritable(MapiSession s, EntryId id) {
        return s.openMsgStore(0, id, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
    }

    private static List<Row> statusRows(MapiSession s) {
        try (MapiTable t = s.getStatusTable(0)) {
            t.setColumns(new int[] {PropTags.PR_RESOURCE_TYPE, PropTags.PR_STATUS_CODE, PropTags.PR_DISPLAY_NAME}, 0);
            return t.queryRows(100, 0);
        }
    }

    private static long rowsOfType(MapiSession s, int resourceType) {
        return statusRows(s).stream().filter(r -> r.get(PropTags.PR_RESOURCE_TYPE).asInt() == resourceType).count();
    }

    private static List<TraceEvent> events(Fixture f, long since, String call, TraceEvent.Phase phase) {
        return f.trace.since(since).stream().filter(e -> e.call().equals(call) && e.phase() == phase).toList();
    }

    private static long count(Fixture f, long since, String call) {
        return events(f, since, call, TraceEvent.Phase.CALL).size();
    }

    /** @return the seq of the first event matching call, phase and (if not null) object */
    private static long seqOf(Fixture f, long since, String call, TraceEvent.Phase phase, String object) {
        return f.trace.since(since).stream().filter(e -> e.call().equals(call) && e.phase() == phase
                && (object == null || e.object().equals(object))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + call + " " + phase + " " + object + " in "
                        + f.briefsSince(since))).seq();
    }

    private static String labelOf(Fixture f, long since, String call) {
        return events(f, since, call, TraceEvent.Phase.CALL).get(0).object();
    }

    private record Counts(int created, int shutdowns, int withoutShutdown) {
        static Counts of(ProviderStats s) {
            return new Counts(s.created(), s.shutdowns(), s.releasedWithoutShutdown());
        }
    }

    // ---- R-LOAD-1 ----------------------------------------------------------------------------------------------

    @Test
    void R_LOAD_1_everyProviderInitCallReturnsANewProviderObject(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            Counts ms0 = Counts.of(MemoryStoreProvider.STATS);
            Counts xp0 = Counts.of(MemoryTransportProvider.STATS);
            Counts ab0 = Counts.of(MemoryAbProvider.STATS);
            long m = f.mark();
            MapiSession s1 = f.logon();
            MapiSession s2 = f.logon();
            MsgStore a1 = Fixture.open(s1, 0);
            MsgStore a2 = Fixture.open(s2, 0);
            s1.openAddressBook(0, 0).release();
            s2.openAddressBook(0, 0).release();
            statusRows(s1);
            statusRows(s2);

            assertThat(MemoryStoreProvider.STATS.created() - ms0.created()).isEqualTo(2);
            assertThat(MemoryTransportProvider.STATS.created() - xp0.created()).isEqualTo(2);
            assertThat(MemoryAbProvider.STATS.created() - ab0.created()).isEqualTo(2);
            assertThat(count(f, m, "MSProviderInit")).isEqualTo(2);
            assertThat(count(f, m, "XPProviderInit")).isEqualTo(2);
            assertThat(count(f, m, "ABProviderInit")).isEqualTo(2);

            ProviderRecord storeA = provider(f.storeServiceA, ProviderKind.STORE);
            ProviderRecord xp = provider(MemoryTransportService.NAME, ProviderKind.TRANSPORT);
            ProviderRecord ab = provider(MemoryAbService.NAME, ProviderKind.ADDRESS_BOOK);
            for (ProviderRecord r : List.of(storeA, xp, ab)) {
                ProviderSlot slot1 = ((RealSession) s1).slot(r);
                ProviderSlot slot2 = ((RealSession) s2).slot(r);
                assertThat(slot1.loaded()).isTrue();
                assertThat(slot2.loaded()).isTrue();
                assertThat(slot1.provider()).as(r.serviceName()).isNotSameAs(slot2.provider());
                assertThat(slot1.label()).isNotEqualTo(slot2.label());
            }
            a1.release();
            a2.release();
            s1.release();
            s2.release();
        }
    }

    // ---- R-LOAD-2 ----------------------------------------------------------------------------------------------

    /** A service whose store provider reports a given SPI version and records its release and shutdown. */
    static final class VersionedService implements MessageService {
        final int version;
        final List<VersionedProvider> made = new CopyOnWriteArrayList<>();

        VersionedService(int version) {
            this.version = version;
        }

        @Override
        public String name() {
            return "rules.versioned";
        }

        @Override
        public String displayName() {
            return "Versioned";
        }

        @Override
        public List<ProviderInfo> providers() {
            return List.of(RULES_STORE);
        }

        @Override
        public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
        }

        @Override
        public MsProvider msProviderInit(int mapiSpiVersion) {
            VersionedProvider p = new VersionedProvider(version);
            made.add(p);
            return p;
        }
    }

    static final class VersionedProvider extends BaseMapiObject implements MsProvider {
        final int version;
        volatile boolean shutdown;

        VersionedProvider(int version) {
            this.version = version;
        }

        @Override
        public int spiVersion() {
            return version;
        }

        @Override
        public MsLogonResult logon(MapiSupport support, long uiParam, String profileName, EntryId entryId, int flags,
                                   Class<? extends MapiObject> iface) {
            throw new MapiException(HResult.MAPI_E_LOGON_FAILED, "not used");
        }

        @Override
        public MsLogonResult spoolerLogon(MapiSupport support, long uiParam, String profileName, EntryId entryId,
                                          int flags, byte[] spoolSecurity) {
            throw new MapiException(HResult.MAPI_E_LOGON_FAILED, "not used");
        }

        @Override
        public boolean compareStoreIds(EntryId a, EntryId b, int flags) {
            return false;
        }

        @Override
        public void shutdown(int flags) {
            shutdown = true;
        }
    }

    @Test
    void R_LOAD_2_aProviderReportingAVersionTheRuntimeCannotHandleIsReleasedAndFailsWithVersion(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            int current = Flags.CURRENT_SPI_VERSION;
            for (int bad : new int[] {0x01000010, 0x02000000, current + 1, current + 0x00010000}) {
                VersionedService svc = new VersionedService(bad);
                ProviderRecord record = new ProviderRecord(MapiUid.random(), MapiUid.random(), svc.name(), "store",
                        ProviderKind.STORE, "Versioned", 0);
                ProviderSlot slot = new ProviderSlot(rs, record, svc);
                long m = f.mark();
                assertHr(slot::provider, HResult.MAPI_E_VERSION);
                assertThat(svc.made).hasSize(1);
                VersionedProvider p = svc.made.get(0);
                assertThat(p.isDestroyed()).as("released at once, version " + HResult.hex(bad)).isTrue();
                assertThat(p.shutdown).as("never used, so never shut down").isFalse();
                assertThat(slot.loaded()).isFalse();
                assertThat(f.briefsSince(m).stream().filter(b -> b.startsWith("MSProviderInit"))).containsExactly(
                        "MSProviderInit call " + labelOf(f, m, "MSProviderInit") + " " + HResult.hex(current),
                        "MSProviderInit return " + labelOf(f, m, "MSProviderInit") + " " + HResult.hex(bad)
                                + " MAPI_E_VERSION");
            }
            // the version the runtime speaks is accepted and the object kept
            VersionedService good = new VersionedService(current);
            ProviderSlot slot = new ProviderSlot(rs, new ProviderRecord(MapiUid.random(), MapiUid.random(),
                    good.name(), "store", ProviderKind.STORE, "Versioned", 0), good);
            ServiceProvider p = slot.provider();
            assertThat(p).isSameAs(good.made.get(0));
            assertThat(((BaseMapiObject) p).isDestroyed()).isFalse();
            assertThat(slot.provider()).isSameAs(p);
            slot.shutDownIfIdle();
            assertThat(good.made.get(0).shutdown).isTrue();
            s.release();
        }
    }

    @Test
    void R_LOAD_2_openMsgStoreOnAProviderWithAnIncompatibleVersionFailsWithVersion(@TempDir Path home)
            throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            addService("rules.badversion", "Bad Version");
            ProviderRecord bad = provider("rules.badversion", ProviderKind.STORE);
            Counts ms0 = Counts.of(MemoryStoreProvider.STATS);
            MapiSession s = f.logon();
            long m = f.mark();
            assertHr(() -> openWritable(s, storeIdOf(s, bad)), HResult.MAPI_E_VERSION);
            Counts ms1 = Counts.of(MemoryStoreProvider.STATS);
            assertThat(ms1.created() - ms0.created()).isEqualTo(1);
            assertThat(ms1.withoutShutdown() - ms0.withoutShutdown()).as("released at once").isEqualTo(1);
            assertThat(f.callsSince(m)).noneMatch(c -> c.startsWith("IMSProvider::"));
            assertThat(events(f, m, "MSProviderInit", TraceEvent.Phase.RETURN).get(0).hresult())
                    .isEqualTo(HResult.MAPI_E_VERSION);
            assertThat(((RealSession) s).slot(bad).loaded()).isFalse();
            // the other stores are not affected
            Fixture.open(s, 0).release();
            s.release();
        }
    }

    // ---- R-LOAD-3 ----------------------------------------------------------------------------------------------

    @Test
    void R_LOAD_3_oneProviderObjectPerConfiguredProviderPerSession(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            long m = f.mark();
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            EntryId idA = Fixture.storeId(s, 0);
            EntryId idB = Fixture.storeId(s, 1);
            MsgStore a1 = openWritable(s, idA);
            ProviderRecord recA = provider(f.storeServiceA, ProviderKind.STORE);
            ServiceProvider providerA = rs.slot(recA).provider();
            MsgStore a2 = openWritable(s, idA);
            MsgStore a3 = s.openMsgStore(0, idA, Flags.MDB_NO_DIALOG);
            MsgStore b = openWritable(s, idB);
            Fixture.spoolerStore(s, idA); // the spooler's SpoolerLogon goes through the same object
            Fixture.spoolerStore(s, idB);
            statusRows(s);

            assertThat(count(f, m, "MSProviderInit")).as("A and B, once each").isEqualTo(2);
            assertThat(count(f, m, "IMSProvider::Logon")).isEqualTo(4);
            assertThat(count(f, m, "IMSProvider::SpoolerLogon")).isEqualTo(2);
            assertThat(count(f, m, "XPProviderInit")).as("one transport in the profile").isEqualTo(1);
            assertThat(rs.slot(recA).provider()).isSameAs(providerA);
            assertThat(rs.loadedProviders()).isEqualTo(3);

            // only a different session creates new provider objects
            long m2 = f.mark();
            MapiSession other = f.logon();
            MsgStore otherA = Fixture.open(other, 0);
            statusRows(other);
            assertThat(count(f, m2, "MSProviderInit")).isEqualTo(1);
            assertThat(count(f, m2, "XPProviderInit")).isEqualTo(1);
            assertThat(((RealSession) other).slot(recA).provider()).isNotSameAs(providerA);
            for (MsgStore st : List.of(a1, a2, a3, b, otherA)) {
                st.release();
            }
            s.release();
            other.release();
        }
    }

    // ---- R-LOAD-4 ----------------------------------------------------------------------------------------------

    @Test
    void R_LOAD_4_aServicesAddressBookStartsBeforeItsStore(@TempDir Path home) throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            addService("rules.combo.store", "Combo");
            ProviderRecord comboStore = provider("rules.combo.store", ProviderKind.STORE);
            MapiSession s = f.logon();
            statusRows(s); // transports done
            long m = f.mark();
            MsgStore st = openWritable(s, storeIdOf(s, comboStore));
            long abInit = seqOf(f, m, "ABProviderInit", TraceEvent.Phase.CALL, null);
            long abLogonReturn = seqOf(f, m, "IABProvider::Logon", TraceEvent.Phase.RETURN, null);
            long msInit = seqOf(f, m, "MSProviderInit", TraceEvent.Phase.CALL, null);
            long msLogon = seqOf(f, m, "IMSProvider::Logon", TraceEvent.Phase.CALL, null);
            assertThat(abInit).isLessThan(abLogonReturn);
            assertThat(abLogonReturn).isLessThan(msInit);
            assertThat(msInit).isLessThan(msLogon);
            // only the service's own address book, not the profile's other one
            assertThat(count(f, m, "IABProvider::Logon")).isEqualTo(1);
            assertThat(events(f, m, "IABProvider::Logon", TraceEvent.Phase.RETURN).get(0).hresult())
                    .isEqualTo(HResult.S_OK);
            // a store of another service starts no address book
            long m2 = f.mark();
            Fixture.open(s, 0).release();
            assertThat(count(f, m2, "IABProvider::Logon")).isZero();
            st.release();
            s.release();
        }
    }

    @Test
    void R_LOAD_4_aServicesAddressBookStartsBeforeItsTransport(@TempDir Path home) throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.createProfile("combo", null, 0, 0);
                try (MsgServiceAdmin services = admin.adminServices("combo", 0)) {
                    services.createMsgService("rules.combo.xp", "Combo Transport", 0, 0);
                }
            }
            long m = f.mark();
            MapiSession s = Mapi.logonEx(0, "combo", null, Flags.MAPI_NEW_SESSION | Flags.MAPI_EXTENDED);
            assertThat(rowsOfType(s, Flags.MAPI_TRANSPORT_PROVIDER)).isEqualTo(1);
            long abLogonReturn = seqOf(f, m, "IABProvider::Logon", TraceEvent.Phase.RETURN, null);
            long xpInit = seqOf(f, m, "XPProviderInit", TraceEvent.Phase.CALL, null);
            long xpLogon = seqOf(f, m, "IXPProvider::TransportLogon", TraceEvent.Phase.CALL, null);
            assertThat(seqOf(f, m, "ABProviderInit", TraceEvent.Phase.CALL, null)).isLessThan(abLogonReturn);
            assertThat(abLogonReturn).isLessThan(xpInit);
            assertThat(xpInit).isLessThan(xpLogon);
            // OpenAddressBook later reuses that logon
            long m2 = f.mark();
            s.openAddressBook(0, 0).release();
            assertThat(count(f, m2, "IABProvider::Logon")).isZero();
            assertThat(((RealSession) s).abLogons()).hasSize(1);
            s.release();
        }
    }

    // ---- R-LOGON-1 ---------------------------------------------------------------------------------------------

    @Test
    void R_LOGON_1_aSuccessfulLogonKeepsItsSupportObjectForItsLifetime(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            MsgStore a = Fixture.open(s, 0);
            s.openAddressBook(0, 0).release();
            Spooler.SpoolerStore spooled = Fixture.spoolerStore(s, Fixture.storeId(s, 0));
            statusRows(s);

            StoreLogonRecord client = rs.clientStores().get(0);
            AbLogonRecord ab = rs.abLogons().get(0);
            TransportLogonRecord xp = rs.spooler.transports().get(0);
            for (LogonRecord r : List.of(client, spooled.record, ab, xp)) {
                // MAPI's own reference was dropped when the logon returned: what is left is the provider's
                assertThat(r.support.refCount()).as(r.label).isGreaterThanOrEqualTo(1);
                assertThat(r.support.isDestroyed()).isFalse();
                assertThat(r.support.isInvalid()).isFalse();
                assertThat(r.isActive()).isTrue();
            }
            assertThat(a.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            // ... for the logon's whole lifetime: when the store is released the support object goes with it
            a.release();
            await(client::hasEnded, Duration.ofSeconds(10), "the client logon ended");
            assertThat(client.support.isDestroyed()).isTrue();
            s.release();
        }
    }

    @Test
    void R_LOGON_1_whenAProviderDropsItsSupportReferenceMapiEndsTheLogonAtOnce(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            configure(provider(f.storeServiceA, ProviderKind.STORE),
                    PropValue.ofBoolean(TestHooks.PR_HOOK_DROP_SUPPORT_REF, true));
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            statusRows(s);
            int uidsBefore = rs.registeredUids();
            long rowsBefore = statusRows(s).size();
            long m = f.mark();
            MsgStore a = Fixture.open(s, 0);

            String label = labelOf(f, m, "IMSProvider::Logon");
            long logonReturn = seqOf(f, m, "IMSProvider::Logon", TraceEvent.Phase.RETURN, label);
            long openReturn = seqOf(f, m, "IMAPISession::OpenMsgStore", TraceEvent.Phase.RETURN, null);
            List<String> chain = f.trace.since(m).stream()
                    .filter(e -> e.seq() > logonReturn && e.seq() < openReturn && e.object().equals(label)
                            && e.phase() == TraceEvent.Phase.CALL)
                    .map(TraceEvent::call).toList();
            assertThat(chain).containsSubsequence("IMAPISupport::Release", "MAPI::UnregisterUIDs",
                    "MAPI::RemoveStatusRows", "IMSLogon::Logoff", "IMSLogon::Release");
            // with no logon left the provider object was shut down at once (MAPI "may unload the provider")
            String msp = labelOf(f, m, "MSProviderInit");
            assertThat(seqOf(f, m, "IMSProvider::Shutdown", TraceEvent.Phase.CALL, msp)).isBetween(logonReturn,
                    openReturn);
            // the store is dead and nothing of its logon is left in the session
            assertHr(() -> a.getProp(PropTags.PR_DISPLAY_NAME), HResult.MAPI_E_INVALID_OBJECT);
            assertThat(rs.clientStores()).isEmpty();
            assertThat(rs.registeredUids()).isEqualTo(uidsBefore);
            assertThat(statusRows(s)).hasSize((int) rowsBefore);
            a.release();
            // store B (the same provider code, a well-behaved configuration) keeps its support object
            MsgStore b = Fixture.open(s, 1);
            assertThat(rs.clientStores()).hasSize(1);
            assertThat(rs.clientStores().get(0).support.isDestroyed()).isFalse();
            assertThat(b.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            // the ended logon was never handed to the spooler (it works in order: B's logon comes after A's would)
            Fixture.spoolerStore(s, Fixture.storeId(s, 1));
            assertThat(events(f, m, "IMSProvider::SpoolerLogon", TraceEvent.Phase.CALL)).hasSize(1);
            assertThat(rs.spooler.store(MsgStoresTable.sectionOf(Fixture.storeId(s, 0)))).isEmpty();
            assertThat(rs.loadedProviders()).as("B's store provider and the transport").isEqualTo(2);
            b.release();
            s.release();
        }
    }

    // ---- R-LOGON-2 ---------------------------------------------------------------------------------------------

    @Test
    void R_LOGON_2_failOneProviderSkipsOnlyThatProviderAndTheServiceStaysUsable(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            ProviderRecord storeA = provider(f.storeServiceA, ProviderKind.STORE);
            configure(storeA, logonError(HResult.MAPI_E_FAILONEPROVIDER));
            MapiSession s = f.logon();
            EntryId idA = Fixture.storeId(s, 0);
            long m = f.mark();
            assertHr(() -> openWritable(s, idA), HResult.MAPI_E_FAILONEPROVIDER);
            assertHr(() -> openWritable(s, idA), HResult.MAPI_E_FAILONEPROVIDER);
            assertThat(count(f, m, "IMSProvider::Logon")).as("the provider is asked again").isEqualTo(2);
            configure(storeA, logonError(HResult.S_OK));
            MsgStore a = openWritable(s, idA);
            assertThat(count(f, m, "IMSProvider::Logon")).isEqualTo(3);
            assertThat(a.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            a.release();
            s.release();
        }
    }

    @Test
    void R_LOGON_2_failOneProviderLeavesTheRestOfItsServiceRunning(@TempDir Path home) throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            MapiUid combo = addService("rules.combo.store", "Combo");
            configure(provider(combo, ProviderKind.ADDRESS_BOOK), logonError(HResult.MAPI_E_FAILONEPROVIDER));
            MapiSession s = f.logon();
            long m = f.mark();
            MsgStore st = openWritable(s, storeIdOf(s, provider(combo, ProviderKind.STORE)));
            assertThat(events(f, m, "IABProvider::Logon", TraceEvent.Phase.RETURN).get(0).hresult())
                    .isEqualTo(HResult.MAPI_E_FAILONEPROVIDER);
            assertThat(events(f, m, "IMSProvider::Logon", TraceEvent.Phase.RETURN).get(0).hresult())
                    .isEqualTo(HResult.S_OK);
            assertThat(st.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            st.release();
            s.release();
        }
    }

    @Test
    void R_LOGON_2_anyOtherFailureDisablesTheWholeServiceForTheSession(@TempDir Path home) throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            MapiUid combo = addService("rules.combo.store", "Combo");
            configure(provider(combo, ProviderKind.ADDRESS_BOOK), logonError(HResult.MAPI_E_NO_ACCESS));
            MapiSession s = f.logon();
            long m = f.mark();
            // the service's address book fails first (R-LOAD-4); its store is then never called
            assertHr(() -> openWritable(s, storeIdOf(s, provider(combo, ProviderKind.STORE))),
                    HResult.MAPI_E_NO_ACCESS);
            assertThat(count(f, m, "IABProvider::Logon")).isEqualTo(1);
            assertThat(f.callsSince(m)).noneMatch(c -> c.startsWith("MSProviderInit") || c.startsWith("IMSProvider::"));
            // other services are unaffected
            Fixture.open(s, 0).release();
            s.release();
        }
    }

    @Test
    void R_LOGON_2_aStoreThatFailsWithAnotherErrorIsNotCalledAgainInTheSession(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            ProviderRecord storeA = provider(f.storeServiceA, ProviderKind.STORE);
            configure(storeA, logonError(HResult.MAPI_E_NO_ACCESS));
            MapiSession s = f.logon();
            EntryId idA = Fixture.storeId(s, 0);
            long m = f.mark();
            assertHr(() -> openWritable(s, idA), HResult.MAPI_E_NO_ACCESS);
            assertThat(count(f, m, "IMSProvider::Logon")).isEqualTo(1);
            configure(storeA, logonError(HResult.S_OK)); // even a repaired configuration does not help
            assertHr(() -> openWritable(s, idA), HResult.MAPI_E_NO_ACCESS);
            assertHr(() -> s.openEntry(idA, 0), HResult.MAPI_E_NO_ACCESS);
            assertThat(count(f, m, "IMSProvider::Logon")).as("disabled: never called again").isEqualTo(1);
            // store B is another service
            MsgStore b = Fixture.open(s, 1);
            b.release();
            // ... for the rest of the session only: a new session calls it again
            MapiSession next = f.logon();
            long m2 = f.mark();
            MsgStore a = Fixture.open(next, 0);
            assertThat(count(f, m2, "IMSProvider::Logon")).isEqualTo(1);
            a.release();
            next.release();
            s.release();
        }
    }

    @Test
    void R_LOGON_2_unconfiguredConfiguresTheServiceOnceAndRetriesTheLogon(@TempDir Path home) throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            MapiUid svc = addService("rules.configurable", "Configurable");
            ProviderRecord store = provider(svc, ProviderKind.STORE);
            configure(store, PropValue.ofBoolean(TestHooks.PR_HOOK_UNCONFIGURED, true));
            ConfigurableService.REPAIRS = true;
            MapiSession s = f.logon();
            long m = f.mark();
            MsgStore st = openWritable(s, storeIdOf(s, store));
            assertThat(ConfigurableService.CONFIGURE_CALLS).hasValue(1);
            List<TraceEvent> returns = events(f, m, "IMSProvider::Logon", TraceEvent.Phase.RETURN);
            assertThat(returns).extracting(TraceEvent::hresult)
                    .containsExactly(HResult.MAPI_E_UNCONFIGURED, HResult.S_OK);
            assertThat(st.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            st.release();
            s.release();
        }
    }

    @Test
    void R_LOGON_2_aSecondUnconfiguredDisablesTheService(@TempDir Path home) throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            MapiUid svc = addService("rules.configurable", "Configurable");
            ProviderRecord store = provider(svc, ProviderKind.STORE);
            configure(store, PropValue.ofBoolean(TestHooks.PR_HOOK_UNCONFIGURED, true));
            MapiSession s = f.logon();
            EntryId id = storeIdOf(s, store);
            long m = f.mark();
            assertHr(() -> openWritable(s, id), HResult.MAPI_E_UNCONFIGURED);
            assertThat(ConfigurableService.CONFIGURE_CALLS).hasValue(1);
            assertThat(events(f, m, "IMSProvider::Logon", TraceEvent.Phase.RETURN)).extracting(TraceEvent::hresult)
                    .containsExactly(HResult.MAPI_E_UNCONFIGURED, HResult.MAPI_E_UNCONFIGURED);
            // disabled: a third open calls neither the provider nor the service entry
            assertHr(() -> openWritable(s, id), HResult.MAPI_E_UNCONFIGURED);
            assertThat(count(f, m, "IMSProvider::Logon")).isEqualTo(2);
            assertThat(ConfigurableService.CONFIGURE_CALLS).hasValue(1);
            s.release();
        }
    }

    @Test
    void R_LOGON_2_transportLogonFailuresFollowTheSameDisposition(@TempDir Path home) {
        int[][] cases = {
            {HResult.MAPI_E_NO_ACCESS, 1},
            {HResult.MAPI_E_FAILONEPROVIDER, 1},
            {HResult.MAPI_E_LOGON_FAILED, 1},
        };
        for (int[] c : cases) {
            try (Fixture f = Fixture.start(home.resolve("case" + Integer.toHexString(c[0])))) {
                ProviderRecord xp = provider(MemoryTransportService.NAME, ProviderKind.TRANSPORT);
                configure(xp, logonError(c[0]));
                Counts xp0 = Counts.of(MemoryTransportProvider.STATS);
                long m = f.mark();
                MapiSession s = f.logon();
                assertThat(rowsOfType(s, Flags.MAPI_TRANSPORT_PROVIDER)).as(HResult.name(c[0])).isZero();
                assertThat(events(f, m, "IXPProvider::TransportLogon", TraceEvent.Phase.RETURN))
                        .extracting(TraceEvent::hresult).containsExactly(c[0]);
                assertThat(((RealSession) s).spooler.transports()).isEmpty();
                // the provider object that never got a logon was shut down and released
                Counts xp1 = Counts.of(MemoryTransportProvider.STATS);
                assertThat(xp1.shutdowns() - xp0.shutdowns()).isEqualTo(1);
                assertThat(xp1.withoutShutdown() - xp0.withoutShutdown()).isZero();
                s.release();
            }
        }
    }

    @Test
    void R_LOGON_2_anUnconfiguredTransportIsConfiguredAndRetriedOnce(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            configure(provider(MemoryTransportService.NAME, ProviderKind.TRANSPORT),
                    PropValue.ofBoolean(TestHooks.PR_HOOK_UNCONFIGURED, true));
            long m = f.mark();
            MapiSession s = f.logon();
            assertThat(rowsOfType(s, Flags.MAPI_TRANSPORT_PROVIDER)).isZero();
            assertThat(events(f, m, "IXPProvider::TransportLogon", TraceEvent.Phase.RETURN))
                    .extracting(TraceEvent::hresult)
                    .containsExactly(HResult.MAPI_E_UNCONFIGURED, HResult.MAPI_E_UNCONFIGURED);
            s.release();
        }
    }

    // ---- R-LOGON-3 ---------------------------------------------------------------------------------------------

    @Test
    void R_LOGON_3_everyLogonTheRuntimeMakesForbidsUi(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            long m = f.mark();
            MapiSession s = f.logon();
            statusRows(s);
            s.openAddressBook(0, 0).release();
            s.openMsgStore(0, Fixture.storeId(s, 0), Flags.MDB_NO_DIALOG).release();
            MapiObject viaOpenEntry = s.openEntry(Fixture.storeId(s, 1), 0);
            assertThat(events(f, m, "IXPProvider::TransportLogon", TraceEvent.Phase.CALL))
                    .allSatisfy(e -> assertThat(e.flags() & Flags.LOGON_NO_DIALOG).isEqualTo(Flags.LOGON_NO_DIALOG));
            assertThat(events(f, m, "IABProvider::Logon", TraceEvent.Phase.CALL)).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.flags() & Flags.AB_NO_DIALOG).isEqualTo(Flags.AB_NO_DIALOG));
            assertThat(events(f, m, "IMSProvider::Logon", TraceEvent.Phase.CALL)).hasSize(2)
                    .allSatisfy(e -> assertThat(e.flags() & Flags.MDB_NO_DIALOG).isEqualTo(Flags.MDB_NO_DIALOG));
            viaOpenEntry.release();
            s.release();
        }
    }

    @Test
    void R_LOGON_3_logonCodesForMissingUiReachTheClientUnchanged(@TempDir Path home) {
        for (int code : new int[] {HResult.MAPI_E_LOGON_FAILED, HResult.MAPI_E_USER_CANCEL,
                HResult.MAPI_E_FAILONEPROVIDER}) {
            try (Fixture f = Fixture.start(home.resolve("c" + Integer.toHexString(code)))) {
                configure(provider(f.storeServiceA, ProviderKind.STORE), logonError(code));
                MapiSession s = f.logon();
                assertHr(() -> s.openMsgStore(0, Fixture.storeId(s, 0), Flags.MDB_NO_DIALOG), code);
                s.release();
            }
        }
        try (Fixture f = Fixture.start(home.resolve("unconfigured"))) {
            configure(provider(f.storeServiceA, ProviderKind.STORE),
                    PropValue.ofBoolean(TestHooks.PR_HOOK_UNCONFIGURED, true));
            MapiSession s = f.logon();
            assertHr(() -> s.openMsgStore(0, Fixture.storeId(s, 0), Flags.MDB_NO_DIALOG), HResult.MAPI_E_UNCONFIGURED);
            s.release();
        }
    }

    // ---- R-LOGON-4 ---------------------------------------------------------------------------------------------

    @Test
    void R_LOGON_4_aLogonReturningErrorsReturnedCountsAsSuccess(@TempDir Path home) throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            MapiUid svc = addService("rules.warn", "Warn");
            ProviderRecord store = provider(svc, ProviderKind.STORE);
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            long m = f.mark();
            EntryId id = storeIdOf(s, store);
            MsgStore st = openWritable(s, id);
            String label = labelOf(f, m, "IMSProvider::Logon");
            assertThat(f.briefsSince(m)).contains("IMSProvider::Logon return " + label + " 0x00000000 "
                    + "MAPI_W_ERRORS_RETURNED");
            assertThat(events(f, m, "IMAPISession::OpenMsgStore", TraceEvent.Phase.RETURN).get(0).hresult())
                    .isEqualTo(HResult.S_OK);
            // the logon is a normal live logon: listed, registered, handed to the spooler, usable
            assertThat(rs.clientStores()).extracting(r -> r.label).containsExactly(label);
            assertThat(st.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            assertThat(Fixture.spoolerStore(s, id).state).isEqualTo(Spooler.State.ACTIVE);
            // a re-open is an ordinary S_OK
            MsgStore again = openWritable(s, id);
            assertThat(again).isSameAs(st);
            again.release();
            st.release();
            s.release();
        }
    }

    // ---- R-LOGON-5 ---------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void R_LOGON_5_spoolerNotifyFromInsideALogonDoesNotWaitForTheSpooler(@TempDir Path home) throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            MapiUid svc = addService("rules.notify", "Notify");
            addService("rules.blockxp", "Blocking Transport");
            ProviderRecord store = provider(svc, ProviderKind.STORE);
            BlockingTransportService.GATE = new CountDownLatch(1);
            try {
                long m = f.mark();
                MapiSession s = f.logon();
                RealSession rs = (RealSession) s;
                EntryId id = storeIdOf(s, store);
                // the spooler is stuck logging a transport on: it is not ready
                await(() -> events(f, m, "IXPProvider::TransportLogon", TraceEvent.Phase.CALL).size() == 2,
                        Duration.ofSeconds(10), "the spooler is inside the blocking transport's logon");
                MsgStore st = openWritable(s, id); // the store's logon calls SpoolerNotify(NOTIFY_READYTOSEND)
                assertThat(NotifyInLogonService.NOTIFIED).hasValue(1);
                String label = labelOf(f, m, "IMSProvider::Logon");
                assertThat(f.briefsSince(m)).containsSubsequence(
                        "IMSProvider::Logon call " + label + " 0x00000005",
                        "IMAPISupport::SpoolerNotify call " + label + " 0x00000002",
                        "IMSProvider::Logon return " + label + " 0x00000000 S_OK");
                assertThat(events(f, m, "IXPProvider::TransportLogon", TraceEvent.Phase.RETURN))
                        .as("the spooler is still not ready").hasSize(1);
                assertThat(st.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
                assertThat(rs.clientStores()).hasSize(1);
                BlockingTransportService.GATE.countDown();
                // once the spooler is up, the store it was handed is logged on as usual
                assertThat(Fixture.spoolerStore(s, id).state).isEqualTo(Spooler.State.ACTIVE);
                assertThat(rowsOfType(s, Flags.MAPI_TRANSPORT_PROVIDER)).isEqualTo(2);
                st.release();
                s.release();
            } finally {
                BlockingTransportService.GATE.countDown();
            }
        }
    }

    // ---- R-MS-1 ------------------------------------------------------------------------------------------------

    @Test
    void R_MS_1_aFirstOpenCreatesOneLogonStorePairThatLivesAndDiesTogether(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            long m = f.mark();
            MsgStore a = Fixture.open(s, 0);
            MsgStore b = Fixture.open(s, 1);
            List<TraceEvent> logons = events(f, m, "IMSProvider::Logon", TraceEvent.Phase.CALL);
            assertThat(logons).hasSize(2);
            assertThat(logons.get(0).object()).isNotEqualTo(logons.get(1).object());
            assertThat(rs.clientStores()).extracting(r -> r.label)
                    .containsExactly(logons.get(0).object(), logons.get(1).object());

            StoreLogonRecord recA = rs.clientStores().get(0);
            StoreLogonRecord recB = rs.clientStores().get(1);
            assertThat(recA.store()).isSameAs(a);
            assertThat(recB.store()).isSameAs(b);
            assertThat(recA.logonObject()).isSameAs(((BaseMsgStore) a).logon());
            assertThat(recB.logonObject()).isSameAs(((BaseMsgStore) b).logon());
            assertThat(recA.logonObject()).isNotSameAs(recB.logonObject());

            BaseMapiObject logonA = (BaseMapiObject) recA.logonObject();
            long m2 = f.mark();
            a.release(); // the client's last reference: store and logon go together
            await(recA::hasEnded, Duration.ofSeconds(10), "A's logon ended");
            assertThat(((BaseMapiObject) a).isDestroyed()).isTrue();
            assertThat(logonA.isDestroyed()).isTrue();
            assertThat(f.callsSince(m2)).contains("IMSLogon::Release " + recA.label);
            assertThat(((BaseMapiObject) recB.logonObject()).isDestroyed()).isFalse();
            assertThat(b.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            b.release();
            s.release();
        }
    }

    // ---- R-MS-2 ------------------------------------------------------------------------------------------------

    @Test
    void R_MS_2_eachOpenedStoreHasItsOwnSupportObjectAndUsesIt(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            long m = f.mark();
            MsgStore a = Fixture.open(s, 0);
            MsgStore b = Fixture.open(s, 1);
            Spooler.SpoolerStore spoolA = Fixture.spoolerStore(s, Fixture.storeId(s, 0));
            StoreLogonRecord recA = rs.clientStores().get(0);
            StoreLogonRecord recB = rs.clientStores().get(1);
            assertThat(recA.support).isNotSameAs(recB.support);
            assertThat(spoolA.record.support).isNotSameAs(recA.support).isNotSameAs(recB.support);
            // each store did its logon work through its own support object (calls are traced per support object)
            for (StoreLogonRecord r : List.of(recA, recB)) {
                assertThat(f.callsSince(m)).contains("IMAPISupport::SetProviderUID " + r.label,
                        "IMAPISupport::ModifyStatusRow " + r.label);
            }
            assertThat(rs.uids.uidsOf(recA)).hasSize(1);
            assertThat(rs.uids.uidsOf(recB)).hasSize(1);
            assertThat(rs.uids.uidsOf(recA)).doesNotContainAnyElementsOf(rs.uids.uidsOf(recB));
            a.release();
            b.release();
            s.release();
        }
    }

    // ---- R-MS-3 ------------------------------------------------------------------------------------------------

    @Test
    void R_MS_3_reopeningAnOpenStoreReturnsTheSameStoreAndRegistersNothing(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            EntryId idA = Fixture.storeId(s, 0);
            MsgStore first = openWritable(s, idA);
            Fixture.spoolerStore(s, idA);
            StoreLogonRecord rec = rs.clientStores().get(0);
            int uids = rs.registeredUids();
            int rows = statusRows(s).size();
            int supportRefs = rec.support.refCount();
            int storeRefs = ((BaseMapiObject) first).refCount();
            long m = f.mark();

            MsgStore again = openWritable(s, idA);
            MsgStore readOnly = s.openMsgStore(0, idA, Flags.MDB_NO_DIALOG);
            MapiObject viaOpenEntry = s.openEntry(idA, Flags.MAPI_MODIFY);

            assertThat(again).isSameAs(first);
            assertThat(readOnly).isSameAs(first);
            assertThat(viaOpenEntry).isSameAs(first);
            assertThat(((BaseMapiObject) first).refCount()).isEqualTo(storeRefs + 3);
            assertThat(events(f, m, "IMSProvider::Logon", TraceEvent.Phase.RETURN)).hasSize(3)
                    .allSatisfy(e -> assertThat(e.hresult()).isEqualTo(HResult.S_OK));
            List<String> calls = f.callsSince(m);
            assertThat(calls).noneMatch(c -> c.startsWith("IMAPISupport::SetProviderUID")
                    || c.startsWith("IMAPISupport::ModifyStatusRow") || c.startsWith("IMSProvider::SpoolerLogon")
                    || c.startsWith("MSProviderInit"));
            assertThat(rs.registeredUids()).isEqualTo(uids);
            assertThat(statusRows(s)).hasSize(rows);
            assertThat(rs.clientStores()).containsExactly(rec);
            assertThat(rec.support.refCount()).isEqualTo(supportRefs);
            // the extra references go away without ending the logon
            again.release();
            readOnly.release();
            viaOpenEntry.release();
            assertThat(rec.isActive()).isTrue();
            assertThat(first.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            first.release();
            s.release();
        }
    }

    // ---- R-MS-4 ------------------------------------------------------------------------------------------------

    @Test
    void R_MS_4_logonGetsTheUnwrappedStoreIdOrNullAndTheStoreInterface(@TempDir Path home) throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            MapiUid svc = addService("rules.recording", "Recording");
            ProviderRecord store = provider(svc, ProviderKind.STORE);
            // first session: the store never published an id yet, so no store is chosen: Logon gets null
            MapiSession s1 = f.logon();
            EntryId wrapped1 = storeIdOf(s1, store);
            assertThat(MsgStoresTable.unwrap(wrapped1)).isNull();
            openWritable(s1, wrapped1).release();
            RecordingService.Call first = RecordingService.CALLS.get(0);
            assertThat(first.method()).isEqualTo("logon");
            assertThat(first.entryId()).isNull();
            assertThat(first.iface()).isEqualTo(MsgStore.class);
            s1.release();

            // later: the message-store table holds the wrapped form; Logon gets the provider's own form
            RecordingService.CALLS.clear();
            MapiSession s2 = f.logon();
            EntryId wrapped = storeIdOf(s2, store);
            EntryId unwrapped = MsgStoresTable.unwrap(wrapped);
            assertThat(unwrapped).isNotNull();
            assertThat(wrapped.providerUid()).isEqualTo(MsgStoresTable.STORE_WRAP_UID);
            MsgStore st = openWritable(s2, wrapped);
            RecordingService.Call logon = RecordingService.CALLS.stream().filter(c -> c.method().equals("logon"))
                    .findFirst().orElseThrow();
            assertThat(logon.entryId()).isEqualTo(unwrapped).isNotEqualTo(wrapped);
            assertThat(logon.entryId().providerUid()).as("the store's own MAPIUID")
                    .isEqualTo(MapiUid.of(st.getProp(PropTags.PR_RECORD_KEY).orElseThrow().asBinary()));
            assertThat(logon.iface()).isEqualTo(MsgStore.class);
            // what the client sees is the wrapped id again
            assertThat(EntryId.of(st.getProp(PropTags.PR_ENTRYID).orElseThrow().asBinary())).isEqualTo(wrapped);
            st.release();
            s2.release();
        }
    }

    // ---- R-MS-5 ------------------------------------------------------------------------------------------------

    @Test
    void R_MS_5_theSpoolSecurityBlobGoesUnchangedToSpoolerLogon(@TempDir Path home) throws IOException {
        try (Fixture f = startWithPlugins(home)) {
            MapiUid svc = addService("rules.recording", "Recording");
            ProviderRecord store = provider(svc, ProviderKind.STORE);
            MapiSession s = f.logon();
            EntryId id = storeIdOf(s, store);
            MsgStore st = openWritable(s, id);
            assertThat(Fixture.spoolerStore(s, id).state).isEqualTo(Spooler.State.ACTIVE);
            RecordingService.Call logon = RecordingService.CALLS.stream().filter(c -> c.method().equals("logon"))
                    .findFirst().orElseThrow();
            RecordingService.Call spooler = RecordingService.CALLS.stream()
                    .filter(c -> c.method().equals("spoolerLogon")).findFirst().orElseThrow();
            assertThat(logon.spoolSecurityOut()).isNotNull().isNotEmpty();
            assertThat(spooler.spoolSecurityIn()).isEqualTo(logon.spoolSecurityOut());
            // the runtime keeps its own copy: changing what it hands out changes nothing
            StoreLogonRecord rec = ((RealSession) s).clientStores().get(0);
            byte[] copy = rec.spoolSecurity();
            copy[0] ^= 0x55;
            assertThat(rec.spoolSecurity()).isEqualTo(logon.spoolSecurityOut());
            // the spooler's logon reached the same store without any UI (flags carry MDB_NO_DIALOG)
            assertThat(spooler.entryId()).isEqualTo(MsgStoresTable.unwrap(storeIdOf(s, store)));
            assertThat(spooler.flags() & Flags.MDB_NO_DIALOG).isEqualTo(Flags.MDB_NO_DIALOG);
            st.release();
            s.release();
        }
    }

    @Test
    void R_MS_5_theMemoryStoreBlobIsOpaqueBytesAndSpoolerLogonSucceedsWithIt(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            MsgStore a = Fixture.open(s, 0);
            Spooler.SpoolerStore ss = Fixture.spoolerStore(s, Fixture.storeId(s, 0));
            assertThat(ss.state).isEqualTo(Spooler.State.ACTIVE);
            byte[] blob = ((RealSession) s).clientStores().get(0).spoolSecurity();
            assertThat(blob).isEqualTo(a.getProp(PropTags.PR_RECORD_KEY).orElseThrow().asBinary());
            a.release();
            s.release();
        }
    }

    // ---- R-MS-6 ------------------------------------------------------------------------------------------------

    @Test
    void R_MS_6_uidAndStatusRowAreInPlaceBeforeOpenMsgStoreReturns(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            statusRows(s);
            long m = f.mark();
            MsgStore a = Fixture.open(s, 0);
            // checked right after the call returned (the spooler's own logon may add its UID later; it adds no row)
            StoreLogonRecord rec = rs.clientStores().get(0);
            MapiUid storeUid = MapiUid.of(a.getProp(PropTags.PR_RECORD_KEY).orElseThrow().asBinary());
            assertThat(rs.uids.uidsOf(rec)).containsExactly(storeUid);
            assertThat(rs.statusTable.rowCount(rec)).isEqualTo(1);
            String label = labelOf(f, m, "IMSProvider::Logon");
            assertThat(rec.label).isEqualTo(label);
            long call = seqOf(f, m, "IMSProvider::Logon", TraceEvent.Phase.CALL, label);
            long ret = seqOf(f, m, "IMSProvider::Logon", TraceEvent.Phase.RETURN, label);
            assertThat(seqOf(f, m, "IMAPISupport::SetProviderUID", TraceEvent.Phase.CALL, label)).isBetween(call, ret);
            assertThat(seqOf(f, m, "IMAPISupport::ModifyStatusRow", TraceEvent.Phase.CALL, label)).isBetween(call, ret);
            // the row is the store's: MAPI_STORE_PROVIDER with its display name
            String name = a.getProp(PropTags.PR_DISPLAY_NAME).orElseThrow().asString();
            assertThat(statusRows(s)).filteredOn(r -> r.get(PropTags.PR_RESOURCE_TYPE).asInt()
                    == Flags.MAPI_STORE_PROVIDER).extracting(r -> r.get(PropTags.PR_DISPLAY_NAME).asString())
                    .containsExactly(name);
            a.release();
            s.release();
        }
    }

    @Test
    void R_MS_6_modifyProfileWithMdbTemporaryIsANoOpReturningNormally(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            // the memory store calls ModifyProfile(flags & MDB_TEMPORARY) inside its logon: the open succeeds
            MsgStore a = s.openMsgStore(0, Fixture.storeId(s, 0), Flags.MDB_TEMPORARY | Flags.MDB_NO_DIALOG);
            assertThat(a.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            StoreLogonRecord rec = rs.clientStores().get(0);
            List<EntryId> before = Fixture.storeIds(s);
            long m = f.mark();
            rec.support.modifyProfile(Flags.MDB_TEMPORARY);
            assertThat(Fixture.storeIds(s)).isEqualTo(before);
            assertThat(f.trace.since(m)).filteredOn(e -> e.object().equals(rec.label)
                    || e.object().equals(rs.label)).isEmpty();
            assertHr(() -> rec.support.modifyProfile(0x4), HResult.MAPI_E_UNKNOWN_FLAGS);
            a.release();
            s.release();
        }
    }

    // ---- R-MS-7 ------------------------------------------------------------------------------------------------

    @Test
    void R_MS_7_theSpoolersStoreIsADistinctSpoolerMarkedPair(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            long m = f.mark();
            MsgStore a = Fixture.open(s, 0);
            Spooler.SpoolerStore ss = Fixture.spoolerStore(s, Fixture.storeId(s, 0));
            MsgStore spoolerStore = ss.record.store();
            assertThat(spoolerStore).isNotSameAs(a);
            assertThat(ss.record.logonObject()).isNotSameAs(((BaseMsgStore) a).logon());
            assertThat(((BaseMsgStore) spoolerStore).isSpoolerLogon()).isTrue();
            assertThat(((BaseMsgStore) a).isSpoolerLogon()).isFalse();
            assertThat(ss.record.spooler).isTrue();
            assertThat(f.callsSince(m)).contains("IMSProvider::SpoolerLogon " + ss.record.label);
            // spooler-only methods work on the spooler's object only
            assertHr(() -> a.getOutgoingQueue(0), HResult.MAPI_E_NO_SUPPORT);
            try (MapiTable q = spoolerStore.getOutgoingQueue(0)) {
                assertThat(q.getRowCount(0)).isZero();
            }
            a.release();
            s.release();
        }
    }

    @Test
    void R_MS_7_mdbNoMailMeansNoSpoolerLogon(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            statusRows(s);
            long m = f.mark();
            MsgStore b = s.openMsgStore(0, Fixture.storeId(s, 1), Flags.MDB_NO_MAIL | Flags.MDB_WRITE
                    | Flags.MDB_NO_DIALOG);
            MsgStore a = Fixture.open(s, 0);
            // the spooler works in order: once it holds A, it would have done B already
            Spooler.SpoolerStore ssA = Fixture.spoolerStore(s, Fixture.storeId(s, 0));
            assertThat(count(f, m, "IMSProvider::SpoolerLogon")).isEqualTo(1);
            assertThat(labelOf(f, m, "IMSProvider::SpoolerLogon")).isEqualTo(ssA.record.label);
            assertThat(rs.spooler.store(MsgStoresTable.sectionOf(Fixture.storeId(s, 1)))).isEmpty();
            a.release();
            b.release();
            s.release();
        }
    }

    // ---- R-MS-8 ------------------------------------------------------------------------------------------------

    @Test
    void R_MS_8_openMsgStoreRejectsNullAndUnknownIds(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            long m = f.mark();
            assertHr(() -> s.openMsgStore(0, null, Flags.MDB_NO_DIALOG), HResult.MAPI_E_INVALID_PARAMETER);
            assertHr(() -> s.openMsgStore(0, MsgStoresTable.wrap(MapiUid.random(), null), Flags.MDB_NO_DIALOG),
                    HResult.MAPI_E_NOT_FOUND);
            // a wrapped id naming a section that is not a store
            ProviderRecord xp = provider(MemoryTransportService.NAME, ProviderKind.TRANSPORT);
            assertHr(() -> s.openMsgStore(0, MsgStoresTable.wrap(xp.uid(), null), Flags.MDB_NO_DIALOG),
                    HResult.MAPI_E_NOT_FOUND);
            // an id that is not a store id at all
            assertHr(() -> s.openMsgStore(0, MemoryAbProvider.entryIdOf("bob@localhost"), Flags.MDB_NO_DIALOG),
                    HResult.MAPI_E_NOT_FOUND);
            assertThat(f.callsSince(m)).noneMatch(c -> c.startsWith("IMSProvider::"));
            s.release();
        }
    }

    @Test
    void R_MS_8_insufficientRightsGiveNoAccess(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            configure(provider(f.storeServiceA, ProviderKind.STORE), logonError(HResult.MAPI_E_NO_ACCESS));
            MapiSession s = f.logon();
            assertHr(() -> openWritable(s, Fixture.storeId(s, 0)), HResult.MAPI_E_NO_ACCESS);
            s.release();
        }
    }

    @Test
    void R_MS_8_defaultAccessIsReadOnlyAndMdbWriteAsksForWrite(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            PropValue change = PropValue.ofString(PropTags.PR_DISPLAY_NAME, "renamed");
            MapiSession ro = f.logon();
            MsgStore readOnly = ro.openMsgStore(0, Fixture.storeId(ro, 0), Flags.MDB_NO_DIALOG);
            assertHr(() -> readOnly.setProps(List.of(change)), HResult.MAPI_E_NO_ACCESS);
            readOnly.release();
            ro.release();

            MapiSession rw = f.logon();
            MsgStore writable = rw.openMsgStore(0, Fixture.storeId(rw, 0), Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
            assertThat(writable.setProps(List.of(change))).isEmpty();
            assertThat(writable.getProp(PropTags.PR_DISPLAY_NAME).orElseThrow().asString()).isEqualTo("renamed");
            writable.release();
            rw.release();
        }
    }

    @Test
    void R_MS_8_openEntryOnAStoreIdIsOpenMsgStoreWithNoDialog(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            PropValue change = PropValue.ofString(PropTags.PR_DISPLAY_NAME, "renamed");
            MapiSession s1 = f.logon();
            long m = f.mark();
            MapiObject o = s1.openEntry(Fixture.storeId(s1, 0), 0);
            assertThat(o).isInstanceOf(MsgStore.class);
            String session = ((RealSession) s1).label;
            assertThat(f.briefsSince(m)).contains("IMAPISession::OpenMsgStore call " + session + " "
                    + HResult.hex(Flags.MDB_NO_DIALOG));
            assertThat(events(f, m, "IMSProvider::Logon", TraceEvent.Phase.CALL).get(0).flags())
                    .isEqualTo(Flags.MDB_NO_DIALOG);
            assertHr(() -> ((MsgStore) o).setProps(List.of(change)), HResult.MAPI_E_NO_ACCESS);
            assertThat(((RealSession) s1).clientStores()).hasSize(1);
            o.release();
            s1.release();

            // MAPI_MODIFY maps to MDB_WRITE
            MapiSession s2 = f.logon();
            long m2 = f.mark();
            MapiObject w = s2.openEntry(Fixture.storeId(s2, 0), Flags.MAPI_MODIFY);
            assertThat(events(f, m2, "IMSProvider::Logon", TraceEvent.Phase.CALL).get(0).flags())
                    .isEqualTo(Flags.MDB_NO_DIALOG | Flags.MDB_WRITE);
            assertThat(((MsgStore) w).setProps(List.of(change))).isEmpty();
            w.release();
            s2.release();
        }
    }

    // ---- R-MS-9 ------------------------------------------------------------------------------------------------

    @Test
    void R_MS_9_aReadOnlyStoreRefusesEveryChangeWithNoAccess(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            // put something into the store first, through a writable logon in another session
            MapiSession writer = f.logon();
            MsgStore w = Fixture.open(writer, 0);
            EntryId subtreeId;
            EntryId subfolderId;
            EntryId messageId;
            try (MapiFolder root = (MapiFolder) w.openEntry(null, 0);
                 MapiFolder sub = root.createFolder(1, "Sub", null, 0)) {
                subfolderId = EntryId.of(sub.getProp(PropTags.PR_ENTRYID).orElseThrow().asBinary());
                var msg = sub.createMessage(0);
                msg.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "kept")));
                msg.saveChanges(Flags.KEEP_OPEN_READWRITE);
                messageId = EntryId.of(msg.getProp(PropTags.PR_ENTRYID).orElseThrow().asBinary());
                msg.release();
            }
            subtreeId = EntryId.of(w.getProp(PropTags.PR_IPM_SUBTREE_ENTRYID).orElseThrow().asBinary());
            w.release();
            writer.release();

            MapiSession s = f.logon();
            MsgStore ro = s.openMsgStore(0, Fixture.storeId(s, 0), Flags.MDB_NO_DIALOG);
            String name = ro.getProp(PropTags.PR_DISPLAY_NAME).orElseThrow().asString();
            int mask = ro.getProp(PropTags.PR_STORE_SUPPORT_MASK).orElseThrow().asInt();
            assertThat(mask & 0x8).as("STORE_MODIFY_OK").isZero();
            assertThat(mask & 0x10).as("STORE_CREATE_OK").isZero();
            assertHr(() -> ro.setProps(List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "x"))),
                    HResult.MAPI_E_NO_ACCESS);
            assertHr(() -> ro.deleteProps(new int[] {PropTags.PR_DISPLAY_NAME}), HResult.MAPI_E_NO_ACCESS);
            assertHr(() -> ro.openEntry(subtreeId, Flags.MAPI_MODIFY), HResult.MAPI_E_NO_ACCESS);
            assertHr(() -> ro.setReceiveFolder("IPM", 0, null), HResult.MAPI_E_NO_ACCESS);
            try (MapiFolder root = (MapiFolder) ro.openEntry(null, 0);
                 MapiFolder sub = (MapiFolder) ro.openEntry(subfolderId, 0)) {
                assertHr(() -> root.createMessage(0), HResult.MAPI_E_NO_ACCESS);
                assertHr(() -> root.createFolder(1, "Other", null, 0), HResult.MAPI_E_NO_ACCESS);
                assertHr(() -> sub.deleteMessages(List.of(messageId), 0), HResult.MAPI_E_NO_ACCESS);
                assertHr(() -> root.deleteFolder(subfolderId, 0), HResult.MAPI_E_NO_ACCESS);
                assertHr(() -> sub.setProps(List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "y"))),
                        HResult.MAPI_E_NO_ACCESS);
            }
            // nothing changed
            assertThat(ro.getProp(PropTags.PR_DISPLAY_NAME).orElseThrow().asString()).isEqualTo(name);
            try (MapiObject msg = ro.openEntry(messageId, 0)) {
                assertThat(((MapiProp) msg).getProp(PropTags.PR_SUBJECT).orElseThrow().asString()).isEqualTo("kept");
            }
            ro.release();
            s.release();
        }
    }

    // ---- R-AB-1 ------------------------------------------------------------------------------------------------

    @Test
    void R_AB_1_addressBooksLogOnAtOpenAddressBookAndTheLogonIsReused(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            long m = f.mark();
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            statusRows(s);
            Fixture.open(s, 0).release();
            assertThat(count(f, m, "IABProvider::Logon")).isZero();
            assertThat(rs.abLogons()).isEmpty();

            long m2 = f.mark();
            AddrBook ab = s.openAddressBook(0, 0);
            assertThat(count(f, m2, "ABProviderInit")).isEqualTo(1);
            assertThat(count(f, m2, "IABProvider::Logon")).isEqualTo(1);
            assertThat(rs.abLogons()).hasSize(1);
            AbLogonRecord logon = rs.abLogons().get(0);
            assertThat(logon.isActive()).isTrue();

            long m3 = f.mark();
            AddrBook ab2 = s.openAddressBook(0, 0);
            assertThat(count(f, m3, "IABProvider::Logon")).isZero();
            assertThat(rs.abLogons()).containsExactly(logon);
            // another session gets its own logon object
            MapiSession other = f.logon();
            AddrBook ab3 = other.openAddressBook(0, 0);
            assertThat(((RealSession) other).abLogons().get(0).logonObject()).isNotSameAs(logon.logonObject());
            ab.release();
            ab2.release();
            ab3.release();
            other.release();
            s.release();
        }
    }

    // ---- R-AB-2 ------------------------------------------------------------------------------------------------

    @Test
    void R_AB_2_theAddressBookLogonRegistersItsUidAndItsIdsRouteToIt(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            EntryId bob = MemoryAbProvider.entryIdOf("bob@localhost");
            assertHr(() -> s.openEntry(bob, 0), HResult.MAPI_E_UNKNOWN_ENTRYID);

            long m = f.mark();
            AddrBook ab = s.openAddressBook(0, 0);
            String label = labelOf(f, m, "IABProvider::Logon");
            long call = seqOf(f, m, "IABProvider::Logon", TraceEvent.Phase.CALL, label);
            long ret = seqOf(f, m, "IABProvider::Logon", TraceEvent.Phase.RETURN, label);
            assertThat(seqOf(f, m, "IMAPISupport::SetProviderUID", TraceEvent.Phase.CALL, label)).isBetween(call, ret);
            assertThat(rs.uids.uidsOf(rs.abLogons().get(0))).containsExactly(MemoryAbProvider.AB_UID);

            try (MapiObject viaSession = s.openEntry(bob, 0); MapiObject viaAb = ab.openEntry(bob, 0)) {
                assertThat(((MapiProp) viaSession).getProp(PropTags.PR_DISPLAY_NAME).orElseThrow().asString())
                        .isEqualTo("Bob");
                assertThat(((MapiProp) viaAb).getProp(PropTags.PR_DISPLAY_NAME).orElseThrow().asString())
                        .isEqualTo("Bob");
            }
            assertHr(() -> ab.openEntry(MemoryAbProvider.entryIdOf("nobody@localhost"), 0), HResult.MAPI_E_NOT_FOUND);
            assertHr(() -> ab.openEntry(EntryId.create(0, MapiUid.random(), new byte[] {1}), 0),
                    HResult.MAPI_E_UNKNOWN_ENTRYID);
            ab.release();
            s.release();
        }
    }

    // ---- R-AB-3 ------------------------------------------------------------------------------------------------

    @Test
    void R_AB_3_shutdownComesAfterEveryLogonReleaseAndIsTheLastCallBeforeRelease(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            Counts ab0 = Counts.of(MemoryAbProvider.STATS);
            MapiSession s = f.logon();
            long m = f.mark();
            s.openAddressBook(0, 0).release();
            String provider = labelOf(f, m, "ABProviderInit");
            String logon = labelOf(f, m, "IABProvider::Logon");
            s.logoff(0, 0, 0);

            assertThat(f.trace.calls(provider)).containsExactly("ABProviderInit", "IABProvider::Shutdown",
                    "IABProvider::Release");
            long logonReleased = seqOf(f, m, "IABLogon::Release", TraceEvent.Phase.RETURN, logon);
            long shutdown = seqOf(f, m, "IABProvider::Shutdown", TraceEvent.Phase.CALL, provider);
            long shutdownReturn = seqOf(f, m, "IABProvider::Shutdown", TraceEvent.Phase.RETURN, provider);
            long release = seqOf(f, m, "IABProvider::Release", TraceEvent.Phase.CALL, provider);
            assertThat(logonReleased).isLessThan(shutdown);
            assertThat(shutdownReturn).isLessThan(release);
            assertThat(events(f, m, "IABProvider::Shutdown", TraceEvent.Phase.RETURN).get(0).hresult())
                    .as("the provider accepts Shutdown only when no logon is left").isEqualTo(HResult.S_OK);
            // nothing else reached the provider object between Shutdown and its Release
            assertThat(f.trace.since(shutdown).stream().filter(e -> e.seq() < release
                    && e.object().equals(provider) && e.phase() == TraceEvent.Phase.CALL)).isEmpty();
            Counts ab1 = Counts.of(MemoryAbProvider.STATS);
            assertThat(ab1.shutdowns() - ab0.shutdowns()).isEqualTo(1);
            assertThat(ab1.withoutShutdown() - ab0.withoutShutdown()).isZero();
            s.release();
        }
    }
}
