package org.jmapi.store.engine;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.RandomContents;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestrictionSqlTest {
    @Test
    void translate_indexedLeavesInSqlAndTheRestInJava() {
        Restriction subject = new Restriction.Content(Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE,
                PropTags.PR_SUBJECT, PropValue.ofString(PropTags.PR_SUBJECT, "Report"));
        RestrictionSql.Fragment f = RestrictionSql.translate(subject, RestrictionSql.SQLITE).orElseThrow();
        assertThat(f.sql()).isEqualTo("(subject_fold IS NOT NULL AND instr(subject_fold, ?) > 0)");
        assertThat(f.params()).containsExactly("report");

        Restriction body = new Restriction.Content(Restriction.FL_SUBSTRING, PropTags.PR_BODY,
                PropValue.ofString(PropTags.PR_BODY, "x"));
        assertThat(RestrictionSql.translate(body, RestrictionSql.SQLITE)).isEmpty();
        RestrictionSql.Split split = RestrictionSql.split(new Restriction.And(List.of(subject, body)),
                RestrictionSql.SQLITE);
        assertThat(split.sql().sql()).contains("subject_fold");
        assertThat(split.residual()).isEqualTo(body);

        Restriction counted = new Restriction.And(List.of(subject, new Restriction.Count(2, subject)));
        assertThat(RestrictionSql.split(counted, RestrictionSql.SQLITE)).isEqualTo(
                new RestrictionSql.Split(null, counted));

        Restriction wrongType = new Restriction.Property(Restriction.RELOP_NE,
                PropTag.withType(PropTags.PR_MESSAGE_FLAGS, PropType.PT_I8),
                PropValue.ofLong(PropTag.withType(PropTags.PR_MESSAGE_FLAGS, PropType.PT_I8), 1));
        assertThat(RestrictionSql.translate(wrongType, RestrictionSql.SQLITE).orElseThrow().sql())
                .isEqualTo("(1=0)");
        assertThat(RestrictionSql.translate(new Restriction.Not(wrongType), RestrictionSql.SQLITE).orElseThrow()
                .sql()).isEqualTo("(NOT (1=0))");
    }

    @Test
    void orderBy_tieBreakFollowsTheLastKey() {
        assertThat(RestrictionSql.orderBy(List.of())).contains("id");
        assertThat(RestrictionSql.orderBy(List.of(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME))))
                .contains("delivery_time DESC, id DESC");
        assertThat(RestrictionSql.orderBy(List.of(SortOrder.descending(PropTags.PR_IMPORTANCE),
                SortOrder.ascending(PropTags.PR_SUBJECT)))).contains("importance DESC, subject, id");
        assertThat(RestrictionSql.orderBy(List.of(SortOrder.ascending(PropTags.PR_BODY)))).isEmpty();
        assertThatThrownBy(() -> RestrictionSql.orderBy(List.of(new SortOrder(PropTag.withType(PropTags.PR_SUBJECT,
                PropType.PT_MV_UNICODE | PropType.MV_INSTANCE), 0)))).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_TOO_COMPLEX));
    }

    @Test
    void randomRestrictions_aGoodShareRunsInSql() {
        RandomContents gen = new RandomContents(20240601L);
        int full = 0;
        int partial = 0;
        int none = 0;
        for (int i = 0; i < 600; i++) {
            RestrictionSql.Split s = RestrictionSql.split(gen.restriction(), RestrictionSql.SQLITE);
            if (s.residual() == null) {
                full++;
            } else if (s.sql() != null) {
                partial++;
            } else {
                none++;
            }
        }
        assertThat(full).as("fully in SQL").isGreaterThan(150);
        assertThat(partial).as("split between SQL and Java").isGreaterThan(10);
        assertThat(none).as("all in Java").isGreaterThan(50);
    }
}
