package org.jmapi.runtime.profile;

import com.fasterxml.jackson.databind.JsonNode;
import org.jmapi.HResult;
import org.jmapi.MapiUid;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON codec of property values. */
class PropValueJsonTest {

    private static JsonNode parse(String json) throws Exception {
        return ProfileDirectory.MAPPER.readTree(json);
    }

    private static PropValue roundTrip(PropValue v) throws Exception {
        String text = ProfileDirectory.MAPPER.writeValueAsString(PropValueJson.encode(v));
        return PropValueJson.decode(parse(text));
    }

    @Test
    void everyTypeRoundTripsThroughText() throws Exception {
        List<PropValue> all = AllTypes.values();
        for (PropValue v : all) {
            assertThat(roundTrip(v)).as(PropTag.toString(v.tag())).isEqualTo(v);
        }
        String text = ProfileDirectory.MAPPER.writeValueAsString(PropValueJson.encodeAll(all));
        assertThat(PropValueJson.decodeAll(parse(text))).isEqualTo(all);
    }

    @Test
    void encodingIsReadable() {
        assertThat(PropValueJson.encode(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "x")).toString())
                .isEqualTo("{\"tag\":\"0x3001001F\",\"value\":\"x\"}");
        assertThat(PropValueJson.encode(PropValue.ofBinary(PropTags.PR_ENTRYID, new byte[] {1, 2, 3})).toString())
                .isEqualTo("{\"tag\":\"0x0FFF0102\",\"value\":\"AQID\"}");
        int systime = PropTags.PR_CLIENT_SUBMIT_TIME;
        assertThat(PropValueJson.encode(PropValue.ofTime(systime, Instant.parse("2020-01-02T03:04:05.5Z"))).toString())
                .isEqualTo("{\"tag\":\"0x00390040\",\"value\":\"2020-01-02T03:04:05.500Z\"}");
        int clsid = PropTag.tag(PropType.PT_CLSID, 0x6900);
        assertThat(PropValueJson.encode(PropValue.of(clsid, MapiUid.parse("00112233445566778899aabbccddeeff")))
                .toString()).isEqualTo("{\"tag\":\"0x69000048\",\"value\":\"00112233445566778899aabbccddeeff\"}");
        int mvLong = PropTag.tag(PropType.PT_MV_LONG, 0x6901);
        assertThat(PropValueJson.encode(PropValue.of(mvLong, List.of(1, -1))).toString())
                .isEqualTo("{\"tag\":\"0x69011003\",\"value\":[1,-1]}");
        assertThat(PropValueJson.encode(PropValue.of(PropTag.tag(PropType.PT_DOUBLE, 0x6902), Double.NaN)).toString())
                .isEqualTo("{\"tag\":\"0x69020005\",\"value\":\"NaN\"}");
    }

    @Test
    void valuesWithoutPersistentFormAreRefused() {
        PropValue actions = PropValue.of(PropTag.tag(PropType.PT_ACTIONS, 0x6903), new Object());
        PropValue object = PropValue.of(PropTags.PR_MESSAGE_ATTACHMENTS, null);
        assertThat(PropValueJson.canEncode(actions)).isFalse();
        assertThat(PropValueJson.canEncode(object)).isFalse();
        assertThat(PropValueJson.canEncode(PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, 1))).isTrue();
        ProfileFixture.assertMapiError(() -> PropValueJson.encode(actions), HResult.MAPI_E_INVALID_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[]",
        "{}",
        "{\"tag\":3001001}",
        "{\"tag\":\"3001001F\",\"value\":\"x\"}",
        "{\"tag\":\"0x3001001G\",\"value\":\"x\"}",
        "{\"tag\":\"0x3001001F\"}",
        "{\"tag\":\"0x3001001F\",\"value\":1}",
        "{\"tag\":\"0x30090003\",\"value\":\"1\"}",
        "{\"tag\":\"0x30090003\",\"value\":1.5}",
        "{\"tag\":\"0x30090003\",\"value\":4294967296}",
        "{\"tag\":\"0x69000002\",\"value\":32768}",
        "{\"tag\":\"0x6900000B\",\"value\":1}",
        "{\"tag\":\"0x69000005\",\"value\":\"Infinityx\"}",
        "{\"tag\":\"0x69000040\",\"value\":\"yesterday\"}",
        "{\"tag\":\"0x69000048\",\"value\":\"0011\"}",
        "{\"tag\":\"0x69000102\",\"value\":\"not base64!\"}",
        "{\"tag\":\"0x69001003\",\"value\":[]}",
        "{\"tag\":\"0x69001003\",\"value\":5}",
        "{\"tag\":\"0x69001003\",\"value\":[1,\"2\"]}",
        "{\"tag\":\"0x6900000D\"}",
        "{\"tag\":\"0x690000FE\",\"value\":{}}",
        "{\"tag\":\"0x69000000\"}",
        "{\"tag\":\"0x69000099\",\"value\":1}",
        "{\"tag\":\"0x690000FD\",\"value\":{\"rt\":\"xor\"}}",
        "{\"tag\":\"0x690000FD\",\"value\":{\"rt\":\"and\"}}",
        "{\"tag\":\"0x690000FD\",\"value\":{\"rt\":\"exist\",\"tag\":5}}"
    })
    void malformedInputIsCorruptData(String json) throws Exception {
        JsonNode n = parse(json);
        ProfileFixture.assertMapiError(() -> PropValueJson.decode(n), HResult.MAPI_E_CORRUPT_DATA);
    }

    @Test
    void decodeAllNeedsAnArray() throws Exception {
        JsonNode n = parse("{\"tag\":\"0x3001001F\",\"value\":\"x\"}");
        ProfileFixture.assertMapiError(() -> PropValueJson.decodeAll(n), HResult.MAPI_E_CORRUPT_DATA);
        ProfileFixture.assertMapiError(() -> PropValueJson.decodeAll(null), HResult.MAPI_E_CORRUPT_DATA);
    }
}
