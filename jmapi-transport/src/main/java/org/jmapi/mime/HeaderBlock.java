package org.jmapi.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

/**
 * The top-level header block of a message, captured byte for byte while the message streams past: it becomes
 * PR_TRANSPORT_MESSAGE_HEADERS, and the same bytes are replayed to the MIME parser, so nothing is read twice. A
 * leading mbox {@code From } line is dropped. Capture stops at the first empty line, at the end of input, or after
 * a byte limit (the rest of the header still reaches the parser, only the captured text is cut short).
 *
 * <p>Not thread-safe; used by one conversion.
 */
final class HeaderBlock {
    /** The captured header lines, without the mbox line and the empty line ending the block. */
    private final byte[] header;
    /** Whether the limit cut the capture short. */
    private final boolean truncated;
    /** What the parser reads: the captured bytes, the separator, then the unread rest of the input. */
    private final InputStream replay;

    /**
     * @param header    the captured header lines
     * @param truncated whether the limit cut the capture short
     * @param replay    the stream for the parser
     */
    private HeaderBlock(byte[] header, boolean truncated, InputStream replay) {
        this.header = header;
        this.truncated = truncated;
        this.replay = replay;
    }

    /**
     * Reads the header block from {@code in}.
     *
     * @param in    the message, positioned at its start; read only as far as the header block
     * @param limit the most header bytes captured
     * @return the block
     * @throws IOException when reading {@code in} fails
     */
    static HeaderBlock read(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        byte[] separator = new byte[0];
        // read in chunks (never byte by byte through the stream's synchronized read); whatever was read past the
        // header block is replayed to the parser ahead of the rest of the stream
        // no bigger than what the input says it holds (a message in memory is often smaller than one chunk)
        byte[] buf = new byte[Math.min(CHUNK, Math.max(MIN_CHUNK, in.available()))];
        int pos = 0;
        int end = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean first = true;
        boolean truncated = false;
        while (true) {
            line.reset();
            boolean eof = false;
            boolean ended = false;
            // the line: buf[from, pos) when it lies in one chunk (the usual case, no copy), else in `line`
            int from = -1;
            while (!ended) {
                if (pos == end) {
                    int n = in.read(buf, 0, buf.length);
                    if (n <= 0) {
                        eof = true;
                        pos = end = 0;
                        break;
                    }
                    pos = 0;
                    end = n;
                }
                // take bytes up to and including '\n', or until the line is one byte over the limit
                int room = limit + 1 - line.size();
                int stop = Math.min(end, pos + Math.max(room, 1));
                int i = pos;
                while (i < stop && buf[i] != '\n') {
                    i++;
                }
                if (i < stop) {
                    i++; // the '\n'
                    ended = true;
                }
                if (ended && line.size() == 0) {
                    from = pos;
                } else {
                    line.write(buf, pos, i - pos);
                }
                pos = i;
                if (line.size() > limit) {
                    ended = true;
                }
            }
            byte[] l = from >= 0 ? buf : line.toByteArray();
            int off = from >= 0 ? from : 0;
            int len = from >= 0 ? pos - from : l.length;
            if (len == 0) {
                break;
            }
            boolean empty = len <= 2 && (l[off] == '\n' || (l[off] == '\r' && (len == 1 || l[off + 1] == '\n')));
            if (empty) {
                separator = java.util.Arrays.copyOfRange(l, off, off + len);
                break;
            }
            if (first && len > 5 && l[off] == 'F' && l[off + 1] == 'r' && l[off + 2] == 'o' && l[off + 3] == 'm'
                    && l[off + 4] == ' ') {
                first = false;
                continue;
            }
            first = false;
            header.write(l, off, len);
            if (header.size() > limit || eof) {
                truncated = header.size() > limit;
                break;
            }
        }
        byte[] captured = header.toByteArray();
        InputStream replay = new SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
                new ByteArrayInputStream(captured), new ByteArrayInputStream(separator),
                new ByteArrayInputStream(buf, pos, end - pos), in)));
        return new HeaderBlock(captured, truncated, replay);
    }

    /** Bytes read from the input at a time, at most. */
    private static final int CHUNK = 8192;
    /** Bytes read from the input at a time, at least. */
    private static final int MIN_CHUNK = 512;

    /** @return the captured header lines */
    byte[] bytes() {
        return header.clone();
    }

    /** @return whether the byte limit cut the capture short */
    boolean truncated() {
        return truncated;
    }

    /** @return the stream the parser reads: the whole message minus any mbox {@code From } line */
    InputStream replay() {
        return replay;
    }

    /**
     * @return the header as text for PR_TRANSPORT_MESSAGE_HEADERS: UTF-8 when valid, else ISO-8859-1, every line
     *         ending in CRLF
     */
    String text() {
        String s = MailCharsets.strictUtf8(header, 0, header.length);
        if (s == null) {
            s = new String(header, StandardCharsets.ISO_8859_1);
        }
        s = crlf(s);
        return s.isEmpty() || s.endsWith("\r\n") ? s : s + "\r\n";
    }

    /**
     * @param s text
     * @return {@code s} with every line end (CRLF, a lone CR, a lone LF) made CRLF; {@code s} itself when every
     *         line end already is
     */
    static String crlf(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
                i += 2;
            } else if (c == '\r' || c == '\n') {
                break;
            } else {
                i++;
            }
        }
        if (i == n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n + 16).append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\r') {
                b.append("\r\n");
                i += i + 1 < n && s.charAt(i + 1) == '\n' ? 2 : 1;
            } else if (c == '\n') {
                b.append("\r\n");
                i++;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
