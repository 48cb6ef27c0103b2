package org.jmapi.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 encoded-words, both ways.
 *
 * <p>Decoding is lenient in the ways real mail needs: whitespace between adjacent encoded-words is dropped (RFC 2047
 * &sect;6.2), adjacent words in one charset are joined before their bytes are decoded (so a multi-byte character
 * split across two words survives), words glued to surrounding text are recognised, an unknown charset decodes as
 * ISO-8859-1, and a word that is not valid stays as written.
 *
 * <p>Encoding writes UTF-8 words of at most 75 characters that never split a code point, in Q form when at least
 * half of the text is ASCII and B form otherwise, separated by single spaces so that a header folder can break
 * between them.
 * Stateless; thread-safe.
 */
final class EncodedWords {
    /** Not instantiable. */
    private EncodedWords() {}

    /** One encoded-word: charset (with an optional RFC 2231 language), encoding, text. */
    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]{1,60})\\?([bBqQ])\\?([^?\\s]*)\\?=");
    /** The longest encoded-word RFC 2047 allows. */
    private static final int MAX_WORD = 75;
    /** {@code =?utf-8?Q?} and {@code ?=}: the overhead of a word. */
    private static final int OVERHEAD = "=?utf-8?Q?".length() + 2;
    /** Characters a Q-encoded word may carry literally, also inside a phrase (RFC 2047 &sect;5 rule 3). */
    private static final String Q_SAFE =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/";
    /** Upper-case hex digits. */
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Decodes every encoded-word in a header value.
     *
     * @param text an unfolded header value (or part of one)
     * @return the text with encoded-words decoded; the input when it holds none
     */
    static String decode(String text) {
        if (text == null || !text.contains("=?")) {
            return text;
        }
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        List<Word> run = new ArrayList<>();
        while (m.find()) {
            String between = text.substring(pos, m.start());
            if (!run.isEmpty() && !between.isBlank()) {
                flush(run, out);
            }
            if (run.isEmpty()) {
                out.append(between);
            }
            Word w = Word.parse(m.group(1), m.group(2), m.group(3));
            if (w == null) {
                flush(run, out);
                out.append(m.group());
            } else {
                run.add(w);
            }
            pos = m.end();
        }
        flush(run, out);
        out.append(text, pos, text.length());
        return out.toString();
    }

    /**
     * Appends a run of adjacent words: consecutive words of one charset are decoded together.
     *
     * @param run the words; cleared
     * @param out where the text goes
     */
    private static void flush(List<Word> run, StringBuilder out) {
        int i = 0;
        while (i < run.size()) {
            Charset cs = run.get(i).charset;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            while (i < run.size() && run.get(i).charset.equals(cs)) {
                bytes.writeBytes(run.get(i).bytes);
                i++;
            }
            out.append(new String(bytes.toByteArray(), cs));
        }
        run.clear();
    }

    /**
     * @param text a header value
     * @return whether it must be written as encoded-words: non-ASCII or control characters, text that would read as
     *         an encoded-word, or a run of more than 900 characters without whitespace (no line could hold it)
     */
    static boolean needsEncoding(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x7F || (c < 0x20 && c != '\t')) {
                return true;
            }
            run = c == ' ' || c == '\t' ? 0 : run + 1;
            if (run > 900) {
                return true;
            }
        }
        return text.contains("=?");
    }

    /**
     * Encodes a whole text as UTF-8 encoded-words.
     *
     * @param text the text; may be empty
     * @return the words separated by single spaces (which decoding drops)
     */
    static String encode(String text) {
        int nonAscii = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x7F) {
                nonAscii++;
            }
        }
        boolean q = nonAscii * 2 <= text.length();
        List<String> words = new ArrayList<>();
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        int budget = MAX_WORD - OVERHEAD;
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            int cost = q ? qLength(b) : 0;
            int next = q ? used + cost : base64Length(chunk.size() + b.length);
            if (chunk.size() > 0 && next > budget) {
                words.add(word(chunk.toByteArray(), q));
                chunk.reset();
                used = 0;
            }
            chunk.writeBytes(b);
            used += cost;
        }
        if (chunk.size() > 0 || words.isEmpty()) {
            words.add(word(chunk.toByteArray(), q));
        }
        return String.join(" ", words);
    }

    /**
     * Encodes a display name for an address: as written when it is a plain atom sequence, as a quoted-string when
     * it is ASCII with specials, as encoded-words otherwise.
     *
     * @param name the display name
     * @return the phrase to write before {@code <address>}
     */
    static String phrase(String name) {
        if (needsEncoding(name)) {
            return encode(name);
        }
        boolean atoms = !name.isEmpty() && !name.startsWith(" ") && !name.endsWith(" ") && !name.contains("  ");
        for (int i = 0; atoms && i < name.length(); i++) {
            char c = name.charAt(i);
            atoms = Character.isLetterOrDigit(c) || c == ' ' || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
        }
        if (atoms) {
            return name;
        }
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * @param bytes UTF-8 bytes of one or more whole code points
     * @param q     Q form (else B)
     * @return the encoded-word
     */
    private static String word(byte[] bytes, boolean q) {
        if (!q) {
            return "=?utf-8?B?" + Base64.getEncoder().encodeToString(bytes) + "?=";
        }
        StringBuilder sb = new StringBuilder("=?utf-8?Q?");
        for (byte x : bytes) {
            int b = x & 0xFF;
            if (b == ' ') {
                sb.append('_');
            } else if (b < 0x80 && Q_SAFE.indexOf(b) >= 0) {
                sb.append((char) b);
            } else {
                sb.append('=').append(HEX[b >> 4]).append(HEX[b & 0xF]);
            }
        }
        return sb.append("?=").toString();
    }

    /**
     * @param bytes bytes
     * @return their length in Q form
     */
    private static int qLength(byte[] bytes) {
        int n = 0;
        for (byte x : bytes) {
            int b = x & 0xFF;
            n += b == ' ' || (b < 0x80 && Q_SAFE.indexOf(b) >= 0) ? 1 : 3;
        }
        return n;
    }

    /**
     * @param n a byte count
     * @return the length of its base64 form
     */
    private static int base64Length(int n) {
        return (n + 2) / 3 * 4;
    }

    /**
     * One decoded encoded-word.
     *
     * @param charset the charset (ISO-8859-1 when the word's was unknown)
     * @param bytes   the decoded bytes
     */
    private record Word(Charset charset, byte[] bytes) {
        /**
         * @param charset  the charset label
         * @param encoding B or Q
         * @param text     the encoded text
         * @return the word, or null when the text is not valid for its encoding
         */
        static Word parse(String charset, String encoding, String text) {
            Charset cs = MailCharsets.lookup(charset);
            if (cs == null) {
                cs = StandardCharsets.ISO_8859_1;
            }
            byte[] bytes = encoding.equalsIgnoreCase("B") ? decodeB(text) : decodeQ(text);
            return bytes == null ? null : new Word(cs, bytes);
        }

        /**
         * @param text base64 text, padding optional
         * @return the bytes, or null when the text is not base64
         */
        private static byte[] decodeB(String text) {
            String t = text;
            while (t.endsWith("=")) {
                t = t.substring(0, t.length() - 1);
            }
            if (t.length() % 4 == 1) {
                return null;
            }
            try {
                return Base64.getDecoder().decode(t + "==".substring(0, (4 - t.length() % 4) % 4));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /**
         * @param text Q text; {@code =} not followed by two hex digits stays literal
         * @return the bytes
         */
        private static byte[] decodeQ(String text) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '_') {
                    out.write(' ');
                } else if (c == '=' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0
                        && hex(text.charAt(i + 2)) >= 0) {
                    out.write(hex(text.charAt(i + 1)) << 4 | hex(text.charAt(i + 2)));
                    i += 2;
                } else if (c < 0x100) {
                    out.write(c);
                } else {
                    out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                }
            }
            return out.toByteArray();
        }

        /**
         * @param c a character
         * @return its hex value, or -1
         */
        private static int hex(char c) {
            return Character.digit(c, 16);
        }
    }
}
