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
        ByteArrayOutputStream separator = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean first = true;
        boolean truncated = false;
        while (true) {
            line.reset();
            int b;
            while ((b = in.read()) != -1) {
                line.write(b);
                if (b == '\n' || line.size() > limit) {
                    break;
                }
            }
            if (line.size() == 0) {
                break;
            }
            byte[] l = line.toByteArray();
            boolean empty = l.length <= 2 && (l[0] == '\n' || (l[0] == '\r' && (l.length == 1 || l[1] == '\n')));
            if (empty) {
                separator.writeBytes(l);
                break;
            }
            if (first && l.length > 5 && new String(l, 0, 5, StandardCharsets.ISO_8859_1).equals("From ")) {
                first = false;
                continue;
            }
            first = false;
            header.writeBytes(l);
            if (header.size() > limit || b == -1) {
                truncated = header.size() > limit;
                break;
            }
        }
        byte[] captured = header.toByteArray();
        InputStream replay = new SequenceInputStream(
                new ByteArrayInputStream(concat(captured, separator.toByteArray())), in);
        return new HeaderBlock(captured, truncated, replay);
    }

    /**
     * @param a bytes
     * @param b more bytes
     * @return a followed by b
     */
    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

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
        s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
        return s.isEmpty() || s.endsWith("\r\n") ? s : s + "\r\n";
    }
}
