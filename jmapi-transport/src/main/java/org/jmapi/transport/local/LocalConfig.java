package org.jmapi.transport.local;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.spi.MapiSupport;
import org.jmapi.transport.ServerProps;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checked configuration of one local-delivery service: the maildrop directory
 * ({@link ServerProps#PR_LOCAL_MAILDROP}, required), the mailbox's own address ({@link ServerProps#PR_LOCAL_ADDRESS},
 * optional: without it the transport only sends) and the local domains ({@link ServerProps#PR_LOCAL_DOMAINS},
 * default {@code localhost}). Immutable.
 *
 * @param maildrop the maildrop directory, absolute and normalised
 * @param address  the own address as configured, or null
 * @param mailbox  the own mailbox name ({@link Maildrop#mailboxName} of the address's local part), or null
 * @param domains  the local domains, lower-case, never empty
 */
record LocalConfig(Path maildrop, String address, String mailbox, List<String> domains) {
    /** The local domains when none are configured. */
    static final List<String> DEFAULT_DOMAINS = List.of("localhost");

    private static final Pattern DOMAIN = Pattern.compile("[\\p{L}\\p{N}]([\\p{L}\\p{N}_.-]*[\\p{L}\\p{N}])?");

    /** The configuration's tags with PT_UNSPECIFIED, so values stored in either string flavour are found. */
    static final int[] TAGS = {
            PropTag.withType(ServerProps.PR_LOCAL_MAILDROP, PropType.PT_UNSPECIFIED),
            PropTag.withType(ServerProps.PR_LOCAL_ADDRESS, PropType.PT_UNSPECIFIED),
            PropTag.withType(ServerProps.PR_LOCAL_DOMAINS, PropType.PT_UNSPECIFIED)};

    /** An address split at its last {@code @}. */
    record Address(String localPart, String domain) {}

    /** The raw settings as found in a section or given to ConfigureMsgService; null = not set. */
    record Raw(String maildrop, String address, List<String> domains) {
        /** @return these settings with each one {@code over} sets replacing this one's */
        Raw overriddenBy(Raw over) {
            return new Raw(over.maildrop != null ? over.maildrop : maildrop,
                    over.address != null ? over.address : address,
                    over.domains != null ? over.domains : domains);
        }

        /**
         * @param values property values (a section's, or ConfigureMsgService's); other ids are ignored
         * @return the settings among them
         * @throws MapiException MAPI_E_INVALID_TYPE when one of them is not a string (or string list)
         */
        static Raw of(List<PropValue> values) {
            String maildrop = null;
            String address = null;
            List<String> domains = null;
            for (PropValue v : values == null ? List.<PropValue>of() : values) {
                if (v == null || v.isError()) {
                    continue;
                }
                if (v.id() == PropTag.id(ServerProps.PR_LOCAL_MAILDROP)) {
                    maildrop = string(v);
                } else if (v.id() == PropTag.id(ServerProps.PR_LOCAL_ADDRESS)) {
                    address = string(v);
                } else if (v.id() == PropTag.id(ServerProps.PR_LOCAL_DOMAINS)) {
                    domains = strings(v);
                }
            }
            return new Raw(maildrop, address, domains);
        }

        /** @return the settings in a section (PT_UNSPECIFIED reads) */
        static Raw of(ProfileSection section) {
            PropValues v = section.getProps(TAGS, 0);
            return of(v.values());
        }
    }

    /**
     * Checks raw settings.
     *
     * @param raw the settings; an empty address means "none"
     * @return the configuration
     * @throws MapiException MAPI_E_UNCONFIGURED without a usable maildrop path; MAPI_E_INVALID_PARAMETER for a
     *                       relative maildrop path, a malformed domain, or an address that is not {@code local@domain} with a valid local part
     *                       and one of the local domains
     */
    static LocalConfig check(Raw raw) {
        if (raw.maildrop() == null || raw.maildrop().isBlank()) {
            throw new MapiException(HResult.MAPI_E_UNCONFIGURED, LocalTransportService.NAME
                    + " is not configured: give the maildrop directory as PR_LOCAL_MAILDROP ("
                    + PropTag.toString(ServerProps.PR_LOCAL_MAILDROP) + ")");
        }
        Path maildrop;
        try {
            maildrop = Path.of(raw.maildrop().trim());
        } catch (InvalidPathException e) {
            throw new MapiException(HResult.MAPI_E_UNCONFIGURED, LocalTransportService.NAME + ": '" + raw.maildrop()
                    + "' is not a valid directory path: " + e.getMessage());
        }
        if (!maildrop.isAbsolute()) {
            // every process sharing the maildrop must find the same directory, whatever its working directory
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, LocalTransportService.NAME
                    + ": the maildrop must be an absolute path, not '" + raw.maildrop() + "'");
        }
        maildrop = maildrop.normalize();
        List<String> domains = new ArrayList<>();
        for (String d : raw.domains() == null ? DEFAULT_DOMAINS : raw.domains()) {
            String domain = normaliseDomain(d == null ? "" : d);
            if (!DOMAIN.matcher(domain).matches()) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, LocalTransportService.NAME + ": '" + d
                        + "' in PR_LOCAL_DOMAINS is not a domain name");
            }
            if (!domains.contains(domain)) {
                domains.add(domain);
            }
        }
        if (domains.isEmpty()) {
            domains.addAll(DEFAULT_DOMAINS);
        }
        String address = raw.address() == null || raw.address().isBlank() ? null : raw.address().trim();
        String mailbox = null;
        if (address != null) {
            Address a = split(address).orElseThrow(() -> new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    LocalTransportService.NAME + ": own address '" + raw.address() + "' is not of the form local@domain"));
            if (!domains.contains(a.domain())) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, LocalTransportService.NAME + ": own address '"
                        + address + "' is not in a local domain " + domains + "; add '" + a.domain() + "' to PR_LOCAL_DOMAINS");
            }
            try {
                mailbox = Maildrop.mailboxName(a.localPart());
            } catch (IllegalArgumentException e) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, LocalTransportService.NAME + ": own address '"
                        + address + "' cannot be a mailbox: " + e.getMessage());
            }
        }
        return new LocalConfig(maildrop, address, mailbox, List.copyOf(domains));
    }

    /**
     * A transport logon's configuration: its provider section, each setting it lacks taken from the service's
     * section (named by PR_SERVICE_UID), which is where ConfigureMsgService writes.
     *
     * @param support the logon's support object
     * @return the checked configuration
     * @throws MapiException MAPI_E_UNCONFIGURED when no maildrop is configured; MAPI_E_INVALID_PARAMETER for bad
     *                       values
     */
    static LocalConfig read(MapiSupport support) {
        Raw raw;
        try (ProfileSection own = support.openProfileSection(null, 0)) {
            raw = Raw.of(own);
            Optional<PropValue> service = own.getProps(new int[] {PropTags.PR_SERVICE_UID}, 0)
                    .find(PropTags.PR_SERVICE_UID);
            if (service.isPresent() && service.get().asBinary().length == MapiUid.LENGTH) {
                try (ProfileSection s = support.openProfileSection(MapiUid.of(service.get().asBinary()), 0)) {
                    raw = Raw.of(s).overriddenBy(raw);
                } catch (MapiException e) {
                    if (e.hresult() != HResult.MAPI_E_NOT_FOUND) {
                        throw e;
                    }
                }
            }
        }
        return check(raw);
    }

    /** @return whether {@code domain} (any case, a trailing dot allowed) is one of the local domains */
    boolean isLocal(String domain) {
        return domains.contains(normaliseDomain(domain));
    }

    /**
     * @param address an SMTP address, bare or in angle brackets
     * @return its local part and lower-case domain; empty when it has no {@code @} with text on both sides
     */
    static Optional<Address> split(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String s = address.trim();
        int lt = s.lastIndexOf('<');
        if (lt >= 0 && s.endsWith(">")) {
            s = s.substring(lt + 1, s.length() - 1).trim();
        }
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Address(s.substring(0, at), normaliseDomain(s.substring(at + 1))));
    }

    private static String normaliseDomain(String domain) {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    private static String string(PropValue v) {
        if (v.value() instanceof String s) {
            return s;
        }
        throw new MapiException(HResult.MAPI_E_INVALID_TYPE, PropTag.toString(v.tag()) + " must be a string");
    }

    private static List<String> strings(PropValue v) {
        if (v.value() instanceof String s) {
            return List.of(s);
        }
        if (v.value() instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new MapiException(HResult.MAPI_E_INVALID_TYPE, PropTag.toString(v.tag()) + " must be a list of strings");
    }
}
