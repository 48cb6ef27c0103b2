package org.jmapi.store.postgres;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageRow;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.engine.IndexedColumn;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.postgres.PostgresServer.PASSWORD;
import static org.jmapi.store.postgres.PostgresServer.USER;

/**
 * Sorting a 100,000-message folder by delivery time and reading 50 rows is an index walk on PostgreSQL too: the
 * plan PostgreSQL chooses for the engine's statement is a {@code Limit} over an index scan of
 * {@code message_by_delivery_time} (backward for the descending sort), with no sort node and no sequential scan,
 * and the rows are the right ones. Another store in the same database holds mail too, so the walk must stay inside
 * its store. No timing is asserted: the plan is.
 */
@ExtendWith(PostgresServer.class)
class PostgresIndexWalkTest {
    private static final int N = 100_000;

    private static String plan(PostgresStorage s, ContentsQuery q) {
        return String.join("\n", s.explainQuery(q));
    }

    /** Asserts the plan reads a page by walking an index: no sort of the whole folder, no sequential scan. */
    private static void assertIndexWalk(String plan, String index) {
        assertThat(plan).as(plan).startsWith("Limit").contains(" using " + index + " on message")
                .doesNotContain("Seq Scan").doesNotContain("Bitmap").doesNotContainPattern("(?m)^\\s*(->\\s+)?Sort ");
    }

    @Test
    @DisplayName("R-TBL-4: a 100,000-message folder sorted by delivery time, first 50 rows: an index walk")
    void contentsQuery_onLargeFolder_isAnIndexWalk(PostgresServer pg) throws SQLException {
        String url = pg.newDatabase("indexwalk");
        try (PostgresStorage neighbour = PostgresStorage.create(url, USER, PASSWORD, "neighbour", "n", null);
             PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "big", "big", null)) {
            long root = s.identity().rootFolderId();
            long inbox = s.createFolder(root, "Inbox", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
            long other = s.createFolder(root, "Other", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
            long theirs = neighbour.createFolder(neighbour.identity().rootFolderId(), "Inbox",
                    FolderRecord.FOLDER_GENERIC, null, List.of()).id();
            Random r = new Random(5);
            long[] seconds = new long[N];
            List<Long> ids = new ArrayList<>(N);
            for (int batch = 0; batch < N / 10_000; batch++) {
                List<SaveRequest> requests = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    int n = batch * 10_000 + i;
                    seconds[n] = 1_600_000_000L + r.nextInt(50_000_000);
                    requests.add(SaveRequest.create(inbox, MessageImage.of(List.of(
                            PropValue.ofString(PropTags.PR_SUBJECT, "message " + n),
                            PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, Instant.ofEpochSecond(seconds[n])),
                            PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, n % 3 == 0 ? 1 : 0)))));
                }
                s.saveMessages(requests).forEach(i -> ids.add(i.id()));
                // newer mail elsewhere, in this store and in the neighbour's, must not leak into the page
                Instant newer = Instant.ofEpochSecond(2_000_000_000L + batch);
                s.saveMessage(SaveRequest.create(other, MessageImage.of(List.of(
                        PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, newer)))));
                neighbour.saveMessage(SaveRequest.create(theirs, MessageImage.of(List.of(
                        PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, newer)))));
            }
            assertThat(s.loadFolder(inbox).contentCount()).isEqualTo(N);

            ContentsQuery newest = ContentsQuery.of(inbox)
                    .withSort(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME)).page(0, 50);
            String walk = plan(s, newest);
            assertIndexWalk(walk, IndexedColumn.DELIVERY_TIME.indexName());
            assertThat(walk).contains("Index Scan Backward");

            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                order.add(i);
            }
            order.sort((a, b) -> seconds[a] != seconds[b] ? Long.compare(seconds[b], seconds[a])
                    : Long.compare(ids.get(b), ids.get(a)));
            assertThat(s.query(newest)).extracting(MessageRow::id)
                    .containsExactlyElementsOf(order.subList(0, 50).stream().map(ids::get).toList());
            assertThat(s.query(newest.page(50_000, 50))).extracting(MessageRow::id)
                    .containsExactlyElementsOf(order.subList(50_000, 50_050).stream().map(ids::get).toList());
            List<Long> oldest = s.query(newest.withSort(SortOrder.ascending(PropTags.PR_MESSAGE_DELIVERY_TIME)))
                    .stream().map(MessageRow::id).toList();
            List<Long> expectedOldest = new ArrayList<>(order.subList(N - 50, N).stream().map(ids::get).toList());
            Collections.reverse(expectedOldest);
            assertThat(oldest).containsExactlyElementsOf(expectedOldest);

            // ascending, a restriction on the indexed column, and the (empty) associated table walk the index too
            assertIndexWalk(plan(s, newest.withSort(SortOrder.ascending(PropTags.PR_MESSAGE_DELIVERY_TIME))),
                    IndexedColumn.DELIVERY_TIME.indexName());
            assertIndexWalk(plan(s, newest.withRestriction(new Restriction.Property(Restriction.RELOP_LT,
                    PropTags.PR_MESSAGE_DELIVERY_TIME, PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME,
                            Instant.ofEpochSecond(1_610_000_000L))))), IndexedColumn.DELIVERY_TIME.indexName());
            assertIndexWalk(plan(s, newest.withAssociated(true)), IndexedColumn.DELIVERY_TIME.indexName());
            // id order: the folder index or the primary key (store_id, id), whichever the statistics favour
            String byId = plan(s, ContentsQuery.of(inbox).page(0, 50));
            assertThat(byId).as(byId).startsWith("Limit").containsPattern("Index Scan using (message_by_folder|"
                    + "message_pkey) on message").doesNotContain("Seq Scan")
                    .doesNotContainPattern("(?m)^\\s*(->\\s+)?Sort ");

            // once statistics are current (autovacuum's ANALYZE, run here at once), the same plans hold, and a
            // string column, whose index holds a prefix, is an index walk plus an incremental sort of equal prefixes
            try (Connection c = pg.connect(url); Statement st = c.createStatement()) {
                st.execute("ANALYZE jmapi.message");
            }
            assertIndexWalk(plan(s, newest), IndexedColumn.DELIVERY_TIME.indexName());
            assertIndexWalk(plan(s, newest.withRestriction(new Restriction.Property(Restriction.RELOP_GE,
                    PropTags.PR_MESSAGE_DELIVERY_TIME, PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME,
                            Instant.ofEpochSecond(1_610_000_000L))))), IndexedColumn.DELIVERY_TIME.indexName());
            String bySubject = plan(s, ContentsQuery.of(inbox).withSort(SortOrder.ascending(PropTags.PR_SUBJECT))
                    .page(0, 50));
            assertThat(bySubject).as(bySubject).contains("Incremental Sort")
                    .contains(" using " + IndexedColumn.SUBJECT.indexName() + " on message")
                    .doesNotContain("Seq Scan");
            assertThat(s.query(ContentsQuery.of(inbox).withSort(SortOrder.descending(PropTags.PR_SUBJECT))
                    .page(0, 3))).extracting(r2 -> r2.get(PropTags.PR_SUBJECT).asString())
                    .containsExactly("message 99999", "message 99998", "message 99997");
            assertThat(s.count(inbox, false, new Restriction.Bitmask(Restriction.BMR_NEZ, PropTags.PR_MESSAGE_FLAGS,
                    1))).isEqualTo(33_334);
        }
    }
}
