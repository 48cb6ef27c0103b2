package org.jmapi.mime;

import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Choice of Content-Transfer-Encoding, and encoders that mime4j's decoders invert exactly. */
class TransferEncodingTest {

    /**
     * @param s text
     * @return its UTF-8 bytes
     */
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void forText() {
        assertThat(TransferEncoding.forText(b("plain\r\nlines\r\n"))).isEqualTo(TransferEncoding.SEVEN_BIT);
        assertThat(TransferEncoding.forText(b("bare\nLF"))).isEqualTo(TransferEncoding.QUOTED_PRINTABLE);
        assertThat(TransferEncoding.forText(b("x".repeat(999)))).isEqualTo(TransferEncoding.QUOTED_PRINTABLE);
        assertThat(TransferEncoding.forText(b("x".repeat(998)))).isEqualTo(TransferEncoding.SEVEN_BIT);
        assertThat(TransferEncoding.forText(b("Grüße aus Köln"))).isEqualTo(TransferEncoding.QUOTED_PRINTABLE);
        assertThat(TransferEncoding.forText(b("Всё хорошо"))).isEqualTo(TransferEncoding.BASE64);
    }

    @Test
    void forMessage() {
        assertThat(TransferEncoding.forMessage(b("A: b\r\n\r\nc\r\n"))).isEqualTo(TransferEncoding.SEVEN_BIT);
        assertThat(TransferEncoding.forMessage(b("A: ü\r\n\r\nc\r\n"))).isEqualTo(TransferEncoding.EIGHT_BIT);
        assertThat(TransferEncoding.forMessage(b("A: b\n\nc\n"))).isEqualTo(TransferEncoding.BINARY);
        assertThat(TransferEncoding.forMessage(new byte[] {'a', 0, 'b'})).isEqualTo(TransferEncoding.BINARY);
    }

    @Test
    void quotedPrintable_roundTripsAndRespectsLineLength() throws IOException {
        Random random = new Random(3);
        String alphabet = " \t\r\nabcXYZ=.?_\u00e9\u20ac";
        for (int i = 0; i < 500; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(300);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            byte[] data = b(sb.toString());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TransferEncoding.QUOTED_PRINTABLE.write(data, out);
            String encoded = out.toString(StandardCharsets.US_ASCII);
            for (String line : encoded.split("\r\n", -1)) {
                assertThat(line.length()).isLessThanOrEqualTo(76);
                assertThat(line).as("no trailing whitespace").doesNotEndWith(" ").doesNotEndWith("\t");
            }
            assertThat(encoded).matches("[\\x20-\\x7E\\r\\n\\t]*");
            byte[] decoded = new QuotedPrintableInputStream(new ByteArrayInputStream(out.toByteArray())).readAllBytes();
            assertThat(decoded).as("round trip of %s", sb).isEqualTo(data);
        }
    }

    @Test
    void base64_roundTripsInLinesOf76() throws IOException {
        byte[] data = new byte[10_000];
        new Random(4).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransferEncoding.BASE64.write(data, out);
        String encoded = out.toString(StandardCharsets.US_ASCII);
        for (String line : encoded.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(76);
        }
        assertThat(new Base64InputStream(new ByteArrayInputStream(out.toByteArray())).readAllBytes()).isEqualTo(data);
        out.write('!');
        assertThat(out.toByteArray()[out.size() - 1]).as("the stream stays open").isEqualTo((byte) '!');
    }
}
