package org.jmapi.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * One mailbox of an address header: a display name and an address, with a lenient RFC 5322 address-list parser
 * (groups flattened, obsolete routes dropped, {@code addr (Comment)} taking the comment as the name, RFC 2047 names
 * decoded, an unterminated quote ignored, an unterminated comment or bracket ending at the end of input) and the
 * writer's formatting. Immutable; thread-safe.
 *
 * @param name    the display name, decoded; empty when there is none
 * @param address the address, e.g. {@code user@example.com}; a bare local part when the header had only that
 */
record MailAddress(String name, String address) {

    /** @return the name, or the address when there is no name (what MAPI shows as PR_DISPLAY_NAME) */
    String displayName() {
        return name.isEmpty() ? address : name;
    }

    /**
     * @return the mailbox as an RFC 5322 {@code name-addr} / {@code addr-spec}, the name encoded as needed
     */
    String format() {
        return name.isEmpty() || name.equals(address) ? address : EncodedWords.phrase(name) + " <" + address + ">";
    }

    /**
     * Parses an address-list header value. Never fails: what cannot be read as a mailbox is skipped.
     *
     * @param value the unfolded header value
     * @return the mailboxes in header order; members of groups included, empty groups contributing nothing
     */
    static List<MailAddress> parseList(String value) {
        List<MailAddress> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        List<Token> current = new ArrayList<>();
        boolean inGroup = false;
        for (Token t : tokenize(value)) {
            if (t.kind == Kind.SPECIAL && t.text.equals(",")) {
                finish(current, out);
            } else if (t.kind == Kind.SPECIAL && t.text.equals(":") && !inGroup) {
                current.clear();
                inGroup = true;
            } else if (t.kind == Kind.SPECIAL && t.text.equals(";")) {
                finish(current, out);
                inGroup = false;
            } else if (t.kind != Kind.SPECIAL) {
                current.add(t);
            }
        }
        finish(current, out);
        return out;
    }

    /**
     * Turns the tokens of one mailbox into a {@link MailAddress}.
     *
     * @param tokens the tokens between separators; cleared
     * @param out    where the mailbox goes, unless it has no address
     */
    private static void finish(List<Token> tokens, List<MailAddress> out) {
        Token angle = null;
        List<Token> phrase = new ArrayList<>();
        String comment = null;
        for (Token t : tokens) {
            if (t.kind == Kind.ANGLE && angle == null) {
                angle = t;
            } else if (t.kind == Kind.COMMENT) {
                if (comment == null && !t.text.isBlank()) {
                    comment = t.text.trim();
                }
            } else if (angle == null && t.kind != Kind.ANGLE) {
                phrase.add(t);
            }
        }
        tokens.clear();
        String name;
        String address;
        if (angle != null) {
            address = cleanAddress(angle.text);
            name = phraseText(phrase);
        } else {
            List<String> words = glue(phrase);
            int at = -1;
            for (int i = words.size() - 1; i >= 0 && at < 0; i--) {
                if (words.get(i).contains("@")) {
                    at = i;
                }
            }
            if (words.isEmpty()) {
                return;
            }
            int pick = at >= 0 ? at : words.size() - 1;
            address = cleanAddress(words.get(pick));
            List<String> rest = new ArrayList<>(words);
            rest.remove(pick);
            name = EncodedWords.decode(String.join(" ", rest)).trim();
        }
        if (name.isEmpty() && comment != null) {
            name = EncodedWords.decode(comment);
        }
        if (!address.isEmpty() && address.indexOf('<') < 0 && address.indexOf('>') < 0) {
            out.add(new MailAddress(name, address));
        }
    }

    /**
     * @param phrase the tokens before an angle address
     * @return the display name: words joined by single spaces, quoted strings unquoted, encoded-words decoded
     */
    private static String phraseText(List<Token> phrase) {
        StringBuilder sb = new StringBuilder();
        for (Token t : phrase) {
            if (sb.length() > 0 && t.spaceBefore) {
                sb.append(' ');
            }
            sb.append(t.text);
        }
        return EncodedWords.decode(sb.toString()).trim();
    }

    /**
     * @param tokens atoms and quoted strings
     * @return the words: tokens not separated by whitespace glued together, quoted strings re-quoted where glued
     *         into an address ({@code "john doe"@example.com})
     */
    private static List<String> glue(List<Token> tokens) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = null;
        for (Token t : tokens) {
            String text = t.kind == Kind.QUOTED ? "\"" + t.text + "\"" : t.text;
            if (cur == null || t.spaceBefore) {
                if (cur != null) {
                    words.add(cur.toString());
                }
                cur = new StringBuilder(text);
            } else {
                cur.append(text);
            }
        }
        if (cur != null) {
            words.add(cur.toString());
        }
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.length() >= 2 && w.startsWith("\"") && w.endsWith("\"") && w.indexOf('@') < 0) {
                words.set(i, w.substring(1, w.length() - 1));
            }
        }
        return words;
    }

    /**
     * @param raw an address as written, possibly with an obsolete route ({@code @a,@b:user@host}) or spaces
     * @return the address without route and whitespace
     */
    private static String cleanAddress(String raw) {
        String a = raw.trim();
        if (a.startsWith("@") && a.indexOf(':') > 0) {
            a = a.substring(a.indexOf(':') + 1);
        }
        StringBuilder sb = new StringBuilder(a.length());
        boolean quoted = false;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (quoted || !Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Splits a header value into tokens; an unterminated quote is skipped, an unterminated comment or angle bracket
     * ends at the end of input.
     *
     * @param s the value
     * @return the tokens
     */
    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        boolean space = false;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = true;
                i++;
            } else if (c == '"' && !closes(s, i)) {
                // An unterminated quote would swallow the rest of the header: ignore the quote character.
                space = true;
                i++;
            } else if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    sb.append(s.charAt(i++));
                }
                i++;
                out.add(new Token(Kind.QUOTED, sb.toString(), space));
                space = false;
            } else if (c == '(') {
                StringBuilder sb = new StringBuilder();
                int depth = 1;
                i++;
                while (i < n && depth > 0) {
                    char d = s.charAt(i);
                    if (d == '\\' && i + 1 < n) {
                        sb.append(s.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    depth += d == '(' ? 1 : d == ')' ? -1 : 0;
                    if (depth > 0) {
                        sb.append(d);
                    }
                    i++;
                }
                out.add(new Token(Kind.COMMENT, sb.toString(), space));
                space = true;
            } else if (c == '<') {
                int end = s.indexOf('>', i + 1);
                int stop = end < 0 ? n : end;
                out.add(new Token(Kind.ANGLE, s.substring(i + 1, stop), space));
                i = end < 0 ? n : end + 1;
                space = false;
            } else if (c == ',' || c == ';' || c == ':') {
                out.add(new Token(Kind.SPECIAL, String.valueOf(c), space));
                space = false;
                i++;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(s.charAt(i)) && "\"(<,;:".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(Kind.ATOM, s.substring(start, i), space));
                space = false;
            }
        }
        return out;
    }

    /**
     * @param s a header value
     * @param i the index of an opening quote
     * @return whether an unescaped closing quote follows
     */
    private static boolean closes(String s, int i) {
        for (int j = i + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '"') {
                return true;
            }
        }
        return false;
    }

    /** Token kinds of the address lexer. */
    private enum Kind {
        /** A run of characters that are not whitespace or specials (dots and {@code @} included). */
        ATOM,
        /** A quoted string, unescaped. */
        QUOTED,
        /** A comment, unescaped, nesting flattened. */
        COMMENT,
        /** The inside of {@code <...>}. */
        ANGLE,
        /** {@code ,} {@code ;} or {@code :}. */
        SPECIAL
    }

    /**
     * One token.
     *
     * @param kind        what it is
     * @param text        its text
     * @param spaceBefore whether whitespace (or a comment) preceded it
     */
    private record Token(Kind kind, String text, boolean spaceBefore) {}
}
