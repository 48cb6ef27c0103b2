package org.jmapi.mime;

import org.jmapi.Flags;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test conveniences for reading what the converters wrote into an {@link InMemoryMessage}. */
final class Mapi {
    /** Not instantiable. */
    private Mapi() {}

    /** A fixed delivery time, so results do not depend on the clock. */
    static final Instant DELIVERED = Instant.parse("2024-05-01T12:00:00Z");

    /**
     * @param mime RFC 5322 bytes
     * @return them read into a new message
     */
    static InMemoryMessage read(byte[] mime) {
        InMemoryMessage m = new InMemoryMessage();
        new MimeReader().withDeliveryTime(DELIVERED).read(mime, m);
        return m;
    }

    /**
     * @param m    a message
     * @param type MAPI_TO, MAPI_CC or MAPI_BCC
     * @return "name <address>" of each recipient of that type, or just the address when the name is the address
     */
    static List<String> recipients(InMemoryMessage m, int type) {
        List<String> out = new ArrayList<>();
        for (Map<Integer, PropValue> r : m.recipients()) {
            if (r.get(PropTags.PR_RECIPIENT_TYPE).asInt() == type) {
                String name = r.get(PropTags.PR_DISPLAY_NAME).asString();
                String address = r.get(PropTags.PR_EMAIL_ADDRESS).asString();
                out.add(name.equals(address) ? address : name + " <" + address + ">");
            }
        }
        return out;
    }

    /**
     * @param m a message
     * @return its To, Cc and Bcc lists
     */
    static List<List<String>> allRecipients(InMemoryMessage m) {
        return List.of(recipients(m, Flags.MAPI_TO), recipients(m, Flags.MAPI_CC), recipients(m, Flags.MAPI_BCC));
    }

    /**
     * @param m a message
     * @return PR_HTML as text, or null
     */
    static String html(InMemoryMessage m) {
        PropValue v = m.prop(PropTags.PR_HTML);
        return v == null ? null : new String(v.asBinary(), StandardCharsets.UTF_8);
    }

    /**
     * @param a an attachment's properties
     * @param tag a tag
     * @return the string, or null
     */
    static String string(Map<Integer, PropValue> a, int tag) {
        PropValue v = a.get(tag);
        return v == null ? null : v.asString();
    }

    /**
     * @param a an attachment's properties
     * @return PR_ATTACH_DATA_BIN
     */
    static byte[] data(Map<Integer, PropValue> a) {
        return a.get(PropTags.PR_ATTACH_DATA_BIN).asBinary();
    }

    /**
     * @param a an attachment's properties
     * @return whether it is an embedded message
     */
    static boolean embedded(Map<Integer, PropValue> a) {
        return a.get(PropTags.PR_ATTACH_METHOD).asInt() == MimeProps.ATTACH_EMBEDDED_MSG;
    }

    /**
     * @param a an embedded-message attachment
     * @return the embedded message, read
     */
    static InMemoryMessage open(Map<Integer, PropValue> a) {
        return read(data(a));
    }

    /**
     * @param m a message
     * @return its by-value attachments, and those of its embedded messages, depth first
     */
    static List<Map<Integer, PropValue>> byValueDeep(InMemoryMessage m) {
        List<Map<Integer, PropValue>> out = new ArrayList<>();
        for (Map<Integer, PropValue> a : m.attachments()) {
            if (embedded(a)) {
                out.addAll(byValueDeep(open(a)));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * @param m a message
     * @return how many embedded messages it holds, at any depth
     */
    static int embeddedDeep(InMemoryMessage m) {
        int n = 0;
        for (Map<Integer, PropValue> a : m.attachments()) {
            if (embedded(a)) {
                n += 1 + embeddedDeep(open(a));
            }
        }
        return n;
    }
}
