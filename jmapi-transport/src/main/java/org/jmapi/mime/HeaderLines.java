package org.jmapi.mime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes header fields, folded at whitespace to lines of about 78 characters (never splitting a word, so an
 * encoded-word or a long token may make a line longer, up to what the value allows). Values are expected to be
 * ASCII already encoded as needed; anything else is written as UTF-8 (RFC 6532). Not thread-safe.
 */
final class HeaderLines {
    /** The line length folding aims for. */
    private static final int TARGET = 78;

    /** The fields written so far, each ending in CRLF. */
    private final StringBuilder text = new StringBuilder();

    /**
     * Adds one field.
     *
     * @param name  the field name
     * @param value the value; CR and LF in it are replaced by spaces so that it cannot end the header
     * @return this
     */
    HeaderLines add(String name, String value) {
        String line = name + ": " + value.replace('\r', ' ').replace('\n', ' ');
        int start = 0;
        while (line.length() - start > TARGET) {
            int limit = start + TARGET;
            int cut = -1;
            int min = start == 0 ? name.length() + 1 : start + 1;
            for (int i = limit; i >= min; i--) {
                if (isSpace(line.charAt(i)) && !isSpace(line.charAt(i - 1))) {
                    cut = i;
                    break;
                }
            }
            if (cut < 0) {
                for (int i = limit + 1; i < line.length(); i++) {
                    if (isSpace(line.charAt(i)) && !isSpace(line.charAt(i - 1))) {
                        cut = i;
                        break;
                    }
                }
            }
            if (cut < 0) {
                break;
            }
            text.append(line, start, cut).append("\r\n");
            start = cut;
        }
        text.append(line, start, line.length()).append("\r\n");
        return this;
    }

    /**
     * @param c a character
     * @return whether it is folding whitespace
     */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Writes the fields and the empty line that ends the header.
     *
     * @param out where they go
     * @throws IOException when writing fails
     */
    void writeTo(OutputStream out) throws IOException {
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        text.setLength(0);
    }
}
