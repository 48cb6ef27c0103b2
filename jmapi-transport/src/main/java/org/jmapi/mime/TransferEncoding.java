package org.jmapi.mime;

import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;

/**
 * The Content-Transfer-Encodings the writer uses, how it chooses one for given content, and the encoders. Every
 * encoding here round-trips exactly: decoding gives back the bytes that were encoded. Stateless; thread-safe.
 */
enum TransferEncoding {
    /** Lines of at most 998 octets, ASCII only, every line break CRLF: written as is. */
    SEVEN_BIT("7bit"),
    /** Like 7bit with octets above 127 (for message/rfc822 only; the writer never chooses it for other parts). */
    EIGHT_BIT("8bit"),
    /** Anything (message/rfc822 content that is neither 7bit nor 8bit). */
    BINARY("binary"),
    /** Quoted-printable, binary-safe: a CR or LF that is not part of CRLF is written {@code =0D} / {@code =0A}. */
    QUOTED_PRINTABLE("quoted-printable"),
    /** Base64 in lines of 76 characters. */
    BASE64("base64");

    /** Upper-case hex digits. */
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /**
     * The size of the quoted-printable coder's read and write buffers: content is a few KiB in the usual message, and
     * larger content goes through in pieces of this size.
     */
    private static final int PIECE = 8 * 1024;
    /** The longest line RFC 5322 allows, without its CRLF. */
    private static final int MAX_LINE = 998;

    /** The header value. */
    private final String token;

    /** @param token the Content-Transfer-Encoding value */
    TransferEncoding(String token) {
        this.token = token;
    }

    /** @return the Content-Transfer-Encoding value */
    String token() {
        return token;
    }

    /**
     * Text and text-like content: 7bit when the bytes allow it; quoted-printable when most bytes are printable
     * ASCII; base64 otherwise (the same rule Jakarta Mail applies).
     *
     * @param data the content
     * @return the encoding
     */
    static TransferEncoding forText(byte[] data) {
        return forText(ContentScan.of(data));
    }

    /**
     * {@link #forText(byte[])} for content scanned in pieces.
     *
     * @param s the finished scan of the content
     * @return the encoding
     */
    static TransferEncoding forText(ContentScan s) {
        if (s.special() == 0 && s.bareLineBreaks() == 0 && s.longestLine() <= MAX_LINE) {
            return SEVEN_BIT;
        }
        return s.length() - s.special() > s.special() ? QUOTED_PRINTABLE : BASE64;
    }

    /**
     * message/rfc822 content, which RFC 2046 &sect;5.2.1 allows only in 7bit, 8bit or binary.
     *
     * @param data the embedded message
     * @return the encoding
     */
    static TransferEncoding forMessage(byte[] data) {
        return forMessage(ContentScan.of(data));
    }

    /**
     * {@link #forMessage(byte[])} for content scanned in pieces.
     *
     * @param s the finished scan of the embedded message
     * @return the encoding
     */
    static TransferEncoding forMessage(ContentScan s) {
        if (s.bareLineBreaks() > 0 || s.longestLine() > MAX_LINE || s.nul() > 0) {
            return BINARY;
        }
        return s.eightBit() > 0 ? EIGHT_BIT : SEVEN_BIT;
    }

    /**
     * Writes {@code data} in this encoding. Base64 and quoted-printable output ends without a final line break;
     * the caller writes the CRLF that precedes the next boundary.
     *
     * @param data the content
     * @param out  where it goes; not closed
     * @throws IOException when writing fails
     */
    void write(byte[] data, OutputStream out) throws IOException {
        if (this == SEVEN_BIT || this == EIGHT_BIT || this == BINARY) {
            out.write(data);
        } else {
            write(new ByteArrayInputStream(data), out);
        }
    }

    /**
     * Writes the content read from {@code in} (to its end; not closed) in this encoding, piece by piece: the content
     * is never held whole. The output is the same as {@link #write(byte[], OutputStream)} gives for the same bytes.
     *
     * @param in  the content
     * @param out where it goes; not closed
     * @throws IOException when reading or writing fails
     */
    void write(InputStream in, OutputStream out) throws IOException {
        switch (this) {
            case BASE64 -> {
                OutputStream b64 = Base64.getMimeEncoder().wrap(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                });
                in.transferTo(b64);
                b64.close();
            }
            case QUOTED_PRINTABLE -> writeQuotedPrintable(in, out);
            default -> in.transferTo(out);
        }
    }

    /**
     * Quoted-printable per RFC 2045 &sect;6.7: CRLF is a hard line break, whitespace before one (or at the end) is
     * encoded, lines are at most 76 characters with soft breaks.
     *
     * @param data the content, read to its end
     * @param out  where it goes
     * @throws IOException when reading or writing fails
     */
    private static void writeQuotedPrintable(InputStream data, OutputStream out) throws IOException {
        Lookahead in = new Lookahead(data);
        Output o = new Output(out);
        byte[] buf = new byte[3];
        int col = 0;
        for (int b; (b = in.next()) >= 0; ) {
            if (b == '\r' && in.peek(0) == '\n') {
                o.put('\r');
                o.put('\n');
                col = 0;
                in.next();
                continue;
            }
            int len;
            boolean lineEnd = in.peek(0) < 0 || (in.peek(0) == '\r' && in.peek(1) == '\n');
            if ((b == ' ' || b == '\t') && !lineEnd || b >= 33 && b <= 126 && b != '=') {
                buf[0] = (byte) b;
                len = 1;
            } else {
                buf[0] = '=';
                buf[1] = HEX[b >> 4];
                buf[2] = HEX[b & 0xF];
                len = 3;
            }
            if (col + len > 75) {
                o.put('=');
                o.put('\r');
                o.put('\n');
                col = 0;
            }
            for (int i = 0; i < len; i++) {
                o.put(buf[i]);
            }
            col += len;
        }
        o.flush();
    }

    /** Bytes of a stream one at a time with two bytes of lookahead, read in large pieces. */
    private static final class Lookahead {
        /** The source. */
        private final InputStream in;
        /** Bytes read from the source and not yet taken. */
        private final byte[] buf = new byte[PIECE];
        /** The next byte to take. */
        private int pos;
        /** The end of the bytes in {@link #buf}. */
        private int limit;
        /** Whether the source is exhausted. */
        private boolean eof;

        /** @param in the source */
        Lookahead(InputStream in) {
            this.in = in;
        }

        /**
         * @return the next byte, or -1 at the end
         * @throws IOException when reading fails
         */
        int next() throws IOException {
            if (!fill(1)) {
                return -1;
            }
            return buf[pos++] & 0xFF;
        }

        /**
         * @param k 0 for the byte {@link #next()} returns next, 1 for the one after it
         * @return that byte, or -1 past the end
         * @throws IOException when reading fails
         */
        int peek(int k) throws IOException {
            return fill(k + 1) ? buf[pos + k] & 0xFF : -1;
        }

        /**
         * @param n how many bytes are wanted available
         * @return whether they are
         * @throws IOException when reading fails
         */
        private boolean fill(int n) throws IOException {
            while (limit - pos < n && !eof) {
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, limit - pos);
                    limit -= pos;
                    pos = 0;
                }
                int r = in.read(buf, limit, buf.length - limit);
                if (r < 0) {
                    eof = true;
                } else {
                    limit += r;
                }
            }
            return limit - pos >= n;
        }
    }

    /** Bytes gathered into large writes. */
    private static final class Output {
        /** Where the bytes go. */
        private final OutputStream out;
        /** Bytes not written yet. */
        private final byte[] buf = new byte[PIECE];
        /** How many. */
        private int n;

        /** @param out where the bytes go */
        Output(OutputStream out) {
            this.out = out;
        }

        /**
         * @param b a byte
         * @throws IOException when writing fails
         */
        void put(int b) throws IOException {
            if (n == buf.length) {
                flush();
            }
            buf[n++] = (byte) b;
        }

        /** @throws IOException when writing fails */
        void flush() throws IOException {
            if (n > 0) {
                out.write(buf, 0, n);
                n = 0;
            }
        }
    }
}
