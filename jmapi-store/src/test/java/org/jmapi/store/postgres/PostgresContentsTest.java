package org.jmapi.store.postgres;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageRow;
import org.jmapi.store.SaveRequest;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.store.postgres.PostgresServer.PASSWORD;
import static org.jmapi.store.postgres.PostgresServer.USER;

/**
 * The contents-table page that SQL answers whole (a sort over an indexed column, no restriction) is read with one
 * statement in autocommit when that statement is the whole answer, and again in a read transaction when it is not
 * (an empty page: is there such a folder?; a row with a spooler lock: is its owner alive?). These tests pin what
 * each path must still return: the rows' out-of-line value descriptors, the lock state, MAPI_E_NOT_FOUND.
 */
@ExtendWith(PostgresServer.class)
class PostgresContentsTest {
    private final PostgresServer pg;

    PostgresContentsTest(PostgresServer pg) {
        this.pg = pg;
    }

    private PostgresStorage create(String name) {
        return PostgresStorage.create(pg.newDatabase(name), USER, PASSWORD, name, "Mailbox " + name, null);
    }

    private static long folder(PostgresStorage s, String name) {
        return s.createFolder(s.identity().rootFolderId(), name, FolderRecord.FOLDER_GENERIC, null, List.of()).id();
    }

    private static ContentsQuery newest(long folder) {
        return ContentsQuery.of(folder).withSort(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME));
    }

    private static MessageImage message(String subject, long delivered, String body) {
        return MessageImage.builder()
                .set(PropValue.ofString(PropTags.PR_SUBJECT, subject))
                .set(PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, Instant.ofEpochSecond(delivered)))
                .set(PropValue.ofString(PropTags.PR_BODY, body))
                .build();
    }

    @Test
    @DisplayName("a sorted page carries each row's out-of-line values, the same descriptors as loadMessage's")
    void sortedPage_carriesOutOfLineValues() {
        try (PostgresStorage s = create("page_large")) {
            long f = folder(s, "f");
            long small = s.saveMessage(SaveRequest.create(f, message("small", 3, "short"))).id();
            long big = s.saveMessage(SaveRequest.create(f, message("big", 2, "x".repeat(10_000)))).id();
            long older = s.saveMessage(SaveRequest.create(f, message("older", 1, "y".repeat(5_000)))).id();

            List<MessageRow> rows = s.query(newest(f));
            assertThat(rows).extracting(MessageRow::id).containsExactly(small, big, older);
            assertThat(rows.get(0).largeValues()).isEmpty();
            for (MessageRow r : rows.subList(1, 3)) {
                LargeValue body = s.loadMessage(r.id()).image().findLarge(PropTags.PR_BODY).orElseThrow();
                assertThat(r.largeValues()).containsExactly(body);
                assertThat(r.get(PropTags.PR_BODY)).isNull();
            }
            assertThat(s.query(newest(f).page(1, 1))).singleElement()
                    .satisfies(r -> assertThat(r.largeValues()).hasSize(1));
        }
    }

    @Test
    @DisplayName("an empty page of a folder is empty; of a folder that does not exist, MAPI_E_NOT_FOUND")
    void emptyPage_checksTheFolder() {
        try (PostgresStorage s = create("page_empty")) {
            long f = folder(s, "f");
            assertThat(s.query(newest(f))).isEmpty();
            s.saveMessage(SaveRequest.create(f, message("one", 1, "b")));
            assertThat(s.query(newest(f).page(1, 10))).isEmpty();
            assertThat(s.query(newest(f).page(0, 0))).isEmpty();
            assertThatThrownBy(() -> s.query(newest(987_654_321L)))
                    .isInstanceOfSatisfying(MapiException.class,
                            e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_NOT_FOUND));
        }
    }

    @Test
    @DisplayName("R-OQ-2: a row locked by a live spooler shows as locked in a sorted page; by a dead one, or after, not")
    void sortedPage_showsSpoolerLocks() throws SQLException {
        try (PostgresStorage s = create("page_lock")) {
            long outbox = folder(s, "Outbox");
            long a = s.saveMessage(SaveRequest.create(outbox, message("a", 2, "b"))).id();
            long b = s.saveMessage(SaveRequest.create(outbox, message("b", 1, "b"))).id();
            s.submitMessage(a, Instant.ofEpochSecond(1), 0);
            s.submitMessage(b, Instant.ofEpochSecond(2), 0);
            try (PostgresStorage spooler = PostgresStorage.open(s.jdbcUrl(), USER, PASSWORD, s.storeName())) {
                spooler.lockMessage(a);
                List<MessageRow> rows = s.query(newest(outbox));
                assertThat(rows).extracting(MessageRow::id).containsExactly(a, b);
                assertThat(rows.get(0).info().queue().locked()).isTrue();
                assertThat(rows.get(0).info().queue().lockOwner()).isEqualTo(spooler.ownerId());
                assertThat(rows.get(0).get(PropTags.PR_SUBMIT_FLAGS).asInt() & Flags.SUBMITFLAG_LOCKED).isNotZero();
                assertThat(rows.get(1).info().queue().locked()).isFalse();

                // the lock's owner seen dead (its lease ran out): the lock no longer counts, though its row still
                // names it and its own expiry lies ahead
                String db = s.jdbcUrl().substring(s.jdbcUrl().lastIndexOf('/') + 1);
                try (Connection c = pg.superuser(db); Statement st = c.createStatement()) {
                    assertThat(st.executeUpdate("UPDATE jmapi.storage_owner SET lease_expires = 0 WHERE owner_id = '"
                            + spooler.ownerId() + "'")).isEqualTo(1);
                }
                assertThat(s.query(newest(outbox)).get(0).info().queue().locked()).isFalse();
                spooler.unlockMessage(a);
            }
            MessageRow after = s.query(newest(outbox)).get(0);
            assertThat(after.id()).isEqualTo(a);
            assertThat(after.info().queue().locked()).isFalse();
        }
    }
}
