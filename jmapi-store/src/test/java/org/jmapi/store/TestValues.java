package org.jmapi.store;

import org.jmapi.MapiUid;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restriction;

import java.time.Instant;
import java.util.List;

/** Property values shared by the storage tests. */
public final class TestValues {
    private TestValues() {}

    /** One value of every storable property type, single and multi-valued, on named-property ids. */
    public static List<PropValue> everyType() {
        int id = 0x8100;
        Restriction res = new Restriction.And(List.of(
                new Restriction.Or(List.of(new Restriction.Exist(PropTags.PR_SUBJECT),
                        new Restriction.Not(new Restriction.Bitmask(Restriction.BMR_NEZ, PropTags.PR_MESSAGE_FLAGS, 1)))),
                new Restriction.Content(Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE, PropTags.PR_SUBJECT,
                        PropValue.ofString(PropTags.PR_SUBJECT, "hello")),
                new Restriction.Property(Restriction.RELOP_GE, PropTags.PR_MESSAGE_DELIVERY_TIME,
                        PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, Instant.ofEpochSecond(5, 6))),
                new Restriction.CompareProps(Restriction.RELOP_LT, PropTags.PR_SUBJECT, PropTags.PR_BODY),
                new Restriction.Size(Restriction.RELOP_GT, PropTags.PR_BODY, 10),
                new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS, new Restriction.Exist(PropTags.PR_DISPLAY_NAME)),
                new Restriction.Comment(List.of(PropValue.ofInt(PropTags.PR_IMPORTANCE, 2)), null),
                new Restriction.Count(3, new Restriction.Exist(PropTags.PR_BODY))));
        return List.of(
                PropValue.of(PropTag.tag(PropType.PT_I2, id++), (short) -5),
                PropValue.of(PropTag.tag(PropType.PT_LONG, id++), Integer.MIN_VALUE),
                PropValue.of(PropTag.tag(PropType.PT_R4, id++), Float.NaN),
                PropValue.of(PropTag.tag(PropType.PT_DOUBLE, id++), -0.0d),
                PropValue.of(PropTag.tag(PropType.PT_CURRENCY, id++), Long.MAX_VALUE),
                PropValue.of(PropTag.tag(PropType.PT_APPTIME, id++), 45000.25d),
                PropValue.of(PropTag.tag(PropType.PT_BOOLEAN, id++), true),
                PropValue.of(PropTag.tag(PropType.PT_I8, id++), Long.MIN_VALUE),
                PropValue.of(PropTag.tag(PropType.PT_STRING8, id++), "plain é text"),
                PropValue.of(PropTag.tag(PropType.PT_UNICODE, id++), "ünï \uD83D\uDE00 lone \uD800 \u0000 end"),
                PropValue.of(PropTag.tag(PropType.PT_SYSTIME, id++), Instant.ofEpochSecond(-11644473600L, 123456789)),
                PropValue.of(PropTag.tag(PropType.PT_CLSID, id++), MapiUid.parse("00112233445566778899aabbccddeeff")),
                PropValue.of(PropTag.tag(PropType.PT_SVREID, id++), new byte[] {1, 0, 2}),
                PropValue.of(PropTag.tag(PropType.PT_SRESTRICT, id++), res),
                PropValue.of(PropTag.tag(PropType.PT_ACTIONS, id++), new byte[] {9, 8, 7}),
                PropValue.of(PropTag.tag(PropType.PT_BINARY, id++), new byte[] {0, (byte) 0xFF, 0}),
                PropValue.of(PropTag.tag(PropType.PT_MV_I2, id++), List.of((short) 1, (short) -1)),
                PropValue.of(PropTag.tag(PropType.PT_MV_LONG, id++), List.of(1, 2, 3)),
                PropValue.of(PropTag.tag(PropType.PT_MV_R4, id++), List.of(1.5f, -2.5f)),
                PropValue.of(PropTag.tag(PropType.PT_MV_DOUBLE, id++), List.of(1e300, Double.MIN_VALUE)),
                PropValue.of(PropTag.tag(PropType.PT_MV_CURRENCY, id++), List.of(10L, -10L)),
                PropValue.of(PropTag.tag(PropType.PT_MV_APPTIME, id++), List.of(1.0d)),
                PropValue.of(PropTag.tag(PropType.PT_MV_I8, id++), List.of(Long.MAX_VALUE, 0L)),
                PropValue.of(PropTag.tag(PropType.PT_MV_STRING8, id++), List.of("a", "", "c")),
                PropValue.of(PropTag.tag(PropType.PT_MV_UNICODE, id++), List.of("\uFF21", "β")),
                PropValue.of(PropTag.tag(PropType.PT_MV_SYSTIME, id++), List.of(Instant.EPOCH,
                        Instant.parse("2030-05-06T07:08:09.000000001Z"))),
                PropValue.of(PropTag.tag(PropType.PT_MV_CLSID, id++), List.of(MapiUid.random(), MapiUid.random())),
                PropValue.of(PropTag.tag(PropType.PT_MV_BINARY, id), List.of(new byte[0], new byte[] {5})),
                PropValue.ofString(PropTags.PR_SUBJECT, "every type"),
                PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, Instant.parse("2024-02-29T12:00:00.5Z")));
    }

}
