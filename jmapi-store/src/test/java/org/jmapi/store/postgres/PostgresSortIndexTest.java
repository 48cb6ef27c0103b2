package org.jmapi.store.postgres;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageRow;
import org.jmapi.store.SaveRequest;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.postgres.PostgresServer.PASSWORD;
import static org.jmapi.store.postgres.PostgresServer.USER;

/**
 * The column indexes other than delivery time's are built on the first sort by their column (migration 4,
 * {@link org.jmapi.store.engine.SortIndexes}): results never depend on them, a database upgraded from version 3 loses
 * the unused ones, and an index a failed concurrent build left invalid is replaced.
 */
@ExtendWith(PostgresServer.class)
class PostgresSortIndexTest {
    private static final String INDEXES = "SELECT c.relname || ':' || i.indisvalid FROM pg_class c"
            + " JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = 'jmapi' AND c.relname LIKE 'message\\_by\\_%' ORDER BY c.relname";

    private static List<String> indexes(PostgresServer pg, String url) throws SQLException {
        try (Connection c = pg.connect(url)) {
            return Sql.list(c, INDEXES, rs -> rs.getString(1));
        }
    }

    private static List<ContentsQuery> queries(long folder) {
        return List.of(
                ContentsQuery.of(folder).withSort(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME)).page(0, 20),
                ContentsQuery.of(folder).withSort(SortOrder.ascending(PropTags.PR_SUBJECT)).page(0, 20),
                ContentsQuery.of(folder).withSort(SortOrder.descending(PropTags.PR_SUBJECT)).page(180, 20),
                ContentsQuery.of(folder).withSort(SortOrder.ascending(PropTags.PR_SUBJECT),
                        SortOrder.descending(PropTags.PR_IMPORTANCE)));
    }

    private static List<List<Long>> run(PostgresStorage s, long folder) {
        List<List<Long>> out = new ArrayList<>();
        for (ContentsQuery q : queries(folder)) {
            out.add(s.query(q).stream().map(MessageRow::id).toList());
        }
        return out;
    }

    @Test
    @Timeout(120)
    @DisplayName("migration 4 keeps delivery time's index; the first sort by subject builds its index, same results")
    void migration4_columnIndexesBuiltOnFirstSort_resultsUnchanged(PostgresServer pg) throws SQLException {
        String url = pg.newDatabase("sortindex");
        PostgresStorage.Options o = PostgresStorage.Options.defaults();
        long inbox;
        List<List<Long>> before;
        try (PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null, o,
                Schema.MIGRATIONS.subList(0, 3))) {
            inbox = s.createFolder(s.identity().rootFolderId(), "Inbox", FolderRecord.FOLDER_GENERIC, null,
                    List.of()).id();
            Random r = new Random(4);
            List<SaveRequest> requests = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                requests.add(SaveRequest.create(inbox, MessageImage.of(List.of(
                        PropValue.ofString(PropTags.PR_SUBJECT, "subject " + (char) ('a' + r.nextInt(26)) + i),
                        PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME,
                                Instant.ofEpochSecond(1_600_000_000L + r.nextInt(1_000_000))),
                        PropValue.ofInt(PropTags.PR_IMPORTANCE, r.nextInt(3))))));
            }
            s.saveMessages(requests);
            before = run(s, inbox);
        }
        assertThat(indexes(pg, url)).hasSize(10);

        try (PostgresStorage s = PostgresStorage.open(url, USER, PASSWORD, "box")) {
            assertThat(s.identity().schemaVersion()).isEqualTo(4);
            assertThat(indexes(pg, url)).containsExactly("message_by_delivery_time:true", "message_by_folder:true");
            s.query(queries(inbox).get(0));
            assertThat(indexes(pg, url)).containsExactly("message_by_delivery_time:true", "message_by_folder:true");
            assertThat(run(s, inbox)).isEqualTo(before);
            assertThat(indexes(pg, url)).containsExactly("message_by_delivery_time:true", "message_by_folder:true",
                    "message_by_subject:true");
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("an index left invalid by a failed concurrent build is replaced by a valid one on the next first sort")
    void invalidIndexLeftByAFailedBuild_isRebuilt(PostgresServer pg) throws SQLException {
        String url = pg.newDatabase("sortinvalid");
        try (PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "box", "Box", null)) {
            long inbox = s.createFolder(s.identity().rootFolderId(), "Inbox", FolderRecord.FOLDER_GENERIC, null,
                    List.of()).id();
            s.saveMessage(SaveRequest.create(inbox, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SENDER_NAME, "Zoe")))));
            s.saveMessage(SaveRequest.create(inbox, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SENDER_NAME, "Adam")))));
            // what an interrupted CREATE INDEX CONCURRENTLY leaves behind: the index, marked invalid
            String database = url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
            try (Connection c = pg.superuser(database)) {
                c.setAutoCommit(true);
                Sql.exec(c, Schema.createIndex(org.jmapi.store.engine.IndexedColumn.SENDER_NAME));
                Sql.exec(c, "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'jmapi.message_by_sender_name'"
                        + "::regclass");
            }
            assertThat(indexes(pg, url)).contains("message_by_sender_name:false");

            List<String> names = s.query(ContentsQuery.of(inbox).withSort(SortOrder.ascending(
                    PropTags.PR_SENDER_NAME))).stream().map(r -> r.get(PropTags.PR_SENDER_NAME).asString()).toList();
            assertThat(names).containsExactly("Adam", "Zoe");
            assertThat(indexes(pg, url)).contains("message_by_sender_name:true");
        }
    }
}
