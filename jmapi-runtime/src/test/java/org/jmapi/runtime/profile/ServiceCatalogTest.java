package org.jmapi.runtime.profile;

import org.jmapi.HResult;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog of installed message services. */
class ServiceCatalogTest {
    @TempDir
    Path dir;

    @Test
    void of_findsByNameInOrder() {
        MessageService store = new TestServices.StoreService();
        MessageService xp = new TestServices.TransportService();
        ServiceCatalog c = ServiceCatalog.of(List.of(store, xp));
        assertThat(c.all()).containsExactly(store, xp);
        assertThat(c.find("test.transport")).containsSame(xp);
        assertThat(c.find("nope")).isEmpty();
        assertThat(c.find(null)).isEmpty();
    }

    @Test
    void of_rejectsDuplicateAndMalformedServices() {
        ProfileFixture.assertMapiError(() -> ServiceCatalog.of(List.of(new TestServices.StoreService(),
                new TestServices.StoreService())), HResult.MAPI_E_INVALID_PARAMETER);
        ProfileFixture.assertMapiError(() -> ServiceCatalog.of(null), HResult.MAPI_E_INVALID_PARAMETER);
        ProfileFixture.assertMapiError(() -> ServiceCatalog.of(List.of(new Odd("odd", List.of()))),
                HResult.MAPI_E_INVALID_PARAMETER);
        ProfileFixture.assertMapiError(() -> ServiceCatalog.of(List.of(new Odd(" ", List.of(
                new ProviderInfo("a", ProviderKind.STORE, "A", 0))))), HResult.MAPI_E_INVALID_PARAMETER);
        ProfileFixture.assertMapiError(() -> ServiceCatalog.of(List.of(new Odd("odd", List.of(
                new ProviderInfo("a", ProviderKind.STORE, "A", 0), new ProviderInfo("a", ProviderKind.TRANSPORT,
                        "B", 0))))), HResult.MAPI_E_INVALID_PARAMETER);
        ProfileFixture.assertMapiError(() -> ServiceCatalog.of(List.of(new Odd("odd", List.of(
                new ProviderInfo("a", null, "A", 0))))), HResult.MAPI_E_INVALID_PARAMETER);
    }

    @Test
    void load_usesServiceLoader() throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(MessageService.class.getName()),
                "# test registrations\n" + TestServices.StoreService.class.getName() + "\n"
                        + TestServices.SingleCopyService.class.getName() + "\n");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            ServiceCatalog c = ServiceCatalog.load(cl);
            assertThat(c.find("test.store")).isPresent();
            assertThat(c.find("test.single")).isPresent();
        }
    }

    @Test
    void load_reportsBrokenRegistrations() throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(MessageService.class.getName()), "org.example.NoSuchService\n");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            ProfileFixture.assertMapiError(() -> ServiceCatalog.load(cl), HResult.MAPI_E_CALL_FAILED);
        }
    }

    private static final class Odd implements MessageService {
        private final String name;
        private final List<ProviderInfo> providers;

        Odd(String name, List<ProviderInfo> providers) {
            this.name = name;
            this.providers = providers;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String displayName() {
            return "Odd";
        }

        @Override
        public List<ProviderInfo> providers() {
            return providers;
        }

        @Override
        public void serviceEntry(int context, org.jmapi.spi.MapiSupport support, int uiFlags,
                                 List<org.jmapi.prop.PropValue> props) {
        }
    }
}
