package org.jmapi.runtime.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.ProviderKind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The content of one profile file: services, providers, transport order and every section, plus the generation
 * that tells a re-created profile of the same name from the one an open {@link Profile} was loaded from.
 *
 * <p>A plain mutable value: not thread-safe. {@link Profile} keeps one as its published state (never mutated after
 * publication) and mutates fresh copies under the home lock.
 */
final class ProfileData {
    static final String FORMAT = "jmapi-profile";
    static final int VERSION = 1;

    final String name;
    final MapiUid generation;
    final Map<MapiUid, ServiceRecord> services = new LinkedHashMap<>();
    final Map<MapiUid, ProviderRecord> providers = new LinkedHashMap<>();
    /** The effective transport order (R-PROF-5): exactly the transport providers. */
    final List<MapiUid> transportOrder = new ArrayList<>();
    /** Every section, in creation order. */
    final Map<MapiUid, List<PropValue>> sections = new LinkedHashMap<>();
    /** Sections that are neither service nor provider sections but were created by (and belong to) a service. */
    final Map<MapiUid, MapiUid> sectionOwners = new LinkedHashMap<>();

    ProfileData(String name, MapiUid generation) {
        this.name = name;
        this.generation = generation;
    }

    /** @return a deep copy (values are immutable, so copying the collections suffices) */
    ProfileData copy() {
        ProfileData d = new ProfileData(name, generation);
        d.services.putAll(services);
        d.providers.putAll(providers);
        d.transportOrder.addAll(transportOrder);
        sections.forEach((k, v) -> d.sections.put(k, List.copyOf(v)));
        d.sectionOwners.putAll(sectionOwners);
        return d;
    }

    /**
     * The service a section belongs to: the service itself for its own section, the provider's service for a
     * provider section, the recorded owner for a section a service created.
     *
     * @param section a section UID
     * @return the owning service's UID, or null for a section no service owns
     */
    MapiUid ownerOf(MapiUid section) {
        if (services.containsKey(section)) {
            return section;
        }
        ProviderRecord p = providers.get(section);
        if (p != null) {
            return p.serviceUid();
        }
        return sectionOwners.get(section);
    }

    /**
     * Adds a provider with its section, placing a transport by R-PROF-5: after the last transport not flagged
     * STATUS_XP_PREFER_LAST, or at the end when it is flagged so.
     */
    void addProvider(ProviderRecord p, List<PropValue> section) {
        providers.put(p.uid(), p);
        sections.put(p.uid(), List.copyOf(section));
        if (p.kind() == ProviderKind.TRANSPORT) {
            if ((p.resourceFlags() & Flags.STATUS_XP_PREFER_LAST) != 0) {
                transportOrder.add(p.uid());
            } else {
                int at = 0;
                for (int i = 0; i < transportOrder.size(); i++) {
                    ProviderRecord t = providers.get(transportOrder.get(i));
                    if ((t.resourceFlags() & Flags.STATUS_XP_PREFER_LAST) == 0) {
                        at = i + 1;
                    }
                }
                transportOrder.add(at, p.uid());
            }
        }
    }

    /**
     * Brings the record of a service or provider in line with its section after the section changed: the section's
     * PR_DISPLAY_NAME and PR_RESOURCE_FLAGS are what MAPI goes by (R-PROF-5 reads PR_RESOURCE_FLAGS).
     *
     * @param uid a section UID; sections of neither kind are left alone
     */
    void syncRecord(MapiUid uid) {
        List<PropValue> values = sections.get(uid);
        if (values == null) {
            return;
        }
        ProviderRecord p = providers.get(uid);
        if (p != null) {
            providers.put(uid, synced(p, values));
        }
        ServiceRecord s = services.get(uid);
        if (s != null) {
            services.put(uid, new ServiceRecord(s.uid(), s.serviceName(), stringOf(values, s.displayName()),
                    flagsOf(values, s.resourceFlags())));
        }
    }

    /** @return {@code p} with the display name and resource flags its section {@code values} hold */
    static ProviderRecord synced(ProviderRecord p, List<PropValue> values) {
        return new ProviderRecord(p.uid(), p.serviceUid(), p.serviceName(), p.key(), p.kind(),
                stringOf(values, p.displayName()), flagsOf(values, p.resourceFlags()));
    }

    private static String stringOf(List<PropValue> values, String fallback) {
        int id = PropTag.id(PropTags.PR_DISPLAY_NAME);
        for (PropValue v : values) {
            if (v.id() == id && v.value() instanceof String str) {
                return str;
            }
        }
        return fallback;
    }

    private static int flagsOf(List<PropValue> values, int fallback) {
        for (PropValue v : values) {
            if (v.tag() == PropTags.PR_RESOURCE_FLAGS) {
                return v.asInt();
            }
        }
        return fallback;
    }

    /** Removes a provider, its section and its place in the transport order. */
    void removeProvider(MapiUid uid) {
        providers.remove(uid);
        sections.remove(uid);
        transportOrder.remove(uid);
    }

    /** Removes a service, its providers, its own sections and the sections it created. */
    void removeService(MapiUid uid) {
        for (ProviderRecord p : List.copyOf(providers.values())) {
            if (p.serviceUid().equals(uid)) {
                removeProvider(p.uid());
            }
        }
        for (Map.Entry<MapiUid, MapiUid> e : List.copyOf(sectionOwners.entrySet())) {
            if (e.getValue().equals(uid)) {
                sections.remove(e.getKey());
                sectionOwners.remove(e.getKey());
            }
        }
        services.remove(uid);
        sections.remove(uid);
    }

    // ---- JSON ----------------------------------------------------------------------------------------------

    ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("name", name);
        root.put("generation", generation.toString());
        ArrayNode svc = root.putArray("services");
        for (ServiceRecord s : services.values()) {
            ObjectNode o = svc.addObject();
            o.put("uid", s.uid().toString());
            o.put("serviceName", s.serviceName());
            o.put("displayName", s.displayName());
            o.put("resourceFlags", s.resourceFlags());
        }
        ArrayNode prv = root.putArray("providers");
        for (ProviderRecord p : providers.values()) {
            ObjectNode o = prv.addObject();
            o.put("uid", p.uid().toString());
            o.put("serviceUid", p.serviceUid().toString());
            o.put("serviceName", p.serviceName());
            o.put("key", p.key());
            o.put("kind", p.kind().name());
            o.put("displayName", p.displayName());
            o.put("resourceFlags", p.resourceFlags());
        }
        ArrayNode order = root.putArray("transportOrder");
        transportOrder.forEach(u -> order.add(u.toString()));
        ArrayNode sect = root.putArray("sections");
        sections.forEach((uid, values) -> {
            ObjectNode o = sect.addObject();
            o.put("uid", uid.toString());
            MapiUid owner = sectionOwners.get(uid);
            if (owner != null) {
                o.put("owner", owner.toString());
            }
            o.set("props", PropValueJson.encodeAll(values));
        });
        return root;
    }

    /**
     * Reads and checks a profile document.
     *
     * @throws MapiException MAPI_E_CORRUPT_DATA (without the path; the caller adds it)
     */
    static ProfileData fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw corrupt("the document is not a JSON object");
        }
        if (!FORMAT.equals(root.path("format").textValue())) {
            throw corrupt("not a jmapi profile (\"format\" is not \"" + FORMAT + "\")");
        }
        if (root.path("version").intValue() != VERSION || !root.path("version").isInt()) {
            throw corrupt("unsupported profile version " + root.path("version"));
        }
        ProfileData d = new ProfileData(text(root, "name"), uid(root, "generation"));
        for (JsonNode o : array(root, "services")) {
            ServiceRecord s = new ServiceRecord(uid(o, "uid"), text(o, "serviceName"), text(o, "displayName"),
                    int32(o, "resourceFlags"));
            if (d.services.put(s.uid(), s) != null) {
                throw corrupt("service " + s.uid() + " is listed twice");
            }
        }
        for (JsonNode o : array(root, "providers")) {
            ProviderKind kind;
            try {
                kind = ProviderKind.valueOf(text(o, "kind"));
            } catch (IllegalArgumentException e) {
                throw corrupt("unknown provider kind " + o.get("kind"));
            }
            ProviderRecord p = new ProviderRecord(uid(o, "uid"), uid(o, "serviceUid"), text(o, "serviceName"),
                    text(o, "key"), kind, text(o, "displayName"), int32(o, "resourceFlags"));
            if (!d.services.containsKey(p.serviceUid())) {
                throw corrupt("provider " + p.uid() + " names an unknown service " + p.serviceUid());
            }
            if (d.services.containsKey(p.uid()) || d.providers.put(p.uid(), p) != null) {
                throw corrupt("provider " + p.uid() + " is listed twice");
            }
        }
        Set<MapiUid> seen = new HashSet<>();
        for (JsonNode n : array(root, "transportOrder")) {
            MapiUid u = parseUid(n, "transportOrder");
            ProviderRecord p = d.providers.get(u);
            if (p == null || p.kind() != ProviderKind.TRANSPORT || !seen.add(u)) {
                throw corrupt("the transport order names " + u + ", which is not a transport or appears twice");
            }
            d.transportOrder.add(u);
        }
        long transports = d.providers.values().stream().filter(p -> p.kind() == ProviderKind.TRANSPORT).count();
        if (transports != d.transportOrder.size()) {
            throw corrupt("the transport order does not list every transport");
        }
        for (JsonNode o : array(root, "sections")) {
            MapiUid u = uid(o, "uid");
            if (d.sections.put(u, List.copyOf(PropValueJson.decodeAll(o.get("props")))) != null) {
                throw corrupt("section " + u + " is listed twice");
            }
            if (o.has("owner")) {
                MapiUid owner = uid(o, "owner");
                if (!d.services.containsKey(owner)) {
                    throw corrupt("section " + u + " names an unknown owner " + owner);
                }
                d.sectionOwners.put(u, owner);
            }
        }
        for (MapiUid u : d.services.keySet()) {
            if (!d.sections.containsKey(u)) {
                throw corrupt("service " + u + " has no section");
            }
        }
        for (MapiUid u : d.providers.keySet()) {
            if (!d.sections.containsKey(u)) {
                throw corrupt("provider " + u + " has no section");
            }
        }
        return d;
    }

    private static Iterable<JsonNode> array(JsonNode o, String field) {
        JsonNode a = o.get(field);
        if (a == null || !a.isArray()) {
            throw corrupt("\"" + field + "\" must be an array");
        }
        for (JsonNode n : a) {
            if (!field.equals("transportOrder") && !n.isObject()) {
                throw corrupt("\"" + field + "\" must hold objects");
            }
        }
        return a;
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw corrupt("\"" + field + "\" must be a string");
        }
        return n.textValue();
    }

    private static int int32(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw corrupt("\"" + field + "\" must be a 32-bit integer");
        }
        return n.intValue();
    }

    private static MapiUid uid(JsonNode o, String field) {
        return parseUid(o.get(field), field);
    }

    private static MapiUid parseUid(JsonNode n, String field) {
        if (n == null || !n.isTextual()) {
            throw corrupt("\"" + field + "\" must be a MAPIUID string");
        }
        try {
            return MapiUid.parse(n.textValue());
        } catch (MapiException e) {
            throw corrupt("\"" + field + "\" is not a MAPIUID: " + n.textValue());
        }
    }

    private static MapiException corrupt(String message) {
        return new MapiException(HResult.MAPI_E_CORRUPT_DATA, message);
    }
}
