package org.jmapi.cli;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How property values and flag words are shown: as text for people (MFCMAPI's columns: tag, name, type, value) and
 * as JSON values for programs. Stateless.
 */
final class PropText {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private PropText() {}

    /**
     * @param v a value
     * @return it as text: strings as they are, times in the local zone, binaries in hex, errors by MAPI name
     */
    static String text(PropValue v) {
        if (v == null) {
            return "";
        }
        if (v.isError()) {
            return HResult.name(v.errorCode());
        }
        Object o = v.value();
        if (o instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (o instanceof Instant t) {
            return LOCAL.format(t.atZone(ZoneId.systemDefault()));
        }
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object x : l) {
                parts.add(x instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(x));
            }
            return String.join("; ", parts);
        }
        return String.valueOf(o);
    }

    /**
     * @param v a value
     * @return it as a JSON value: strings, numbers and booleans as they are, times as ISO-8601 UTC, binaries as hex
     *         strings, errors as their MAPI name
     */
    static Object json(PropValue v) {
        if (v == null) {
            return null;
        }
        if (v.isError()) {
            return HResult.name(v.errorCode());
        }
        Object o = v.value();
        if (o instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (o instanceof Instant t) {
            return t.toString();
        }
        if (o instanceof List<?> l) {
            List<Object> parts = new ArrayList<>();
            for (Object x : l) {
                parts.add(x instanceof byte[] b ? HexFormat.of().formatHex(b)
                        : x instanceof Instant t ? t.toString() : x instanceof Number || x instanceof Boolean ? x
                        : String.valueOf(x));
            }
            return parts;
        }
        if (o instanceof Number || o instanceof Boolean || o instanceof String) {
            return o;
        }
        return String.valueOf(o);
    }

    /**
     * One line of an MFCMAPI-style property listing.
     *
     * @param v the value
     * @return tag, name, type, value
     */
    static List<String> row(PropValue v) {
        String name = PropTag.toString(v.tag());
        return List.of(String.format("0x%08X", v.tag()), name.startsWith("0x") ? "" : name,
                PropType.name(v.type()), Output.cell(text(v), 200));
    }

    /**
     * @param v the value
     * @return the property as a JSON object: tag, name, type, value
     */
    static Map<String, Object> jsonRow(PropValue v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", String.format("0x%08X", v.tag()));
        String name = PropTag.toString(v.tag());
        m.put("name", name.startsWith("0x") ? null : name);
        m.put("type", PropType.name(v.type()));
        m.put("value", json(v));
        return m;
    }

    /**
     * @param flags a StoreLogoff output word
     * @return e.g. {@code LOGOFF_COMPLETE | LOGOFF_OUTBOUND_QUEUE}, or {@code 0} (refused, nothing active)
     */
    static String logoffBits(int flags) {
        List<String> names = new ArrayList<>();
        if ((flags & Flags.LOGOFF_COMPLETE) != 0) {
            names.add("LOGOFF_COMPLETE");
        }
        if ((flags & Flags.LOGOFF_INBOUND) != 0) {
            names.add("LOGOFF_INBOUND");
        }
        if ((flags & Flags.LOGOFF_OUTBOUND) != 0) {
            names.add("LOGOFF_OUTBOUND");
        }
        if ((flags & Flags.LOGOFF_OUTBOUND_QUEUE) != 0) {
            names.add("LOGOFF_OUTBOUND_QUEUE");
        }
        int known = Flags.LOGOFF_COMPLETE | Flags.LOGOFF_INBOUND | Flags.LOGOFF_OUTBOUND | Flags.LOGOFF_OUTBOUND_QUEUE;
        if ((flags & ~known) != 0) {
            names.add(HResult.hex(flags & ~known));
        }
        return names.isEmpty() ? "0" : String.join(" | ", names);
    }

    /**
     * @param code a PR_STATUS_CODE value
     * @return its STATUS_* bits in words, e.g. {@code available, outbound enabled}
     */
    static String statusBits(int code) {
        List<String> names = new ArrayList<>();
        int[] bits = {Flags.STATUS_AVAILABLE, Flags.STATUS_OFFLINE, Flags.STATUS_FAILURE,
            Flags.STATUS_INBOUND_ENABLED, Flags.STATUS_INBOUND_ACTIVE, Flags.STATUS_INBOUND_FLUSH,
            Flags.STATUS_OUTBOUND_ENABLED, Flags.STATUS_OUTBOUND_ACTIVE, Flags.STATUS_OUTBOUND_FLUSH,
            Flags.STATUS_REMOTE_ACCESS};
        String[] words = {"available", "offline", "failure", "inbound enabled", "inbound active", "inbound flush",
            "outbound enabled", "outbound active", "outbound flush", "remote access"};
        int rest = code;
        for (int i = 0; i < bits.length; i++) {
            if ((code & bits[i]) != 0) {
                names.add(words[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0) {
            names.add(HResult.hex(rest));
        }
        return names.isEmpty() ? "-" : String.join(", ", names);
    }

    /**
     * @param type a PR_RESOURCE_TYPE value
     * @return its name: store, transport, spooler, subsystem, address book, ...
     */
    static String resourceType(int type) {
        return switch (type) {
            case Flags.MAPI_STORE_PROVIDER -> "store";
            case Flags.MAPI_AB -> "address book";
            case Flags.MAPI_AB_PROVIDER -> "address book provider";
            case Flags.MAPI_TRANSPORT_PROVIDER -> "transport";
            case Flags.MAPI_SPOOLER -> "spooler";
            case Flags.MAPI_PROFILE_PROVIDER -> "profile provider";
            case Flags.MAPI_SUBSYSTEM -> "subsystem";
            case Flags.MAPI_HOOK_PROVIDER -> "hook";
            default -> String.valueOf(type);
        };
    }
}
