package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.Notification;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.Storage;
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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * Contents tables over the storage (spec &sect;9.3, R-TBL-1..9): columns, cursor, restriction and sort pushed to the
 * storage, bookmarks, FindRow, row counts, bad input that changes nothing, and table notifications.
 */
class ContentsTableTest {

    /** A folder "T" under the IPM subtree with messages s0..s(n-1): size ascending, importance i % 3. */
    private static MapiFolder filled(Direct d, int n) {
        MapiFolder subtree = folder(d.store(), PropTags.PR_IPM_SUBTREE_ENTRYID);
        MapiFolder t = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "T", null, 0);
        subtree.release();
        for (int i = 0; i < n; i++) {
            saved(t, "s" + i, PropValue.ofInt(PropTags.PR_IMPORTANCE, i % 3),
                    PropValue.ofString(PropTags.PR_SENDER_NAME, i % 2 == 0 ? "even" : "odd"));
        }
        return t;
    }

    /**
     * R-PROP-1 in rows: a string or binary value whose stream form is over 4,096 bytes is MAPI_E_NOT_ENOUGH_MEMORY in
     * a table row, wherever the engine keeps it (SQLite keeps ASCII text of up to 4,096 characters inline); the open
     * message still answers it whole.
     */
    @Test
    void R_PROP_1_rowValuesOver4KiB_areNotEnoughMemory_whereverTheEngineKeepsThem(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            String[] bodies = {"a".repeat(2048), "a".repeat(2049), "a".repeat(4096), "é".repeat(2048)};
            byte[][] blobs = {new byte[4096], new byte[4097], new byte[10], new byte[4096]};
            EntryId[] ids = new EntryId[bodies.length];
            for (int i = 0; i < bodies.length; i++) {
                ids[i] = saved(drafts, "v" + i, PropValue.ofString(PropTags.PR_BODY, bodies[i]),
                        PropValue.ofBinary(PropTags.PR_SEARCH_KEY, blobs[i]));
            }
            try (MapiTable table = drafts.getContentsTable(0)) {
                table.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_BODY, PropTags.PR_SEARCH_KEY}, 0);
                table.sortTable(List.of(SortOrder.ascending(PropTags.PR_SUBJECT)), 0);
                List<Row> rows = table.queryRows(10, 0);
                assertThat(rows).hasSize(4);
                assertThat(rows.get(0).values().get(1).asString()).isEqualTo(bodies[0]);
                assertThat(rows.get(0).values().get(2).asBinary()).hasSize(4096);
                for (int i = 1; i < 3; i++) {
                    assertThat(rows.get(i).values().get(1).errorCode()).as("body %d", i)
                            .isEqualTo(HResult.MAPI_E_NOT_ENOUGH_MEMORY);
                }
                assertThat(rows.get(1).values().get(2).errorCode()).isEqualTo(HResult.MAPI_E_NOT_ENOUGH_MEMORY);
                assertThat(rows.get(2).values().get(2).asBinary()).hasSize(10);
                assertThat(rows.get(3).values().get(1).asString()).as("2,048 é: 4,096 stream bytes")
                        .isEqualTo(bodies[3]);
            }
            try (Message m = (Message) drafts.openEntry(ids[2], 0)) {
                assertThat(m.getProp(PropTags.PR_BODY).orElseThrow().asString()).isEqualTo(bodies[2]);
            }
        }
    }

    @Test
    void R_TBL_1_setColumns_nullSlots_unknownColumnsAreNotFound_emptyRefused(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 3); MapiTable table = t.getContentsTable(0)) {
            assertThat(table.queryColumns(0)).contains(PropTags.PR_ENTRYID, PropTags.PR_INSTANCE_KEY,
                    PropTags.PR_SUBJECT);
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> table.setColumns(new int[0], 0));
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> table.setColumns(null, 0));
            int unknown = PropTag.tag(PropType.PT_LONG, 0x6543);
            table.setColumns(new int[] {PropTags.PR_SUBJECT, PropTag.PR_NULL, unknown, PropTag.withType(PropTags.PR_SUBJECT, PropType.PT_STRING8)}, 0);
            Row r = table.queryRows(1, 0).get(0);
            assertThat(r.values().get(0).asString()).isEqualTo("s0");
            assertThat(r.values().get(1).tag()).isEqualTo(PropTag.PR_NULL);
            assertThat(r.values().get(2).isError()).isTrue();
            assertThat(r.values().get(2).errorCode()).isEqualTo(HResult.MAPI_E_NOT_FOUND);
            assertThat(r.values().get(3).type()).isEqualTo(PropType.PT_STRING8);
            assertThat(r.values().get(3).asString()).isEqualTo("s0");
        }
    }

    @Test
    void R_TBL_2_queryRows_forwardBackwardNoAdvance_zeroRefused(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 5); MapiTable table = t.getContentsTable(0)) {
            table.setColumns(new int[] {PropTags.PR_SUBJECT}, 0);
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> table.queryRows(0, 0));
            assertThat(names(table.queryRows(2, 0))).containsExactly("s0", "s1");
            assertThat(names(table.queryRows(2, Flags.TBL_NOADVANCE))).containsExactly("s2", "s3");
            assertThat(table.queryPosition().row()).isEqualTo(2);
            assertThat(names(table.queryRows(-2, 0))).containsExactly("s0", "s1");
            assertThat(table.queryPosition().row()).isEqualTo(2);
            assertThat(names(table.queryRows(-5, Flags.TBL_NOADVANCE))).containsExactly("s0", "s1");
            assertThat(table.queryPosition().row()).isZero();
            assertThat(names(table.queryRows(100, 0))).hasSize(5);
            assertThat(table.queryRows(1, 0)).as("0 rows at the end").isEmpty();
            assertThat(table.getRowCount(0)).isEqualTo(5);
        }
    }

    @Test
    void R_TBL_3_R_TBL_4_restrictAndSort_pushedDown_resetCursorAndBookmarks_refusalChangesNothing(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 9); MapiTable table = t.getContentsTable(0)) {
            table.setColumns(new int[] {PropTags.PR_SUBJECT}, 0);
            table.seekRow(Flags.BOOKMARK_BEGINNING, 3);
            int bm = table.createBookmark();
            table.restrict(new Restriction.Property(Restriction.RELOP_EQ, PropTags.PR_IMPORTANCE,
                    PropValue.ofInt(PropTags.PR_IMPORTANCE, 1)), 0);
            assertThat(table.queryPosition().row()).isZero();
            assertCode(HResult.MAPI_E_INVALID_BOOKMARK, () -> table.seekRow(bm, 0));
            assertThat(names(table.queryRows(10, 0))).containsExactly("s1", "s4", "s7");

            table.sortTable(List.of(SortOrder.ascending(PropTags.PR_SENDER_NAME),
                    SortOrder.descending(PropTags.PR_SUBJECT)), 0);
            assertThat(table.querySortOrder()).hasSize(2);
            assertThat(names(table.queryRows(10, 0))).containsExactly("s4", "s7", "s1");

            // Refused input changes nothing (R-TBL-3, R-TBL-4).
            table.seekRow(Flags.BOOKMARK_BEGINNING, 1);
            assertCode(HResult.MAPI_E_TOO_COMPLEX, () -> table.sortTable(List.of(
                    SortOrder.ascending(PropTag.tag(PropType.MV_FLAG | PropType.PT_UNICODE, 0x8000))), 0));
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> table.restrict(new Restriction.Property(
                    Restriction.RELOP_EQ, PropTags.PR_IMPORTANCE, PropValue.ofString(PropTags.PR_SUBJECT, "x")), 0));
            assertCode(HResult.MAPI_E_TOO_COMPLEX, () -> table.restrict(new Restriction.Property(
                    Restriction.RELOP_RE, PropTags.PR_SUBJECT, PropValue.ofString(PropTags.PR_SUBJECT, "s.*")), 0));
            assertThat(table.queryPosition().row()).isEqualTo(1);
            table.seekRow(Flags.BOOKMARK_BEGINNING, 0);
            assertThat(names(table.queryRows(10, 0))).containsExactly("s4", "s7", "s1");

            table.restrict(null, 0);
            table.sortTable(List.of(), 0);
            assertThat(table.getRowCount(0)).isEqualTo(9);
            // A restriction on a computed column (PR_INSTANCE_KEY) is evaluated in Java, same semantics.
            byte[] key = rowKey(table, 4);
            table.restrict(new Restriction.Property(Restriction.RELOP_EQ, PropTags.PR_INSTANCE_KEY,
                    PropValue.ofBinary(PropTags.PR_INSTANCE_KEY, key)), 0);
            assertThat(names(table.queryRows(10, 0))).containsExactly("s4");
            // Content restrictions with IGNORECASE and SUBSTRING, sub-restrictions on recipients.
            table.restrict(new Restriction.Content(Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE,
                    PropTags.PR_SENDER_NAME, PropValue.ofString(PropTags.PR_SENDER_NAME, "VE")), 0);
            assertThat(table.getRowCount(0)).isEqualTo(5);
            table.restrict(new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS, new Restriction.Exist(
                    PropTags.PR_DISPLAY_NAME)), 0);
            assertThat(table.getRowCount(0)).isZero();
        }
    }

    @Test
    void R_TBL_5_R_TBL_7_seekRow_clamps_bookmarks_positionChanged_limits(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 120); MapiTable table = t.getContentsTable(0);
             MapiTable other = t.getContentsTable(0)) {
            table.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_ENTRYID}, 0);
            assertThat(table.seekRow(Flags.BOOKMARK_BEGINNING, 75)).isEqualTo(new MapiTable.SeekResult(HResult.S_OK, 75));
            assertThat(table.seekRow(Flags.BOOKMARK_CURRENT, 100)).isEqualTo(new MapiTable.SeekResult(HResult.S_OK, 45));
            assertThat(table.seekRow(Flags.BOOKMARK_END, -200)).isEqualTo(new MapiTable.SeekResult(HResult.S_OK, -120));
            table.seekRow(Flags.BOOKMARK_BEGINNING, 10);
            int bm = table.createBookmark();
            table.seekRow(Flags.BOOKMARK_END, 0);
            assertThat(table.seekRow(bm, 0).hresult()).isEqualTo(HResult.S_OK);
            assertThat(names(table.queryRows(1, Flags.TBL_NOADVANCE))).containsExactly("s10");
            assertCode(HResult.MAPI_E_INVALID_BOOKMARK, () -> other.seekRow(bm, 0));
            // The bookmarked row vanishes: a new position is chosen and the call says so.
            EntryId s10 = EntryId.of(table.queryRows(1, Flags.TBL_NOADVANCE).get(0).get(PropTags.PR_ENTRYID).asBinary());
            assertThat(t.deleteMessages(List.of(s10), 0)).isEqualTo(HResult.S_OK);
            MapiTable.SeekResult moved = table.seekRow(bm, 0);
            assertThat(moved.hresult()).isEqualTo(HResult.MAPI_W_POSITION_CHANGED);
            assertThat(names(table.queryRows(1, 0))).containsExactly("s11");
            table.freeBookmark(bm);
            table.freeBookmark(Flags.BOOKMARK_CURRENT);
            assertCode(HResult.MAPI_E_INVALID_BOOKMARK, () -> table.freeBookmark(bm));
            for (int i = 0; i < ContentsTable.MAX_BOOKMARKS; i++) {
                table.createBookmark();
            }
            assertCode(HResult.MAPI_E_UNABLE_TO_COMPLETE, table::createBookmark);
            table.seekRowApprox(1, 2);
            assertThat(table.queryPosition().row()).isEqualTo(119 / 2);
        }
    }

    @Test
    void R_TBL_6_findRow_byInstanceKey_forwardAndBackward_notFound(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 300); MapiTable table = t.getContentsTable(0)) {
            table.setColumns(new int[] {PropTags.PR_SUBJECT}, 0);
            byte[] key = rowKey(table, 280);
            table.findRow(new Restriction.Property(Restriction.RELOP_EQ, PropTags.PR_INSTANCE_KEY,
                    PropValue.ofBinary(PropTags.PR_INSTANCE_KEY, key)), Flags.BOOKMARK_BEGINNING, 0);
            assertThat(names(table.queryRows(1, 0))).containsExactly("s280");
            Restriction odd = new Restriction.Content(Restriction.FL_FULLSTRING, PropTags.PR_SENDER_NAME,
                    PropValue.ofString(PropTags.PR_SENDER_NAME, "odd"));
            table.seekRow(Flags.BOOKMARK_BEGINNING, 10);
            table.findRow(odd, Flags.BOOKMARK_CURRENT, Flags.DIR_BACKWARD);
            assertThat(names(table.queryRows(1, 0))).containsExactly("s9");
            table.findRow(odd, Flags.BOOKMARK_CURRENT, 0);
            assertThat(names(table.queryRows(1, 0))).containsExactly("s11");
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> table.findRow(new Restriction.Property(Restriction.RELOP_EQ,
                    PropTags.PR_SUBJECT, PropValue.ofString(PropTags.PR_SUBJECT, "nope")), Flags.BOOKMARK_BEGINNING, 0));
            assertThat(table.queryPosition().row()).as("a failed FindRow leaves the cursor").isEqualTo(12);
        }
    }

    @Test
    void bigFolder_sortedByDeliveryTime_firstRowsRightAndRestrictedCountsRight(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 0)) {
            Storage storage = ((SqliteMsgStore) d.store()).storage();
            long folder = ((SqliteMsgStore) d.store()).ids().parse(entryId(t, PropTags.PR_ENTRYID),
                    StoreIds.KIND_FOLDER);
            Random rnd = new Random(7);
            int n = 20_000;
            List<long[]> expected = new ArrayList<>();
            List<SaveRequest> batch = new ArrayList<>();
            Instant base = Instant.parse("2024-01-01T00:00:00Z");
            for (int i = 0; i < n; i++) {
                long seconds = rnd.nextInt(10_000_000);
                expected.add(new long[] {seconds, i});
                batch.add(SaveRequest.create(folder, MessageImage.of(List.of(
                        PropValue.ofString(PropTags.PR_SUBJECT, "m" + i),
                        PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, base.plusSeconds(seconds)),
                        PropValue.ofInt(PropTags.PR_IMPORTANCE, i % 3)))));
                if (batch.size() == 2_000) {
                    storage.saveMessages(batch);
                    batch.clear();
                }
            }
            try (MapiTable table = t.getContentsTable(0)) {
                assertThat(table.getRowCount(0)).isEqualTo(n);
                table.sortTable(List.of(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME)), 0);
                table.setColumns(new int[] {PropTags.PR_SUBJECT}, 0);
                List<String> first = names(table.queryRows(50, 0));
                expected.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]).reversed());
                assertThat(first).containsExactlyElementsOf(expected.subList(0, 50).stream().map(e -> "m" + e[1]).toList());
                table.restrict(new Restriction.Property(Restriction.RELOP_EQ, PropTags.PR_IMPORTANCE,
                        PropValue.ofInt(PropTags.PR_IMPORTANCE, 2)), 0);
                assertThat(table.getRowCount(0)).isEqualTo((int) IntStream.range(0, n).filter(i -> i % 3 == 2).count());
            }
        }
    }

    @Test
    void R_TBL_9_notifications_addedModifiedDeleted_inViewOrder_hiddenRowsSilent(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 2); MapiTable table = t.getContentsTable(0)) {
            table.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_INSTANCE_KEY}, 0);
            table.restrict(new Restriction.Content(Restriction.FL_PREFIX, PropTags.PR_SUBJECT,
                    PropValue.ofString(PropTags.PR_SUBJECT, "s")), 0);
            byte[] s1 = rowKey(table, 1);
            ShutdownPathsTest.CountingSink sink = new ShutdownPathsTest.CountingSink();
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> table.advise(Flags.fnevObjectCreated, sink));
            int c = table.advise(Flags.fnevTableModified, sink);
            assertThat(c).isNotZero();

            EntryId s2 = saved(t, "s2");
            saved(t, "hidden by the restriction");
            await(() -> sink.received.size() >= 1, () -> "ROW_ADDED");
            Notification.Table added = (Notification.Table) sink.received.get(0);
            assertThat(added.tableEvent()).isEqualTo(Flags.TABLE_ROW_ADDED);
            assertThat(added.propPrior().asBinary()).isEqualTo(s1);
            assertThat(added.row().get(PropTags.PR_SUBJECT).asString()).isEqualTo("s2");

            try (Message m = (Message) t.openEntry(s2, Flags.MAPI_MODIFY)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "s2 changed")));
                assertThat(sink.received).hasSize(1);
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            }
            await(() -> sink.received.size() >= 2, () -> "ROW_MODIFIED");
            Notification.Table modified = (Notification.Table) sink.received.get(1);
            assertThat(modified.tableEvent()).isEqualTo(Flags.TABLE_ROW_MODIFIED);
            assertThat(modified.row().get(PropTags.PR_SUBJECT).asString()).isEqualTo("s2 changed");

            t.deleteMessages(List.of(s2), 0);
            await(() -> sink.received.size() >= 3, () -> "ROW_DELETED");
            Notification.Table deleted = (Notification.Table) sink.received.get(2);
            assertThat(deleted.tableEvent()).isEqualTo(Flags.TABLE_ROW_DELETED);
            assertThat(deleted.propIndex().asBinary()).isEqualTo(added.propIndex().asBinary());
            assertThat(deleted.row().values()).isEmpty();
            table.unadvise(c);
            assertCode(HResult.MAPI_E_NOT_FOUND, () -> table.unadvise(c));
            assertThat(sink.release()).isZero();
            assertThat(sink.received).hasSize(3);
        }
    }

    @Test
    void R_TBL_9_firstRowAddedHasAPrNullPrior(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 0); MapiTable table = t.getContentsTable(0)) {
            ShutdownPathsTest.CountingSink sink = new ShutdownPathsTest.CountingSink();
            table.advise(Flags.fnevTableModified, sink);
            saved(t, "first");
            await(() -> !sink.received.isEmpty(), () -> "ROW_ADDED");
            Notification.Table n = (Notification.Table) sink.received.get(0);
            assertThat(n.propPrior().tag()).isEqualTo(PropTag.PR_NULL);
            table.release();
            sink.release();
        }
    }

    private static List<String> names(List<Row> rows) {
        return rows.stream().map(r -> r.get(PropTags.PR_SUBJECT).asString()).toList();
    }

    /** @return PR_INSTANCE_KEY of row {@code index} (the cursor is moved back to the start, columns kept) */
    private static byte[] rowKey(MapiTable table, int index) {
        int[] cols = table.queryColumns(0);
        table.setColumns(new int[] {PropTags.PR_INSTANCE_KEY}, 0);
        table.seekRow(Flags.BOOKMARK_BEGINNING, index);
        byte[] key = table.queryRows(1, 0).get(0).get(PropTags.PR_INSTANCE_KEY).asBinary();
        table.setColumns(cols, 0);
        table.seekRow(Flags.BOOKMARK_BEGINNING, 0);
        return key;
    }
}
