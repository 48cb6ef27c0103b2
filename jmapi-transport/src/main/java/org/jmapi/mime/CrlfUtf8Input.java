package org.jmapi.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The stream form of a MAPI string (PT_UNICODE: UTF-16LE code units; PT_STRING8: UTF-8) read piece by piece and
 * given out as UTF-8 with every line break (CRLF, CR or LF) made CRLF: the bytes {@code MapiToMime} writes for a
 * string body, produced without holding the string. For the same text the bytes equal those of
 * {@code crlf(s).getBytes(UTF_8)}: an unpaired surrogate becomes {@code ?}. Not thread-safe.
 */
final class CrlfUtf8Input extends InputStream {
    /** Characters read from the source per piece. */
    private static final int PIECE = 8 * 1024;

    /** The source's characters. */
    private final Reader source;
    /** The encoder: unpaired surrogates become {@code ?}, as String.getBytes does. */
    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** A piece read from the source. */
    private final char[] raw = new char[PIECE];
    /** Characters with normalised line breaks, waiting to be encoded (a high surrogate may wait for its pair). */
    private final CharBuffer chars = CharBuffer.allocate(2 * PIECE + 2);
    /** Encoded bytes not yet given out; in read mode. */
    private final ByteBuffer bytes = ByteBuffer.allocate(3 * (2 * PIECE + 2) + 16);
    /** Whether the last character normalised was a CR (a following LF belongs to it). */
    private boolean lastCr;
    /** Whether the source is exhausted and everything was encoded. */
    private boolean done;

    /**
     * @param in      the stream form of the string; closed with this stream
     * @param utf16le true for PT_UNICODE (UTF-16LE code units), false for PT_STRING8 (UTF-8)
     */
    CrlfUtf8Input(InputStream in, boolean utf16le) {
        this.source = utf16le ? new Utf16LeReader(in) : new InputStreamReader(in, StandardCharsets.UTF_8);
        bytes.flip();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!bytes.hasRemaining()) {
            if (!refill()) {
                return -1;
            }
        }
        int n = Math.min(len, bytes.remaining());
        bytes.get(b, off, n);
        return n;
    }

    /**
     * Reads and encodes the next piece.
     *
     * @return false at the end
     * @throws IOException when the source fails
     */
    private boolean refill() throws IOException {
        if (done) {
            return false;
        }
        bytes.clear();
        int n = source.read(raw, 0, raw.length);
        if (n < 0) {
            chars.flip();
            encoder.encode(chars, bytes, true);
            encoder.flush(bytes);
            chars.clear();
            done = true;
        } else {
            for (int i = 0; i < n; i++) {
                char c = raw[i];
                if (c == '\r') {
                    chars.put('\r').put('\n');
                    lastCr = true;
                } else if (c == '\n') {
                    if (!lastCr) {
                        chars.put('\r').put('\n');
                    }
                    lastCr = false;
                } else {
                    chars.put(c);
                    lastCr = false;
                }
            }
            chars.flip();
            encoder.encode(chars, bytes, false);
            chars.compact();
        }
        bytes.flip();
        return true;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    /** UTF-16LE code units as characters, unpaired surrogates kept as they are (an odd last byte is dropped). */
    private static final class Utf16LeReader extends Reader {
        /** The bytes. */
        private final InputStream in;
        /** Bytes read and not yet turned into characters. */
        private final byte[] buf = new byte[2 * PIECE];
        /** How many ({@code 0} or {@code 1} between calls). */
        private int held;

        /** @param in the bytes */
        Utf16LeReader(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                int want = Math.min(buf.length, 2 * len) - held;
                int r = in.read(buf, held, Math.max(1, want));
                if (r < 0) {
                    return -1; // an odd byte left over is dropped
                }
                held += r;
                int pairs = held / 2;
                if (pairs == 0) {
                    continue;
                }
                for (int i = 0; i < pairs; i++) {
                    cbuf[off + i] = (char) ((buf[2 * i] & 0xFF) | (buf[2 * i + 1] & 0xFF) << 8);
                }
                if ((held & 1) != 0) {
                    buf[0] = buf[held - 1];
                }
                held &= 1;
                return pairs;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
