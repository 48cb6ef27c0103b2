package org.jmapi.spi;

/**
 * One provider a {@link MessageService} contains: what the profile records when the service is added (one provider
 * section each). Immutable.
 *
 * @param key           stable name of the provider within its service, e.g. {@code "store"}
 * @param kind          store, transport or address book
 * @param displayName   PR_DISPLAY_NAME / PR_PROVIDER_DISPLAY of the provider section
 * @param resourceFlags PR_RESOURCE_FLAGS (provider context): STATUS_DEFAULT_STORE, STATUS_XP_PREFER_LAST, ...
 */
public record ProviderInfo(String key, ProviderKind kind, String displayName, int resourceFlags) {}
