package org.jmapi.prop;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PropValue}: type checking, copy semantics, equality (spec &sect;1.3, R-PROP-1, R-PROP-2). */
class PropValueTest {
    private static final int NAME = PropTags.PR_DISPLAY_NAME;
    private static final int FLAGS = PropTags.PR_RESOURCE_FLAGS;
    private static final int KEY = PropTags.PR_RECORD_KEY;
    private static final int MV_BINARY = PropTag.tag(PropType.PT_MV_BINARY, 0x3A01);
    private static final int MV_LONG = PropTag.tag(PropType.PT_MV_LONG, 0x3A02);

    @Test
    void of_valueOfTheWrongJavaType_invalidType() {
        assertInvalidType(() -> PropValue.of(FLAGS, "3"));
        assertInvalidType(() -> PropValue.of(FLAGS, 3L));
        assertInvalidType(() -> PropValue.of(NAME, 3));
        assertInvalidType(() -> PropValue.of(NAME, null));
        assertInvalidType(() -> PropValue.of(KEY, "bytes"));
        assertInvalidType(() -> PropValue.of(PropTags.PR_CLIENT_SUBMIT_TIME, 0L));
        assertInvalidType(() -> PropValue.of(PropTags.PR_RESPONSIBILITY, 1));
        assertInvalidType(() -> PropValue.of(PropTag.tag(PropType.PT_I2, 0x3A03), 1));
        assertInvalidType(() -> PropValue.of(MV_LONG, 1));
        assertInvalidType(() -> PropValue.of(MV_LONG, List.of(1, "2")));
        assertInvalidType(() -> PropValue.of(PropTag.tag(0x0099, 0x3A04), 1));
    }

    @Test
    void of_valuesOfTheRightJavaType_areAccepted() {
        assertThat(PropValue.of(FLAGS, 3).asInt()).isEqualTo(3);
        assertThat(PropValue.of(NAME, "n").asString()).isEqualTo("n");
        assertThat(PropValue.of(PropTag.tag(PropType.PT_I8, 0x3A05), 5L).asLong()).isEqualTo(5L);
        assertThat(PropValue.of(PropTags.PR_RESPONSIBILITY, true).asBoolean()).isTrue();
        assertThat(PropValue.of(PropTags.PR_CLIENT_SUBMIT_TIME, Instant.EPOCH).asTime()).isEqualTo(Instant.EPOCH);
        assertThat(PropValue.of(MV_LONG, List.of(1, 2)).value()).isEqualTo(List.of(1, 2));
        assertThat(PropValue.of(PropTag.PR_NULL, "ignored").value()).isNull();
        assertThat(PropValue.of(PropTags.PR_ATTACH_DATA_OBJ, null).value()).isNull();
    }

    @Test
    void of_emptyMultiValuedList_invalidParameter() {
        assertThatThrownBy(() -> PropValue.of(MV_LONG, List.of())).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_INVALID_PARAMETER));
    }

    @Test
    void accessorOfTheWrongType_invalidType() {
        PropValue v = PropValue.ofInt(FLAGS, 3);
        assertInvalidType(v::asString);
        assertInvalidType(v::asBinary);
        assertInvalidType(() -> PropValue.error(NAME, HResult.MAPI_E_NOT_FOUND).asString());
    }

    @Test
    void binary_isCopiedInAndOut() {
        byte[] source = {1, 2, 3};
        PropValue v = PropValue.ofBinary(KEY, source);
        source[0] = 9;
        assertThat(v.asBinary()).containsExactly(1, 2, 3);

        v.asBinary()[1] = 9;
        ((byte[]) v.value())[2] = 9;
        assertThat(v.asBinary()).containsExactly(1, 2, 3);
        assertThat(v).isEqualTo(PropValue.ofBinary(KEY, new byte[] {1, 2, 3}));
    }

    @Test
    void multiValuedBinary_isCopiedInAndOut() {
        byte[] first = {1, 2};
        List<byte[]> source = new ArrayList<>(List.of(first, new byte[] {3}));
        PropValue v = PropValue.of(MV_BINARY, source);
        first[0] = 9;
        source.clear();

        List<?> out = (List<?>) v.value();
        ((byte[]) out.get(0))[1] = 9;
        assertThatThrownBy(() -> ((List<Object>) out).add(new byte[0])).isInstanceOf(UnsupportedOperationException.class);
        assertThat(v).isEqualTo(PropValue.of(MV_BINARY, List.of(new byte[] {1, 2}, new byte[] {3})));
        assertThat((List<?>) v.value()).hasSize(2).first().isEqualTo(new byte[] {1, 2});
    }

    @Test
    void equalsAndHashCode_compareTagAndContent() {
        PropValue a = PropValue.ofBinary(KEY, new byte[] {1, 2});
        PropValue b = PropValue.ofBinary(KEY, new byte[] {1, 2});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(PropValue.ofBinary(KEY, new byte[] {1, 3}));
        assertThat(a).isNotEqualTo(PropValue.ofBinary(PropTags.PR_ENTRYID, new byte[] {1, 2}));

        PropValue mv = PropValue.of(MV_BINARY, List.of(new byte[] {1}, new byte[] {2}));
        PropValue mv2 = PropValue.of(MV_BINARY, List.of(new byte[] {1}, new byte[] {2}));
        assertThat(mv).isEqualTo(mv2).hasSameHashCodeAs(mv2);
        assertThat(mv).isNotEqualTo(PropValue.of(MV_BINARY, List.of(new byte[] {1})));

        assertThat(PropValue.ofString(NAME, "x")).isEqualTo(PropValue.ofString(NAME, "x"))
                .hasSameHashCodeAs(PropValue.ofString(NAME, "x"))
                .isNotEqualTo(PropValue.ofString(PropTag.withType(NAME, PropType.PT_STRING8), "x"));
        assertThat(PropValue.ofInt(FLAGS, 1)).isNotEqualTo(PropValue.ofInt(FLAGS, 2)).isNotEqualTo(null);
    }

    @Test
    void error_keepsTheIdWithTypePtError() {
        PropValue e = PropValue.error(NAME, HResult.MAPI_E_NOT_FOUND);
        assertThat(e.isError()).isTrue();
        assertThat(e.id()).isEqualTo(PropTag.id(NAME));
        assertThat(e.type()).isEqualTo(PropType.PT_ERROR);
        assertThat(e.errorCode()).isEqualTo(HResult.MAPI_E_NOT_FOUND);
        assertThat(e).isEqualTo(PropValue.error(PropTag.withType(NAME, PropType.PT_BINARY), HResult.MAPI_E_NOT_FOUND));
        assertThatThrownBy(() -> PropValue.ofInt(FLAGS, 1).errorCode()).isInstanceOf(IllegalStateException.class);
    }

    private static void assertInvalidType(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_INVALID_TYPE));
    }
}
