package org.jmapi.runtime.profile;

import org.jmapi.MapiUid;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restriction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A value of every storable property type, single and multi-valued, edge cases included. */
final class AllTypes {
    private AllTypes() {}

    private static int tag(int type, int id) {
        return PropTag.tag(type, id);
    }

    static List<PropValue> values() {
        MapiUid uid = MapiUid.parse("00112233445566778899aabbccddeeff");
        Restriction restriction = new Restriction.And(List.of(
                new Restriction.Or(List.of(
                        new Restriction.Property(Restriction.RELOP_GE, PropTags.PR_IMPORTANCE,
                                PropValue.ofInt(PropTags.PR_IMPORTANCE, 1)),
                        new Restriction.Content(Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE,
                                PropTags.PR_SUBJECT, PropValue.ofString(PropTags.PR_SUBJECT, "hello")))),
                new Restriction.Not(new Restriction.Exist(PropTags.PR_BODY)),
                new Restriction.CompareProps(Restriction.RELOP_EQ, PropTags.PR_SUBJECT, PropTags.PR_NORMALIZED_SUBJECT),
                new Restriction.Bitmask(Restriction.BMR_NEZ, PropTags.PR_MESSAGE_FLAGS, 0x80000001),
                new Restriction.Size(Restriction.RELOP_LT, PropTags.PR_BODY, 1024),
                new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS,
                        new Restriction.Exist(PropTags.PR_EMAIL_ADDRESS)),
                new Restriction.Comment(List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "note")), null),
                new Restriction.Comment(List.of(PropValue.ofInt(PropTags.PR_IMPORTANCE, 2)),
                        new Restriction.Exist(PropTags.PR_SUBJECT)),
                new Restriction.Count(3, new Restriction.Property(Restriction.RELOP_EQ, PropTags.PR_CLIENT_SUBMIT_TIME,
                        PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, Instant.parse("2020-01-02T03:04:05Z"))))));
        List<PropValue> v = new ArrayList<>();
        int id = 0x6900;
        v.add(PropValue.of(tag(PropType.PT_NULL, id++), null));
        v.add(PropValue.of(tag(PropType.PT_I2, id++), (short) -32768));
        v.add(PropValue.of(tag(PropType.PT_I2, id++), (short) 32767));
        v.add(PropValue.of(tag(PropType.PT_LONG, id++), Integer.MIN_VALUE));
        v.add(PropValue.of(tag(PropType.PT_LONG, id++), 0xDEADBEEF));
        v.add(PropValue.of(tag(PropType.PT_R4, id++), 0.1f));
        v.add(PropValue.of(tag(PropType.PT_R4, id++), Float.MIN_VALUE));
        v.add(PropValue.of(tag(PropType.PT_R4, id++), Float.MAX_VALUE));
        v.add(PropValue.of(tag(PropType.PT_R4, id++), Float.NaN));
        v.add(PropValue.of(tag(PropType.PT_R4, id++), Float.NEGATIVE_INFINITY));
        v.add(PropValue.of(tag(PropType.PT_R4, id++), -0.0f));
        v.add(PropValue.of(tag(PropType.PT_R4, id++), 16777217f));
        v.add(PropValue.of(tag(PropType.PT_DOUBLE, id++), 0.1 + 0.2));
        v.add(PropValue.of(tag(PropType.PT_DOUBLE, id++), Double.MIN_VALUE));
        v.add(PropValue.of(tag(PropType.PT_DOUBLE, id++), Double.POSITIVE_INFINITY));
        v.add(PropValue.of(tag(PropType.PT_DOUBLE, id++), -0.0));
        v.add(PropValue.of(tag(PropType.PT_DOUBLE, id++), 1e300));
        v.add(PropValue.of(tag(PropType.PT_CURRENCY, id++), Long.MIN_VALUE));
        v.add(PropValue.of(tag(PropType.PT_APPTIME, id++), 45000.75));
        v.add(PropValue.of(tag(PropType.PT_ERROR, id++), 0x8004010F));
        v.add(PropValue.of(tag(PropType.PT_BOOLEAN, id++), true));
        v.add(PropValue.of(tag(PropType.PT_BOOLEAN, id++), false));
        v.add(PropValue.of(tag(PropType.PT_I8, id++), Long.MAX_VALUE));
        v.add(PropValue.of(tag(PropType.PT_STRING8, id++), "plain ascii"));
        v.add(PropValue.of(tag(PropType.PT_UNICODE, id++), "Ünïcødé \"quoted\" \\ \n\t \u0000 \uD83D\uDCE7 名前"));
        v.add(PropValue.of(tag(PropType.PT_UNICODE, id++), ""));
        v.add(PropValue.of(tag(PropType.PT_SYSTIME, id++), Instant.parse("1601-01-01T00:00:00Z")));
        v.add(PropValue.of(tag(PropType.PT_SYSTIME, id++), Instant.parse("2024-02-29T23:59:59.123456789Z")));
        v.add(PropValue.of(tag(PropType.PT_CLSID, id++), uid));
        v.add(PropValue.of(tag(PropType.PT_SVREID, id++), new byte[] {0, 1, 2, (byte) 0xFF}));
        v.add(PropValue.of(tag(PropType.PT_SRESTRICT, id++), restriction));
        v.add(PropValue.of(tag(PropType.PT_BINARY, id++), new byte[0]));
        v.add(PropValue.of(tag(PropType.PT_BINARY, id++), new byte[] {(byte) 0x80, 0x7F, 0, (byte) 0xFE, 0x3E, 0x3F}));
        v.add(PropValue.of(tag(PropType.PT_MV_I2, id++), List.of((short) 1, (short) -2)));
        v.add(PropValue.of(tag(PropType.PT_MV_LONG, id++), List.of(1, 2, 3)));
        v.add(PropValue.of(tag(PropType.PT_MV_R4, id++), List.of(1.5f, Float.NaN, -0.0f)));
        v.add(PropValue.of(tag(PropType.PT_MV_DOUBLE, id++), List.of(2.5, Double.NEGATIVE_INFINITY)));
        v.add(PropValue.of(tag(PropType.PT_MV_CURRENCY, id++), List.of(10000L, -1L)));
        v.add(PropValue.of(tag(PropType.PT_MV_APPTIME, id++), List.of(1.25, 2.0)));
        v.add(PropValue.of(tag(PropType.PT_MV_I8, id++), List.of(Long.MIN_VALUE, 0L, Long.MAX_VALUE)));
        v.add(PropValue.of(tag(PropType.PT_MV_STRING8, id++), List.of("a", "")));
        v.add(PropValue.of(tag(PropType.PT_MV_UNICODE, id++), List.of("x", "ÿ", "\uD83D\uDCE7")));
        v.add(PropValue.of(tag(PropType.PT_MV_SYSTIME, id++), List.of(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00.5Z"))));
        v.add(PropValue.of(tag(PropType.PT_MV_CLSID, id++), List.of(uid, MapiUid.random())));
        v.add(PropValue.of(tag(PropType.PT_MV_BINARY, id++), List.of(new byte[] {1}, new byte[0], new byte[] {9, 9})));
        return v;
    }
}
