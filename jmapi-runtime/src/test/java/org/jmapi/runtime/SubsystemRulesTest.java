package org.jmapi.runtime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.Notification;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.testproviders.MemoryAbProvider;
import org.jmapi.runtime.testproviders.MemoryStoreProvider;
import org.jmapi.runtime.testproviders.MemoryStoreService;
import org.jmapi.runtime.testproviders.MemoryTransportProvider;
import org.jmapi.runtime.testproviders.ProviderStats;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.spi.MessageService;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.jmapi.runtime.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rules of spec &sect;2 (subsystem initialisation and teardown, R-INIT-1..5) and &sect;4 (session logon,
 * R-SES-1..4), checked against the real runtime with the in-memory test providers. R-SES-4 also uses the
 * blocking transport plug-in of {@link ProviderLogonRulesTest} to keep the spooler busy.
 *
 * <p>Note on R-INIT-4: the {@code jmapi-notify} thread is started by the first notification, not by MAPIInitialize
 * itself (a lazily started executor thread); the tests check it from the first delivery to the final uninitialize.
 *
 * <p>Pending:
 * <ul>
 *   <li>R-INIT-3, "no extended error information is ever produced" and the step-specific failure codes
 *       (TOO_COMPLEX, VERSION, SESSION_LIMIT, NOT_ENOUGH_RESOURCES, INVALID_OBJECT): jmapi has no GetLastError for
 *       MAPIInitialize and none of those internal steps can be made to fail from a test.</li>
 *   <li>R-INIT-5, "never call MAPIInitialize/MAPIUninitialize from static initialisers or shutdown hooks": a usage
 *       rule for clients, not observable behaviour of the runtime.</li>
 *   <li>R-SES-1, "too many sessions" (255 open sessions) and MAPI_E_USER_CANCEL: jmapi shows no dialogs, so no
 *       user can cancel one; opening 255 sessions was left out as too slow for a unit test.</li>
 *   <li>R-SES-3, "no spooler-mediated send/receive" and per-message transport options: need the spooler's send
 *       loop, which does not exist yet (only the lifecycle half is tested: no transport logon, no rows, no
 *       SpoolerLogon).</li>
 * </ul>
 */
class SubsystemRulesTest {

    @BeforeEach
    @AfterEach
    void uninitializeCompletely() {
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static void assertHr(ThrowingCallable call, int hresult) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).as(HResult.name(e.hresult()) + ": " + e.getMessage()).isEqualTo(hresult));
    }

    private static List<Thread> threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .toList();
    }

    private static List<Row> statusRows(MapiSession s) {
        try (MapiTable t = s.getStatusTable(0)) {
            t.setColumns(new int[] {PropTags.PR_RESOURCE_TYPE, PropTags.PR_STATUS_CODE, PropTags.PR_DISPLAY_NAME}, 0);
            return t.queryRows(100, 0);
        }
    }

    private static int resourceType(Row r) {
        return r.get(PropTags.PR_RESOURCE_TYPE).asInt();
    }

    private static List<TraceEvent> events(Fixture f, long since, String call, TraceEvent.Phase phase) {
        return f.trace.since(since).stream().filter(e -> e.call().equals(call) && e.phase() == phase).toList();
    }

    private record Counts(int created, int shutdowns, int withoutShutdown, int liveLogons) {
        static Counts of(ProviderStats s) {
            return new Counts(s.created(), s.shutdowns(), s.releasedWithoutShutdown(), s.liveLogons());
        }
    }

    // ---- R-INIT-1 ----------------------------------------------------------------------------------------------

    @Test
    void R_INIT_1_callsBeforeTheFirstInitializeFailWithNotInitialized() {
        assertThat(Mapi.initCount()).isZero();
        assertHr(() -> Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_NEW_SESSION), HResult.MAPI_E_NOT_INITIALIZED);
        assertHr(() -> Mapi.adminProfiles(0), HResult.MAPI_E_NOT_INITIALIZED);
        assertHr(Mapi::home, HResult.MAPI_E_NOT_INITIALIZED);
        assertThat(HResult.MAPI_E_NOT_INITIALIZED).isEqualTo(0x80040605);
    }

    @Test
    void R_INIT_1_callsAfterTheFinalUninitializeFailWithNotInitialized(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            assertThat(Mapi.home()).isEqualTo(home.toAbsolutePath().normalize());

            Mapi.uninitialize();

            assertThat(Mapi.initCount()).isZero();
            assertHr(() -> Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_NEW_SESSION),
                    HResult.MAPI_E_NOT_INITIALIZED);
            assertHr(() -> Mapi.adminProfiles(0), HResult.MAPI_E_NOT_INITIALIZED);
            assertHr(Mapi::home, HResult.MAPI_E_NOT_INITIALIZED);
            // a session obtained before the final uninitialize is part of "any MAPI call" too
            assertHr(() -> s.getMsgStoresTable(0), HResult.MAPI_E_NOT_INITIALIZED);
            assertHr(() -> s.openAddressBook(0, 0), HResult.MAPI_E_NOT_INITIALIZED);
            store.release();
            s.release();
        }
    }

    // ---- R-INIT-2 ----------------------------------------------------------------------------------------------

    @Test
    void R_INIT_2_initializeIsReferenceCountedAndTeardownHappensAtZero(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            assertThat(Mapi.initCount()).isEqualTo(1);
            assertThat(Mapi.initialize(MapiInit.home(home))).isEqualTo(HResult.S_OK);
            assertThat(Mapi.initCount()).isEqualTo(2);

            MapiSession s = f.logon();
            MsgStore a = Fixture.open(s, 0);
            long m = f.mark();

            Mapi.uninitialize();
            assertThat(Mapi.initCount()).isEqualTo(1);
            // nothing was torn down: the session and its store keep working, new work is possible
            assertThat(f.callsSince(m)).noneMatch(c -> c.startsWith("MAPIUninitialize")
                    || c.startsWith("IMAPISession::Logoff") || c.startsWith("IMSLogon::Logoff"));
            assertThat(a.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            MsgStore b = Fixture.open(s, 1);
            assertThat(b.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
            assertThat(statusRows(s)).isNotEmpty();
            MapiSession other = f.logon();
            assertThat(Mapi.home()).isEqualTo(home.toAbsolutePath().normalize());

            long m2 = f.mark();
            Mapi.uninitialize();
            assertThat(Mapi.initCount()).isZero();
            // the second one tore everything down: both sessions logged off inside MAPIUninitialize
            List<String> calls = f.callsSince(m2);
            assertThat(calls).contains("MAPIUninitialize mapi");
            assertThat(calls.stream().filter(c -> c.startsWith("IMAPISession::Logoff")).count()).isEqualTo(2);
            assertHr(() -> a.getProp(PropTags.PR_DISPLAY_NAME), HResult.MAPI_E_INVALID_OBJECT);
            assertHr(() -> Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_NEW_SESSION),
                    HResult.MAPI_E_NOT_INITIALIZED);

            // a surplus uninitialize is a no-op: no exception, no trace, and the count does not go negative
            long m3 = f.mark();
            Mapi.uninitialize();
            Mapi.uninitialize();
            assertThat(Mapi.initCount()).isZero();
            assertThat(f.callsSince(m3)).isEmpty();
            assertThat(Mapi.initialize(MapiInit.home(home))).isEqualTo(HResult.S_OK);
            assertThat(Mapi.initCount()).isEqualTo(1);
            Mapi.uninitialize();
            assertThat(Mapi.initCount()).isZero();
            a.release();
            b.release();
            s.release();
            other.release();
        }
    }

    // ---- R-INIT-3 ----------------------------------------------------------------------------------------------

    @Test
    void R_INIT_3_nullInitIsAccepted(@TempDir Path home) {
        String before = System.getProperty("jmapi.home");
        System.setProperty("jmapi.home", home.toString());
        try {
            assertThat(Mapi.initialize(null)).isEqualTo(HResult.S_OK);
            assertThat(Mapi.initCount()).isEqualTo(1);
            assertThat(Mapi.home()).isEqualTo(home.toAbsolutePath().normalize());
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.createProfile("p", null, 0, 0);
            }
            MapiSession s = Mapi.logonEx(0, "p", null, Flags.MAPI_NEW_SESSION);
            assertThat(s.profileName()).isEqualTo("p");
            s.logoff(0, 0, 0);
            s.release();
            Mapi.uninitialize();
            assertThat(Mapi.initCount()).isZero();
        } finally {
            if (before == null) {
                System.clearProperty("jmapi.home");
            } else {
                System.setProperty("jmapi.home", before);
            }
        }
    }

    @Test
    void R_INIT_3_explicitVersionZeroInitIsAccepted(@TempDir Path home) {
        assertThat(Mapi.initialize(new MapiInit(Flags.MAPI_INIT_VERSION, 0, home))).isEqualTo(HResult.S_OK);
        assertThat(Mapi.initCount()).isEqualTo(1);
        assertThat(Mapi.home()).isEqualTo(home.toAbsolutePath().normalize());
        Mapi.uninitialize();
        assertThat(Mapi.initCount()).isZero();
    }

    @Test
    void R_INIT_3_malformedInitFailsWithInvalidParameter(@TempDir Path home) {
        assertHr(() -> Mapi.initialize(new MapiInit(1, 0, home)), HResult.MAPI_E_INVALID_PARAMETER);
        assertHr(() -> Mapi.initialize(new MapiInit(-1, 0, home)), HResult.MAPI_E_INVALID_PARAMETER);
        assertThat(Mapi.initCount()).isZero();
        assertHr(() -> Mapi.adminProfiles(0), HResult.MAPI_E_NOT_INITIALIZED);
    }

    @Test
    void R_INIT_3_unknownFlagBitsFailWithUnknownFlags(@TempDir Path home) {
        for (int flag : new int[] {0x4, 0x2, 0x8000, 0x20000, 0x80000000}) {
            assertHr(() -> Mapi.initialize(new MapiInit(0, flag, home)), HResult.MAPI_E_UNKNOWN_FLAGS);
            assertHr(() -> Mapi.initialize(new MapiInit(0, flag | Flags.MAPI_MULTITHREAD_NOTIFICATIONS, home)),
                    HResult.MAPI_E_UNKNOWN_FLAGS);
        }
        assertThat(Mapi.initCount()).isZero();
    }

    @Test
    void R_INIT_3_multithreadNotificationsAndNtServiceFlagsAreAccepted(@TempDir Path home) {
        assertThat(Mapi.initialize(new MapiInit(0, Flags.MAPI_MULTITHREAD_NOTIFICATIONS, home)))
                .isEqualTo(HResult.S_OK);
        assertThat(Mapi.initialize(new MapiInit(0, Flags.MAPI_NT_SERVICE, home))).isEqualTo(HResult.S_OK);
        assertThat(Mapi.initialize(new MapiInit(0, Flags.MAPI_MULTITHREAD_NOTIFICATIONS | Flags.MAPI_NT_SERVICE,
                home))).isEqualTo(HResult.S_OK);
        assertThat(Mapi.initCount()).isEqualTo(3);
        assertThat(Flags.MAPI_MULTITHREAD_NOTIFICATIONS).isEqualTo(0x1);
        assertThat(Flags.MAPI_NT_SERVICE).isEqualTo(0x10000);
    }

    // ---- R-INIT-4 ----------------------------------------------------------------------------------------------

    /** Adds a status-table sink that records the thread each notification runs on. */
    private static int recordNotifyThreads(MapiTable table, List<Thread> threads) {
        return table.advise(Flags.fnevTableModified, (List<Notification> n) -> {
            threads.add(Thread.currentThread());
            return 0;
        });
    }

    @Test
    void R_INIT_4_notificationsRunOnOneDispatcherThreadThatLivesUntilTheCountReachesZero(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            Mapi.initialize(MapiInit.home(home)); // count 2
            MapiSession s = f.logon();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            MapiTable status = s.getStatusTable(0);
            recordNotifyThreads(status, threads);

            MsgStore a = Fixture.open(s, 0); // the store adds its status row: TABLE_ROW_ADDED
            await(() -> !threads.isEmpty(), Duration.ofSeconds(10), "the status-table sink was called");
            Thread dispatcher = threads.get(0);
            assertThat(dispatcher.getName()).isEqualTo(NotificationDispatcher.THREAD_NAME).isEqualTo("jmapi-notify");
            assertThat(dispatcher).isNotSameAs(Thread.currentThread());
            assertThat(threadsNamed("jmapi-notify")).contains(dispatcher);

            Mapi.uninitialize(); // count 1: the thread lives on and keeps delivering
            assertThat(dispatcher.isAlive()).isTrue();
            MsgStore b = Fixture.open(s, 1);
            await(() -> threads.size() >= 2, Duration.ofSeconds(10), "the second notification arrived");
            assertThat(threads).allSatisfy(t -> assertThat(t).isSameAs(dispatcher));
            assertThat(dispatcher.isAlive()).isTrue();

            Mapi.uninitialize(); // count 0: the dispatcher thread ends
            await(() -> !dispatcher.isAlive(), Duration.ofSeconds(10), "the jmapi-notify thread ended");
            await(() -> threadsNamed("jmapi-notify").isEmpty(), Duration.ofSeconds(10),
                    "no jmapi-notify thread is left");
            status.release();
            a.release();
            b.release();
            s.release();
        }
    }

    @Test
    void R_INIT_4_theDispatcherThreadExistsFromInitializeOn(@TempDir Path home) {
        await(() -> threadsNamed("jmapi-notify").isEmpty(), Duration.ofSeconds(10), "earlier dispatchers ended");
        Mapi.initialize(MapiInit.home(home));
        try {
            assertThat(threadsNamed("jmapi-notify")).hasSize(1);
        } finally {
            Mapi.uninitialize();
        }
        await(() -> threadsNamed("jmapi-notify").isEmpty(), Duration.ofSeconds(10), "the jmapi-notify thread ended");
    }

    @Test
    void R_INIT_4_eachInitializedSubsystemHasItsOwnDispatcherThread(@TempDir Path home) {
        List<Thread> first = new CopyOnWriteArrayList<>();
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = f.logon();
            try (MapiTable status = s.getStatusTable(0)) {
                recordNotifyThreads(status, first);
                Fixture.open(s, 0).release();
                await(() -> !first.isEmpty(), Duration.ofSeconds(10), "a notification arrived");
            }
            s.release();
        }
        await(() -> !first.get(0).isAlive(), Duration.ofSeconds(10), "the first dispatcher ended");
        List<Thread> second = new CopyOnWriteArrayList<>();
        try (Fixture f = Fixture.start(home.resolve("again"))) {
            MapiSession s = f.logon();
            try (MapiTable status = s.getStatusTable(0)) {
                recordNotifyThreads(status, second);
                Fixture.open(s, 0).release();
                await(() -> !second.isEmpty(), Duration.ofSeconds(10), "a notification arrived");
            }
            assertThat(second.get(0).getName()).isEqualTo("jmapi-notify");
            assertThat(second.get(0)).isNotSameAs(first.get(0));
            s.release();
        }
    }

    // ---- R-INIT-5 ----------------------------------------------------------------------------------------------

    @Test
    void R_INIT_5_finalUninitializeShutsDownEveryProviderObjectBeforeItReturns(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            Counts ms0 = Counts.of(MemoryStoreProvider.STATS);
            Counts xp0 = Counts.of(MemoryTransportProvider.STATS);
            Counts ab0 = Counts.of(MemoryAbProvider.STATS);
            long m = f.mark();
            MapiSession s = f.logon();
            MsgStore a = Fixture.open(s, 0);
            MsgStore b = Fixture.open(s, 1);
            s.openAddressBook(0, 0).release();
            Fixture.spoolerStore(s, Fixture.storeId(s, 0));
            Fixture.spoolerStore(s, Fixture.storeId(s, 1));
            assertThat(statusRows(s)).anyMatch(r -> resourceType(r) == Flags.MAPI_TRANSPORT_PROVIDER);
            MapiSession second = f.logon(); // an idle second session still logged on too
            Fixture.open(second, 0).release();

            Mapi.uninitialize(); // the session and its stores are still open here

            for (var pair : List.of(List.of(ms0, Counts.of(MemoryStoreProvider.STATS)),
                    List.of(xp0, Counts.of(MemoryTransportProvider.STATS)),
                    List.of(ab0, Counts.of(MemoryAbProvider.STATS)))) {
                Counts before = pair.get(0);
                Counts after = pair.get(1);
                assertThat(after.created() - before.created()).isPositive();
                assertThat(after.shutdowns() - before.shutdowns()).isEqualTo(after.created() - before.created());
                assertThat(after.withoutShutdown() - before.withoutShutdown()).isZero();
                assertThat(after.liveLogons()).isEqualTo(before.liveLogons());
            }
            // all of it happened inside MAPIUninitialize, before it returned; nothing ran afterwards
            List<TraceEvent> trace = f.trace.since(m);
            long uninitReturn = trace.stream().filter(e -> e.call().equals("MAPIUninitialize")
                    && e.phase() == TraceEvent.Phase.RETURN).findFirst().orElseThrow().seq();
            List<TraceEvent> providerEvents = trace.stream().filter(e -> e.call().endsWith("Provider::Shutdown")
                    || e.call().endsWith("Provider::Release")).toList();
            assertThat(providerEvents).isNotEmpty().allSatisfy(e -> assertThat(e.seq()).isLessThan(uninitReturn));
            assertThat(trace.stream().filter(e -> e.call().endsWith("Provider::Shutdown")
                    && e.phase() == TraceEvent.Phase.RETURN)).allSatisfy(e ->
                    assertThat(e.hresult()).as(e.brief()).isEqualTo(HResult.S_OK));
            assertThat(trace).filteredOn(e -> e.seq() > uninitReturn).isEmpty();
            a.release();
            b.release();
            s.release();
            second.release();
        }
    }

    /** The source of a message service that exists only as a jar in HOME/plugins. */
    private static final String PLUGIN_SOURCE = """
            package rulesplug;

            import java.util.List;
            import org.jmapi.prop.PropValue;
            import org.jmapi.spi.MapiSupport;
            import org.jmapi.spi.MessageService;
            import org.jmapi.spi.MsProvider;
            import org.jmapi.spi.ProviderInfo;
            import org.jmapi.spi.ProviderKind;
            import org.jmapi.runtime.testproviders.MemoryStoreService;

            public final class PlugService implements MessageService {
                public String name() { return "rulesplug.store"; }
                public String displayName() { return "Plug-in Store"; }
                public List<ProviderInfo> providers() {
                    return List.of(new ProviderInfo("store", ProviderKind.STORE, "Plug-in Store", 0));
                }
                public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
                    new MemoryStoreService().serviceEntry(context, support, uiFlags, props);
                }
                public MsProvider msProviderInit(int version) {
                    return new MemoryStoreService().msProviderInit(version);
                }
            }
            """;

    private static Path classPathOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles {@link #PLUGIN_SOURCE} and puts it, a ServiceLoader entry and a marker file in HOME/plugins. */
    private static void installCompiledPlugin(Path home, Path work) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK compiler").isNotNull();
        Path src = work.resolve("src/rulesplug/PlugService.java");
        Path out = work.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(out);
        Files.writeString(src, PLUGIN_SOURCE);
        String cp = classPathOf(MessageService.class) + java.io.File.pathSeparator
                + classPathOf(MemoryStoreService.class);
        int rc = javac.run(null, null, null, "-classpath", cp, "-d", out.toString(), src.toString());
        assertThat(rc).as("javac exit code").isZero();
        Path plugins = home.resolve("plugins");
        Files.createDirectories(plugins);
        try (OutputStream os = Files.newOutputStream(plugins.resolve("rulesplug.jar"));
             JarOutputStream jar = new JarOutputStream(os)) {
            jar.putNextEntry(new JarEntry("META-INF/services/" + MessageService.class.getName()));
            jar.write("rulesplug.PlugService\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("rulesplug/PlugService.class"));
            jar.write(Files.readAllBytes(out.resolve("rulesplug/PlugService.class")));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("rulesplug/marker.txt"));
            jar.write("plug-in".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    @Test
    void R_INIT_5_pluginCodeIsDroppedOnlyAtTheFinalUninitializeAfterItsProvidersShutDown(@TempDir Path home,
            @TempDir Path work) throws IOException {
        installCompiledPlugin(home, work);
        try (Fixture f = Fixture.start(home)) {
            MessageService plug = Mapi.subsystem().catalog().find("rulesplug.store").orElseThrow();
            ClassLoader loader = plug.getClass().getClassLoader();
            assertThat(loader.getName()).isEqualTo("jmapi-plugins");
            assertThat(loader.getResource("rulesplug/marker.txt")).isNotNull();
            try (ProfileAdmin admin = Mapi.adminProfiles(0);
                 MsgServiceAdmin services = admin.adminServices(Fixture.PROFILE, 0)) {
                services.createMsgService("rulesplug.store", "Plug", 0, 0);
            }
            Mapi.initialize(MapiInit.home(home)); // count 2
            Counts ms0 = Counts.of(MemoryStoreProvider.STATS);
            long m = f.mark();
            MapiSession s = f.logon();
            List<EntryId> ids = Fixture.storeIds(s);
            assertThat(ids).hasSize(3);
            MsgStore plugStore = s.openMsgStore(0, ids.get(2), Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
            assertThat(plugStore.getProp(PropTags.PR_DISPLAY_NAME).map(PropValue::asString)).contains("Plug-in Store");

            Mapi.uninitialize(); // count 1: provider code stays loaded
            assertThat(loader.getResource("rulesplug/marker.txt")).isNotNull();
            assertThat(plugStore.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();

            Mapi.uninitialize(); // final: providers shut down, then the plug-in class loader is closed
            assertThat(loader.getResource("rulesplug/marker.txt")).as("the plug-in jar is closed").isNull();
            Counts ms1 = Counts.of(MemoryStoreProvider.STATS);
            assertThat(ms1.created() - ms0.created()).isEqualTo(1);
            assertThat(ms1.shutdowns() - ms0.shutdowns()).isEqualTo(1);
            assertThat(ms1.withoutShutdown() - ms0.withoutShutdown()).isZero();
            List<String> calls = f.callsSince(m);
            assertThat(calls).contains("IMSProvider::Shutdown msp:" + calls.stream()
                    .filter(c -> c.startsWith("MSProviderInit")).findFirst().orElseThrow().split(":")[1]);
            assertHr(() -> plugStore.getProp(PropTags.PR_DISPLAY_NAME), HResult.MAPI_E_INVALID_OBJECT);
            plugStore.release();
            s.release();
        }
    }

    // ---- R-SES-1 -----------------------------------------------------------------------------------------------

    @Test
    void R_SES_1_aPasswordMakesLogonFail(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            assertHr(() -> Mapi.logonEx(0, Fixture.PROFILE, "secret", Flags.MAPI_NEW_SESSION),
                    HResult.MAPI_E_LOGON_FAILED);
            assertHr(() -> Mapi.logonEx(0, Fixture.PROFILE, "", Flags.MAPI_NEW_SESSION), HResult.MAPI_E_LOGON_FAILED);
            MapiSession ok = Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_NEW_SESSION);
            assertThat(ok.profileName()).isEqualTo(Fixture.PROFILE);
            ok.release();
        }
    }

    @Test
    void R_SES_1_invalidProfileNamesMakeLogonFail(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            String name64 = "p".repeat(64);
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.createProfile(name64, null, 0, 0);
            }
            MapiSession ok = Mapi.logonEx(0, name64, null, Flags.MAPI_NEW_SESSION);
            assertThat(ok.profileName()).isEqualTo(name64);
            ok.release();

            assertHr(() -> Mapi.logonEx(0, "p".repeat(65), null, Flags.MAPI_NEW_SESSION), HResult.MAPI_E_LOGON_FAILED);
            assertHr(() -> Mapi.logonEx(0, " " + Fixture.PROFILE, null, Flags.MAPI_NEW_SESSION),
                    HResult.MAPI_E_LOGON_FAILED);
            assertHr(() -> Mapi.logonEx(0, Fixture.PROFILE + " ", null, Flags.MAPI_NEW_SESSION),
                    HResult.MAPI_E_LOGON_FAILED);
            // without MAPI_LOGON_UI missing information is an error, never a dialog
            assertHr(() -> Mapi.logonEx(0, null, null, Flags.MAPI_NEW_SESSION), HResult.MAPI_E_LOGON_FAILED);
            assertHr(() -> Mapi.logonEx(0, "", null, Flags.MAPI_NEW_SESSION), HResult.MAPI_E_LOGON_FAILED);
        }
    }

    @Test
    void R_SES_1_anUnknownProfileMakesLogonFail(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            assertHr(() -> Mapi.logonEx(0, "no such profile", null, Flags.MAPI_NEW_SESSION),
                    HResult.MAPI_E_LOGON_FAILED);
            assertHr(() -> Mapi.logonEx(0, "no such profile", null, Flags.MAPI_NEW_SESSION | Flags.MAPI_EXPLICIT_PROFILE),
                    HResult.MAPI_E_LOGON_FAILED);
        }
    }

    @Test
    @Timeout(60)
    void R_SES_1_logonsAreSerialisedAndTimeoutShortFailsWithTimeoutWhileTheLockIsHeld(@TempDir Path home)
            throws Exception {
        try (Fixture f = Fixture.start(home)) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                Mapi.subsystem().logonLock.lock();
                try {
                    held.countDown();
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    Mapi.subsystem().logonLock.unlock();
                }
            }, "rules-logon-lock-holder");
            holder.start();
            CompletableFuture<MapiSession> waiting = null;
            try {
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                waiting = CompletableFuture.supplyAsync(() ->
                        Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_NEW_SESSION));
                assertHr(() -> Mapi.logonEx(0, Fixture.PROFILE, null,
                        Flags.MAPI_NEW_SESSION | Flags.MAPI_TIMEOUT_SHORT), HResult.MAPI_E_TIMEOUT);
                // the logon without MAPI_TIMEOUT_SHORT is still waiting for the lock (serialised, not failed)
                assertThat(waiting).isNotDone();
            } finally {
                letGo.countDown();
                holder.join(10_000);
            }
            MapiSession late = waiting.get(30, TimeUnit.SECONDS);
            assertThat(late.profileName()).isEqualTo(Fixture.PROFILE);
            MapiSession quick = Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_NEW_SESSION | Flags.MAPI_TIMEOUT_SHORT);
            assertThat(quick).isNotSameAs(late);
            late.release();
            quick.release();
        }
    }

    // ---- R-SES-2 -----------------------------------------------------------------------------------------------

    @Test
    void R_SES_2_anAllowOthersSessionIsSharedUnlessNewSessionIsAsked(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession shared = Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_ALLOW_OTHERS | Flags.MAPI_EXTENDED);
            statusRows(shared); // its spooler is done logging the transport on
            long m = f.mark();
            // without MAPI_NEW_SESSION the caller gets that session, whatever profile name it passes
            MapiSession again = Mapi.logonEx(0, "some other profile", null, Flags.MAPI_EXTENDED);
            assertThat(again).isSameAs(shared);
            MapiSession third = Mapi.logonEx(0, null, null, 0);
            assertThat(third).isSameAs(shared);
            assertThat(events(f, m, "MAPILogonEx", TraceEvent.Phase.RETURN)).extracting(TraceEvent::object)
                    .containsOnly(((RealSession) shared).label);
            assertThat(f.callsSince(m)).noneMatch(c -> c.startsWith("MSProviderInit") || c.startsWith("XPProviderInit"));
            // with MAPI_NEW_SESSION a new session is made
            MapiSession fresh = Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_NEW_SESSION | Flags.MAPI_EXTENDED);
            assertThat(fresh).isNotSameAs(shared);
            // the shared session was AddRef'ed for each caller: releasing two references keeps it alive
            again.release();
            third.release();
            assertThat(shared.profileName()).isEqualTo(Fixture.PROFILE);
            fresh.release();
            shared.release();
        }
    }

    @Test
    void R_SES_2_withoutAllowOthersEveryLogonMakesItsOwnSession(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession first = Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_EXTENDED);
            MapiSession second = Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_EXTENDED);
            assertThat(second).isNotSameAs(first);
            assertHr(() -> Mapi.logonEx(0, "nope", null, Flags.MAPI_EXTENDED), HResult.MAPI_E_LOGON_FAILED);
            first.release();
            second.release();
        }
    }

    @Test
    void R_SES_2_useDefaultSubstitutesTheDefaultProfile(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.createProfile("second", null, 0, 0);
                admin.setDefaultProfile("second");
            }
            MapiSession s = Mapi.logonEx(0, null, null, Flags.MAPI_USE_DEFAULT | Flags.MAPI_NEW_SESSION);
            assertThat(s.profileName()).isEqualTo("second");
            // a given, existing name is used as is even with MAPI_USE_DEFAULT
            MapiSession named = Mapi.logonEx(0, Fixture.PROFILE, null, Flags.MAPI_USE_DEFAULT | Flags.MAPI_NEW_SESSION);
            assertThat(named.profileName()).isEqualTo(Fixture.PROFILE);
            // without MAPI_USE_DEFAULT a missing name is an error
            assertHr(() -> Mapi.logonEx(0, null, null, Flags.MAPI_NEW_SESSION), HResult.MAPI_E_LOGON_FAILED);
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.setDefaultProfile(Fixture.PROFILE);
            }
            MapiSession s2 = Mapi.logonEx(0, null, null, Flags.MAPI_USE_DEFAULT | Flags.MAPI_NEW_SESSION);
            assertThat(s2.profileName()).isEqualTo(Fixture.PROFILE);
            s.release();
            named.release();
            s2.release();
        }
    }

    @Test
    void R_SES_2_explicitProfileForbidsFallingBackToTheDefault(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.setDefaultProfile(Fixture.PROFILE);
            }
            // without MAPI_EXPLICIT_PROFILE an unknown name falls back to the default under MAPI_USE_DEFAULT
            MapiSession fallback = Mapi.logonEx(0, "unknown", null, Flags.MAPI_USE_DEFAULT | Flags.MAPI_NEW_SESSION);
            assertThat(fallback.profileName()).isEqualTo(Fixture.PROFILE);
            // with it, no fallback
            assertHr(() -> Mapi.logonEx(0, "unknown", null,
                    Flags.MAPI_EXPLICIT_PROFILE | Flags.MAPI_USE_DEFAULT | Flags.MAPI_NEW_SESSION),
                    HResult.MAPI_E_LOGON_FAILED);
            assertHr(() -> Mapi.logonEx(0, null, null, Flags.MAPI_EXPLICIT_PROFILE | Flags.MAPI_NEW_SESSION),
                    HResult.MAPI_E_LOGON_FAILED);
            // ... unless MAPI_USE_DEFAULT is also set and no name was given
            MapiSession byDefault = Mapi.logonEx(0, null, null,
                    Flags.MAPI_EXPLICIT_PROFILE | Flags.MAPI_USE_DEFAULT | Flags.MAPI_NEW_SESSION);
            assertThat(byDefault.profileName()).isEqualTo(Fixture.PROFILE);
            fallback.release();
            byDefault.release();
        }
    }

    // ---- R-SES-3 -----------------------------------------------------------------------------------------------

    @Test
    void R_SES_3_noMailSessionsLogNoTransportOnAndMarkTheSpoolerFailed(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            long m = f.mark();
            MapiSession s = f.logon(Flags.MAPI_EXTENDED | Flags.MAPI_NO_MAIL);
            MsgStore a = Fixture.open(s, 0);
            List<Row> rows = statusRows(s);
            assertThat(rows).noneMatch(r -> resourceType(r) == Flags.MAPI_TRANSPORT_PROVIDER);
            Row spooler = rows.stream().filter(r -> resourceType(r) == Flags.MAPI_SPOOLER).findFirst().orElseThrow();
            assertThat(spooler.get(PropTags.PR_STATUS_CODE).asInt() & Flags.STATUS_FAILURE)
                    .isEqualTo(Flags.STATUS_FAILURE);
            RealSession rs = (RealSession) s;
            assertThat(rs.spooler.store(MsgStoresTable.sectionOf(Fixture.storeId(s, 0)))).isEmpty();
            assertThat(rs.spooler.transports()).isEmpty();
            a.release();
            s.logoff(0, 0, 0);
            s.release();
            // nothing the spooler would have done happened, not even later
            assertThat(f.callsSince(m)).noneMatch(c -> c.startsWith("XPProviderInit")
                    || c.startsWith("IXPProvider::TransportLogon") || c.startsWith("IMSProvider::SpoolerLogon")
                    || c.startsWith("IXPLogon::"));

            // the same profile without MAPI_NO_MAIL does log its transport on and its spooler row is not failed
            MapiSession mail = f.logon();
            List<Row> mailRows = statusRows(mail);
            assertThat(mailRows).anyMatch(r -> resourceType(r) == Flags.MAPI_TRANSPORT_PROVIDER);
            assertThat(mailRows.stream().filter(r -> resourceType(r) == Flags.MAPI_SPOOLER).findFirst().orElseThrow()
                    .get(PropTags.PR_STATUS_CODE).asInt() & Flags.STATUS_FAILURE).isZero();
            mail.release();
        }
    }

    // ---- R-SES-4 -----------------------------------------------------------------------------------------------

    @Test
    void R_SES_4_transportsAreLoggedOnByTheSpoolerAfterLogonExReturns(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            for (int round = 0; round < 3; round++) {
                long m = f.mark();
                MapiSession s = f.logon();
                String label = ((RealSession) s).label;
                List<Row> rows = statusRows(s); // waits for the spooler, then shows the transport
                assertThat(rows).anyMatch(r -> resourceType(r) == Flags.MAPI_TRANSPORT_PROVIDER);
                TraceEvent logonReturn = events(f, m, "MAPILogonEx", TraceEvent.Phase.RETURN).stream()
                        .filter(e -> e.object().equals(label)).findFirst().orElseThrow();
                List<TraceEvent> xpLogons = events(f, m, "IXPProvider::TransportLogon", TraceEvent.Phase.CALL);
                List<TraceEvent> xpInits = events(f, m, "XPProviderInit", TraceEvent.Phase.CALL);
                assertThat(xpLogons).hasSize(1);
                assertThat(xpInits).hasSize(1);
                assertThat(xpLogons.get(0).seq()).isGreaterThan(logonReturn.seq());
                assertThat(xpInits.get(0).seq()).isGreaterThan(logonReturn.seq());
                assertThat(xpLogons.get(0).thread()).startsWith("jmapi-spooler-").isNotEqualTo(logonReturn.thread());
                s.release();
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void R_SES_4_logonExReturnsWhileTheSpoolerIsStillLoggingTransportsOn(@TempDir Path home) throws IOException {
        ProviderLogonRulesTest.installPlugins(home);
        try (Fixture f = Fixture.start(home)) {
            try (ProfileAdmin admin = Mapi.adminProfiles(0);
                 MsgServiceAdmin services = admin.adminServices(Fixture.PROFILE, 0)) {
                services.createMsgService("rules.blockxp", "Blocking Transport", 0, 0);
            }
            ProviderLogonRulesTest.BlockingTransportService.GATE = new CountDownLatch(1);
            try {
                long m = f.mark();
                MapiSession s = f.logon(); // returns although the second transport's logon cannot finish
                MsgStore a = Fixture.open(s, 0); // and the session is usable meanwhile
                await(() -> events(f, m, "IXPProvider::TransportLogon", TraceEvent.Phase.CALL).size() == 2,
                        Duration.ofSeconds(10), "the spooler is inside the blocking transport's logon");
                assertThat(events(f, m, "IXPProvider::TransportLogon", TraceEvent.Phase.RETURN)).hasSize(1);
                ProviderLogonRulesTest.BlockingTransportService.GATE.countDown();
                List<Row> rows = statusRows(s);
                assertThat(rows).filteredOn(r -> resourceType(r) == Flags.MAPI_TRANSPORT_PROVIDER).hasSize(2);
                a.release();
                s.release();
            } finally {
                ProviderLogonRulesTest.BlockingTransportService.GATE.countDown();
            }
        }
    }

    @Test
    void R_SES_4_addressBooksLogOnAtOpenAddressBookAndStoresAtOpenMsgStore(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            long m = f.mark();
            MapiSession s = f.logon();
            statusRows(s); // the spooler is done with the transports
            assertThat(f.callsSince(m)).noneMatch(c -> c.startsWith("ABProviderInit")
                    || c.startsWith("IABProvider::Logon") || c.startsWith("MSProviderInit")
                    || c.startsWith("IMSProvider::"));

            long m2 = f.mark();
            MsgStore a = Fixture.open(s, 0);
            List<String> afterOpen = f.callsSince(m2);
            assertThat(afterOpen).anyMatch(c -> c.startsWith("IMSProvider::Logon"));
            assertThat(afterOpen).noneMatch(c -> c.startsWith("IABProvider::Logon"));
            assertThat(afterOpen.stream().filter(c -> c.startsWith("IMSProvider::Logon")).count()).isEqualTo(1);

            long m3 = f.mark();
            s.openAddressBook(0, 0).release();
            List<String> afterAb = f.callsSince(m3);
            assertThat(afterAb).anyMatch(c -> c.startsWith("ABProviderInit"));
            assertThat(afterAb).anyMatch(c -> c.startsWith("IABProvider::Logon"));
            a.release();
            s.release();
        }
    }

    @Test
    void R_SES_4_getStatusTableShowsTheTransportRowsOnceTheSpoolerLoggedThemOn(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            for (int i = 0; i < 5; i++) {
                MapiSession s = f.logon();
                // called right after logonEx: it waits for the spooler instead of showing a table without transports
                List<Row> rows = statusRows(s);
                assertThat(rows).filteredOn(r -> resourceType(r) == Flags.MAPI_TRANSPORT_PROVIDER).hasSize(1);
                assertThat(rows.stream().map(SubsystemRulesTest::resourceType).toList())
                        .contains(Flags.MAPI_SUBSYSTEM, Flags.MAPI_SPOOLER, Flags.MAPI_AB);
                s.release();
            }
        }
    }
}
