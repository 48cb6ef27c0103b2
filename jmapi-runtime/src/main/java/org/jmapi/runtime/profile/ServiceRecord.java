package org.jmapi.runtime.profile;

import org.jmapi.MapiUid;

import java.util.Objects;

/**
 * One message service configured in a {@link Profile}: what the message-service table lists (R-PROF-7). The
 * service's profile section has the same UID and holds PR_SERVICE_NAME, PR_DISPLAY_NAME, PR_SERVICE_UID,
 * PR_RESOURCE_FLAGS and the service's configuration properties. Immutable; thread-safe.
 *
 * @param uid           PR_SERVICE_UID, also the UID of the service's profile section
 * @param serviceName   PR_SERVICE_NAME: the {@link org.jmapi.spi.MessageService#name()} that implements it
 * @param displayName   PR_DISPLAY_NAME in this profile
 * @param resourceFlags PR_RESOURCE_FLAGS, service context (SERVICE_SINGLE_COPY, SERVICE_DEFAULT_STORE, ...)
 */
public record ServiceRecord(MapiUid uid, String serviceName, String displayName, int resourceFlags) {
    /**
     * Checks that no component is null.
     *
     * @param uid           the service UID
     * @param serviceName   the implementing service's name
     * @param displayName   the display name
     * @param resourceFlags the service's PR_RESOURCE_FLAGS
     */
    public ServiceRecord {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(displayName, "displayName");
    }
}
