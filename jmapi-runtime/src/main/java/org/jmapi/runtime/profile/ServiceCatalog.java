package org.jmapi.runtime.profile;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.ProviderInfo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The installed message services: the Java form of MAPISVC.INF. Profiles name services by
 * {@link MessageService#name()}; the catalog maps that name to the implementation.
 *
 * <p>The runtime finds services only through {@link ServiceLoader} ({@link #load}); tests and embedders may list
 * them directly ({@link #of}). Every service is checked when the catalog is built: a non-blank name unique in the
 * catalog, a display name, at least one provider, and provider keys that are non-blank and unique within the
 * service, so that a profile built from the catalog is always well formed.
 *
 * <p>Immutable once built; thread-safe. The service objects themselves are shared by every profile and session
 * (see {@link MessageService} for their threading contract).
 */
public final class ServiceCatalog {
    private final Map<String, MessageService> byName;

    private ServiceCatalog(Map<String, MessageService> byName) {
        this.byName = byName;
    }

    /**
     * Discovers the services registered for {@link MessageService} with {@link ServiceLoader} in a class loader
     * (entries of {@code META-INF/services/org.jmapi.spi.MessageService}).
     *
     * @param cl the class loader to search; null means the system class loader
     * @return the catalog, in discovery order
     * @throws MapiException MAPI_E_INVALID_PARAMETER when two services share a name or a service is malformed;
     *                       MAPI_E_CALL_FAILED when a registered class cannot be loaded or instantiated
     */
    public static ServiceCatalog load(ClassLoader cl) {
        List<MessageService> found = new ArrayList<>();
        try {
            for (MessageService s : ServiceLoader.load(MessageService.class, cl)) {
                found.add(s);
            }
        } catch (ServiceConfigurationError e) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED,
                    "a registered message service could not be loaded: " + e.getMessage(), e);
        }
        return of(found);
    }

    /**
     * Builds a catalog from a list of services.
     *
     * @param services the services, in the order {@link #all()} returns them; the list is copied
     * @return the catalog
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a null list or entry, two services with one name, or a
     *                       malformed service (blank name, no display name, no providers, a provider without key,
     *                       kind or display name, two providers with one key)
     */
    public static ServiceCatalog of(List<MessageService> services) {
        if (services == null) {
            throw invalid("the service list is null");
        }
        Map<String, MessageService> byName = new LinkedHashMap<>();
        for (MessageService s : services) {
            if (s == null) {
                throw invalid("the service list holds a null entry");
            }
            String name = s.name();
            if (name == null || name.isBlank()) {
                throw invalid(s.getClass().getName() + " has no name");
            }
            if (s.displayName() == null) {
                throw invalid("message service " + name + " has no display name");
            }
            MessageService previous = byName.putIfAbsent(name, s);
            if (previous != null) {
                throw invalid("two message services are named " + name + ": " + previous.getClass().getName()
                        + " and " + s.getClass().getName());
            }
            List<ProviderInfo> providers = s.providers();
            if (providers == null || providers.isEmpty()) {
                throw invalid("message service " + name + " lists no providers");
            }
            Set<String> keys = new HashSet<>();
            for (ProviderInfo p : providers) {
                if (p == null || p.key() == null || p.key().isBlank() || p.kind() == null || p.displayName() == null) {
                    throw invalid("message service " + name + " lists a provider without key, kind or display name: "
                            + p);
                }
                if (!keys.add(p.key())) {
                    throw invalid("message service " + name + " lists two providers with key " + p.key());
                }
            }
        }
        return new ServiceCatalog(byName);
    }

    /**
     * @param serviceName a {@link MessageService#name()}
     * @return the service with that name, if installed; empty for null
     */
    public Optional<MessageService> find(String serviceName) {
        return serviceName == null ? Optional.empty() : Optional.ofNullable(byName.get(serviceName));
    }

    /** @return every installed service, in catalog order; unmodifiable */
    public List<MessageService> all() {
        return List.copyOf(byName.values());
    }

    private static MapiException invalid(String message) {
        return new MapiException(HResult.MAPI_E_INVALID_PARAMETER, message);
    }

    @Override
    public String toString() {
        return "ServiceCatalog" + byName.keySet();
    }
}
