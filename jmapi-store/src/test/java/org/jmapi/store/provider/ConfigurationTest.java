package org.jmapi.store.provider;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.spi.MessageService;
import org.jmapi.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * The message service and its configuration: ServiceLoader discovery, MSG_SERVICE_CONFIGURE creating or checking the
 * store file, and the logon failures of spec &sect;6.1 (R-LOGON-2, R-LOGON-3): no path → MAPI_E_UNCONFIGURED, a
 * corrupt or foreign file → MAPI_E_CORRUPT_STORE with the path in the message and the file untouched.
 */
class ConfigurationTest {

    @Test
    void serviceLoader_findsTheService_withOneDefaultStoreProvider() {
        List<MessageService> found = ServiceLoader.load(MessageService.class).stream()
                .map(ServiceLoader.Provider::get).filter(s -> s.name().equals(SqliteStoreService.NAME)).toList();
        assertThat(found).hasSize(1);
        assertThat(found.get(0).providers()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("store");
            assertThat(p.resourceFlags()).isEqualTo(Flags.STATUS_DEFAULT_STORE);
        });
        assertThat(found.get(0).msProviderInit(Flags.CURRENT_SPI_VERSION))
                .isNotSameAs(found.get(0).msProviderInit(Flags.CURRENT_SPI_VERSION));
    }

    @Test
    void configure_createsTheStoreFile_withTheDefaultFolders(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            assertThat(Files.exists(f.storeFile)).isTrue();
            try (SqliteStorage s = SqliteStorage.open(f.storeFile)) {
                assertThat(s.identity().displayName()).isEqualTo("personal");
                long root = s.identity().rootFolderId();
                assertThat(s.listFolders(root)).extracting(r -> r.displayName())
                        .containsExactly(StoreLayout.IPM_SUBTREE_NAME);
                long subtree = s.listFolders(root).get(0).id();
                assertThat(s.listFolders(subtree)).extracting(r -> r.displayName()).containsExactly(
                        "Inbox", "Outbox", "Sent Items", "Deleted Items", "Drafts");
            }
        }
    }

    @Test
    void R_LOGON_2_noPathConfigured_unconfigured_thenTheServiceIsDisabled(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.unconfigured(home)) {
            MapiSession s = f.logon();
            // The store was never logged on to, so its table entry carries no provider id; the logon finds no path,
            // MAPI runs MSG_SERVICE_CONFIGURE with the (empty) settings, which fails, and disables the service.
            assertCode(HResult.MAPI_E_UNCONFIGURED, () -> StoreFixture.open(s));
            assertThat(f.trace.briefs()).anyMatch(b -> b.startsWith("IMSProvider::Logon return")
                    && b.endsWith("MAPI_E_UNCONFIGURED"));
            assertThat(Files.exists(f.storeFile)).isFalse();
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    @Test
    void configure_withoutAPath_unconfigured(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.unconfigured(home);
             ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(StoreFixture.PROFILE, 0)) {
            assertCode(HResult.MAPI_E_UNCONFIGURED, () -> services.configureMsgService(f.service, 0, 0,
                    List.of(PropValue.ofString(org.jmapi.prop.PropTags.PR_COMMENT, "no path"))));
            assertCode(HResult.MAPI_E_UNCONFIGURED, () -> services.configureMsgService(f.service, 0, 0,
                    List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH, "  "))));
        }
    }

    @Test
    void configure_missingDirectory_notFound_nothingCreated(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.unconfigured(home);
             ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(StoreFixture.PROFILE, 0)) {
            Path missing = home.resolve("no-such-dir").resolve("store.jmapi");
            assertThatThrownBy(() -> services.configureMsgService(f.service, 0, 0,
                    List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH, missing.toString()))))
                    .isInstanceOfSatisfying(MapiException.class, e -> {
                        assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_NOT_FOUND);
                        assertThat(e.getMessage()).contains("no-such-dir");
                    });
            assertThat(Files.exists(missing.getParent())).isFalse();
        }
    }

    @Test
    void configure_corruptFile_corruptStore_fileUntouched(@TempDir Path home) throws Exception {
        Path bad = home.resolve("garbage.jmapi");
        byte[] garbage = "this is not a database, just some text that happens to be here\n".repeat(100).getBytes();
        Files.write(bad, garbage);
        try (StoreFixture f = StoreFixture.unconfigured(home);
             ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(StoreFixture.PROFILE, 0)) {
            assertThatThrownBy(() -> services.configureMsgService(f.service, 0, 0,
                    List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH, bad.toString()))))
                    .isInstanceOfSatisfying(MapiException.class, e -> {
                        assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_CORRUPT_STORE);
                        assertThat(e.getMessage()).contains(bad.toString());
                    });
            try (ProfileSection section = services.openProfileSection(f.service, 0)) {
                assertThat(section.getProp(SqliteStoreService.PR_STORE_PATH)).as("a refused configuration is not stored")
                        .isEmpty();
            }
        }
        assertThat(Files.readAllBytes(bad)).isEqualTo(garbage);
    }

    @Test
    void logon_foreignSqliteDatabase_corruptStore_clearMessage_fileUntouched(@TempDir Path home) throws Exception {
        try (StoreFixture f = StoreFixture.start(home)) {
            Files.delete(f.storeFile);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f.storeFile);
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE something_else (x INTEGER)");
                st.execute("INSERT INTO something_else VALUES (42)");
            }
            byte[] before = Files.readAllBytes(f.storeFile);
            MapiSession s = f.logon();
            assertThatThrownBy(() -> StoreFixture.open(s)).isInstanceOfSatisfying(MapiException.class, e -> {
                assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_CORRUPT_STORE);
                assertThat(e.getMessage()).contains(f.storeFile.toString());
            });
            s.logoff(0, 0, 0);
            s.release();
            assertThat(Files.readAllBytes(f.storeFile)).isEqualTo(before);
        }
    }

    @Test
    void logon_storeFileDeletedAfterConfiguration_notFound_namingThePath(@TempDir Path home) throws Exception {
        try (StoreFixture f = StoreFixture.start(home)) {
            Files.delete(f.storeFile);
            MapiSession s = f.logon();
            assertThatThrownBy(() -> StoreFixture.open(s)).isInstanceOfSatisfying(MapiException.class, e -> {
                assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_NOT_FOUND);
                assertThat(e.getMessage()).contains(f.storeFile.toString());
            });
            assertThat(Files.exists(f.storeFile)).as("a logon never creates a store").isFalse();
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    @Test
    void configure_existingStore_isKept(@TempDir Path home) {
        Path file = home.resolve("existing.jmapi");
        try (SqliteStorage s = SqliteStorage.create(file, "Archive", null)) {
            assertThat(s.identity().displayName()).isEqualTo("Archive");
        }
        try (StoreFixture f = StoreFixture.unconfigured(home);
             ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(StoreFixture.PROFILE, 0)) {
            services.configureMsgService(f.service, 0, 0,
                    List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH, file.toString())));
            MapiSession s = f.logon();
            try (var store = StoreFixture.open(s)) {
                assertThat(string(store, org.jmapi.prop.PropTags.PR_DISPLAY_NAME)).isEqualTo("Archive");
            }
            s.logoff(0, 0, 0);
            s.release();
        }
    }
}
