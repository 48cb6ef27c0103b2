package org.jmapi.mime;

/**
 * Whether bytes fed in pieces are valid UTF-8, decided as the JDK's strict decoder ({@link MailCharsets#strictUtf8})
 * decides it for bytes held whole: the well-formed sequences of the Unicode standard (no overlong forms, no
 * surrogates, nothing above U+10FFFF, no stray continuation bytes, nothing cut off at the end). A sequence split
 * between two pieces is joined. Checked byte by byte in constant memory, without decoding (an ASCII byte outside a
 * sequence costs two comparisons). Not thread-safe; one check per instance.
 */
final class Utf8Check {
    /** Continuation bytes the current sequence still needs. */
    private int need;
    /** The smallest byte allowed next while {@link #need} &gt; 0. */
    private int low;
    /** The largest byte allowed next while {@link #need} &gt; 0. */
    private int high;
    /** Whether everything so far was valid. */
    private boolean valid = true;

    /**
     * Feeds more bytes.
     *
     * @param b   a buffer
     * @param off the first byte
     * @param len how many bytes
     */
    void update(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; valid && i < end; i++) {
            int c = b[i] & 0xFF;
            if (need > 0) {
                if (c < low || c > high) {
                    valid = false;
                } else {
                    need--;
                    low = 0x80;
                    high = 0xBF;
                }
            } else if (c >= 0x80) {
                lead(c);
            }
        }
    }

    /**
     * Starts a sequence (Unicode's table of well-formed UTF-8 byte sequences: the second byte's range depends on the
     * first).
     *
     * @param c a byte above 127 where a sequence must start
     */
    private void lead(int c) {
        low = 0x80;
        high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0) {
                low = 0xA0; // shorter forms are overlong
            } else if (c == 0xED) {
                high = 0x9F; // above are the surrogates
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0) {
                low = 0x90; // overlong
            } else if (c == 0xF4) {
                high = 0x8F; // above is beyond U+10FFFF
            }
        } else {
            valid = false; // a continuation byte, C0/C1 (overlong) or F5..FF
        }
    }

    /**
     * Ends the input; may be called again.
     *
     * @return whether all bytes fed were valid UTF-8 (an incomplete sequence at the end is not)
     */
    boolean valid() {
        return valid && need == 0;
    }
}
