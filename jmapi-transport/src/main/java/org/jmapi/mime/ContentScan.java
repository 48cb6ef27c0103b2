package org.jmapi.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * What the choice of a transfer encoding and a charset label depends on, gathered in one pass over content that is
 * fed in pieces (so content read from a property stream is never held whole): byte classes, bare line breaks, the
 * longest line, and whether the bytes are valid UTF-8. Not thread-safe; one scan per instance.
 */
final class ContentScan {
    /** Bytes seen. */
    private long length;
    /** Bytes that are not printable ASCII, TAB, CR or LF. */
    private long special;
    /** Bytes above 127. */
    private long eightBit;
    /** NUL bytes. */
    private long nul;
    /** CR or LF not part of a CRLF. */
    private long bareLineBreaks;
    /** The longest line so far, without its line break. */
    private long longestLine;
    /** The length of the current line. */
    private long line;
    /** Whether the previous piece ended in a CR whose meaning depends on the next byte. */
    private boolean pendingCr;
    /** The UTF-8 check. */
    private final Utf8Check utf8 = new Utf8Check();
    /** Whether {@link #finish()} ran. */
    private boolean finished;

    /**
     * Scans a whole stream to its end (not closed).
     *
     * @param in the content
     * @return the finished scan
     * @throws IOException when reading fails
     */
    static ContentScan of(InputStream in) throws IOException {
        ContentScan s = new ContentScan();
        byte[] buf = new byte[8 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            s.update(buf, 0, n);
        }
        return s.finish();
    }

    /**
     * @param data content held whole
     * @return its finished scan
     */
    static ContentScan of(byte[] data) {
        return new ContentScan().update(data, 0, data.length).finish();
    }

    /**
     * Feeds more content.
     *
     * @param b   a buffer
     * @param off the first byte
     * @param len how many bytes
     * @return this scan
     */
    ContentScan update(byte[] b, int off, int len) {
        if (finished) {
            throw new IllegalStateException("the scan is finished");
        }
        utf8.update(b, off, len);
        length += len;
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    endLine();
                    continue;
                }
                bareLineBreaks++;
                endLine();
            }
            if (c == '\r') {
                pendingCr = true;
                continue;
            }
            if (c == '\n') {
                bareLineBreaks++;
                endLine();
                continue;
            }
            line++;
            if (c >= 0x80) {
                eightBit++;
                special++;
            } else if (c < 0x20 && c != '\t' || c == 0x7F) {
                special++;
                if (c == 0) {
                    nul++;
                }
            }
        }
        return this;
    }

    /**
     * Ends the content.
     *
     * @return this scan
     */
    ContentScan finish() {
        if (!finished) {
            finished = true;
            if (pendingCr) {
                pendingCr = false;
                bareLineBreaks++;
                endLine();
            }
            longestLine = Math.max(longestLine, line);
            utf8.valid();
        }
        return this;
    }

    /** Ends the current line. */
    private void endLine() {
        longestLine = Math.max(longestLine, line);
        line = 0;
    }

    /** @return the byte count */
    long length() {
        return length;
    }

    /** @return bytes that are not printable ASCII, TAB, CR or LF */
    long special() {
        return special;
    }

    /** @return bytes above 127 */
    long eightBit() {
        return eightBit;
    }

    /** @return NUL bytes */
    long nul() {
        return nul;
    }

    /** @return CR or LF not part of a CRLF */
    long bareLineBreaks() {
        return bareLineBreaks;
    }

    /** @return the longest line without its line break */
    long longestLine() {
        return longestLine;
    }

    /** @return whether every byte is 7-bit */
    boolean ascii() {
        return eightBit == 0;
    }

    /** @return whether the content is valid UTF-8 (the scan must be finished) */
    boolean utf8() {
        if (!finished) {
            throw new IllegalStateException("the scan is not finished");
        }
        return utf8.valid();
    }
}
