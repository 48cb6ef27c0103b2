package org.jmapi.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A MIME header value with parameters ({@code Content-Type}, {@code Content-Disposition}), read leniently and
 * written per RFC 2045 / RFC 2231.
 *
 * <p>Reading: the value before the first {@code ;}, then {@code name=value} pairs; quoted values unescaped,
 * unquoted ones taken up to the next {@code ;} (so an illegal {@code name==?koi8-r?B?...?=} still yields its
 * encoded-word); RFC 2231 extended values ({@code name*=charset'lang'%XX}) and continuations ({@code name*0*=},
 * {@code name*1=}) assembled in section order and preferred to a plain value of the same name; RFC 2047
 * encoded-words inside values (what Outlook writes) decoded; an unknown charset decodes as ISO-8859-1. Names are
 * lower case. Immutable; thread-safe.
 *
 * @param value  the value before the parameters, trimmed, comments removed (e.g. {@code text/plain})
 * @param params the decoded parameters by lower-case name, in header order
 */
record MimeParameters(String value, Map<String, String> params) {
    /** Longest segment of a written parameter value before it is split into RFC 2231 continuations. */
    private static final int SEGMENT = 60;
    /** RFC 2231 attribute-char minus a few that some readers mishandle: what is written unescaped. */
    private static final String ATTRIBUTE_SAFE =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~";
    /** Upper-case hex digits. */
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Copies the map.
     *
     * @param value  the value before the parameters
     * @param params the parameters by lower-case name
     */
    MimeParameters {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * @param name a parameter name, any case
     * @return its decoded value, or null
     */
    String get(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses a header value. Never fails.
     *
     * @param header the unfolded header value, or null
     * @return the value and parameters; an empty value and no parameters for null
     */
    static MimeParameters parse(String header) {
        if (header == null) {
            return new MimeParameters("", Map.of());
        }
        List<String> pieces = split(header);
        String value = stripComments(pieces.get(0)).trim();
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, String[]>> sections = new LinkedHashMap<>();
        for (int i = 1; i < pieces.size(); i++) {
            String p = pieces.get(i);
            int eq = p.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            String raw = p.substring(eq + 1).trim();
            String v = unquote(raw);
            int star = name.indexOf('*');
            if (star < 0) {
                plain.putIfAbsent(name, v);
                continue;
            }
            String base = name.substring(0, star);
            String rest = name.substring(star + 1);
            boolean encoded = rest.endsWith("*") || rest.isEmpty();
            String num = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
            int index;
            try {
                index = num.isEmpty() ? 0 : Integer.parseInt(num);
            } catch (NumberFormatException e) {
                continue;
            }
            if (index < 0 || index > 999) {
                continue;
            }
            sections.computeIfAbsent(base, k -> new TreeMap<>()).putIfAbsent(index,
                    new String[] {v, encoded ? "*" : ""});
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : plain.entrySet()) {
            out.put(e.getKey(), EncodedWords.decode(e.getValue()));
        }
        for (Map.Entry<String, TreeMap<Integer, String[]>> e : sections.entrySet()) {
            out.put(e.getKey(), assemble(e.getValue()));
        }
        return new MimeParameters(value, out);
    }

    /**
     * Joins RFC 2231 sections: the charset comes from the first section; encoded sections are percent-decoded in
     * it, plain ones appended as they are.
     *
     * @param sections section number to {value, "*" when encoded}
     * @return the decoded value
     */
    private static String assemble(TreeMap<Integer, String[]> sections) {
        Charset cs = StandardCharsets.US_ASCII;
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        boolean first = true;
        for (String[] s : sections.values()) {
            String v = s[0];
            boolean encoded = !s[1].isEmpty();
            if (first && encoded) {
                int q1 = v.indexOf('\'');
                int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
                if (q2 > q1) {
                    Charset c = MailCharsets.lookup(v.substring(0, q1));
                    cs = c != null ? c : v.substring(0, q1).isEmpty() ? StandardCharsets.US_ASCII
                            : StandardCharsets.ISO_8859_1;
                    v = v.substring(q2 + 1);
                }
            }
            first = false;
            if (encoded) {
                percentDecode(v, pending);
            } else {
                flushPending(pending, cs, out);
                out.append(v);
            }
        }
        flushPending(pending, cs, out);
        String result = out.toString();
        return result.contains("=?") ? EncodedWords.decode(result) : result;
    }

    /**
     * @param pending bytes decoded so far; reset
     * @param cs      their charset (US-ASCII text that is valid UTF-8 is read as UTF-8)
     * @param out     where the text goes
     */
    private static void flushPending(ByteArrayOutputStream pending, Charset cs, StringBuilder out) {
        if (pending.size() > 0) {
            byte[] b = pending.toByteArray();
            out.append(cs.equals(StandardCharsets.US_ASCII) ? MailCharsets.guess(b) : new String(b, cs));
            pending.reset();
        }
    }

    /**
     * @param v   an RFC 2231 value; {@code %} not followed by two hex digits stays literal
     * @param out where the bytes go
     */
    private static void percentDecode(String v, ByteArrayOutputStream out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && hexOk(v, i + 1) && hexOk(v, i + 2)) {
                out.write(Character.digit(v.charAt(i + 1), 16) << 4 | Character.digit(v.charAt(i + 2), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * @param v a string
     * @param i an index
     * @return whether {@code v} has a hex digit at {@code i}
     */
    private static boolean hexOk(String v, int i) {
        return i < v.length() && Character.digit(v.charAt(i), 16) >= 0;
    }

    /**
     * Splits at {@code ;} outside quoted strings and comments.
     *
     * @param s the header value
     * @return the pieces; at least one
     */
    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
                continue;
            }
            if (c == '"' && depth == 0) {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && depth > 0) {
                depth--;
            } else if (!quoted && depth == 0 && c == ';') {
                out.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        out.add(cur.toString());
        return out;
    }

    /**
     * @param raw a parameter value as written
     * @return the value: a quoted string unescaped, else the text without comments, trimmed
     */
    private static String unquote(String raw) {
        if (raw.startsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length()) {
                    sb.append(raw.charAt(++i));
                } else if (c == '"') {
                    break;
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
        return stripComments(raw).trim();
    }

    /**
     * @param s text outside quoted strings
     * @return it without parenthesised comments
     */
    private static String stripComments(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && depth == 0) {
                quoted = !quoted;
            }
            if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Formats one parameter for writing: a token or quoted-string when the value is ASCII, otherwise RFC 2231
     * {@code name*=utf-8''%XX} split into {@code name*N*} continuations of at most {@value #SEGMENT} characters.
     *
     * @param name  the parameter name, lower case ASCII
     * @param value the value
     * @return the {@code name=value} pieces, to be joined with {@code "; "} (one piece unless continued)
     */
    static List<String> format(String name, String value) {
        boolean ascii = true;
        for (int i = 0; i < value.length() && ascii; i++) {
            char c = value.charAt(i);
            ascii = c >= 0x20 && c < 0x7F;
        }
        if (ascii && value.length() <= 900) {
            boolean token = !value.isEmpty();
            for (int i = 0; i < value.length() && token; i++) {
                token = ATTRIBUTE_SAFE.indexOf(value.charAt(i)) >= 0;
            }
            String quoted = "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            return List.of(name + "=" + (token ? value : quoted));
        }
        List<String> segments = new ArrayList<>();
        StringBuilder cur = new StringBuilder("utf-8''");
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            StringBuilder enc = new StringBuilder();
            for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                int b = x & 0xFF;
                if (b < 0x80 && ATTRIBUTE_SAFE.indexOf(b) >= 0) {
                    enc.append((char) b);
                } else {
                    enc.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
                }
            }
            if (cur.length() > 0 && cur.length() + enc.length() > SEGMENT) {
                segments.add(cur.toString());
                cur.setLength(0);
            }
            cur.append(enc);
        }
        segments.add(cur.toString());
        if (segments.size() == 1) {
            return List.of(name + "*=" + segments.get(0));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            out.add(name + "*" + i + "*=" + segments.get(i));
        }
        return out;
    }
}
