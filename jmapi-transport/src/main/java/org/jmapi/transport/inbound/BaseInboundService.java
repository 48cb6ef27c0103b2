package org.jmapi.transport.inbound;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The message service of a receive-only mail-server transport: one TRANSPORT provider (key {@code "xp"}).
 *
 * <p><b>Configuration</b> (MSG_SERVICE_CONFIGURE, and CREATE when given values): the values passed are merged over
 * what the service's section already holds, the result is checked with {@link InboundSettings#of} (host, user and
 * password required; port 1..65535; security none / starttls / tls; a check interval of 0 or more seconds; a trust
 * store that can be read, a well-formed certificate fingerprint), and
 * only then the values passed are written into the service's profile section, so a configuration that would not
 * work is refused with MAPI_E_UNCONFIGURED and leaves the profile as it was. Changing only the password is a
 * CONFIGURE with only the password. CONFIGURE with nothing to add to an incomplete section fails with
 * MAPI_E_UNCONFIGURED. INSTALL, DELETE and UNINSTALL do nothing; PROVIDER_CREATE / PROVIDER_DELETE are refused.
 *
 * <p>Stateless (R-LOAD-1): every XPProviderInit returns a new provider object. <b>Threads:</b> any.
 */
public abstract class BaseInboundService implements MessageService {
    private final String name;
    private final String displayName;
    private final InboundSettings.Tags tags;

    /**
     * @param name        PR_SERVICE_NAME
     * @param displayName the service's and its transport's display name
     * @param tags        the protocol's profile properties
     */
    protected BaseInboundService(String name, String displayName, InboundSettings.Tags tags) {
        this.name = name;
        this.displayName = displayName;
        this.tags = tags;
    }

    /** @return a new provider object */
    protected abstract BaseInboundProvider newProvider();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String displayName() {
        return displayName;
    }

    /** @return one transport provider, key {@code "xp"} */
    @Override
    public final List<ProviderInfo> providers() {
        return List.of(new ProviderInfo("xp", ProviderKind.TRANSPORT, displayName, 0));
    }

    @Override
    public final void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
        switch (context) {
            case Flags.MSG_SERVICE_INSTALL, Flags.MSG_SERVICE_DELETE, Flags.MSG_SERVICE_UNINSTALL -> {
            }
            case Flags.MSG_SERVICE_CREATE, Flags.MSG_SERVICE_CONFIGURE -> {
                List<PropValue> given = ours(props);
                if (given.isEmpty() && context == Flags.MSG_SERVICE_CREATE) {
                    return;
                }
                try (ProfileSection section = support.openProfileSection(null, Flags.MAPI_MODIFY)) {
                    List<PropValue> stored = section.getProps(tags.all(), 0).values();
                    InboundSettings.of(tags, tag -> InboundSettings.find(given, tag)
                            .or(() -> InboundSettings.find(stored, tag)));
                    if (!given.isEmpty()) {
                        section.setProps(given);
                    }
                }
            }
            case Flags.MSG_SERVICE_PROVIDER_CREATE, Flags.MSG_SERVICE_PROVIDER_DELETE ->
                    throw new MapiException(HResult.MAPI_E_NO_SUPPORT, name + " has exactly one transport provider");
            default -> throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                    name + ": unknown service entry context " + context);
        }
    }

    /** @return the values among {@code props} that are this protocol's settings */
    private List<PropValue> ours(List<PropValue> props) {
        List<PropValue> out = new ArrayList<>();
        if (props == null) {
            return out;
        }
        for (int tag : tags.all()) {
            Optional<PropValue> v = InboundSettings.find(props, tag);
            v.ifPresent(out::add);
        }
        return out;
    }

    @Override
    public final org.jmapi.spi.XpProvider xpProviderInit(int mapiSpiVersion) {
        if (mapiSpiVersion < Flags.CURRENT_SPI_VERSION) {
            throw new MapiException(HResult.MAPI_E_VERSION, name + " needs SPI version "
                    + HResult.hex(Flags.CURRENT_SPI_VERSION) + ", MAPI offers " + HResult.hex(mapiSpiVersion));
        }
        return newProvider();
    }
}
