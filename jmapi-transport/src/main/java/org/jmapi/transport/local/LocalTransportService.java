package org.jmapi.transport.local;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;
import org.jmapi.spi.XpProvider;
import org.jmapi.transport.ServerProps;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The message service {@value #NAME}: local delivery between the stores of one machine, with no mail server. One
 * transport provider (key {@code "xp"}, display {@value #DISPLAY_NAME}) delivers SMTP-addressed mail for the local
 * domains into a maildrop directory, a Maildir per mailbox, and receives the mailbox's own mail from there. Any
 * number of profiles and processes may share one maildrop: files are the interface.
 *
 * <p><b>Configuration</b> ({@link ServerProps}): {@link ServerProps#PR_LOCAL_MAILDROP} (the maildrop directory,
 * required; created when missing), {@link ServerProps#PR_LOCAL_ADDRESS} (this mailbox's address, e.g.
 * {@code alice@localhost}; optional: without it the transport only sends; an empty string removes it) and
 * {@link ServerProps#PR_LOCAL_DOMAINS} (the domains delivered locally, default {@code localhost}):
 * <pre>{@code
 * MapiUid svc = services.createMsgService("jmapi.local", "Local mail", 0, 0);
 * services.configureMsgService(svc, 0, 0, List.of(
 *         PropValue.ofString(ServerProps.PR_LOCAL_MAILDROP, "/var/lib/jmapi/maildrop"),
 *         PropValue.ofString(ServerProps.PR_LOCAL_ADDRESS, "alice@localhost")));
 * }</pre>
 * MSG_SERVICE_CONFIGURE merges the given values over those already in the service's section, checks the result
 * (MAPI_E_UNCONFIGURED without a maildrop; MAPI_E_INVALID_PARAMETER for a relative maildrop path, a malformed
 * domain, or an own address that is not {@code local@domain} in a local domain with a valid mailbox name), creates
 * the maildrop directory, and only then lets the values be written to the section; a refused call changes nothing.
 * Domains match case-insensitively, with or without a trailing dot. MSG_SERVICE_CREATE does the same when given a
 * maildrop. A transport logon of an unconfigured service fails with MAPI_E_UNCONFIGURED (R-LOGON-2).
 *
 * <p>Stateless, like every {@link MessageService}: each {@link #xpProviderInit} returns a new provider object
 * (R-LOAD-1). <b>Threads:</b> any.
 */
public final class LocalTransportService implements MessageService {
    /** PR_SERVICE_NAME of the service. */
    public static final String NAME = "jmapi.local";
    /** Display name of the service and of its transport provider. */
    public static final String DISPLAY_NAME = "jmapi Local Delivery";

    /** Creates the service; ServiceLoader calls this. */
    public LocalTransportService() {
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return {@value #DISPLAY_NAME} */
    @Override
    public String displayName() {
        return DISPLAY_NAME;
    }

    /** @return one transport provider, key {@code "xp"} */
    @Override
    public List<ProviderInfo> providers() {
        return List.of(new ProviderInfo("xp", ProviderKind.TRANSPORT, DISPLAY_NAME, 0));
    }

    /**
     * MSGSERVICEENTRY (R-PROF-6), see the class comment. INSTALL, DELETE and UNINSTALL do nothing;
     * PROVIDER_CREATE / PROVIDER_DELETE are refused (the service has exactly one provider).
     *
     * @param context MSG_SERVICE_*
     * @param support the service support object, valid during the call
     * @param uiFlags ignored: the service has no UI
     * @param props   the configuration values for CREATE / CONFIGURE
     * @throws MapiException MAPI_E_UNCONFIGURED for CONFIGURE without a maildrop (given or already configured);
     *                       MAPI_E_INVALID_PARAMETER for bad values; MAPI_E_NO_ACCESS when the maildrop cannot be
     *                       created; MAPI_E_NO_SUPPORT for PROVIDER_CREATE / DELETE
     */
    @Override
    public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
        switch (context) {
            case Flags.MSG_SERVICE_INSTALL, Flags.MSG_SERVICE_DELETE, Flags.MSG_SERVICE_UNINSTALL -> {
            }
            case Flags.MSG_SERVICE_CREATE, Flags.MSG_SERVICE_CONFIGURE -> configure(context, support, props);
            case Flags.MSG_SERVICE_PROVIDER_CREATE, Flags.MSG_SERVICE_PROVIDER_DELETE ->
                    throw new MapiException(HResult.MAPI_E_NO_SUPPORT, NAME + " has exactly one transport provider");
            default -> throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                    NAME + ": unknown service entry context " + context);
        }
    }

    private static void configure(int context, MapiSupport support, List<PropValue> props) {
        LocalConfig.Raw given = LocalConfig.Raw.of(props);
        try (ProfileSection section = support.openProfileSection(null, Flags.MAPI_MODIFY)) {
            LocalConfig.Raw merged = LocalConfig.Raw.of(section).overriddenBy(given);
            if (context == Flags.MSG_SERVICE_CREATE && merged.maildrop() == null) {
                return; // created unconfigured; CONFIGURE comes later
            }
            LocalConfig config = LocalConfig.check(merged);
            try {
                Files.createDirectories(config.maildrop());
            } catch (IOException e) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, NAME + ": cannot create the maildrop directory "
                        + config.maildrop() + ": " + e);
            }
            List<PropValue> write = new ArrayList<>();
            write.add(PropValue.ofString(ServerProps.PR_LOCAL_MAILDROP, config.maildrop().toString()));
            if (config.address() != null) {
                write.add(PropValue.ofString(ServerProps.PR_LOCAL_ADDRESS, config.address()));
            }
            if (merged.domains() != null) {
                write.add(PropValue.of(ServerProps.PR_LOCAL_DOMAINS, config.domains()));
            }
            section.setProps(write);
            if (config.address() == null) {
                section.deleteProps(new int[] {ServerProps.PR_LOCAL_ADDRESS});
            }
        }
    }

    /**
     * XPProviderInit.
     *
     * @param mapiSpiVersion the runtime's SPI version
     * @return a new provider object (R-LOAD-1); one reference owned by the runtime
     * @throws MapiException MAPI_E_VERSION when the runtime's SPI is older than this provider needs (R-LOAD-2)
     */
    @Override
    public XpProvider xpProviderInit(int mapiSpiVersion) {
        if (mapiSpiVersion < Flags.CURRENT_SPI_VERSION) {
            throw new MapiException(HResult.MAPI_E_VERSION, NAME + " needs SPI version "
                    + HResult.hex(Flags.CURRENT_SPI_VERSION) + ", MAPI offers " + HResult.hex(mapiSpiVersion));
        }
        return new LocalTransportProvider();
    }
}
