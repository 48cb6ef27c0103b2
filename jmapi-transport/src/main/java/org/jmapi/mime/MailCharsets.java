package org.jmapi.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Charset names as mail uses them, mapped to Java charsets: aliases the JDK does not know, an ISO-8859-1 fallback for
 * unknown names, a guess for undeclared 8-bit text, and Windows code page numbers for PR_INTERNET_CPID. Stateless;
 * thread-safe.
 */
final class MailCharsets {
    /** Not instantiable. */
    private MailCharsets() {}

    /** Mail charset labels the JDK does not resolve, lower case, to a JDK name. */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("utf8", "UTF-8"),
            Map.entry("latin1", "ISO-8859-1"),
            Map.entry("latin-1", "ISO-8859-1"),
            Map.entry("ascii", "US-ASCII"),
            Map.entry("ansi_x3.4-1968", "US-ASCII"),
            Map.entry("cp-850", "IBM850"),
            Map.entry("x-sjis", "Shift_JIS"),
            Map.entry("shift-jis", "Shift_JIS"),
            Map.entry("ks_c_5601-1987", "x-windows-949"),
            Map.entry("ks_c_5601", "x-windows-949"),
            Map.entry("gb2312", "GBK"),
            Map.entry("x-gbk", "GBK"),
            Map.entry("windows-874", "x-windows-874"),
            Map.entry("iso-2022-jp-2", "ISO-2022-JP"));

    /** Windows code page numbers of common charsets, for PR_INTERNET_CPID; canonical JDK name lower case. */
    private static final Map<String, Integer> CODE_PAGES = Map.ofEntries(
            Map.entry("utf-8", 65001), Map.entry("us-ascii", 20127), Map.entry("iso-8859-1", 28591),
            Map.entry("iso-8859-2", 28592), Map.entry("iso-8859-5", 28595), Map.entry("iso-8859-7", 28597),
            Map.entry("iso-8859-15", 28605), Map.entry("windows-1250", 1250), Map.entry("windows-1251", 1251),
            Map.entry("windows-1252", 1252), Map.entry("windows-1253", 1253), Map.entry("windows-1254", 1254),
            Map.entry("windows-1255", 1255), Map.entry("windows-1256", 1256), Map.entry("windows-1257", 1257),
            Map.entry("windows-1258", 1258), Map.entry("koi8-r", 20866), Map.entry("koi8-u", 21866),
            Map.entry("iso-2022-jp", 50220), Map.entry("shift_jis", 932), Map.entry("euc-jp", 51932),
            Map.entry("gbk", 936), Map.entry("gb18030", 54936), Map.entry("big5", 950), Map.entry("euc-kr", 51949),
            Map.entry("x-windows-949", 949), Map.entry("utf-16", 1200));

    /** A {@code charset=} declaration near the start of an HTML document. */
    private static final Pattern META_CHARSET =
            Pattern.compile("<meta[^>]{0,200}?charset\\s*=\\s*[\"']?([A-Za-z0-9._:-]{1,40})", Pattern.CASE_INSENSITIVE);

    /**
     * Resolves a charset label from a MIME header.
     *
     * @param label the label, possibly quoted, padded or carrying an RFC 2231 language suffix; may be null
     * @return the charset, or null when the label is null, empty or unknown
     */
    static Charset lookup(String label) {
        if (label == null) {
            return null;
        }
        String name = label.trim();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).trim();
        }
        int star = name.indexOf('*');
        if (star >= 0) {
            name = name.substring(0, star);
        }
        if (name.isEmpty()) {
            return null;
        }
        String alias = ALIASES.get(name.toLowerCase(Locale.ROOT));
        try {
            return Charset.forName(alias != null ? alias : name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Decodes text bytes: with the declared charset when it is known; else (no declaration, US-ASCII, or an unknown
     * name) as ASCII when the bytes are 7-bit, UTF-8 when they are valid UTF-8, otherwise ISO-8859-1, which maps
     * every byte and never fails. Malformed sequences in a known charset become U+FFFD.
     *
     * @param bytes   the bytes
     * @param label   the declared charset label, or null
     * @param defects told about an unknown label
     * @return the text
     */
    static String decode(byte[] bytes, String label, Defects defects) {
        Charset cs = declared(label, defects);
        return cs == null ? guess(bytes) : new String(bytes, cs);
    }

    /**
     * The first half of {@link #decode}, for text read in pieces: the charset a label decides.
     *
     * @param label   the declared charset label, or null
     * @param defects told about an unknown label
     * @return the declared charset when it is known and not US-ASCII; ISO-8859-1 for an unknown label; null when the
     *         bytes decide ({@link #guess}: UTF-8 when they are valid UTF-8, else ISO-8859-1)
     */
    static Charset declared(String label, Defects defects) {
        Charset cs = lookup(label);
        if (cs == null && label != null && !label.isBlank()) {
            defects.add("unknown charset \"" + label.trim() + "\", decoded as ISO-8859-1");
            return StandardCharsets.ISO_8859_1;
        }
        return cs == null || cs.equals(StandardCharsets.US_ASCII) ? null : cs;
    }

    /**
     * @param bytes text bytes of undeclared or US-ASCII charset
     * @return the text as UTF-8 when valid, else ISO-8859-1
     */
    static String guess(byte[] bytes) {
        String utf8 = strictUtf8(bytes, 0, bytes.length);
        return utf8 != null ? utf8 : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * @param bytes  bytes
     * @param offset first byte
     * @param length byte count
     * @return the bytes decoded as UTF-8, or null when they are not valid UTF-8
     */
    static String strictUtf8(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && bytes[i] >= 0) {
            i++;
        }
        if (i == end) {
            // plain ASCII (the usual header block): valid UTF-8, and one byte per char
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Finds the charset an HTML document declares in a {@code <meta>} tag within its first 2048 bytes.
     *
     * @param html the document bytes
     * @return the declared label, or null
     */
    static String sniffHtml(byte[] html) {
        String head = new String(html, 0, Math.min(html.length, 2048), StandardCharsets.ISO_8859_1);
        Matcher m = META_CHARSET.matcher(head);
        return m.find() ? m.group(1) : null;
    }

    /**
     * @param cs a charset
     * @return its Windows code page number, or -1 when it has none here
     */
    static int codePage(Charset cs) {
        return CODE_PAGES.getOrDefault(cs.name().toLowerCase(Locale.ROOT), -1);
    }

    /**
     * @param codePage a Windows code page number (PR_INTERNET_CPID)
     * @return the charset, or null when the number is not one this class knows
     */
    static Charset forCodePage(int codePage) {
        for (Map.Entry<String, Integer> e : CODE_PAGES.entrySet()) {
            if (e.getValue() == codePage) {
                return lookup(e.getKey());
            }
        }
        return null;
    }
}
