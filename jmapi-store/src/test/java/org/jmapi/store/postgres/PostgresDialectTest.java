package org.jmapi.store.postgres;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.engine.IndexedColumn;
import org.jmapi.store.engine.RestrictionSql;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL's pieces of the contents-table SQL, and the schema's indexes that must match them. No server. */
class PostgresDialectTest {
    @Test
    void orderBy_placesNullsAsJmapiDoes_andSortsStringsByTheirIndexedPrefix() {
        RestrictionSql.Dialect pg = PostgresDialect.INSTANCE;
        assertThat(RestrictionSql.orderBy(List.of(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME)), pg))
                .contains("delivery_time DESC NULLS LAST, id DESC");
        assertThat(RestrictionSql.orderBy(List.of(SortOrder.descending(PropTags.PR_IMPORTANCE),
                SortOrder.ascending(PropTags.PR_SUBJECT)), pg)).contains("importance DESC NULLS LAST, "
                + "left(subject, 200) NULLS FIRST, subject NULLS FIRST, id");
        assertThat(RestrictionSql.orderBy(List.of(), pg)).contains("id");
        assertThat(RestrictionSql.orderBy(List.of(SortOrder.ascending(PropTags.PR_BODY)), pg)).isEmpty();
        // SQLite's keys are what they were
        assertThat(RestrictionSql.orderBy(List.of(SortOrder.descending(PropTags.PR_IMPORTANCE),
                SortOrder.ascending(PropTags.PR_SUBJECT)))).contains("importance DESC, subject, id");
    }

    @Test
    void substring_usesStrpos() {
        Restriction r = new Restriction.Content(Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE,
                PropTags.PR_SUBJECT, PropValue.ofString(PropTags.PR_SUBJECT, "Report"));
        RestrictionSql.Fragment f = RestrictionSql.translate(r, PostgresDialect.INSTANCE).orElseThrow();
        assertThat(f.sql()).isEqualTo("(subject_fold IS NOT NULL AND strpos(subject_fold, ?) > 0)");
        assertThat(f.params()).containsExactly("report");
    }

    @Test
    void everyIndexedColumn_hasAnIndexOnTheExpressionItsOrderByUses() {
        List<String> ddl = Schema.MIGRATIONS.get(0).statements();
        for (IndexedColumn c : IndexedColumn.values()) {
            String key = PostgresDialect.INSTANCE.orderKey(c, false);
            String expression = PostgresDialect.indexExpression(c);
            assertThat(key).startsWith(expression + " NULLS FIRST");
            assertThat(ddl).contains("CREATE INDEX " + c.indexName() + " ON jmapi.message (store_id, folder_id, "
                    + "associated, " + expression + " NULLS FIRST, id)");
            // the index the first sort builds (migration 4 dropped all but the eager ones) is the same
            assertThat(Schema.createIndex(c)).isEqualTo("CREATE INDEX CONCURRENTLY IF NOT EXISTS " + c.indexName()
                    + " ON jmapi.message (store_id, folder_id, associated, " + expression + " NULLS FIRST, id)");
            assertThat(Schema.MIGRATIONS.get(3).statements().contains("DROP INDEX IF EXISTS jmapi." + c.indexName()))
                    .isEqualTo(!c.eager());
        }
    }
}
