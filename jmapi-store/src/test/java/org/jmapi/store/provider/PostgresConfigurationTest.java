package org.jmapi.store.provider;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.spi.MessageService;
import org.jmapi.store.postgres.PostgresServer;
import org.jmapi.store.postgres.PostgresStorage;
import org.jmapi.store.sqlite.SqliteStorage;
import org.jmapi.table.MapiTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * The message service {@value PostgresStoreService#NAME} and its configuration, on a real PostgreSQL server
 * ({@link PostgresServer}): ServiceLoader discovery; MSG_SERVICE_CONFIGURE creating a missing store, keeping an
 * existing one, refusing with the engine's error (and storing nothing) what the database refuses; the logon failures
 * of spec &sect;6.1 (R-LOGON-2, R-LOGON-3); the password in no message; two profiles on one store seeing each other's
 * mail (the "several hosts" case, with one process standing in for two).
 */
@ExtendWith(PostgresServer.class)
class PostgresConfigurationTest {
    private static final AtomicInteger STORES = new AtomicInteger();
    private static PostgresServer pg;
    private static String url;

    @BeforeAll
    static void database(PostgresServer server) {
        pg = server;
        url = server.newDatabase("config");
    }

    private static String newStoreName() {
        return "mbox" + STORES.incrementAndGet();
    }

    private static List<PropValue> settings(String jdbcUrl, String password, String storeName) {
        List<PropValue> l = new ArrayList<>();
        l.add(PropValue.ofString(PostgresStoreService.PR_PG_JDBC_URL, jdbcUrl));
        l.add(PropValue.ofString(PostgresStoreService.PR_PG_USER, PostgresServer.USER));
        l.add(PropValue.ofString(PostgresStoreService.PR_PG_PASSWORD, password));
        if (storeName != null) {
            l.add(PropValue.ofString(PostgresStoreService.PR_PG_STORE_NAME, storeName));
        }
        return l;
    }

    @Test
    void serviceLoader_findsTheService_withOneDefaultStoreProvider() {
        List<MessageService> found = ServiceLoader.load(MessageService.class).stream()
                .map(ServiceLoader.Provider::get).filter(s -> s.name().equals(PostgresStoreService.NAME)).toList();
        assertThat(found).singleElement().satisfies(s -> {
            assertThat(s.displayName()).isEqualTo("jmapi PostgreSQL Message Store");
            assertThat(s.providers()).singleElement().satisfies(p -> {
                assertThat(p.key()).isEqualTo("store");
                assertThat(p.resourceFlags()).isEqualTo(Flags.STATUS_DEFAULT_STORE);
            });
        });
        assertThat(PostgresStoreService.PR_PG_JDBC_URL).isEqualTo(0x6701001F);
        assertThat(PostgresStoreService.PR_PG_USER).isEqualTo(0x6702001F);
        assertThat(PostgresStoreService.PR_PG_PASSWORD).isEqualTo(0x6703001F);
        assertThat(PostgresStoreService.PR_PG_STORE_NAME).isEqualTo(0x6704001F);
        assertThat(PostgresStoreService.PR_PG_LISTEN_NOTIFY).isEqualTo(0x6705000B);
    }

    @Test
    void listenNotify_isOnByDefault_andTurnedOffByItsSetting_whichAPasswordChangeKeeps(@TempDir Path home) {
        String name = newStoreName();
        try (StoreFixture f = StoreFixture.unconfiguredPostgres(home);
             ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(StoreFixture.PROFILE, 0)) {
            services.configureMsgService(f.service, 0, 0, settings(url, PostgresServer.PASSWORD, name));
            assertThat(storeHasSignal(services, f)).as("default: on").isTrue();

            List<PropValue> off = settings(url, PostgresServer.PASSWORD, name);
            off.add(PropValue.ofBoolean(PostgresStoreService.PR_PG_LISTEN_NOTIFY, false));
            services.configureMsgService(f.service, 0, 0, off);
            assertThat(storeHasSignal(services, f)).isFalse();

            services.configureMsgService(f.service, 0, 0,
                    List.of(PropValue.ofString(PostgresStoreService.PR_PG_PASSWORD, PostgresServer.PASSWORD)));
            assertThat(storeHasSignal(services, f)).as("kept when only the password is configured").isFalse();
        }
    }

    /** @return whether the store the service's section names opens with a change signal, as a logon opens it */
    private static boolean storeHasSignal(MsgServiceAdmin services, StoreFixture f) {
        try (ProfileSection section = services.openProfileSection(f.service, 0);
             org.jmapi.store.Storage st = PostgresStoreService.BACKEND.locate(
                     section.getProps(PostgresStoreService.BACKEND.settingTags(), 0)).open()) {
            return st.changeSignal().isPresent();
        }
    }

    @Test
    void configure_createsTheStore_withTheDefaultFolders_andALogonUsesIt(@TempDir Path home) {
        String name = newStoreName();
        try (StoreFixture f = StoreFixture.startPostgres(home, url, name)) {
            try (PostgresStorage s = PostgresStorage.open(url, PostgresServer.USER, PostgresServer.PASSWORD, name)) {
                assertThat(s.identity().displayName()).isEqualTo("personal");
                long root = s.identity().rootFolderId();
                long subtree = s.listFolders(root).get(0).id();
                assertThat(s.listFolders(subtree)).extracting(r -> r.displayName()).containsExactly(
                        "Inbox", "Outbox", "Sent Items", "Deleted Items", "Drafts");
            }
            MapiSession session = f.logon();
            try (MsgStore store = StoreFixture.open(session)) {
                assertThat(string(store, PropTags.PR_DISPLAY_NAME)).isEqualTo("personal");
                assertThat(store.getProp(PropTags.PR_MDB_PROVIDER).orElseThrow().asBinary())
                        .isEqualTo(PostgresStoreService.MDB_PROVIDER);
                try (MapiFolder inbox = folder(store, PropTags.PR_IPM_SUBTREE_ENTRYID)) {
                    saved(inbox, "kept in PostgreSQL");
                }
                try (MapiTable status = session.getStatusTable(0)) {
                    status.setColumns(new int[] {PropTags.PR_PROVIDER_DISPLAY}, 0);
                    assertThat(status.queryRows(10, 0)).extracting(r -> r.find(PropTags.PR_PROVIDER_DISPLAY)
                            .map(PropValue::asString).orElse("")).contains(PostgresStoreService.DISPLAY_NAME);
                }
            }
            session.logoff(0, 0, 0);
            session.release();
            try (PostgresStorage s = PostgresStorage.open(url, PostgresServer.USER, PostgresServer.PASSWORD, name)) {
                long subtree = s.listFolders(s.identity().rootFolderId()).get(0).id();
                assertThat(s.loadFolder(subtree).contentCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void configure_existingStore_isKept_newPasswordAloneReconfigures(@TempDir Path home) {
        String name = newStoreName();
        MapiUid uid;
        try (PostgresStorage s = PostgresStorage.create(url, PostgresServer.USER, PostgresServer.PASSWORD, name,
                "Archive", null)) {
            uid = s.identity().storeUid();
        }
        try (StoreFixture f = StoreFixture.unconfiguredPostgres(home);
             ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(StoreFixture.PROFILE, 0)) {
            assertCode(HResult.MAPI_E_UNCONFIGURED, () -> services.configureMsgService(f.service, 0, 0,
                    settings(url, PostgresServer.PASSWORD, null)));
            services.configureMsgService(f.service, 0, 0, settings(url, PostgresServer.PASSWORD, name));
            // only the password again: the other settings come from the section
            services.configureMsgService(f.service, 0, 0,
                    List.of(PropValue.ofString(PostgresStoreService.PR_PG_PASSWORD, PostgresServer.PASSWORD)));
            assertCode(HResult.MAPI_E_LOGON_FAILED, () -> services.configureMsgService(f.service, 0, 0,
                    List.of(PropValue.ofString(PostgresStoreService.PR_PG_PASSWORD, "not-the-password"))));
            try (ProfileSection section = services.openProfileSection(f.service, 0)) {
                assertThat(section.getProp(PostgresStoreService.PR_PG_PASSWORD).orElseThrow().asString())
                        .as("a refused configuration is not stored").isEqualTo(PostgresServer.PASSWORD);
                assertThat(section.getProp(PostgresStoreService.PR_PG_STORE_NAME).orElseThrow().asString())
                        .isEqualTo(name);
            }
            MapiSession s = f.logon();
            try (MsgStore store = StoreFixture.open(s)) {
                assertThat(string(store, PropTags.PR_DISPLAY_NAME)).isEqualTo("Archive");
                assertThat(entryId(store, PropTags.PR_ENTRYID).toBytes()).isNotEmpty();
                assertThat(MapiUid.of(store.getProp(PropTags.PR_RECORD_KEY).orElseThrow().asBinary())).isEqualTo(uid);
            }
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    @Test
    void R_LOGON_2_configureWithoutUrlOrStoreName_unconfigured_andALogonToo(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.unconfiguredPostgres(home)) {
            try (ProfileAdmin admin = Mapi.adminProfiles(0);
                 MsgServiceAdmin services = admin.adminServices(StoreFixture.PROFILE, 0)) {
                assertCode(HResult.MAPI_E_UNCONFIGURED, () -> services.configureMsgService(f.service, 0, 0,
                        List.of(PropValue.ofString(PropTags.PR_COMMENT, "nothing"))));
                assertCode(HResult.MAPI_E_UNCONFIGURED, () -> services.configureMsgService(f.service, 0, 0,
                        settings(url, PostgresServer.PASSWORD, null)));
                assertCode(HResult.MAPI_E_UNCONFIGURED, () -> services.configureMsgService(f.service, 0, 0,
                        settings(" ", PostgresServer.PASSWORD, "x")));
                assertCode(HResult.MAPI_E_UNCONFIGURED, () -> services.configureMsgService(f.service, 0, 0,
                        settings(url, PostgresServer.PASSWORD, "  ")));
            }
            MapiSession s = f.logon();
            assertCode(HResult.MAPI_E_UNCONFIGURED, () -> StoreFixture.open(s));
            assertThat(f.trace.briefs()).anyMatch(b -> b.startsWith("IMSProvider::Logon return")
                    && b.endsWith("MAPI_E_UNCONFIGURED"));
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    @Test
    void configure_refusedByTheDatabase_theEnginesError_nothingStored_passwordNowhere(@TempDir Path home)
            throws Exception {
        String secret = "s3cret-" + System.nanoTime();
        try (StoreFixture f = StoreFixture.unconfiguredPostgres(home);
             ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(StoreFixture.PROFILE, 0)) {
            List<String> messages = new ArrayList<>();
            messages.add(refused(HResult.MAPI_E_LOGON_FAILED, () -> services.configureMsgService(f.service, 0, 0,
                    settings(url, secret, newStoreName()))));
            messages.add(refused(HResult.MAPI_E_NOT_FOUND, () -> services.configureMsgService(f.service, 0, 0,
                    settings(pg.url("no_such_database"), PostgresServer.PASSWORD, newStoreName()))));
            messages.add(refused(HResult.MAPI_E_INVALID_PARAMETER, () -> services.configureMsgService(f.service, 0,
                    0, settings("jdbc:mysql://localhost/mail", secret, newStoreName()))));
            int closed;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            messages.add(refused(HResult.MAPI_E_NETWORK_ERROR, () -> services.configureMsgService(f.service, 0, 0,
                    settings("jdbc:postgresql://127.0.0.1:" + closed + "/mail", secret, newStoreName()))));
            String foreign = pg.newDatabase("foreign");
            try (Connection c = pg.connect(foreign); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA jmapi");
                st.execute("CREATE TABLE jmapi.something_else (x INTEGER)");
            }
            messages.add(refused(HResult.MAPI_E_CORRUPT_STORE, () -> services.configureMsgService(f.service, 0, 0,
                    settings(foreign, PostgresServer.PASSWORD, newStoreName()))));
            try (ProfileSection section = services.openProfileSection(f.service, 0)) {
                assertThat(section.getProps(new int[] {PostgresStoreService.PR_PG_JDBC_URL,
                        PostgresStoreService.PR_PG_PASSWORD, PostgresStoreService.PR_PG_STORE_NAME}, 0).values())
                        .as("a refused configuration is not stored").allMatch(PropValue::isError);
            }
            assertThat(messages).noneMatch(m -> m.contains(secret));
            assertThat(f.trace.briefs()).noneMatch(b -> b.contains(secret));
            try (Connection c = pg.connect(foreign); Statement st = c.createStatement()) {
                var rs = st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'jmapi'");
                rs.next();
                assertThat(rs.getInt(1)).as("the foreign schema is untouched").isEqualTo(1);
            }
        }
    }

    private static String refused(int hresult, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        List<String> message = new ArrayList<>();
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class, e -> {
            assertThat(HResult.name(e.hresult())).as(e.getMessage()).isEqualTo(HResult.name(hresult));
            message.add(String.valueOf(e.getMessage()));
        });
        return message.get(0);
    }

    @Test
    void logon_storeDeletedFromTheDatabase_notFound_namingIt_neverRecreated(@TempDir Path home) throws Exception {
        String name = newStoreName();
        try (StoreFixture f = StoreFixture.startPostgres(home, url, name)) {
            try (Connection c = pg.superuser(url.substring(url.lastIndexOf('/') + 1));
                 PreparedStatement ps = c.prepareStatement("DELETE FROM jmapi.store WHERE name = ?")) {
                ps.setString(1, name);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            MapiSession s = f.logon();
            assertThatThrownBy(() -> StoreFixture.open(s)).isInstanceOfSatisfying(MapiException.class, e -> {
                assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_NOT_FOUND);
                assertThat(e.getMessage()).contains(name);
                assertThat(e.getMessage()).doesNotContain(PostgresServer.PASSWORD);
            });
            s.logoff(0, 0, 0);
            s.release();
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> PostgresStorage.open(url, PostgresServer.USER,
                    PostgresServer.PASSWORD, name).close());
        }
    }

    @Test
    void twoProfilesOnOneStore_seeEachOthersMessages_andASqliteStoreBesideIt(@TempDir Path home) {
        String name = newStoreName();
        try (StoreFixture f = StoreFixture.startPostgres(home, url, name)) {
            // a second profile on the same PostgreSQL store (what a second host has), and one with a SQLite file
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.createProfile("other", null, 0, 0);
                try (MsgServiceAdmin services = admin.adminServices("other", 0)) {
                    MapiUid svc = services.createMsgService(PostgresStoreService.NAME, "Same mailbox", 0, 0);
                    services.configureMsgService(svc, 0, 0, settings(url, PostgresServer.PASSWORD, name));
                }
                admin.createProfile("local", null, 0, 0);
                try (MsgServiceAdmin services = admin.adminServices("local", 0)) {
                    MapiUid svc = services.createMsgService(SqliteStoreService.NAME, "Local", 0, 0);
                    services.configureMsgService(svc, 0, 0, List.of(PropValue.ofString(
                            SqliteStoreService.PR_STORE_PATH, home.resolve("local.jmapi").toString())));
                }
            }
            MapiSession a = f.logon();
            MapiSession b = Mapi.logonEx(0, "other", null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
            MapiSession c = Mapi.logonEx(0, "local", null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
            try (MsgStore sa = StoreFixture.open(a); MsgStore sb = StoreFixture.open(b);
                 MsgStore sc = StoreFixture.open(c);
                 MapiFolder fa = folder(sa, PropTags.PR_IPM_SUBTREE_ENTRYID);
                 MapiFolder fb = folder(sb, PropTags.PR_IPM_SUBTREE_ENTRYID);
                 MapiFolder fc = folder(sc, PropTags.PR_IPM_SUBTREE_ENTRYID);
                 MapiTable tb = fb.getContentsTable(0)) {
                saved(fa, "from a");
                await(() -> tb.getRowCount(0) == 1, () -> "b's table showing a's message");
                assertThat(subjects(tb)).containsExactly("from a");
                assertThat(entryId(sa, PropTags.PR_RECORD_KEY)).isEqualTo(entryId(sb, PropTags.PR_RECORD_KEY));
                assertThat(sc.getProp(PropTags.PR_MDB_PROVIDER).orElseThrow().asBinary())
                        .isEqualTo(SqliteStoreService.MDB_PROVIDER);
                try (MapiTable ta = fa.getContentsTable(0)) {
                    ta.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
                    var msg = sa.openEntry(org.jmapi.EntryId.of(ta.queryRows(1, 0).get(0)
                            .get(PropTags.PR_ENTRYID).asBinary()), 0);
                    // a copy from the PostgreSQL store into the SQLite one goes through the MAPI objects
                    fa.copyMessages(List.of(entryId((org.jmapi.prop.MapiProp) msg, PropTags.PR_ENTRYID)), fc, 0);
                    msg.release();
                }
                try (MapiTable tc = fc.getContentsTable(0)) {
                    assertThat(subjects(tc)).containsExactly("from a");
                }
            }
            for (MapiSession s : List.of(a, b, c)) {
                s.logoff(0, 0, 0);
                s.release();
            }
        }
        try (SqliteStorage local = SqliteStorage.open(home.resolve("local.jmapi"))) {
            assertThat(local.identity()).isNotNull();
        }
    }
}
