package org.jmapi.runtime.profile;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.spi.MessageService;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shared set-up for the profile tests: a throw-away jmapi home and the test services. */
abstract class ProfileFixture {
    @TempDir
    Path home;

    final TestServices.RecordingService recording = new TestServices.RecordingService();
    final TestServices.ConfigService config = new TestServices.ConfigService();

    ServiceCatalog catalog() {
        List<MessageService> all = new ArrayList<>(List.of(new TestServices.StoreService(),
                new TestServices.TransportService(), new TestServices.PreferLastTransportService(),
                new TestServices.SingleCopyService(), config, recording));
        return ServiceCatalog.of(all);
    }

    ProfileStore store() {
        return ProfileStore.open(home, catalog());
    }

    static Profile newProfile(ProfileStore store, String name) {
        try (ProfileAdmin admin = store.admin()) {
            admin.createProfile(name, null, 0, 0);
        }
        return store.load(name);
    }

    static MapiUid addService(Profile p, String serviceName) {
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            return admin.createMsgService(serviceName, null, 0, 0);
        }
    }

    static void assertMapiError(ThrowingCallable call, int hresult) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(HResult.name(e.hresult())).as(e.getMessage()).isEqualTo(HResult.name(hresult)));
    }

    static List<Row> rows(MapiTable table) {
        List<Row> out = new ArrayList<>();
        while (true) {
            List<Row> batch = table.queryRows(50, 0);
            if (batch.isEmpty()) {
                return out;
            }
            out.addAll(batch);
        }
    }

    Path profileFile(String name) {
        return home.resolve("profiles").resolve(ProfileDirectory.encodeName(name) + ProfileDirectory.PROFILE_SUFFIX);
    }

    byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
