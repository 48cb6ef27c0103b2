package org.jmapi.runtime.profile;

import org.jmapi.MapiUid;
import org.jmapi.spi.ProviderKind;

import java.util.Objects;

/**
 * One provider configured in a {@link Profile}: a row of the provider table (R-PROF-7) and what session code needs
 * to load and log the provider on. Its profile section has the same UID and holds PR_DISPLAY_NAME,
 * PR_PROVIDER_DISPLAY, PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE, PR_PROVIDER_DLL_NAME, PR_SERVICE_UID, PR_PROVIDER_UID
 * and PR_SERVICE_NAME. Immutable; thread-safe.
 *
 * @param uid           the provider's profile section UID (PR_PROVIDER_UID); what a provider's
 *                      {@code openProfileSection(null)} opens (R-PROF-2)
 * @param serviceUid    the message service the provider belongs to
 * @param serviceName   that service's {@link org.jmapi.spi.MessageService#name()}
 * @param key           the provider's {@link org.jmapi.spi.ProviderInfo#key()} within its service
 * @param kind          store, transport or address book
 * @param displayName   PR_DISPLAY_NAME of the provider
 * @param resourceFlags PR_RESOURCE_FLAGS, provider context (STATUS_DEFAULT_STORE, STATUS_XP_PREFER_LAST, ...)
 */
public record ProviderRecord(MapiUid uid, MapiUid serviceUid, String serviceName, String key, ProviderKind kind,
                             String displayName, int resourceFlags) {
    /**
     * Checks that no component is null.
     *
     * @param uid           the provider's section UID
     * @param serviceUid    its service
     * @param serviceName   its service's name
     * @param key           its key within the service
     * @param kind          its kind
     * @param displayName   its display name
     * @param resourceFlags its PR_RESOURCE_FLAGS
     */
    public ProviderRecord {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(serviceUid, "serviceUid");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(displayName, "displayName");
    }
}
