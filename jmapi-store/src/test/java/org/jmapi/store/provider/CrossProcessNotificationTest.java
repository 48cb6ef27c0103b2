package org.jmapi.store.provider;

import org.jmapi.Flags;
import org.jmapi.Notification;
import org.jmapi.client.MapiFolder;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * Issue 3, build item 6: a change made by another process (a child JVM, {@link ForeignWriter}, writing the store file
 * with its own storage) reaches a contents table that this process has open with an advise sink, through the store
 * file's change poll (R-TBL-9): a TABLE_ROW_ADDED carrying the new row (or a TABLE_CHANGED), and QueryRows then shows
 * the row.
 */
class CrossProcessNotificationTest {

    @Test
    void R_TBL_9_anotherProcessAddsAMessage_openInboxTableNotified_rowVisible(@TempDir Path dir) throws Exception {
        try (Direct d = Direct.open(dir);
             MapiFolder inbox = (MapiFolder) d.store().openEntry(d.store().getReceiveFolder("", 0).folderId(), 0);
             MapiTable table = inbox.getContentsTable(0)) {
            try (MapiFolder writable = (MapiFolder) d.store().openEntry(d.store().getReceiveFolder("", 0).folderId(),
                    Flags.MAPI_MODIFY)) {
                saved(writable, "local");
            }
            table.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_INSTANCE_KEY}, 0);
            ShutdownPathsTest.CountingSink sink = new ShutdownPathsTest.CountingSink();
            int connection = table.advise(Flags.fnevTableModified, sink);
            long inboxId = ((SqliteMsgStore) d.store()).ids().parse(entryId(inbox, PropTags.PR_ENTRYID),
                    StoreIds.KIND_FOLDER);

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ForeignWriter.class.getName(), d.path.toString(), Long.toString(inboxId), "from another process")
                    .redirectErrorStream(true).start();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(out).isZero();
            assertThat(out).startsWith("SAVED ");

            await(() -> sink.received.stream().anyMatch(n -> n instanceof Notification.Table t
                    && (t.tableEvent() == Flags.TABLE_ROW_ADDED || t.tableEvent() == Flags.TABLE_CHANGED)),
                    () -> "a table notification for the other process's message; got " + sink.received);
            List<Notification.Table> events = sink.received.stream().map(n -> (Notification.Table) n).toList();
            assertThat(events).noneMatch(t -> t.tableEvent() == Flags.TABLE_ERROR);
            events.stream().filter(t -> t.tableEvent() == Flags.TABLE_ROW_ADDED).findFirst().ifPresent(t ->
                    assertThat(t.row().get(PropTags.PR_SUBJECT).asString()).isEqualTo("from another process"));

            table.seekRow(Flags.BOOKMARK_BEGINNING, 0);
            List<Row> rows = table.queryRows(10, 0);
            assertThat(rows).extracting(r -> r.get(PropTags.PR_SUBJECT).asString())
                    .containsExactlyInAnyOrder("local", "from another process");
            table.unadvise(connection);
        }
    }
}
