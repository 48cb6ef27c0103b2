package org.jmapi.prop;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PropertyBag} against R-PROP-1..4 and R-PROF-3. */
class PropertyBagTest {
    private static final int NAME = PropTags.PR_DISPLAY_NAME;
    private static final int FLAGS = PropTags.PR_RESOURCE_FLAGS;
    private static final int KEY = PropTags.PR_RECORD_KEY;
    private static final int OBJECT = PropTags.PR_ATTACH_DATA_OBJ;
    private static final int SECURE_FIRST = PropTag.tag(PropType.PT_UNICODE, 0x6600);
    private static final int SECURE_LAST = PropTag.tag(PropType.PT_LONG, 0x67FF);
    private static final int BELOW_SECURE = PropTag.tag(PropType.PT_LONG, 0x65FF);
    private static final int ABOVE_SECURE = PropTag.tag(PropType.PT_LONG, 0x6800);

    private final PropertyBag bag = new PropertyBag();

    // ---- R-PROP-1 GetProps -----------------------------------------------------------------------------------

    @Test
    void R_PROP_1_getProps_null_returnsEveryPropertyButSecureOnes() {
        bag.put(PropValue.ofString(NAME, "n"));
        bag.put(PropValue.ofString(SECURE_FIRST, "password"));
        bag.put(PropValue.ofInt(FLAGS, 3));
        PropValues all = bag.getProps(null, 0);
        assertThat(all.hresult()).isEqualTo(HResult.S_OK);
        assertThat(all.values()).containsExactly(PropValue.ofString(NAME, "n"), PropValue.ofInt(FLAGS, 3));
    }

    @Test
    void R_PROP_1_getProps_emptyTagArray_invalidParameter() {
        bag.put(PropValue.ofInt(FLAGS, 3));
        assertHr(() -> bag.getProps(new int[0], 0), HResult.MAPI_E_INVALID_PARAMETER);
    }

    @Test
    void R_PROP_1_getProps_keepsRequestOrder() {
        bag.put(PropValue.ofString(NAME, "n"));
        bag.put(PropValue.ofInt(FLAGS, 3));
        bag.put(PropValue.ofBinary(KEY, new byte[] {9}));
        PropValues got = bag.getProps(new int[] {KEY, NAME, FLAGS}, 0);
        assertThat(got.values()).extracting(PropValue::tag).containsExactly(KEY, NAME, FLAGS);
        assertThat(got.hresult()).isEqualTo(HResult.S_OK);
    }

    @Test
    void R_PROP_1_getProps_ptUnspecified_isAnsweredInTheRealType() {
        bag.put(PropValue.ofInt(FLAGS, 3));
        PropValue v = bag.getProps(new int[] {PropTag.withType(FLAGS, PropType.PT_UNSPECIFIED)}, 0).values().get(0);
        assertThat(v.tag()).isEqualTo(FLAGS);
        assertThat(v.asInt()).isEqualTo(3);
    }

    @Test
    void R_PROP_1_getProps_missing_isPtErrorWithTheSameId_andWarningErrorsReturned() {
        bag.put(PropValue.ofInt(FLAGS, 3));
        PropValues got = bag.getProps(new int[] {FLAGS, NAME}, 0);
        assertThat(got.hresult()).isEqualTo(HResult.MAPI_W_ERRORS_RETURNED);
        assertThat(HResult.succeeded(got.hresult())).isTrue();
        PropValue missing = got.values().get(1);
        assertThat(missing.tag()).isEqualTo(PropTag.withType(NAME, PropType.PT_ERROR));
        assertThat(missing.id()).isEqualTo(PropTag.id(NAME));
        assertThat(missing.errorCode()).isEqualTo(HResult.MAPI_E_NOT_FOUND);
        assertThat(got.values().get(0)).isEqualTo(PropValue.ofInt(FLAGS, 3));
    }

    @Test
    void R_PROP_1_getProps_tooLargeForInline_isNotEnoughMemory() {
        PropertyBag small = new PropertyBag(4);
        small.put(PropValue.ofString(NAME, "longer than four"));
        small.put(PropValue.ofBinary(KEY, new byte[] {1, 2}));
        PropValues got = small.getProps(new int[] {NAME, KEY}, 0);
        assertThat(got.values().get(0).errorCode()).isEqualTo(HResult.MAPI_E_NOT_ENOUGH_MEMORY);
        assertThat(got.values().get(1).asBinary()).containsExactly(1, 2);
        assertThat(got.hresult()).isEqualTo(HResult.MAPI_W_ERRORS_RETURNED);
    }

    @Test
    void R_PROP_1_getProps_null_onAnEmptyObject_isSOkAndNothing() {
        PropValues got = bag.getProps(null, 0);
        assertThat(got.hresult()).isEqualTo(HResult.S_OK);
        assertThat(got.values()).isEmpty();
    }

    @Test
    void R_PROP_1_getProps_unknownFlags() {
        assertHr(() -> bag.getProps(null, 0x4), HResult.MAPI_E_UNKNOWN_FLAGS);
    }

    // ---- R-PROP-2 SetProps -----------------------------------------------------------------------------------

    @Test
    void R_PROP_2_setProps_noValues_invalidParameter() {
        assertHr(() -> bag.setProps(List.of()), HResult.MAPI_E_INVALID_PARAMETER);
        assertHr(() -> bag.setProps(null), HResult.MAPI_E_INVALID_PARAMETER);
    }

    @Test
    void R_PROP_2_setProps_ptObject_invalidParameter_andNothingIsSet() {
        List<PropValue> in = List.of(PropValue.ofInt(FLAGS, 1), PropValue.of(OBJECT, null));
        assertHr(() -> bag.setProps(in), HResult.MAPI_E_INVALID_PARAMETER);
        assertThat(bag.getPropList(0)).isEmpty();
    }

    @Test
    void R_PROP_2_emptyMultiValuedValue_invalidParameter() {
        assertHr(() -> PropValue.of(PropTag.tag(PropType.PT_MV_UNICODE, 0x3A00), List.of()),
                HResult.MAPI_E_INVALID_PARAMETER);
    }

    @Test
    void R_PROP_2_setProps_prNullAndPtError_skippedSilently() {
        List<PropProblem> problems = bag.setProps(List.of(PropValue.of(PropTag.PR_NULL, null),
                PropValue.error(NAME, HResult.MAPI_E_NOT_FOUND), PropValue.ofInt(FLAGS, 2)));
        assertThat(problems).isEmpty();
        assertThat(bag.getPropList(0)).containsExactly(FLAGS);
    }

    @Test
    void R_PROP_2_setProps_computed_isAProblem_andTheCallSucceeds() {
        bag.putComputed(PropValue.ofInt(FLAGS, 1));
        List<PropProblem> problems = bag.setProps(List.of(PropValue.ofString(NAME, "n"), PropValue.ofInt(FLAGS, 9)));
        assertThat(problems).containsExactly(new PropProblem(1, FLAGS, HResult.MAPI_E_COMPUTED));
        assertThat(bag.get(FLAGS).asInt()).isEqualTo(1);
        assertThat(bag.get(NAME).asString()).isEqualTo("n");
    }

    @Test
    void R_PROP_2_setProps_protected_isNoAccessProblem() {
        bag.put(PropValue.ofInt(FLAGS, 1));
        bag.protect(FLAGS);
        List<PropProblem> problems = bag.setProps(List.of(PropValue.ofInt(FLAGS, 9)));
        assertThat(problems).containsExactly(new PropProblem(0, FLAGS, HResult.MAPI_E_NO_ACCESS));
        assertThat(bag.get(FLAGS).asInt()).isEqualTo(1);
    }

    @Test
    void R_PROP_2_setProps_readOnlyObject_noAccess() {
        bag.setReadOnly(true);
        assertHr(() -> bag.setProps(List.of(PropValue.ofInt(FLAGS, 9))), HResult.MAPI_E_NO_ACCESS);
        assertThat(bag.getPropList(0)).isEmpty();
    }

    @Test
    void R_PROP_2_setProps_sameId_replacesTheOlderValue() {
        bag.setProps(List.of(PropValue.ofString(PropTag.withType(NAME, PropType.PT_STRING8), "old")));
        bag.setProps(List.of(PropValue.ofString(NAME, "new")));
        assertThat(bag.getPropList(0)).containsExactly(NAME);
        assertThat(bag.get(NAME).asString()).isEqualTo("new");
    }

    // ---- R-PROP-3 DeleteProps --------------------------------------------------------------------------------

    @Test
    void R_PROP_3_deleteProps_byIdIgnoringType() {
        bag.put(PropValue.ofString(NAME, "n"));
        List<PropProblem> problems = bag.deleteProps(new int[] {PropTag.withType(NAME, PropType.PT_BINARY)});
        assertThat(problems).isEmpty();
        assertThat(bag.get(NAME)).isNull();
    }

    @Test
    void R_PROP_3_deleteProps_readOnly_noAccess() {
        bag.put(PropValue.ofString(NAME, "n"));
        bag.setReadOnly(true);
        assertHr(() -> bag.deleteProps(new int[] {NAME}), HResult.MAPI_E_NO_ACCESS);
        assertThat(bag.get(NAME)).isNotNull();
    }

    @Test
    void R_PROP_3_deleteProps_partialFailure_isSOkWithProblems() {
        bag.put(PropValue.ofString(NAME, "n"));
        bag.putComputed(PropValue.ofInt(FLAGS, 1));
        List<PropProblem> problems = bag.deleteProps(new int[] {KEY, NAME, FLAGS});
        assertThat(problems).containsExactly(new PropProblem(0, KEY, HResult.MAPI_E_NOT_FOUND),
                new PropProblem(2, FLAGS, HResult.MAPI_E_COMPUTED));
        assertThat(bag.get(NAME)).isNull();
        assertThat(bag.get(FLAGS)).isNotNull();
    }

    @Test
    void R_PROP_3_deleteProps_noTags_invalidParameter() {
        assertHr(() -> bag.deleteProps(null), HResult.MAPI_E_INVALID_PARAMETER);
        assertHr(() -> bag.deleteProps(new int[0]), HResult.MAPI_E_INVALID_PARAMETER);
    }

    // ---- R-PROP-4 GetPropList --------------------------------------------------------------------------------

    @Test
    void R_PROP_4_getPropList_includesPtObjectProperties() {
        bag.put(PropValue.ofInt(FLAGS, 1));
        bag.put(PropValue.of(OBJECT, null));
        assertThat(bag.getPropList(0)).containsExactly(FLAGS, OBJECT);
    }

    @Test
    void R_PROP_4_getPropList_emptyObject_isEmpty() {
        assertThat(bag.getPropList(0)).hasSize(0);
    }

    @Test
    void R_PROP_4_getPropList_agreesWithGetPropsNull() {
        bag.put(PropValue.ofInt(FLAGS, 1));
        bag.put(PropValue.of(OBJECT, null));
        bag.put(PropValue.ofString(PropTag.withType(SECURE_LAST, PropType.PT_UNICODE), "secret"));
        bag.put(PropValue.ofBinary(KEY, new byte[] {1}));
        int[] listIds = Arrays.stream(bag.getPropList(0)).map(PropTag::id).toArray();
        int[] getIds = bag.getProps(null, 0).values().stream().mapToInt(PropValue::id).toArray();
        assertThat(listIds).containsExactly(getIds);
        assertThat(listIds).containsExactly(PropTag.id(FLAGS), PropTag.id(OBJECT), PropTag.id(KEY));
    }

    // ---- R-PROF-3 secure properties --------------------------------------------------------------------------

    @Test
    void R_PROF_3_secureIds_onlyByExplicitTag() {
        bag.put(PropValue.ofString(SECURE_FIRST, "first"));
        bag.put(PropValue.ofInt(SECURE_LAST, 7));
        bag.put(PropValue.ofInt(BELOW_SECURE, 1));
        bag.put(PropValue.ofInt(ABOVE_SECURE, 2));

        assertThat(bag.getProps(null, 0).values()).extracting(PropValue::tag)
                .containsExactly(BELOW_SECURE, ABOVE_SECURE);
        assertThat(bag.getPropList(0)).containsExactly(BELOW_SECURE, ABOVE_SECURE);
        PropValues explicit = bag.getProps(new int[] {SECURE_FIRST, SECURE_LAST}, 0);
        assertThat(explicit.hresult()).isEqualTo(HResult.S_OK);
        assertThat(explicit.values()).containsExactly(PropValue.ofString(SECURE_FIRST, "first"),
                PropValue.ofInt(SECURE_LAST, 7));
    }

    private static void assertHr(ThrowingCallable call, int hresult) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).as(HResult.name(hresult)).isEqualTo(hresult));
    }
}
