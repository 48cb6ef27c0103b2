package org.jmapi.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One header field as read: its name as written (trimmed, so the obsolete {@code Subject :} form works) and its
 * value unfolded and decoded. Raw header bytes are read as UTF-8 when they are valid UTF-8 (RFC 6532) and as
 * ISO-8859-1 otherwise; RFC 2047 encoded-words are left for the caller, who knows whether the field is
 * unstructured. Immutable; thread-safe.
 *
 * @param name  the field name as written, without surrounding whitespace
 * @param value the value: line breaks removed, leading and trailing whitespace trimmed
 */
record HeaderField(String name, String value) {

    /**
     * @param other a field name
     * @return whether this field has that name, ignoring case
     */
    boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    /**
     * @param raw the raw bytes of one field, folded lines included
     * @return the field, or null when the bytes hold no colon or an empty name
     */
    static HeaderField parse(byte[] raw) {
        int colon = -1;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return null;
        }
        String name = new String(raw, 0, colon, StandardCharsets.ISO_8859_1).trim();
        if (name.isEmpty()) {
            return null;
        }
        String body = MailCharsets.strictUtf8(raw, colon + 1, raw.length - colon - 1);
        if (body == null) {
            body = new String(raw, colon + 1, raw.length - colon - 1, StandardCharsets.ISO_8859_1);
        }
        return new HeaderField(name, unfold(body).strip());
    }

    /**
     * @param s a raw field body
     * @return it without CR and LF characters (unfolded); {@code s} itself when it has none
     */
    private static String unfold(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && s.charAt(i) != '\r' && s.charAt(i) != '\n') {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\r' && c != '\n') {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Splits a header block into fields: a line starting with a space or tab continues the previous field; a line
     * without a colon is dropped.
     *
     * @param block the header lines
     * @return the fields in order
     */
    static List<HeaderField> parseBlock(byte[] block) {
        List<HeaderField> out = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        int i = 0;
        while (i < block.length) {
            int end = i;
            while (end < block.length && block[end] != '\n') {
                end++;
            }
            int lineEnd = Math.min(end + 1, block.length);
            boolean continuation = block[i] == ' ' || block[i] == '\t';
            if (!continuation && cur.size() > 0) {
                add(cur.toByteArray(), out);
                cur.reset();
            }
            cur.write(block, i, lineEnd - i);
            i = lineEnd;
        }
        if (cur.size() > 0) {
            add(cur.toByteArray(), out);
        }
        return out;
    }

    /**
     * @param raw a field's bytes
     * @param out where it goes when it parses
     */
    private static void add(byte[] raw, List<HeaderField> out) {
        HeaderField f = parse(raw);
        if (f != null) {
            out.add(f);
        }
    }
}
