package org.jmapi.transport.smtp;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The bytes of a message as they go after DATA (RFC 5321 &sect;4.5.2): every line ending made CRLF (a bare LF or
 * a bare CR becomes CRLF), a line starting with "." gets one more ".", a last line without its ending gets one,
 * and the "." line ends it. Also the 8-bit check behind BODY=8BITMIME. Stateless.
 */
final class SmtpData {
    private SmtpData() {
    }

    /**
     * Writes {@code content} as the DATA section, terminating "." line included. Does not flush.
     *
     * @param content the RFC 5322 message
     * @param out     where it goes
     * @throws IOException from the stream
     */
    static void write(byte[] content, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n = 0;
        boolean lineStart = true;
        for (int i = 0; i < content.length; i++) {
            if (n > buf.length - 4) {
                out.write(buf, 0, n);
                n = 0;
            }
            byte b = content[i];
            if (b == '\r' || b == '\n') {
                if (b == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
                    i++;
                }
                buf[n++] = '\r';
                buf[n++] = '\n';
                lineStart = true;
                continue;
            }
            if (lineStart && b == '.') {
                buf[n++] = '.';
            }
            buf[n++] = b;
            lineStart = false;
        }
        if (!lineStart) {
            buf[n++] = '\r';
            buf[n++] = '\n';
        }
        out.write(buf, 0, n);
        out.write(new byte[] {'.', '\r', '\n'});
    }

    /**
     * @param content message bytes
     * @return whether any byte is outside 7-bit ASCII (then BODY=8BITMIME is announced when the server offers it)
     */
    static boolean hasEightBit(byte[] content) {
        for (byte b : content) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
