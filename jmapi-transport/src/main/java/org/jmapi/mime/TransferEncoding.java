package org.jmapi.mime;

import java.io.FilterOutputStream;
import java.io.IOException;
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
        Stats s = Stats.of(data);
        if (s.special == 0 && s.bareLineBreaks == 0 && s.longestLine <= MAX_LINE) {
            return SEVEN_BIT;
        }
        return data.length - s.special > s.special ? QUOTED_PRINTABLE : BASE64;
    }

    /**
     * message/rfc822 content, which RFC 2046 &sect;5.2.1 allows only in 7bit, 8bit or binary.
     *
     * @param data the embedded message
     * @return the encoding
     */
    static TransferEncoding forMessage(byte[] data) {
        Stats s = Stats.of(data);
        if (s.bareLineBreaks > 0 || s.longestLine > MAX_LINE || s.nul > 0) {
            return BINARY;
        }
        return s.eightBit > 0 ? EIGHT_BIT : SEVEN_BIT;
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
                b64.write(data);
                b64.close();
            }
            case QUOTED_PRINTABLE -> writeQuotedPrintable(data, out);
            default -> out.write(data);
        }
    }

    /**
     * Quoted-printable per RFC 2045 &sect;6.7: CRLF is a hard line break, whitespace before one (or at the end) is
     * encoded, lines are at most 76 characters with soft breaks.
     *
     * @param data the content
     * @param out  where it goes
     * @throws IOException when writing fails
     */
    private static void writeQuotedPrintable(byte[] data, OutputStream out) throws IOException {
        byte[] buf = new byte[3];
        int col = 0;
        int n = data.length;
        for (int i = 0; i < n; i++) {
            int b = data[i] & 0xFF;
            if (b == '\r' && i + 1 < n && data[i + 1] == '\n') {
                out.write('\r');
                out.write('\n');
                col = 0;
                i++;
                continue;
            }
            int len;
            boolean lineEnd = i + 1 == n || (data[i + 1] == '\r' && i + 2 < n && data[i + 2] == '\n');
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
                out.write('=');
                out.write('\r');
                out.write('\n');
                col = 0;
            }
            out.write(buf, 0, len);
            col += len;
        }
    }

    /**
     * What the choice of encoding depends on.
     *
     * @param special        bytes that are not printable ASCII, TAB, CR or LF
     * @param eightBit       bytes above 127
     * @param nul            NUL bytes
     * @param bareLineBreaks CR or LF not part of a CRLF
     * @param longestLine    the longest line without its CRLF
     */
    private record Stats(int special, int eightBit, int nul, int bareLineBreaks, int longestLine) {
        /**
         * @param data content
         * @return its statistics
         */
        static Stats of(byte[] data) {
            int special = 0;
            int eight = 0;
            int nul = 0;
            int bare = 0;
            int longest = 0;
            int line = 0;
            for (int i = 0; i < data.length; i++) {
                int b = data[i] & 0xFF;
                if (b == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                    longest = Math.max(longest, line);
                    line = 0;
                    i++;
                    continue;
                }
                if (b == '\r' || b == '\n') {
                    bare++;
                    longest = Math.max(longest, line);
                    line = 0;
                    continue;
                }
                line++;
                if (b >= 0x80) {
                    eight++;
                    special++;
                } else if (b < 0x20 && b != '\t' || b == 0x7F) {
                    special++;
                    if (b == 0) {
                        nul++;
                    }
                }
            }
            return new Stats(special, eight, nul, bare, Math.max(longest, line));
        }
    }
}
