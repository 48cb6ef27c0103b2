package org.jmapi.mime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header block capture: which bytes become PR_TRANSPORT_MESSAGE_HEADERS, and that the parser is replayed
 * exactly the input (minus an mbox {@code From } line), however the input arrives and wherever the reads end.
 */
class HeaderBlockTest {
    /** An input that hands out at most {@code step} bytes per read, so lines and the block end span reads. */
    private static InputStream trickle(byte[] bytes, int step) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void capturesTheHeaderAndReplaysEverythingWhateverTheReadSizes() throws IOException {
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            h.append("X-Field-").append(i).append(": ").append("v".repeat(i % 50)).append("\r\n");
        }
        String header = h.toString(); // well over one 8 KiB read
        String message = header + "\r\nbody line\r\n" + "b".repeat(20_000);
        for (int step : new int[] {1, 7, 4096, 8192, 100_000}) {
            HeaderBlock block = HeaderBlock.read(trickle(ascii(message), step), 1 << 20);
            assertThat(new String(block.bytes(), StandardCharsets.ISO_8859_1)).as("step %d", step)
                    .isEqualTo(header);
            assertThat(block.truncated()).isFalse();
            assertThat(new String(block.replay().readAllBytes(), StandardCharsets.ISO_8859_1)).as("step %d", step)
                    .isEqualTo(message);
        }
    }

    @Test
    void dropsTheMboxLineAndStopsAtTheLimit() throws IOException {
        String message = "From someone Fri Jul  8 12:08:34 2011\nSubject: a\nX-Long: " + "x".repeat(100)
                + "\nTo: b\n\nbody";
        HeaderBlock block = HeaderBlock.read(trickle(ascii(message), 5), 45);
        assertThat(block.truncated()).isTrue();
        // "Subject: a\n" (11 bytes), then the long line cut where it is one byte over the limit (46 bytes)
        assertThat(new String(block.bytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("Subject: a\nX-Long: " + "x".repeat(38));
        assertThat(new String(block.replay().readAllBytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo(message.substring(message.indexOf('\n') + 1));
    }

    @Test
    void headerWithoutBodyAndLoneLineEnds() throws IOException {
        HeaderBlock block = HeaderBlock.read(new ByteArrayInputStream(ascii("A: 1\rB: 2\nC: 3")), 1 << 20);
        assertThat(block.text()).isEqualTo("A: 1\r\nB: 2\r\nC: 3\r\n");
        assertThat(new String(block.replay().readAllBytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("A: 1\rB: 2\nC: 3");
        assertThat(HeaderBlock.crlf("a\r\r\nb\n\rc")).isEqualTo("a\r\n\r\nb\r\n\r\nc");
        String already = "a\r\nb\r\n";
        assertThat(HeaderBlock.crlf(already)).isSameAs(already);
    }
}
