package org.jmapi.store.engine;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.TestValues;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropCodecTest {
    @Test
    void encodeDecode_everyTypeExactly() {
        List<PropValue> values = TestValues.everyType();
        assertThat(PropCodec.decode(PropCodec.encode(values))).containsExactlyElementsOf(values);
        assertThat(PropCodec.decode(PropCodec.encode(List.of()))).isEmpty();
        PropValue err = PropValue.error(PropTag.tag(PropType.PT_UNICODE, 0x3001), HResult.MAPI_E_NOT_FOUND);
        assertThat(PropCodec.decode(PropCodec.encode(List.of(err)))).containsExactly(err);
    }

    @Test
    void decode_damagedBytesAreCorruptData() {
        byte[] good = PropCodec.encode(TestValues.everyType());
        for (int cut : new int[] {0, 1, 5, good.length / 2, good.length - 1}) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> PropCodec.decode(truncated)).isInstanceOfSatisfying(MapiException.class,
                    e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_CORRUPT_DATA));
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> PropCodec.decode(trailing)).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_CORRUPT_DATA));
        byte[] badFormat = good.clone();
        badFormat[0] = 9;
        assertThatThrownBy(() -> PropCodec.decode(badFormat)).hasMessageContaining("format 9");
    }

    @Test
    void streamForms() {
        String s = "a\uD83D\uDE00\uD800z";
        assertThat(PropCodec.streamString(PropType.PT_UNICODE, PropCodec.streamBytes(PropType.PT_UNICODE, s), true))
                .isEqualTo(s);
        assertThat(PropCodec.streamExact(PropType.PT_STRING8, s)).isFalse();
        assertThat(PropCodec.streamExact(PropType.PT_STRING8, "a\uD83D\uDE00")).isTrue();
        assertThat(PropCodec.streamString(PropType.PT_STRING8, new byte[] {(byte) 0xC3}, true)).isNull();
        assertThat(PropCodec.streamString(PropType.PT_STRING8, new byte[] {(byte) 0xC3}, false)).isEqualTo("\uFFFD");
        assertThat(PropCodec.streamString(PropType.PT_UNICODE, new byte[] {65, 0, 66}, true)).isNull();
        assertThat(PropCodec.streamString(PropType.PT_UNICODE, new byte[] {65, 0, 66}, false)).isEqualTo("A");
    }

    /** The string layout as the class comment states it, written out independently: the format on disk. */
    private static byte[] referenceString(String s) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int n = s.length();
        b.write(n >>> 24);
        b.write(n >>> 16);
        b.write(n >>> 8);
        b.write(n);
        for (char c : s.toCharArray()) {
            if (c >= 1 && c <= 0x7F) {
                b.write(c);
            } else if (c <= 0x7FF) {
                b.write(0xC0 | (c >> 6));
                b.write(0x80 | (c & 0x3F));
            } else {
                b.write(0xE0 | (c >> 12));
                b.write(0x80 | ((c >> 6) & 0x3F));
                b.write(0x80 | (c & 0x3F));
            }
        }
        return b.toByteArray();
    }

    @Test
    void strings_keepTheirStoredForm_andStringBytesCountsIt() {
        int tag = PropTag.tag(PropType.PT_UNICODE, 0x1000);
        for (String s : List.of("", "plain ASCII text", "x".repeat(70_000), "\0", "caf\u00e9", "\u4e2d\u6587",
                "a\uD83D\uDE00b", "\uD800 unpaired", "\u007f\u0080\u07ff\u0800\uffff", "\u00ff".repeat(3))) {
            byte[] encoded = PropCodec.encode(List.of(PropValue.ofString(tag, s)));
            byte[] expected = referenceString(s);
            // format byte, count, tag, then the string
            assertThat(Arrays.copyOfRange(encoded, 9, encoded.length)).as(s).isEqualTo(expected);
            assertThat(PropCodec.stringBytes(s, Long.MAX_VALUE)).as(s).isEqualTo(expected.length - 4);
            assertThat(PropCodec.decode(encoded)).containsExactly(PropValue.ofString(tag, s));
        }
        assertThat(PropCodec.stringBytes("x".repeat(10_000), 100)).isGreaterThan(100).isLessThan(10_000);
        assertThat(PropCodec.stringBytes("\u00e9".repeat(50), 100)).isEqualTo(100);
    }

    @Test
    void append_isEncodeOfTheLongerList() {
        List<PropValue> values = TestValues.everyType();
        PropValue extra = PropValue.ofInt(PropTag.tag(PropType.PT_LONG, 0x0E08), 12345);
        List<PropValue> longer = new java.util.ArrayList<>(values);
        longer.add(extra);
        assertThat(PropCodec.append(PropCodec.encode(values), extra)).isEqualTo(PropCodec.encode(longer));
        assertThat(PropCodec.append(PropCodec.encode(List.of()), extra)).isEqualTo(PropCodec.encode(List.of(extra)));
        assertThatThrownBy(() -> PropCodec.append(new byte[] {9, 0, 0, 0, 0}, extra))
                .isInstanceOfSatisfying(MapiException.class,
                        e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_CORRUPT_DATA));
    }
}
