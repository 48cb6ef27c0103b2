package org.jmapi.store.postgres;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageInfo;
import org.jmapi.store.Recipient;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.StoredMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.store.postgres.PostgresServer.PASSWORD;
import static org.jmapi.store.postgres.PostgresServer.USER;

/**
 * A new message of top-level properties and recipients is written with one statement (the message row, its long
 * values in chunks, its recipient rows); these tests pin that what it writes is what the general path writes and
 * reads back: the returned MessageInfo, the image, the value streams, the folder counts, the refusal of a folder that
 * does not exist.
 */
@ExtendWith(PostgresServer.class)
class PostgresSaveTest {
    private final PostgresServer pg;

    PostgresSaveTest(PostgresServer pg) {
        this.pg = pg;
    }

    private PostgresStorage create(String name) {
        // 1 KiB chunks, so that a long value spans several
        return PostgresStorage.create(pg.newDatabase(name), USER, PASSWORD, name, "Mailbox " + name, null,
                PostgresStorage.Options.defaults().withValueSizes(4096, 1024).withLease(Duration.ofSeconds(30),
                        Duration.ZERO));
    }

    private static long folder(PostgresStorage s, String name) {
        return s.createFolder(s.identity().rootFolderId(), name, FolderRecord.FOLDER_GENERIC, null, List.of()).id();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    @DisplayName("a new message with long values and recipients reads back as saved, its info as returned")
    void newMessage_longValuesAndRecipients() throws IOException {
        try (PostgresStorage s = create("save_whole")) {
            long f = folder(s, "f");
            String body = "Lorem ipsum \uD83D\uDE00 ".repeat(700);
            byte[] html = new byte[5000];
            for (int i = 0; i < html.length; i++) {
                html[i] = (byte) (i * 31);
            }
            List<Recipient> recipients = List.of(
                    new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Ann"),
                            PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_TO))),
                    new Recipient(1, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Bob"),
                            PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_CC))));
            MessageImage.Builder b = MessageImage.builder()
                    .set(PropValue.ofString(PropTags.PR_SUBJECT, "whole"))
                    .set(PropValue.ofString(PropTags.PR_BODY, body))
                    .set(PropValue.ofBinary(PropTags.PR_HTML, html));
            recipients.forEach(b::recipient);
            Instant submitted = Instant.ofEpochSecond(1_700_000_000L);
            MessageInfo saved = s.saveMessage(SaveRequest.create(f, b.build()).withSubmit(submitted, 0));

            assertThat(saved).isEqualTo(s.messageInfo(saved.id()));
            assertThat(saved.submitted()).isTrue();
            assertThat(saved.queue().submitTime()).isEqualTo(submitted);
            StoredMessage m = s.loadMessage(saved.id());
            assertThat(m.info()).isEqualTo(saved);
            assertThat(m.image().recipients()).extracting(Recipient::rowId).containsExactly(0, 1);
            assertThat(m.image().recipients().get(1).properties())
                    .contains(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Bob"));
            LargeValue lb = m.image().findLarge(PropTags.PR_BODY).orElseThrow();
            LargeValue lh = m.image().findLarge(PropTags.PR_HTML).orElseThrow();
            assertThat(lb.handle()).isLessThan(lh.handle());
            assertThat(readAll(s.openValueStream(lb))).isEqualTo(body.getBytes(StandardCharsets.UTF_16LE));
            assertThat(readAll(s.openValueStream(lh))).isEqualTo(html);
            assertThat(saved.size()).isGreaterThan(2 * body.length() + html.length);
            assertThat(s.loadFolder(f).contentCount()).isEqualTo(1);
            assertThat(s.loadFolder(f).unreadCount()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a new message for a folder that does not exist is MAPI_E_NOT_FOUND, and nothing is written")
    void newMessage_missingFolder() {
        try (PostgresStorage s = create("save_nofolder")) {
            long counter = s.changeCounter();
            MessageImage image = MessageImage.builder().set(PropValue.ofString(PropTags.PR_BODY, "x".repeat(5000)))
                    .recipient(new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Ann"))))
                    .build();
            assertThatThrownBy(() -> s.saveMessage(SaveRequest.create(777_777, image)))
                    .isInstanceOfSatisfying(MapiException.class, e -> {
                        assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_NOT_FOUND);
                        assertThat(e.getMessage()).contains("777777");
                    });
            assertThat(s.changeCounter()).isEqualTo(counter);
        }
    }

    @Test
    @DisplayName("a 4,096-character ASCII body stays in the message row, as with SQLite (InlineRule); a longer one does"
            + " not")
    void newMessage_asciiBodyUpToTheLimit_staysInline() throws IOException {
        try (PostgresStorage s = create("save_inline")) {
            long f = folder(s, "f");
            String ascii = "a".repeat(4096);
            MessageInfo inline = s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                    .set(PropValue.ofString(PropTags.PR_BODY, ascii)).build()));
            StoredMessage m = s.loadMessage(inline.id());
            assertThat(m.image().findLarge(PropTags.PR_BODY)).isEmpty();
            assertThat(m.image().properties()).contains(PropValue.ofString(PropTags.PR_BODY, ascii));

            String longer = ascii + "b";
            MessageInfo out = s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                    .set(PropValue.ofString(PropTags.PR_BODY, longer)).build()));
            LargeValue body = s.loadMessage(out.id()).image().findLarge(PropTags.PR_BODY).orElseThrow();
            assertThat(readAll(s.openValueStream(body))).isEqualTo(longer.getBytes(StandardCharsets.UTF_16LE));
        }
    }

    @Test
    @DisplayName("a new message for a store deleted from the database while open is MAPI_E_NOT_FOUND")
    void newMessage_storeDeletedWhileOpen() throws Exception {
        String url = pg.newDatabase("save_gone");
        try (PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "gone", "Gone", null)) {
            long f = folder(s, "f");
            try (java.sql.Connection c = pg.connect(url)) {
                c.setAutoCommit(true);
                Sql.exec(c, "DELETE FROM jmapi.store WHERE name = 'gone'");
            }
            assertThatThrownBy(() -> s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                    .set(PropValue.ofString(PropTags.PR_SUBJECT, "late")).build())))
                    .isInstanceOfSatisfying(MapiException.class, e -> {
                        assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_NOT_FOUND);
                        assertThat(e.getMessage()).contains("no longer exists");
                    });
        }
    }

    @Test
    @DisplayName("a fresh database's message tables are analyzed once its store saved 1,000 messages (stale empty-table"
            + " plans otherwise slow every save until autovacuum's first analyze)")
    void freshDatabase_analyzedAfter1000Saves() throws Exception {
        String url = pg.newDatabase("save_analyze");
        try (PostgresStorage s = PostgresStorage.create(url, USER, PASSWORD, "an", "An", null)) {
            long f = folder(s, "f");
            List<SaveRequest> batch = new java.util.ArrayList<>();
            for (int i = 0; i < PostgresStorage.ANALYZE_AFTER_SAVES - 1; i++) {
                batch.add(SaveRequest.create(f, MessageImage.builder()
                        .set(PropValue.ofString(PropTags.PR_SUBJECT, "m" + i))
                        .recipient(new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Ann"))))
                        .build()));
            }
            s.saveMessages(batch);
            assertThat(lastAnalyze(url)).isNull();
            s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                    .set(PropValue.ofString(PropTags.PR_SUBJECT, "the 1,000th")).build()));
            // the statistics collector reports with a delay
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (lastAnalyze(url) == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(lastAnalyze(url)).as("last_analyze of jmapi.message").isNotNull();
            // an empty table is left alone: statistics saying "empty" would make plans that read it whole
            assertThat(lastAnalyze(url, "large_value")).isNull();
        }
    }

    private String lastAnalyze(String url) throws java.sql.SQLException {
        return lastAnalyze(url, "message");
    }

    private String lastAnalyze(String url, String table) throws java.sql.SQLException {
        try (java.sql.Connection c = pg.connect(url)) {
            c.setAutoCommit(true);
            return Sql.one(c, "SELECT last_analyze::text FROM pg_stat_user_tables WHERE schemaname = 'jmapi'"
                    + " AND relname = ?", rs -> rs.getString(1), table).orElse(null);
        }
    }
}
