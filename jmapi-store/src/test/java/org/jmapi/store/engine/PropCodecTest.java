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
}
