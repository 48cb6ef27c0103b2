package org.jmapi.store.sqlite;

import org.jmapi.Flags;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageInfo;
import org.jmapi.store.Recipient;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.engine.PropCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message row's property columns (copies of PR_SUBJECT, PR_MESSAGE_DELIVERY_TIME, … that contents-table sorts
 * and restrictions run on) always hold what the row's {@code props} blob says. The save path relies on it: a new
 * row is inserted with its columns, and later writes set only the columns whose value changed, computing the old
 * values from the stored properties; a column left stale would make sorts and restrictions return wrong rows.
 */
class SqliteMessageColumnsTest {
    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void columnsFollowThePropertiesThroughCreateResaveFlagsAndSubmit() throws SQLException {
        Path file = dir.resolve("columns.jmapi");
        List<Long> ids = new ArrayList<>();
        try (SqliteStorage s = SqliteStorage.create(file, "columns", null)) {
            long f = s.createFolder(s.identity().rootFolderId(), "f", FolderRecord.FOLDER_GENERIC, null, List.of())
                    .id();
            MessageInfo a = s.saveMessage(SaveRequest.create(f, image("first", T0, "x".repeat(5000))));
            MessageInfo b = s.saveMessage(SaveRequest.create(f, image("second", T0.plusSeconds(60), "short")));
            MessageInfo c = s.saveMessage(SaveRequest.create(f, image("queued", T0.plusSeconds(120), "q"))
                    .withSubmit(T0.plusSeconds(130), 0));
            MessageInfo d = s.saveMessage(SaveRequest.create(f, MessageImage.builder().build()));
            ids.addAll(List.of(a.id(), b.id(), c.id(), d.id()));

            // what a save returns is what reading the message back gives
            for (MessageInfo saved : List.of(a, b, c, d)) {
                assertThat(s.messageInfo(saved.id())).isEqualTo(saved);
            }

            // every column changes: subject, times, sender, class, importance, flags, size
            s.saveMessage(SaveRequest.update(a.id(), a.version(), MessageImage.builder()
                    .set(PropValue.ofString(PropTags.PR_SUBJECT, "renamed"))
                    .set(PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, T0.plusSeconds(3600)))
                    .set(PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, T0.plusSeconds(3500)))
                    .set(PropValue.ofTime(PropTags.PR_LAST_MODIFICATION_TIME, T0.plusSeconds(3700)))
                    .set(PropValue.ofString(PropTags.PR_SENDER_NAME, "Someone Else"))
                    .set(PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note.Other"))
                    .set(PropValue.ofInt(PropTags.PR_IMPORTANCE, 2))
                    .set(PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, 0))
                    .build()));
            // some columns change, the others stay
            s.saveMessage(SaveRequest.update(b.id(), b.version(), MessageImage.builder()
                    .setAll(image("second", T0.plusSeconds(60), "a longer body than before").properties())
                    .set(PropValue.ofInt(PropTags.PR_IMPORTANCE, 0)).build()));
            // properties removed: their columns become NULL
            s.saveMessage(SaveRequest.update(d.id(), d.version(), image("now with a subject", T0, "b")));
            s.saveMessage(SaveRequest.update(d.id(), s.messageInfo(d.id()).version(), MessageImage.builder()
                    .build()));
            s.updateMessageFlags(b.id(), 0, Flags.MSGFLAG_READ);
            s.updateMessageFlags(c.id(), Flags.MSGFLAG_READ | Flags.MSGFLAG_UNMODIFIED, 0);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            int checked = 0;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT * FROM message ORDER BY id")) {
                while (rs.next()) {
                    long id = rs.getLong("id");
                    Object[] expected = SqliteMessages.columnValues(PropCodec.decode(rs.getBytes("props")));
                    Object[] stored = new Object[expected.length];
                    for (int i = 0; i < stored.length; i++) {
                        stored[i] = normalise(rs.getObject(columnName(i)));
                        expected[i] = normalise(expected[i]);
                    }
                    assertThat(stored).as("property columns of message %d", id).isEqualTo(expected);
                    checked++;
                }
            }
            assertThat(checked).isEqualTo(ids.size());
        }
    }

    @Test
    void updateSetsOnlyTheColumnsThatChanged() throws SQLException {
        Path file = dir.resolve("diff.jmapi");
        try (SqliteStorage s = SqliteStorage.create(file, "diff", null)) {
            long f = s.createFolder(s.identity().rootFolderId(), "f", FolderRecord.FOLDER_GENERIC, null, List.of())
                    .id();
            long id = s.saveMessage(SaveRequest.create(f, image("s", T0, "body"))).id();
            // make one column disagree with the properties behind SQLite's back: a flag change must leave it
            // alone (only PR_MESSAGE_FLAGS changes), which shows that unchanged columns are not rewritten
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement st = c.createStatement()) {
                st.execute("UPDATE message SET importance = 77 WHERE id = " + id);
            }
            s.updateMessageFlags(id, Flags.MSGFLAG_READ, 0);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT importance, message_flags FROM message WHERE id = " + id)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(77);
                assertThat(rs.getInt(2) & Flags.MSGFLAG_READ).isEqualTo(Flags.MSGFLAG_READ);
            }
        }
    }

    @Test
    void aNewMessageInsertedWholeIsStoredAsTheGeneralPathStoresIt() {
        Path file = dir.resolve("whole.jmapi");
        try (SqliteStorage s = SqliteStorage.create(file, "whole", null)) {
            long f = s.createFolder(s.identity().rootFolderId(), "f", FolderRecord.FOLDER_GENERIC, null, List.of())
                    .id();
            byte[] key = {1, 2, 3};
            MessageImage base = image("same", T0, "y".repeat(6000)); // the body goes out of line
            // no attachment, stream or kept value: one INSERT of the whole row
            MessageInfo whole = s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                    .setAll(base.properties()).set(PropValue.ofBinary(PropTags.PR_SEARCH_KEY, key))
                    .recipient(base.recipients().get(0)).build()).withSubmit(T0.plusSeconds(9), 0));
            // the same values, one of them given as a (short) stream: the general path
            MessageInfo general = s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                    .setAll(base.properties())
                    .stream(PropTags.PR_SEARCH_KEY, () -> new java.io.ByteArrayInputStream(key))
                    .recipient(base.recipients().get(0)).build()).withSubmit(T0.plusSeconds(9), 0));
            assertThat(whole.size()).isEqualTo(general.size());
            assertThat(whole.queue()).isEqualTo(general.queue());
            assertThat(whole.version()).isEqualTo(general.version()).isEqualTo(1);
            org.jmapi.store.StoredMessage a = s.loadMessage(whole.id());
            org.jmapi.store.StoredMessage b = s.loadMessage(general.id());
            assertThat(new java.util.HashSet<>(a.image().properties()))
                    .isEqualTo(new java.util.HashSet<>(b.image().properties()));
            assertThat(a.image().recipients()).isEqualTo(b.image().recipients());
            assertThat(a.image().largeValues()).extracting(org.jmapi.store.LargeValue::tag,
                    org.jmapi.store.LargeValue::size).containsExactlyElementsOf(b.image().largeValues().stream()
                    .map(v -> org.assertj.core.groups.Tuple.tuple(v.tag(), v.size())).toList());
            assertThat(s.messageInfo(whole.id())).isEqualTo(whole);
            assertThat(s.loadFolder(f).contentCount()).isEqualTo(2);
        }
    }

    private static String columnName(int i) {
        List<String> names = new ArrayList<>();
        for (org.jmapi.store.engine.IndexedColumn col : org.jmapi.store.engine.IndexedColumn.values()) {
            names.add(col.column());
            if (col.kind() == org.jmapi.store.engine.IndexedColumn.Kind.STRING) {
                names.add(col.foldColumn());
                names.add(col.sizeColumn());
            }
        }
        return names.get(i);
    }

    /** byte[] compared by content, integers of any width as long. */
    private static Object normalise(Object v) {
        if (v instanceof byte[] b) {
            return Arrays.toString(b);
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        return v;
    }

    private static MessageImage image(String subject, Instant delivered, String body) {
        return MessageImage.builder()
                .set(PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"))
                .set(PropValue.ofString(PropTags.PR_SUBJECT, subject))
                .set(PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, delivered))
                .set(PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, delivered.minusSeconds(5)))
                .set(PropValue.ofTime(PropTags.PR_LAST_MODIFICATION_TIME, delivered))
                .set(PropValue.ofString(PropTags.PR_SENDER_NAME, "Sender " + subject))
                .set(PropValue.ofInt(PropTags.PR_IMPORTANCE, 1))
                .set(PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, Flags.MSGFLAG_READ))
                .set(PropValue.ofString(PropTags.PR_BODY, body))
                .recipient(new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "To"),
                        PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, "to@example.com"),
                        PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_TO))))
                .build();
    }
}
