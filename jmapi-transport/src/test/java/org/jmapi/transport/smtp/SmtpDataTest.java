package org.jmapi.transport.smtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The DATA section as it goes on the wire: line endings, dot-stuffing, the terminator; the 8-bit check. */
class SmtpDataTest {

    private static String wire(String content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SmtpData.write(content.getBytes(StandardCharsets.ISO_8859_1), out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void crlfLinesPassUnchangedAndTheDotLineEndsThem() throws IOException {
        assertThat(wire("a\r\nb\r\n")).isEqualTo("a\r\nb\r\n.\r\n");
    }

    @Test
    void bareLfAndBareCrBecomeCrlf() throws IOException {
        assertThat(wire("a\nb\rc\r\n\n")).isEqualTo("a\r\nb\r\nc\r\n\r\n.\r\n");
    }

    @Test
    void aLastLineWithoutEndingGetsOne() throws IOException {
        assertThat(wire("no ending")).isEqualTo("no ending\r\n.\r\n");
        assertThat(wire("")).isEqualTo(".\r\n");
    }

    @Test
    void linesStartingWithADotGetOneMore() throws IOException {
        assertThat(wire(".\r\n..x\r\n.y\nmid.dle\r\n.")).isEqualTo("..\r\n...x\r\n..y\r\nmid.dle\r\n..\r\n.\r\n");
    }

    @Test
    void aDotAfterABareCrOrLfIsAlsoAtALineStart() throws IOException {
        assertThat(wire("a\r.b\n.c")).isEqualTo("a\r\n..b\r\n..c\r\n.\r\n");
    }

    @Test
    void longContentCrossesTheWriteBuffer() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append(".line ").append(i).append('\n');
        }
        String out = wire(sb.toString());
        List<String> lines = List.of(out.split("\r\n", -1));
        assertThat(lines).hasSize(5002); // 5000 lines, the "." line, the empty rest after its CRLF
        assertThat(lines.subList(0, 5000)).allSatisfy(l -> assertThat(l).startsWith("..line "));
        assertThat(lines.get(5000)).isEqualTo(".");
        assertThat(out).doesNotContain("\n\n").doesNotContainPattern("[^\r]\n");
    }

    @Test
    void eightBitIsAnyByteAbove127() {
        assertThat(SmtpData.hasEightBit("plain ascii\r\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(SmtpData.hasEightBit("caf\u00e9".getBytes(StandardCharsets.UTF_8))).isTrue();
    }
}
