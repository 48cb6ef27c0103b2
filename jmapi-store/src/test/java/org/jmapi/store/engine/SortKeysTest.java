package org.jmapi.store.engine;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restrictions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The encodings promise that byte order is Java order; check it on many random pairs. */
class SortKeysTest {
    private static int sign(int x) {
        return Integer.signum(x);
    }

    private static String randomString(Random r) {
        char[] c = new char[r.nextInt(5)];
        for (int i = 0; i < c.length; i++) {
            c[i] = switch (r.nextInt(4)) {
                case 0 -> (char) ('a' + r.nextInt(3));
                case 1 -> (char) (0xD7F0 + r.nextInt(0x40));
                case 2 -> (char) (0xFFF0 + r.nextInt(16));
                default -> (char) (1 + r.nextInt(0xFFFF));
            };
        }
        return new String(c);
    }

    @Test
    void text_utf8OrderIsUtf16Order_andOneCharacterPerCodeUnit() {
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            String a = randomString(r);
            String b = randomString(r);
            byte[] ka = SortKeys.text(a).getBytes(StandardCharsets.UTF_8);
            byte[] kb = SortKeys.text(b).getBytes(StandardCharsets.UTF_8);
            assertThat(sign(Arrays.compareUnsigned(ka, kb))).as("%s vs %s", a, b).isEqualTo(sign(a.compareTo(b)));
            String t = SortKeys.text(a);
            assertThat(t.codePointCount(0, t.length())).isEqualTo(a.length());
            assertThat(SortKeys.text(a + b).startsWith(SortKeys.text(a))).isTrue();
        }
        assertThat(SortKeys.text("plain ascii")).isEqualTo("plain ascii");
    }

    @Test
    void time_byteOrderIsChronological_overTheWholeRange() {
        Random r = new Random(4);
        Instant[] special = {Instant.MIN, Instant.MAX, Instant.EPOCH, Instant.ofEpochSecond(-1, 999_999_999),
                Instant.ofEpochSecond(0, 1), Instant.parse("1601-01-01T00:00:00Z")};
        for (int i = 0; i < 20_000; i++) {
            Instant a = i < special.length ? special[i] : Instant.ofEpochSecond(r.nextLong() % 100_000_000_000L,
                    r.nextInt(1_000_000_000));
            Instant b = special[r.nextInt(special.length)];
            if (r.nextBoolean()) {
                b = Instant.ofEpochSecond(a.getEpochSecond(), r.nextInt(1_000_000_000));
            }
            assertThat(sign(Arrays.compareUnsigned(SortKeys.time(a), SortKeys.time(b))))
                    .as("%s vs %s", a, b).isEqualTo(sign(Restrictions.compare(
                            PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, a),
                            PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, b))));
            assertThat(SortKeys.timeOf(SortKeys.time(a))).isEqualTo(a);
        }
    }
}
