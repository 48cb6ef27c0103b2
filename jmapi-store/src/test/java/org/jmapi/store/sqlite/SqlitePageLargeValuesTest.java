package org.jmapi.store.sqlite;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageRow;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.ValueStream;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The out-of-line value descriptors of a contents page are read for the whole page at once (more messages than one
 * {@code IN} list holds, messages with and without large values, large values on attachments that must not show):
 * every row must carry exactly the top-level large values {@code loadMessage} reports, in every query plan.
 */
class SqlitePageLargeValuesTest {
    @TempDir
    Path dir;

    @Test
    void pageRowsCarryTheirOwnTopLevelLargeValues() {
        try (SqliteStorage s = SqliteStorage.create(dir.resolve("s.jmapi"), "Test store", null,
                SqliteStorageTest.options(Clock.systemUTC(), Duration.ofMinutes(1)))) {
            long f = s.createFolder(s.identity().rootFolderId(), "f", FolderRecord.FOLDER_GENERIC, null, List.of())
                    .id();
            int n = SqliteMessages.IDS_PER_STATEMENT * 2 + 37;
            List<SaveRequest> saves = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                MessageImage.Builder b = MessageImage.builder()
                        .set(PropValue.ofString(PropTags.PR_SUBJECT, "m" + i));
                if (i % 3 == 0) {
                    b.set(PropValue.ofString(PropTags.PR_BODY, ("body " + i + " ").repeat(800)));
                } else {
                    b.set(PropValue.ofString(PropTags.PR_BODY, "short " + i));
                }
                if (i % 5 == 0) {
                    byte[] html = new byte[3 * SqliteStorageTest.INLINE_LIMIT + i];
                    b.stream(PropTags.PR_HTML, () -> new ByteArrayInputStream(html));
                }
                if (i % 7 == 0) {
                    byte[] data = new byte[2 * SqliteStorageTest.INLINE_LIMIT];
                    b.attachment(Attachment.of(0, List.of(PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "a.bin")))
                            .withStream(new ValueStream(PropTags.PR_ATTACH_DATA_BIN,
                                    () -> new ByteArrayInputStream(data))));
                }
                saves.add(SaveRequest.create(f, b.build()));
            }
            s.saveMessages(saves);

            List<ContentsQuery> queries = List.of(
                    ContentsQuery.of(f),
                    ContentsQuery.of(f).withSort(SortOrder.descending(PropTags.PR_SUBJECT)),
                    ContentsQuery.of(f).withSort(SortOrder.ascending(PropTags.PR_SUBJECT)).page(400, 700),
                    ContentsQuery.of(f).withRestriction(new Restriction.Content(Restriction.FL_SUBSTRING,
                            PropTags.PR_BODY, PropValue.ofString(PropTags.PR_BODY, "body"))),
                    ContentsQuery.of(f).withSort(SortOrder.ascending(PropTags.PR_BODY)),
                    ContentsQuery.of(f).withSort(SortOrder.descending(PropTags.PR_HTML)).page(3, 900));
            for (ContentsQuery q : queries) {
                List<MessageRow> rows = s.query(q);
                assertThat(rows).as("%s", q).isNotEmpty();
                for (MessageRow r : rows) {
                    assertThat(r.largeValues()).as("message %d in %s", r.id(), q)
                            .isEqualTo(s.loadMessage(r.id()).image().largeValues());
                }
            }
            assertThat(s.query(ContentsQuery.of(f))).hasSize(n);
            assertThat(s.query(ContentsQuery.of(f).withRestriction(new Restriction.Content(Restriction.FL_SUBSTRING,
                    PropTags.PR_BODY, PropValue.ofString(PropTags.PR_BODY, "body")))))
                    .hasSize((n + 2) / 3)
                    .allSatisfy(r -> assertThat(r.largeValues()).isNotEmpty());
        }
    }
}
