package org.jmapi.transport.smtp;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.XpLogonResult;
import org.jmapi.spi.XpProvider;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SMTP transport's IXPProvider: one per SMTP transport of a profile per session (R-LOAD-3). TransportLogon reads
 * the configuration from the logon's own profile section, falling back tag by tag to the service's section where
 * {@code ConfigureMsgService} wrote it, checks it (MAPI_E_UNCONFIGURED when the host is missing or a setting is
 * wrong: the spooler then skips the transport and its mail stays queued, R-LOGON-2), and returns a new
 * {@link SmtpLogon} without connecting: the first SubmitMessage connects. Send-only: no LOGON_SP_POLL.
 *
 * <p><b>Ownership:</b> the runtime owns the object until its final release after Shutdown. <b>Threads:</b> any.
 */
final class SmtpProvider extends BaseMapiObject implements XpProvider {
    private static final int LOGON_FLAGS = Flags.LOGON_NO_DIALOG | Flags.LOGON_NO_CONNECT | Flags.LOGON_NO_INBOUND
            | Flags.LOGON_NO_OUTBOUND;
    private volatile boolean shutDown;

    /** Created by {@link SmtpTransportService#xpProviderInit}. */
    SmtpProvider() {
    }

    @Override
    public XpLogonResult transportLogon(MapiSupport support, long uiParam, String profileName, int flags) {
        checkValid();
        if (shutDown) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "the SMTP provider object was already shut down");
        }
        Flags.checkKnown(flags, LOGON_FLAGS, "IXPProvider::TransportLogon");
        if (support == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "TransportLogon: no support object");
        }
        SmtpLogon logon = new SmtpLogon(support, readSettings(support), flags);
        return new XpLogonResult(logon, 0);
    }

    /**
     * @param support a transport logon's support object
     * @return the checked settings of its profile section, each tag falling back to the service's section
     * @throws MapiException MAPI_E_UNCONFIGURED
     */
    static SmtpSettings readSettings(MapiSupport support) {
        Map<Integer, PropValue> values = new HashMap<>();
        try (ProfileSection own = support.openProfileSection(null, 0)) {
            collect(own, values);
            Optional<PropValue> service = own.getProps(new int[] {PropTags.PR_SERVICE_UID}, 0)
                    .find(PropTags.PR_SERVICE_UID);
            if (service.isPresent() && service.get().asBinary().length == MapiUid.LENGTH) {
                try (ProfileSection s = support.openProfileSection(MapiUid.of(service.get().asBinary()), 0)) {
                    Map<Integer, PropValue> fromService = new HashMap<>();
                    collect(s, fromService);
                    fromService.forEach(values::putIfAbsent);
                } catch (MapiException e) {
                    if (e.hresult() != HResult.MAPI_E_NOT_FOUND) {
                        throw e;
                    }
                }
            }
        }
        return SmtpSettings.read(tag -> Optional.ofNullable(values.get(org.jmapi.prop.PropTag.id(tag))));
    }

    /**
     * Every setting of a section, by property id. The settings are provider-private ids (0x6720..), which a section
     * returns only when asked for by tag (R-PROF-3), and a number may be stored as the text the caller gave to
     * ConfigureMsgService: so each numeric setting is asked for as PT_LONG and as PT_UNICODE, and
     * {@link SmtpSettings#read} takes both.
     */
    static void collect(ProfileSection section, Map<Integer, PropValue> into) {
        for (PropValue v : section.getProps(READ_TAGS, 0).values()) {
            if (v != null && !v.isError()) {
                into.put(v.id(), v);
            }
        }
    }

    /** {@link SmtpTransportService#TAGS}, plus each PT_LONG one as PT_UNICODE. */
    private static final int[] READ_TAGS = java.util.stream.IntStream.concat(
            java.util.Arrays.stream(SmtpTransportService.TAGS),
            java.util.Arrays.stream(SmtpTransportService.TAGS)
                    .filter(t -> org.jmapi.prop.PropTag.type(t) == org.jmapi.prop.PropType.PT_LONG)
                    .map(t -> org.jmapi.prop.PropTag.tag(org.jmapi.prop.PropType.PT_UNICODE,
                            org.jmapi.prop.PropTag.id(t))))
            .toArray();

    @Override
    public void shutdown(int flags) {
        checkValid();
        Flags.checkKnown(flags, 0, "IXPProvider::Shutdown");
        shutDown = true;
    }

    @Override
    protected String describe() {
        return "smtp provider";
    }
}
