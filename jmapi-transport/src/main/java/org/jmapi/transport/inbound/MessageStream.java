package org.jmapi.transport.inbound;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * One message's bytes as a server sends them inside a reply: POP3's dot-terminated RETR data
 * ({@link #dotTerminated}) or an IMAP literal of announced length ({@link #counted}). It ends exactly where the
 * message ends and remembers whether it got there.
 *
 * <p>That memory is the point: the MIME parser keeps what it read when its input fails (a conversion of bad input
 * must never fail), so after a conversion the transport calls {@link #finish()}, which reads whatever the parser
 * left, rethrows the first read failure, and throws if the connection ended before the message did. A message cut
 * short by a dropped connection, a cancel or a logoff is therefore never saved as if it were whole.
 *
 * <p>Not thread-safe: one reader.
 */
public abstract class MessageStream extends InputStream {
    /** The connection's input, positioned at the first byte of the message. */
    protected final InputStream in;
    private IOException failure;
    private boolean complete;

    private MessageStream(InputStream in) {
        this.in = in;
    }

    /**
     * @param in the connection's input just after POP3's {@code +OK} line of RETR
     * @return the message: lines up to the terminating {@code "."} line, leading dots unstuffed (RFC 1939 &sect;3)
     */
    public static MessageStream dotTerminated(InputStream in) {
        return new DotTerminated(in);
    }

    /**
     * @param in     the connection's input just after the {@code {n}} CRLF of an IMAP literal
     * @param length the literal's announced length
     * @return the literal's bytes
     */
    public static MessageStream counted(InputStream in, long length) {
        return new Counted(in, length);
    }

    /** @return the next byte, or -1 at the end of the message; never -1 because the connection ended */
    protected abstract int next() throws IOException;

    @Override
    public final int read() throws IOException {
        if (complete) {
            return -1;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            int b = next();
            if (b < 0) {
                complete = true;
            }
            return b;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (n > 0 && in.available() <= 0) {
                break; // hand over what there is instead of blocking for more
            }
            int c = read();
            if (c < 0) {
                return n == 0 ? -1 : n;
            }
            b[off + n++] = (byte) c;
        }
        return n;
    }

    /**
     * Reads what the consumer left to the end of the message and checks it was all there.
     *
     * @throws IOException the first read failure, or the connection ended before the message did
     */
    public final void finish() throws IOException {
        if (failure != null) {
            throw failure;
        }
        byte[] skip = new byte[8192];
        while (read(skip, 0, skip.length) >= 0) {
            // drain
        }
    }

    /** @return whether the end of the message was reached */
    public final boolean isComplete() {
        return complete;
    }

    private static int require(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended in the middle of a message");
        }
        return b;
    }

    /** RFC 1939 multi-line data: byte-stuffed lines ending with a line holding one dot. */
    private static final class DotTerminated extends MessageStream {
        private boolean lineStart = true;
        private int pending = -1;

        DotTerminated(InputStream in) {
            super(in);
        }

        @Override
        protected int next() throws IOException {
            if (pending >= 0) {
                int p = pending;
                pending = -1;
                lineStart = p == '\n';
                return p;
            }
            int b = require(in);
            if (lineStart && b == '.') {
                int c = require(in);
                if (c == '\n') {
                    return -1; // ".LF": a lenient terminator
                }
                if (c == '\r') {
                    int d = require(in);
                    if (d == '\n') {
                        return -1; // ".CRLF": the terminator
                    }
                    pending = d; // ".CR x": the dot was stuffing
                    lineStart = false;
                    return '\r';
                }
                b = c; // stuffed dot dropped
            }
            lineStart = b == '\n';
            return b;
        }
    }

    /** An IMAP literal: exactly {@code length} bytes. */
    private static final class Counted extends MessageStream {
        private long left;

        Counted(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        protected int next() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = require(in);
            left--;
            return b;
        }
    }
}
