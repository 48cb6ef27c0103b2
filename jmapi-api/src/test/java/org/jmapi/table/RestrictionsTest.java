package org.jmapi.table;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.table.Restriction.RELOP_EQ;
import static org.jmapi.table.Restriction.RELOP_GE;
import static org.jmapi.table.Restriction.RELOP_GT;
import static org.jmapi.table.Restriction.RELOP_LE;
import static org.jmapi.table.Restriction.RELOP_LT;
import static org.jmapi.table.Restriction.RELOP_NE;
import static org.jmapi.table.Restriction.RELOP_RE;

/** {@link Restrictions}: MAPI semantics of every restriction type, validation, and the sort order. */
class RestrictionsTest {
    private static final int NAME = PropTags.PR_DISPLAY_NAME;
    private static final int NAME_A = PropTags.PR_DISPLAY_NAME_A;
    private static final int FLAGS = PropTags.PR_RESOURCE_FLAGS;
    private static final int KEY = PropTags.PR_INSTANCE_KEY;
    private static final int TIME = PropTags.PR_CLIENT_SUBMIT_TIME;
    private static final int BOOL = PropTags.PR_RESPONSIBILITY;
    private static final int I8 = PropTag.tag(PropType.PT_I8, 0x6700);
    private static final int I2 = PropTag.tag(PropType.PT_I2, 0x6701);
    private static final int DBL = PropTag.tag(PropType.PT_DOUBLE, 0x6702);
    private static final int MV_NAMES = PropTag.tag(PropType.PT_MV_UNICODE, 0x6703);
    private static final int MVI_NAMES = PropTag.tag(PropType.PT_MV_UNICODE | PropType.MV_INSTANCE, 0x6703);
    private static final int OTHER = PropTag.tag(PropType.PT_LONG, 0x6704);
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private static final RowSource ROW = RowSource.of(List.of(
            PropValue.ofString(NAME, "Hello World"),
            PropValue.ofInt(FLAGS, 0b0101),
            PropValue.ofInt(OTHER, 5),
            PropValue.ofBinary(KEY, new byte[] {1, 2, 3, (byte) 0x80}),
            PropValue.ofTime(TIME, T0),
            PropValue.ofBoolean(BOOL, true),
            PropValue.ofLong(I8, 1L << 40),
            PropValue.of(I2, (short) -3),
            PropValue.of(DBL, 2.5),
            PropValue.of(MV_NAMES, List.of("alpha", "Beta"))));

    // ---- RES_AND / RES_OR / RES_NOT --------------------------------------------------------------------------

    @Test
    void and_or_not() {
        Restriction yes = new Restriction.Exist(NAME);
        Restriction no = new Restriction.Exist(PropTags.PR_STATUS_STRING);
        assertThat(Restrictions.matches(new Restriction.And(List.of(yes, yes)), ROW)).isTrue();
        assertThat(Restrictions.matches(new Restriction.And(List.of(yes, no)), ROW)).isFalse();
        assertThat(Restrictions.matches(new Restriction.Or(List.of(no, yes)), ROW)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Or(List.of(no, no)), ROW)).isFalse();
        assertThat(Restrictions.matches(new Restriction.Not(no), ROW)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Not(yes), ROW)).isFalse();
        assertThat(Restrictions.matches(new Restriction.And(List.of()), ROW)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Or(List.of()), ROW)).isFalse();
    }

    // ---- RES_CONTENT -----------------------------------------------------------------------------------------

    @Test
    void content_string_fullSubstringPrefix_caseSensitiveUnlessIgnoreCase() {
        assertThat(content(Restriction.FL_FULLSTRING, "Hello World")).isTrue();
        assertThat(content(Restriction.FL_FULLSTRING, "Hello")).isFalse();
        assertThat(content(Restriction.FL_SUBSTRING, "lo Wo")).isTrue();
        assertThat(content(Restriction.FL_SUBSTRING, "xyz")).isFalse();
        assertThat(content(Restriction.FL_PREFIX, "Hell")).isTrue();
        assertThat(content(Restriction.FL_PREFIX, "World")).isFalse();
        assertThat(content(Restriction.FL_FULLSTRING, "hello world")).isFalse();
        assertThat(content(Restriction.FL_FULLSTRING | Restriction.FL_IGNORECASE, "hello world")).isTrue();
        assertThat(content(Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE, "O W")).isTrue();
        assertThat(content(Restriction.FL_PREFIX | Restriction.FL_IGNORECASE, "HELLO")).isTrue();
    }

    @Test
    void content_ignoreNonSpace_andLoose() {
        RowSource row = RowSource.of(List.of(PropValue.ofString(NAME, "Crème Brûlée")));
        Restriction plain = new Restriction.Content(Restriction.FL_FULLSTRING, NAME,
                PropValue.ofString(NAME, "Creme Brulee"));
        Restriction nonSpace = new Restriction.Content(Restriction.FL_FULLSTRING | Restriction.FL_IGNORENONSPACE,
                NAME, PropValue.ofString(NAME, "Creme Brulee"));
        Restriction loose = new Restriction.Content(Restriction.FL_PREFIX | Restriction.FL_LOOSE, NAME,
                PropValue.ofString(NAME, "creme b"));
        assertThat(Restrictions.matches(plain, row)).isFalse();
        assertThat(Restrictions.matches(nonSpace, row)).isTrue();
        assertThat(Restrictions.matches(loose, row)).isTrue();
    }

    @Test
    void content_string8PatternMatchesUnicodeProperty() {
        Restriction r = new Restriction.Content(Restriction.FL_SUBSTRING, NAME_A, PropValue.ofString(NAME_A, "World"));
        Restrictions.validate(r);
        assertThat(Restrictions.matches(r, ROW)).isTrue();
    }

    @Test
    void content_binary_fullSubstringPrefix() {
        assertThat(binaryContent(Restriction.FL_FULLSTRING, 1, 2, 3, 0x80)).isTrue();
        assertThat(binaryContent(Restriction.FL_FULLSTRING, 1, 2, 3)).isFalse();
        assertThat(binaryContent(Restriction.FL_SUBSTRING, 2, 3)).isTrue();
        assertThat(binaryContent(Restriction.FL_SUBSTRING, 3, 2)).isFalse();
        assertThat(binaryContent(Restriction.FL_PREFIX, 1, 2)).isTrue();
        assertThat(binaryContent(Restriction.FL_PREFIX, 2, 3)).isFalse();
        assertThat(binaryContent(Restriction.FL_PREFIX, 1, 2, 3, 0x80, 9)).isFalse();
    }

    @Test
    void content_multiValuedProperty_matchesWhenAnyValueMatches() {
        Restriction beta = new Restriction.Content(Restriction.FL_FULLSTRING | Restriction.FL_IGNORECASE, MVI_NAMES,
                PropValue.ofString(NAME, "beta"));
        Restriction gamma = new Restriction.Content(Restriction.FL_PREFIX, MVI_NAMES, PropValue.ofString(NAME, "gam"));
        Restrictions.validate(beta);
        assertThat(Restrictions.matches(beta, ROW)).isTrue();
        assertThat(Restrictions.matches(gamma, ROW)).isFalse();
    }

    @Test
    void content_absentProperty_neverMatches() {
        Restriction r = new Restriction.Content(Restriction.FL_SUBSTRING, PropTags.PR_SUBJECT,
                PropValue.ofString(PropTags.PR_SUBJECT, ""));
        assertThat(Restrictions.matches(r, ROW)).isFalse();
    }

    // ---- RES_PROPERTY ----------------------------------------------------------------------------------------

    @Test
    void property_everyRelopOnIntegers() {
        assertThat(relops(PropValue.ofInt(FLAGS, 5))).containsExactly(false, true, false, true, true, false);
        assertThat(relops(PropValue.ofInt(FLAGS, 6))).containsExactly(true, true, false, false, false, true);
        assertThat(relops(PropValue.ofInt(FLAGS, 4))).containsExactly(false, false, true, true, false, true);
        assertThat(relops(PropValue.ofInt(FLAGS, -1))).containsExactly(false, false, true, true, false, true);
    }

    @Test
    void property_strings_caseSensitiveOrdinal() {
        assertThat(relops(PropValue.ofString(NAME, "Hello World"))).containsExactly(false, true, false, true, true,
                false);
        assertThat(relops(PropValue.ofString(NAME, "hello world"))).containsExactly(true, true, false, false, false,
                true);
        assertThat(relops(PropValue.ofString(NAME_A, "Hello World"))).containsExactly(false, true, false, true, true,
                false);
    }

    @Test
    void property_otherTypes_compareSameTypedValues() {
        assertThat(relop(RELOP_EQ, PropValue.ofBoolean(BOOL, true))).isTrue();
        assertThat(relop(RELOP_GT, PropValue.ofBoolean(BOOL, false))).isTrue();
        assertThat(relop(RELOP_LT, PropValue.ofTime(TIME, T0.plusSeconds(1)))).isTrue();
        assertThat(relop(RELOP_GE, PropValue.ofTime(TIME, T0))).isTrue();
        assertThat(relop(RELOP_GT, PropValue.ofBinary(KEY, new byte[] {1, 2, 3, 0x7F}))).isTrue();
        assertThat(relop(RELOP_LT, PropValue.ofBinary(KEY, new byte[] {1, 2, 4}))).isTrue();
        assertThat(relop(RELOP_GT, PropValue.ofBinary(KEY, new byte[] {1, 2, 3}))).isTrue();
        assertThat(relop(RELOP_GT, PropValue.ofLong(I8, 1L << 39))).isTrue();
        assertThat(relop(RELOP_LT, PropValue.of(I2, (short) 0))).isTrue();
        assertThat(relop(RELOP_LE, PropValue.of(DBL, 2.5))).isTrue();
        assertThat(relop(RELOP_GT, PropValue.of(DBL, 2.75))).isFalse();
    }

    @Test
    void property_absentProperty_neverMatches_evenForNe() {
        int subject = PropTags.PR_SUBJECT;
        for (int op = RELOP_LT; op <= RELOP_NE; op++) {
            Restriction r = new Restriction.Property(op, subject, PropValue.ofString(subject, "x"));
            assertThat(Restrictions.matches(r, ROW)).as("relop %d", op).isFalse();
        }
    }

    @Test
    void property_rowValueOfAnotherType_neverMatches() {
        RowSource row = RowSource.of(List.of(PropValue.ofString(PropTag.withType(FLAGS, PropType.PT_UNICODE), "5")));
        assertThat(Restrictions.matches(new Restriction.Property(RELOP_NE, FLAGS, PropValue.ofInt(FLAGS, 5)), row))
                .isFalse();
    }

    @Test
    void property_multiValuedPerInstance_matchesWhenAnyValueDoes() {
        int oneName = PropTag.tag(PropType.PT_UNICODE, PropTag.id(MVI_NAMES));
        int oneNameA = PropTag.tag(PropType.PT_STRING8, PropTag.id(MVI_NAMES));
        Restriction r = new Restriction.Property(RELOP_EQ, MVI_NAMES, PropValue.ofString(oneNameA, "Beta"));
        Restriction none = new Restriction.Property(RELOP_LT, MVI_NAMES, PropValue.ofString(oneName, "Alpha"));
        Restrictions.validate(r);
        Restrictions.validate(none);
        assertThat(Restrictions.matches(r, ROW)).isTrue();
        assertThat(Restrictions.matches(none, ROW)).isFalse();
    }

    @Test
    void property_relopRe_tooComplex() {
        assertHr(() -> Restrictions.matches(new Restriction.Property(RELOP_RE, NAME, PropValue.ofString(NAME, "H.*")),
                ROW), HResult.MAPI_E_TOO_COMPLEX);
    }

    // ---- RES_COMPAREPROPS ------------------------------------------------------------------------------------

    @Test
    void compareProps_comparesTwoPropertiesOfTheRow() {
        RowSource row = RowSource.of(List.of(PropValue.ofInt(FLAGS, 3), PropValue.ofInt(OTHER, 7),
                PropValue.ofString(NAME, "7")));
        assertThat(Restrictions.matches(new Restriction.CompareProps(RELOP_LT, FLAGS, OTHER), row)).isTrue();
        assertThat(Restrictions.matches(new Restriction.CompareProps(RELOP_EQ, FLAGS, OTHER), row)).isFalse();
        assertThat(Restrictions.matches(new Restriction.CompareProps(RELOP_NE, FLAGS, OTHER), row)).isTrue();
        assertThat(Restrictions.matches(new Restriction.CompareProps(RELOP_NE, FLAGS, NAME), row)).isFalse();
        assertThat(Restrictions.matches(new Restriction.CompareProps(RELOP_NE, FLAGS, TIME), row)).isFalse();
    }

    // ---- RES_BITMASK / RES_SIZE / RES_EXIST ------------------------------------------------------------------

    @Test
    void bitmask_eqzAndNez() {
        assertThat(Restrictions.matches(new Restriction.Bitmask(Restriction.BMR_NEZ, FLAGS, 0b0100), ROW)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Bitmask(Restriction.BMR_NEZ, FLAGS, 0b1010), ROW)).isFalse();
        assertThat(Restrictions.matches(new Restriction.Bitmask(Restriction.BMR_EQZ, FLAGS, 0b1010), ROW)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Bitmask(Restriction.BMR_EQZ, FLAGS, 0b0001), ROW)).isFalse();
        assertThat(Restrictions.matches(new Restriction.Bitmask(Restriction.BMR_EQZ,
                PropTag.withType(NAME, PropType.PT_LONG), 1), ROW)).isFalse();
    }

    @Test
    void size_isTheValuesSizeInBytes() {
        RowSource row = RowSource.of(List.of(PropValue.ofString(NAME, "abc"),
                PropValue.ofString(PropTag.withType(PropTags.PR_COMMENT, PropType.PT_STRING8), "abc")));
        assertThat(size(row, NAME, 8)).isTrue();
        assertThat(size(row, PropTags.PR_COMMENT, 4)).isTrue();
        assertThat(size(ROW, KEY, 4)).isTrue();
        assertThat(size(ROW, FLAGS, 4)).isTrue();
        assertThat(size(ROW, I8, 8)).isTrue();
        assertThat(size(ROW, TIME, 8)).isTrue();
        assertThat(size(ROW, DBL, 8)).isTrue();
        assertThat(size(ROW, I2, 2)).isTrue();
        assertThat(size(ROW, BOOL, 2)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Size(RELOP_GT, NAME, 7), row)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Size(RELOP_LT, NAME, 8), row)).isFalse();
        assertThat(Restrictions.matches(new Restriction.Size(RELOP_NE, PropTags.PR_SUBJECT, 8), row)).isFalse();
    }

    @Test
    void exist_isPresence_errorsCountAsAbsent() {
        RowSource row = RowSource.of(List.of(PropValue.error(NAME, HResult.MAPI_E_NOT_FOUND)));
        assertThat(Restrictions.matches(new Restriction.Exist(FLAGS), ROW)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Exist(PropTag.withType(FLAGS, PropType.PT_UNSPECIFIED)), ROW))
                .isTrue();
        assertThat(Restrictions.matches(new Restriction.Exist(NAME), row)).isFalse();
    }

    // ---- RES_SUBRESTRICTION / RES_COMMENT / RES_COUNT --------------------------------------------------------

    @Test
    void sub_matchesWhenAnySubobjectRowMatches() {
        RowSource message = new RowSource() {
            @Override
            public PropValue get(int propTag) {
                return null;
            }

            @Override
            public List<RowSource> subObjects(int subObjectTag) {
                if (subObjectTag != PropTags.PR_MESSAGE_RECIPIENTS) {
                    return List.of();
                }
                return List.of(RowSource.of(List.of(PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, 1))),
                        RowSource.of(List.of(PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, 2))));
            }
        };
        Restriction cc = new Restriction.Property(RELOP_EQ, PropTags.PR_RECIPIENT_TYPE,
                PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, 2));
        Restriction bcc = new Restriction.Property(RELOP_EQ, PropTags.PR_RECIPIENT_TYPE,
                PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, 3));
        assertThat(Restrictions.matches(new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS, cc), message)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS, bcc), message)).isFalse();
        assertThat(Restrictions.matches(new Restriction.Sub(PropTags.PR_MESSAGE_ATTACHMENTS, cc), message)).isFalse();
        assertThat(Restrictions.matches(new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS, cc), ROW)).isFalse();
    }

    @Test
    void comment_matchesLikeItsChild_orEverythingWithoutOne() {
        List<PropValue> notes = List.of(PropValue.ofString(PropTags.PR_COMMENT, "why"));
        assertThat(Restrictions.matches(new Restriction.Comment(notes, null), ROW)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Comment(notes, new Restriction.Exist(FLAGS)), ROW)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Comment(notes,
                new Restriction.Exist(PropTags.PR_SUBJECT)), ROW)).isFalse();
    }

    @Test
    void count_onOneRow_theChildDecides_inAScan_onlyTheFirstNPass() {
        Restriction twoWithFlags = new Restriction.Count(2, new Restriction.Exist(FLAGS));
        assertThat(Restrictions.matches(twoWithFlags, ROW)).isTrue();
        assertThat(Restrictions.matches(twoWithFlags, ROW)).isTrue();
        assertThat(Restrictions.matches(new Restriction.Count(0, new Restriction.Exist(NAME_A)), RowSource.of(List.of())))
                .isFalse();

        RowSource noFlags = RowSource.of(List.of());
        Predicate<RowSource> scan = Restrictions.scan(twoWithFlags);
        List<Boolean> passed = new ArrayList<>();
        for (RowSource r : List.of(ROW, noFlags, ROW, ROW, noFlags)) {
            passed.add(scan.test(r));
        }
        assertThat(passed).containsExactly(true, false, true, false, false);
        assertThat(Restrictions.scan(null).test(noFlags)).isTrue();
    }

    // ---- compare / sizeOf ------------------------------------------------------------------------------------

    @Test
    void compare_absentFirst_thenByValue() {
        PropValue missing = PropValue.error(FLAGS, HResult.MAPI_E_NOT_FOUND);
        assertThat(Restrictions.compare(null, PropValue.ofInt(FLAGS, Integer.MIN_VALUE))).isNegative();
        assertThat(Restrictions.compare(missing, PropValue.ofInt(FLAGS, Integer.MIN_VALUE))).isNegative();
        assertThat(Restrictions.compare(null, missing)).isZero();
        assertThat(Restrictions.compare(PropValue.ofInt(FLAGS, -2), PropValue.ofInt(FLAGS, 1))).isNegative();
        assertThat(Restrictions.compare(PropValue.ofString(NAME, "B"), PropValue.ofString(NAME, "a"))).isNegative();
        assertThat(Restrictions.compare(PropValue.ofBinary(KEY, new byte[] {(byte) 0xFF}),
                PropValue.ofBinary(KEY, new byte[] {1, 0}))).isPositive();
        assertThat(Restrictions.compare(PropValue.of(MV_NAMES, List.of("a", "b")),
                PropValue.of(MV_NAMES, List.of("a")))).isPositive();
        assertThat(Restrictions.compare(PropValue.ofTime(TIME, T0), PropValue.ofTime(TIME, T0))).isZero();
    }

    @Test
    void sizeOf_multiValued_isTheSumOfItsValues() {
        assertThat(Restrictions.sizeOf(PropValue.of(MV_NAMES, List.of("ab", "c")))).isEqualTo(6 + 4);
        assertThat(Restrictions.sizeOf(PropValue.of(PropTag.tag(PropType.PT_MV_LONG, 0x6705), List.of(1, 2, 3))))
                .isEqualTo(12);
    }

    // ---- validate --------------------------------------------------------------------------------------------

    @Test
    void validate_acceptsWellFormedTrees() {
        Restriction r = new Restriction.And(List.of(
                new Restriction.Or(List.of(new Restriction.Exist(NAME), new Restriction.Not(new Restriction.Exist(KEY)))),
                new Restriction.Content(Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE, NAME,
                        PropValue.ofString(NAME_A, "x")),
                new Restriction.Content(Restriction.FL_PREFIX, KEY, PropValue.ofBinary(KEY, new byte[] {1})),
                new Restriction.Property(RELOP_GE, FLAGS, PropValue.ofInt(FLAGS, 1)),
                new Restriction.CompareProps(RELOP_NE, FLAGS, OTHER),
                new Restriction.Bitmask(Restriction.BMR_EQZ, FLAGS, 2),
                new Restriction.Size(RELOP_LE, NAME, 10),
                new Restriction.Sub(PropTags.PR_MESSAGE_ATTACHMENTS, new Restriction.Exist(PropTags.PR_ATTACH_NUM)),
                new Restriction.Comment(List.of(), null),
                new Restriction.Count(3, new Restriction.Exist(NAME))));
        Restrictions.validate(r);
    }

    @Test
    void validate_relopRe_tooComplex_evenNested() {
        assertHr(() -> Restrictions.validate(new Restriction.Or(List.of(new Restriction.Exist(NAME),
                new Restriction.Size(RELOP_RE, NAME, 1)))), HResult.MAPI_E_TOO_COMPLEX);
        assertHr(() -> Restrictions.validate(new Restriction.CompareProps(RELOP_RE, NAME, NAME)),
                HResult.MAPI_E_TOO_COMPLEX);
    }

    @Test
    void validate_nullRestrictionOrChild_invalidParameter() {
        assertInvalid(null);
        assertInvalid(new Restriction.Not(null));
        assertInvalid(new Restriction.Count(1, null));
        assertInvalid(new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS, null));
        assertInvalid(new Restriction.Comment(List.of(), new Restriction.Not(null)));
        assertInvalid(new Restriction.Property(RELOP_EQ, FLAGS, null));
        assertInvalid(new Restriction.Content(Restriction.FL_PREFIX, NAME, null));
    }

    @Test
    void validate_relopOutOfRange_invalidParameter() {
        assertInvalid(new Restriction.Property(-1, FLAGS, PropValue.ofInt(FLAGS, 1)));
        assertInvalid(new Restriction.Property(7, FLAGS, PropValue.ofInt(FLAGS, 1)));
        assertInvalid(new Restriction.CompareProps(9, FLAGS, OTHER));
        assertInvalid(new Restriction.Size(-5, NAME, 1));
    }

    @Test
    void validate_contentValueNotStringOrBinary_orOfAnotherType_invalidParameter() {
        assertInvalid(new Restriction.Content(Restriction.FL_FULLSTRING, FLAGS, PropValue.ofInt(FLAGS, 1)));
        assertInvalid(new Restriction.Content(Restriction.FL_FULLSTRING, MV_NAMES,
                PropValue.of(MV_NAMES, List.of("a"))));
        assertInvalid(new Restriction.Content(Restriction.FL_FULLSTRING, NAME,
                PropValue.ofBinary(PropTag.withType(NAME, PropType.PT_BINARY), new byte[] {1})));
        assertInvalid(new Restriction.Content(Restriction.FL_FULLSTRING, KEY, PropValue.ofString(NAME, "x")));
        assertInvalid(new Restriction.Content(Restriction.FL_FULLSTRING, MV_NAMES, PropValue.ofString(NAME, "x")));
        assertInvalid(new Restriction.Content(3, NAME, PropValue.ofString(NAME, "x")));
    }

    @Test
    void validate_propertyValueWithAnotherIdOrType_invalidParameter() {
        assertInvalid(new Restriction.Property(RELOP_EQ, FLAGS, PropValue.ofInt(OTHER, 1)));
        assertInvalid(new Restriction.Property(RELOP_EQ, FLAGS, PropValue.ofLong(PropTag.withType(FLAGS,
                PropType.PT_I8), 1L)));
        assertInvalid(new Restriction.Property(RELOP_EQ, NAME, PropValue.ofBinary(PropTag.withType(NAME,
                PropType.PT_BINARY), new byte[0])));
        Restrictions.validate(new Restriction.Property(RELOP_EQ, NAME, PropValue.ofString(NAME_A, "x")));
    }

    @Test
    void validate_bitmaskOnNonLong_orUnknownOperator_invalidParameter() {
        assertInvalid(new Restriction.Bitmask(Restriction.BMR_NEZ, NAME, 1));
        assertInvalid(new Restriction.Bitmask(Restriction.BMR_NEZ, PropTag.withType(FLAGS, PropType.PT_I8), 1));
        assertInvalid(new Restriction.Bitmask(2, FLAGS, 1));
    }

    @Test
    void validate_subOnOtherThanRecipientsOrAttachments_invalidParameter() {
        assertInvalid(new Restriction.Sub(PropTags.PR_CONTAINER_CONTENTS, new Restriction.Exist(NAME)));
        assertInvalid(new Restriction.Sub(PropTag.withType(PropTags.PR_MESSAGE_RECIPIENTS, PropType.PT_BINARY),
                new Restriction.Exist(NAME)));
        assertInvalid(new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS,
                new Restriction.Bitmask(Restriction.BMR_EQZ, NAME, 1)));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static boolean content(int fuzzy, String pattern) {
        return Restrictions.matches(new Restriction.Content(fuzzy, NAME, PropValue.ofString(NAME, pattern)), ROW);
    }

    private static boolean binaryContent(int fuzzy, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Restrictions.matches(new Restriction.Content(fuzzy, KEY, PropValue.ofBinary(KEY, b)), ROW);
    }

    /** The row's value of the constant's id compared with the constant by LT, LE, GT, GE, EQ, NE. */
    private static List<Boolean> relops(PropValue constant) {
        List<Boolean> out = new ArrayList<>();
        for (int op = RELOP_LT; op <= RELOP_NE; op++) {
            out.add(relop(op, constant));
        }
        return out;
    }

    private static boolean relop(int op, PropValue constant) {
        Restriction r = new Restriction.Property(op, constant.tag(), constant);
        Restrictions.validate(r);
        return Restrictions.matches(r, ROW);
    }

    private static boolean size(RowSource row, int tag, int cb) {
        return Restrictions.matches(new Restriction.Size(RELOP_EQ, tag, cb), row);
    }

    private static void assertInvalid(Restriction r) {
        assertHr(() -> Restrictions.validate(r), HResult.MAPI_E_INVALID_PARAMETER);
    }

    private static void assertHr(ThrowingCallable call, int hresult) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).as(HResult.name(hresult)).isEqualTo(hresult));
    }
}
