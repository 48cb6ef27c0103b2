package org.jmapi.runtime.testproviders;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;

import java.util.Optional;

/**
 * The provider-private (secure, R-PROF-3) profile-section properties the test providers read at logon, and the
 * configuration checks they drive. They are ordinary configuration values: a test writes them into a provider's
 * section (for example through {@code ProviderAdmin} or {@code ProfileSection.setProps}) to make the next logon of
 * that provider fail in a chosen way, which is how the R-LOGON-1 and R-LOGON-2 tests provoke provider failures
 * without special test code inside the runtime.
 *
 * <p>All three providers ({@link MemoryStoreProvider}, {@link MemoryTransportProvider}, {@link MemoryAbProvider})
 * honour {@link #PR_HOOK_UNCONFIGURED} and {@link #PR_HOOK_LOGON_ERROR}; only the store honours
 * {@link #PR_HOOK_DROP_SUPPORT_REF} and keeps its identity in {@link #PR_STORE_UID}.
 */
public final class TestHooks {
    /** PROP_TAG(PT_BINARY, 0x6600): the memory store's persisted MAPIUID (R-UID-2), written at its first logon. */
    public static final int PR_STORE_UID = PropTag.tag(PropType.PT_BINARY, 0x6600);

    /**
     * PROP_TAG(PT_BOOLEAN, 0x6601): {@code true} makes logon fail with MAPI_E_UNCONFIGURED (R-LOGON-2, R-LOGON-3).
     * The provider reads it from its own section; when that section names its service with PR_SERVICE_UID and the
     * service's section holds this tag too, the service section's value wins, so a MSG_SERVICE_CONFIGURE call
     * passing {@code false} "repairs" the configuration for the retry.
     */
    public static final int PR_HOOK_UNCONFIGURED = PropTag.tag(PropType.PT_BOOLEAN, 0x6601);

    /**
     * PROP_TAG(PT_LONG, 0x6602): a failing HRESULT (e.g. MAPI_E_FAILONEPROVIDER, MAPI_E_LOGON_FAILED) that logon
     * throws (R-LOGON-2). Success codes are ignored.
     */
    public static final int PR_HOOK_LOGON_ERROR = PropTag.tag(PropType.PT_LONG, 0x6602);

    /**
     * PROP_TAG(PT_BOOLEAN, 0x6603): {@code true} makes the store's logon "forget" its support-object reference: it
     * releases the reference right after taking it, the provider bug R-LOGON-1 describes.
     */
    public static final int PR_HOOK_DROP_SUPPORT_REF = PropTag.tag(PropType.PT_BOOLEAN, 0x6603);

    private TestHooks() {}

    /**
     * Applies {@link #PR_HOOK_UNCONFIGURED} and {@link #PR_HOOK_LOGON_ERROR}.
     *
     * @param support the logon's support object
     * @param own     the provider's own section
     * @throws MapiException MAPI_E_UNCONFIGURED or the configured error
     */
    static void checkLogon(MapiSupport support, ProfileSection own) {
        Optional<PropValue> error = read(own, PR_HOOK_LOGON_ERROR);
        if (error.isPresent() && HResult.failed(error.get().asInt())) {
            throw new MapiException(error.get().asInt(), "logon refused by the test hook PR_HOOK_LOGON_ERROR");
        }
        boolean unconfigured = read(own, PR_HOOK_UNCONFIGURED).map(PropValue::asBoolean).orElse(false);
        if (unconfigured) {
            Optional<PropValue> serviceUid = read(own, PropTags.PR_SERVICE_UID);
            if (serviceUid.isPresent() && serviceUid.get().asBinary().length == MapiUid.LENGTH) {
                try (ProfileSection service = support.openProfileSection(MapiUid.of(serviceUid.get().asBinary()), 0)) {
                    unconfigured = read(service, PR_HOOK_UNCONFIGURED).map(PropValue::asBoolean).orElse(true);
                } catch (MapiException e) {
                    // No readable service section: the provider section alone decides.
                }
            }
        }
        if (unconfigured) {
            throw new MapiException(HResult.MAPI_E_UNCONFIGURED,
                    "the provider is not configured (test hook PR_HOOK_UNCONFIGURED)");
        }
    }

    /**
     * @param section a profile section
     * @param tag     the property
     * @return its value, if present
     */
    static Optional<PropValue> read(ProfileSection section, int tag) {
        return section.getProps(new int[] {tag}, 0).find(tag);
    }

    /**
     * Opens the provider's own section read-only.
     *
     * @param support the logon's support object
     * @return the section, or empty when the provider has none
     */
    static Optional<ProfileSection> ownSection(MapiSupport support) {
        try {
            return Optional.of(support.openProfileSection(null, 0));
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
