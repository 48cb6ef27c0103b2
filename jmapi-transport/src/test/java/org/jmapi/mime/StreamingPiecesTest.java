package org.jmapi.mime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pieces the converters stream large content through give the same answer as their whole-value counterparts,
 * wherever the content is cut: {@link ContentScan} and {@link Utf8Check} against the byte-array rules,
 * {@link CrlfUtf8Input} against {@code crlf(s).getBytes(UTF_8)}, and {@link TransferEncoding#write(InputStream,
 * java.io.OutputStream)} against {@link TransferEncoding#write(byte[], java.io.OutputStream)}.
 */
class StreamingPiecesTest {

    /** Text that exercises the rules: CRLF, bare CR and LF, long lines, whitespace before breaks, 8-bit, NUL. */
    private static byte[] mixed(Random r, int length) {
        byte[] pool = ("abc xyz\t=\r\n\r\r\n\n.. \u00e9\u00fc\u20ac\uD83D\uDE00").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            int k = r.nextInt(100);
            out[i] = k < 90 ? pool[r.nextInt(pool.length)] : k < 97 ? (byte) ('a' + r.nextInt(26)) : (byte) r.nextInt();
        }
        return out;
    }

    @Test
    void contentScan_inAnyPieces_equalsTheWholeScan() {
        Random r = new Random(7);
        for (int round = 0; round < 300; round++) {
            byte[] data = round % 3 == 0 ? mixed(r, r.nextInt(3000))
                    : ("line\r\n".repeat(r.nextInt(5)) + "x".repeat(r.nextInt(1200)) + "\r").getBytes();
            ContentScan whole = ContentScan.of(data);
            ContentScan pieces = new ContentScan();
            for (int at = 0; at < data.length; ) {
                int n = Math.min(data.length - at, 1 + r.nextInt(5));
                pieces.update(data, at, n);
                at += n;
            }
            pieces.finish();
            assertThat(pieces.length()).isEqualTo(data.length);
            assertThat(new long[] {pieces.special(), pieces.eightBit(), pieces.nul(), pieces.bareLineBreaks(),
                    pieces.longestLine()}).as("round %d", round).containsExactly(whole.special(), whole.eightBit(),
                    whole.nul(), whole.bareLineBreaks(), whole.longestLine());
            assertThat(TransferEncoding.forText(pieces)).isEqualTo(TransferEncoding.forText(data));
            assertThat(TransferEncoding.forMessage(pieces)).isEqualTo(TransferEncoding.forMessage(data));
            assertThat(pieces.utf8()).isEqualTo(MailCharsets.strictUtf8(data, 0, data.length) != null);
        }
        // the counts the rules depend on, on known input: a CRLF split between two pieces is one line break
        ContentScan s = new ContentScan().update("ab\r".getBytes(), 0, 3).update("\ncd\re\nf\r".getBytes(), 0, 8)
                .finish();
        assertThat(s.bareLineBreaks()).isEqualTo(3);
        assertThat(s.longestLine()).isEqualTo(2);
    }

    @Test
    void utf8Check_splitAnywhere_agreesWithTheStrictDecoder() {
        String text = "a\u00e9\u20ac\uD83D\uDE00z";
        byte[] good = text.getBytes(StandardCharsets.UTF_8);
        byte[][] cases = {good, {(byte) 0xC3}, {'a', (byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xA0,
                (byte) 0x80}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                {(byte) 0xFF}, {}};
        Random r = new Random(3);
        for (int round = 0; round < 2000; round++) {
            byte[] data = round < cases.length ? cases[round] : mutate(r, good);
            boolean expected = MailCharsets.strictUtf8(data, 0, data.length) != null;
            for (int cut = 0; cut <= data.length; cut++) {
                Utf8Check c = new Utf8Check();
                c.update(data, 0, cut);
                c.update(data, cut, data.length - cut);
                assertThat(c.valid()).as("round %d cut %d", round, cut).isEqualTo(expected);
            }
        }
        // longer than the checker's buffer, with a sequence across its edge
        byte[] big = ("x".repeat(8191) + "\u20ac".repeat(5000)).getBytes(StandardCharsets.UTF_8);
        Utf8Check c = new Utf8Check();
        c.update(big, 0, big.length);
        assertThat(c.valid()).isTrue();
        big[big.length - 1] = (byte) 0xE2;
        Utf8Check d = new Utf8Check();
        d.update(big, 0, big.length);
        assertThat(d.valid()).isFalse();
    }

    @Test
    void utf8Check_everyShortSequence_agreesWithTheStrictDecoder() {
        // every one- and two-byte input, and three- and four-byte inputs over every lead and second byte with the
        // bytes at each boundary of the well-formed ranges after them; each cut into two pieces at every point
        int[] edges = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF,
                0xF0, 0xF4, 0xF5, 0xFF};
        int[] lastEdges = {0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xFF};
        int checked = 0;
        for (int a = 0; a < 256; a++) {
            checked += agrees(new byte[] {(byte) a});
            for (int b = 0; b < 256; b++) {
                checked += agrees(new byte[] {(byte) a, (byte) b});
                if (a < 0xC2) {
                    continue; // no longer sequence starts here: the two-byte prefix already decides
                }
                for (int c : edges) {
                    checked += agrees(new byte[] {(byte) a, (byte) b, (byte) c});
                    if (a == 0xF0 || a == 0xF1 || a == 0xF4 || a == 0xF5) { // F2, F3 are F1's; above F5 are F5's
                        for (int d : lastEdges) {
                            checked += agrees(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(500_000);
    }

    /** @return 1, after checking every two-piece cut of {@code data} against the strict decoder */
    private static int agrees(byte[] data) {
        boolean expected = MailCharsets.strictUtf8(data, 0, data.length) != null;
        for (int cut = 0; cut <= data.length; cut++) {
            Utf8Check c = new Utf8Check();
            c.update(data, 0, cut);
            c.update(data, cut, data.length - cut);
            if (c.valid() != expected) {
                throw new AssertionError("bytes " + HexFormat.ofDelimiter(" ").formatHex(data) + " cut at "
                        + cut + ": checker " + c.valid() + ", decoder " + expected);
            }
        }
        return 1;
    }

    private static byte[] mutate(Random r, byte[] good) {
        byte[] b = good.clone();
        b[r.nextInt(b.length)] = (byte) r.nextInt();
        return b;
    }

    @Test
    void crlfUtf8Input_equalsTheWholeStringConversion_acrossPieceEdges() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("x".repeat(8191)).append('\r').append('\n'); // a CRLF across the 8 KiB piece edge
        sb.append("y".repeat(8190)).append('\uD83D').append('\uDE00'); // a surrogate pair across the next edge
        sb.append("a\rb\nc\r\n\n\r\rd").append('\uD800').append("lone").append('\uDC00').append("\u00e9\u20ac");
        sb.append("z".repeat(20_000)).append('\r');
        String[] texts = {sb.toString(), "", "\r", "\n", "\uD83D", "plain", "end\uD83D"};
        for (String s : texts) {
            byte[] expected = s.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(new CrlfUtf8Input(trickle(utf16le(s)), true).readAllBytes())
                    .as("UTF-16LE %d chars in small pieces", s.length()).isEqualTo(expected);
            assertThat(new CrlfUtf8Input(new ByteArrayInputStream(utf16le(s)), true).readAllBytes())
                    .as("UTF-16LE %d chars", s.length()).isEqualTo(expected);
        }
        for (String s : new String[] {texts[0].replace("\uD800", "").replace("\uDC00", ""), "", "\r", "\n", "plain"}) {
            byte[] expected = s.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(new CrlfUtf8Input(trickle(s.getBytes(StandardCharsets.UTF_8)), false).readAllBytes())
                    .as("UTF-8 %d chars", s.length()).isEqualTo(expected);
        }
        // an odd last byte of a PT_UNICODE stream is dropped, as the store does
        assertThat(new CrlfUtf8Input(new ByteArrayInputStream(new byte[] {'A', 0, 'B'}), true).readAllBytes())
                .containsExactly('A');
    }

    /** @return the UTF-16LE code units of {@code s}, unpaired surrogates kept (the JDK encoder would replace them) */
    private static byte[] utf16le(String s) {
        byte[] b = new byte[2 * s.length()];
        for (int i = 0; i < s.length(); i++) {
            b[2 * i] = (byte) s.charAt(i);
            b[2 * i + 1] = (byte) (s.charAt(i) >> 8);
        }
        return b;
    }

    @Test
    void transferEncodings_fromAStreamInSmallPieces_equalTheByteArrayOutput() throws IOException {
        Random r = new Random(11);
        for (int round = 0; round < 60; round++) {
            byte[] data = mixed(r, r.nextInt(200_000));
            if (round % 5 == 0) {
                data = ("line with trailing space \r\n".repeat(5000)).getBytes();
            }
            for (TransferEncoding te : TransferEncoding.values()) {
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                te.write(data, whole);
                ByteArrayOutputStream streamed = new ByteArrayOutputStream();
                te.write(trickle(data), streamed);
                assertThat(streamed.toByteArray()).as("%s round %d", te, round).isEqualTo(whole.toByteArray());
            }
        }
    }

    /** @return a stream that hands out at most 1..7 bytes per read, so every lookahead crosses refills */
    private static InputStream trickle(byte[] data) {
        Random r = new Random(data.length);
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(7)));
            }
        };
    }
}
