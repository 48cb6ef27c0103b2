package org.jmapi.mime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Whether bytes fed in pieces are valid UTF-8, decided by the JDK's strict decoder exactly as
 * {@link MailCharsets#strictUtf8} decides it for bytes held whole; a sequence split between two pieces is joined.
 * Memory stays constant whatever the length. Not thread-safe; one check per instance.
 */
final class Utf8Check {
    /** The strict decoder. */
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Bytes waiting for the decoder: at most one incomplete sequence between calls. */
    private final ByteBuffer in = ByteBuffer.allocate(8 * 1024);
    /** Where decoded characters go (and are dropped). */
    private final CharBuffer sink = CharBuffer.allocate(8 * 1024);
    /** Whether everything so far was valid. */
    private boolean valid = true;
    /** Whether {@link #valid()} ended the input. */
    private boolean done;

    /**
     * Feeds more bytes.
     *
     * @param b   a buffer
     * @param off the first byte
     * @param len how many bytes
     */
    void update(byte[] b, int off, int len) {
        int at = off;
        int end = off + len;
        while (valid && at < end) {
            int n = Math.min(in.remaining(), end - at);
            in.put(b, at, n);
            at += n;
            in.flip();
            decode(false);
            in.compact();
        }
    }

    /**
     * Ends the input.
     *
     * @return whether all bytes fed were valid UTF-8 (an incomplete sequence at the end is not)
     */
    boolean valid() {
        if (!done) {
            done = true;
            if (valid) {
                in.flip();
                decode(true);
                if (valid) {
                    sink.clear();
                    valid = !decoder.flush(sink).isError();
                }
            }
        }
        return valid;
    }

    /** @param last whether no more input follows */
    private void decode(boolean last) {
        while (true) {
            sink.clear();
            CoderResult r = decoder.decode(in, sink, last);
            if (r.isError()) {
                valid = false;
                return;
            }
            if (r.isUnderflow()) {
                if (last && in.hasRemaining()) {
                    valid = false;
                }
                return;
            }
        }
    }
}
