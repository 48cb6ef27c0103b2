package org.jmapi.store.provider;

import org.jmapi.Flags;
import org.jmapi.client.MapiFolder;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.MessageImage;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.engine.IndexedColumn;
import org.jmapi.store.sqlite.SqliteStorage;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Restriction;
import org.jmapi.table.Row;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * Issue 3, build item 5: sorting a 100,000-message folder by delivery time through the MAPI contents table and
 * reading the first 50 rows returns the right rows, and the SQL the table issues for it is an index walk (the
 * folder / delivery-time index, no temporary B-tree for the sort). No timing is asserted: the query plan is.
 */
class IndexWalkTest {
    private static final int N = 100_000;
    private static final Instant BASE = Instant.parse("2023-01-01T00:00:00Z");

    @Test
    void R_TBL_4_sortByDeliveryTimeDescending_first50Right_andTheTablesQueryIsAnIndexWalk(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder subtree = folder(d.store(), PropTags.PR_IPM_SUBTREE_ENTRYID);
             MapiFolder big = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "Big", null, 0);
             MapiFolder other = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "Other", null, 0)) {
            SqliteMsgStore store = (SqliteMsgStore) d.store();
            SqliteStorage storage = (SqliteStorage) store.storage();
            long bigId = store.ids().parse(entryId(big, PropTags.PR_ENTRYID), StoreIds.KIND_FOLDER);
            long otherId = store.ids().parse(entryId(other, PropTags.PR_ENTRYID), StoreIds.KIND_FOLDER);

            // Delivery times from a small range, so that equal times (ordered by id, descending) occur at the top.
            Random rnd = new Random(20240607);
            long[] seconds = new long[N];
            for (int batch = 0; batch < N / 10_000; batch++) {
                List<SaveRequest> requests = new ArrayList<>(10_000);
                for (int i = batch * 10_000; i < (batch + 1) * 10_000; i++) {
                    seconds[i] = rnd.nextInt(40_000);
                    requests.add(SaveRequest.create(bigId, MessageImage.of(List.of(
                            PropValue.ofString(PropTags.PR_SUBJECT, "m" + i),
                            PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, BASE.plusSeconds(seconds[i]))))));
                }
                storage.saveMessages(requests);
                // newer mail in another folder must not leak into the view
                storage.saveMessages(List.of(SaveRequest.create(otherId, MessageImage.of(List.of(
                        PropValue.ofString(PropTags.PR_SUBJECT, "other " + batch),
                        PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, BASE.plusSeconds(1_000_000 + batch)))))));
            }
            // ids grow with the save order, so "id descending" among equal times is "i descending"
            List<Integer> order = new ArrayList<>(N);
            for (int i = 0; i < N; i++) {
                order.add(i);
            }
            order.sort(Comparator.<Integer>comparingLong(i -> seconds[i]).thenComparingInt(i -> i).reversed());
            assertThat(seconds[order.get(0)]).isEqualTo(seconds[order.get(1)]).as("the data has ties at the top");

            try (MapiTable mapiTable = big.getContentsTable(0)) {
                ContentsTable table = (ContentsTable) mapiTable;
                assertThat(table.getRowCount(0)).isEqualTo(N);
                table.sortTable(List.of(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME)), 0);
                table.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_MESSAGE_DELIVERY_TIME}, 0);

                List<Row> first = table.queryRows(50, 0);
                assertThat(first).extracting(r -> r.get(PropTags.PR_SUBJECT).asString())
                        .containsExactlyElementsOf(order.subList(0, 50).stream().map(i -> "m" + i).toList());
                assertThat(first).extracting(r -> r.get(PropTags.PR_MESSAGE_DELIVERY_TIME).asTime())
                        .containsExactlyElementsOf(order.subList(0, 50).stream()
                                .map(i -> BASE.plusSeconds(seconds[i])).toList());

                ContentsQuery q = table.pageQuery(0, 50);
                assertThat(q.folderId()).isEqualTo(bigId);
                assertThat(q.sortOrder()).containsExactly(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME));
                assertIndexWalk(storage, q, IndexedColumn.DELIVERY_TIME.indexName());

                // the next page and a page deep inside are right too
                assertThat(names(table.queryRows(50, 0)))
                        .containsExactlyElementsOf(order.subList(50, 100).stream().map(i -> "m" + i).toList());
                table.seekRow(Flags.BOOKMARK_BEGINNING, 60_000);
                assertThat(names(table.queryRows(50, 0)))
                        .containsExactlyElementsOf(order.subList(60_000, 60_050).stream().map(i -> "m" + i).toList());
                assertIndexWalk(storage, table.pageQuery(60_000, 50), IndexedColumn.DELIVERY_TIME.indexName());

                // a restriction on an indexed column keeps the walk
                Instant cut = BASE.plusSeconds(20_000);
                table.restrict(new Restriction.Property(Restriction.RELOP_LT, PropTags.PR_MESSAGE_DELIVERY_TIME,
                        PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, cut)), 0);
                List<Integer> restricted = order.stream().filter(i -> seconds[i] < 20_000).toList();
                assertThat(table.getRowCount(0)).isEqualTo(restricted.size());
                assertThat(names(table.queryRows(50, 0)))
                        .containsExactlyElementsOf(restricted.subList(0, 50).stream().map(i -> "m" + i).toList());
                assertIndexWalk(storage, table.pageQuery(0, 50), "message_by_");
            }
        }
    }

    private static void assertIndexWalk(SqliteStorage storage, ContentsQuery q, String index) {
        String plan = String.join("\n", storage.explainQuery(q));
        assertThat(plan).as("plan of %s", q).contains(index).containsPattern("USING (COVERING )?INDEX message_by_")
                .doesNotContain("USE TEMP B-TREE").doesNotContain("SCAN message\n").doesNotMatch("(?s).*SCAN message$");
    }

    private static List<String> names(List<Row> rows) {
        return rows.stream().map(r -> r.get(PropTags.PR_SUBJECT).asString()).toList();
    }
}
