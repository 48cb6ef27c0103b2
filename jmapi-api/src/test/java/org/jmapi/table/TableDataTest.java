package org.jmapi.table;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.Notification;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TableData} and its views against R-TBL-1..9, R-NTF-1, R-NTF-3 and R-INV-2. */
class TableDataTest {
    private static final int KEY = PropTags.PR_INSTANCE_KEY;
    private static final int NAME = PropTags.PR_DISPLAY_NAME;
    private static final int FLAGS = PropTags.PR_RESOURCE_FLAGS;
    private static final int[] DEFAULT_COLUMNS = {KEY, NAME};

    private final QueueExecutor queue = new QueueExecutor();
    private final TableData data = new TableData(KEY, DEFAULT_COLUMNS, queue);
    private final List<MapiTable> opened = new ArrayList<>();
    private ExecutorService thread;

    @AfterEach
    void releaseViews() {
        opened.forEach(MapiTable::release);
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    // ---- TableData itself ------------------------------------------------------------------------------------

    @Test
    void modifyRow_withoutIndexValue_invalidParameter() {
        assertHr(() -> data.modifyRow(List.of(PropValue.ofString(NAME, "x"))), HResult.MAPI_E_INVALID_PARAMETER);
        assertHr(() -> data.modifyRow(null), HResult.MAPI_E_INVALID_PARAMETER);
        assertThat(data.size()).isZero();
    }

    @Test
    void modifyRow_replaceKeepsPosition_addAppends_rowsIsSnapshotWithAllColumns() {
        fill("a", "b", "c");
        data.modifyRow(row(2, "B", 7));
        data.modifyRow(row(4, "d", 0));

        List<Row> rows = data.rows();
        assertThat(rows).extracting(r -> r.get(NAME).asString()).containsExactly("a", "B", "c", "d");
        assertThat(rows.get(1).values()).containsExactly(key(2), PropValue.ofString(NAME, "B"),
                PropValue.ofInt(FLAGS, 7));
        assertThat(data.row(key(2))).contains(rows.get(1));
        assertThat(data.row(key(9))).isEmpty();
        assertThat(data.size()).isEqualTo(4);
    }

    @Test
    void deleteRow_returnsWhetherARowWentAway() {
        fill("a", "b");
        assertThat(data.deleteRow(key(1))).isTrue();
        assertThat(data.deleteRow(key(1))).isFalse();
        assertThat(data.rows()).extracting(r -> r.get(NAME).asString()).containsExactly("b");
        assertHr(() -> data.deleteRow(PropValue.ofString(NAME, "b")), HResult.MAPI_E_INVALID_PARAMETER);
    }

    // ---- R-TBL-1 SetColumns ----------------------------------------------------------------------------------

    @Test
    void R_TBL_1_setColumns_nullOrEmpty_invalidParameter() {
        MapiTable v = view();
        assertHr(() -> v.setColumns(null, 0), HResult.MAPI_E_INVALID_PARAMETER);
        assertHr(() -> v.setColumns(new int[0], 0), HResult.MAPI_E_INVALID_PARAMETER);
        assertThat(v.queryColumns(0)).containsExactly(DEFAULT_COLUMNS);
    }

    @Test
    void R_TBL_1_defaultColumnsUntilSetColumns_thenTheNewSet() {
        fill("a");
        MapiTable v = view();
        assertThat(v.queryRows(1, Flags.TBL_NOADVANCE).get(0).values()).containsExactly(key(1),
                PropValue.ofString(NAME, "a"));

        v.setColumns(new int[] {FLAGS, NAME}, 0);
        assertThat(v.queryColumns(0)).containsExactly(FLAGS, NAME);
        assertThat(v.queryRows(1, 0).get(0).values()).containsExactly(PropValue.ofInt(FLAGS, 0),
                PropValue.ofString(NAME, "a"));
    }

    @Test
    void R_TBL_1_prNullSlots_comeBackAsPrNull() {
        fill("a");
        MapiTable v = view();
        v.setColumns(new int[] {PropTag.PR_NULL, NAME, PropTag.PR_NULL}, 0);
        List<PropValue> values = v.queryRows(1, 0).get(0).values();
        assertThat(values).extracting(PropValue::tag).containsExactly(PropTag.PR_NULL, NAME, PropTag.PR_NULL);
    }

    @Test
    void R_TBL_1_columnTheRowLacks_isPtErrorNotFound_notASetColumnsError() {
        fill("a");
        MapiTable v = view();
        int missing = PropTags.PR_STATUS_STRING;
        v.setColumns(new int[] {NAME, missing}, 0);
        PropValue cell = v.queryRows(1, 0).get(0).values().get(1);
        assertThat(cell.tag()).isEqualTo(PropTag.withType(missing, PropType.PT_ERROR));
        assertThat(cell.errorCode()).isEqualTo(HResult.MAPI_E_NOT_FOUND);
    }

    @Test
    void R_TBL_1_queryColumns_allColumns_isUnionOfRowTagsAndDefaults() {
        data.modifyRow(List.of(key(1), PropValue.ofInt(FLAGS, 1)));
        data.modifyRow(List.of(key(2), PropValue.ofInt(PropTags.PR_STATUS_CODE, 1)));
        MapiTable v = view();
        assertThat(v.queryColumns(MapiTable.TBL_ALL_COLUMNS))
                .containsExactlyInAnyOrder(KEY, NAME, FLAGS, PropTags.PR_STATUS_CODE);
        assertHr(() -> v.queryColumns(0x100), HResult.MAPI_E_UNKNOWN_FLAGS);
    }

    // ---- R-TBL-2 QueryRows -----------------------------------------------------------------------------------

    @Test
    void R_TBL_2_queryRows_zero_invalidParameter() {
        fill("a");
        MapiTable v = view();
        assertHr(() -> v.queryRows(0, 0), HResult.MAPI_E_INVALID_PARAMETER);
    }

    @Test
    void R_TBL_2_queryRows_readsForward_atMostN_thenNothingAtTheEnd() {
        fill("a", "b", "c");
        MapiTable v = view();
        assertThat(names(v.queryRows(2, 0))).containsExactly("a", "b");
        assertThat(v.queryPosition().row()).isEqualTo(2);
        assertThat(names(v.queryRows(5, 0))).containsExactly("c");
        assertThat(v.queryRows(5, 0)).isEmpty();
    }

    @Test
    void R_TBL_2_queryRows_negative_movesBackThenReadsForward() {
        fill("a", "b", "c", "d");
        MapiTable v = view();
        v.seekRow(Flags.BOOKMARK_END, 0);
        assertThat(names(v.queryRows(-2, 0))).containsExactly("c", "d");
        assertThat(v.queryPosition().row()).isEqualTo(4);
        v.seekRow(Flags.BOOKMARK_BEGINNING, 1);
        assertThat(names(v.queryRows(-3, 0))).containsExactly("a");
    }

    @Test
    void R_TBL_2_queryRows_negativeAtTheBeginning_returnsNothing() {
        fill("a", "b");
        MapiTable v = view();
        assertThat(v.queryRows(-1, 0)).isEmpty();
        assertThat(v.queryPosition().row()).isZero();
    }

    @Test
    void R_TBL_2_queryRows_noAdvance_leavesCursorOnFirstReturnedRow() {
        fill("a", "b", "c", "d");
        MapiTable v = view();
        v.seekRow(Flags.BOOKMARK_BEGINNING, 1);
        assertThat(names(v.queryRows(2, Flags.TBL_NOADVANCE))).containsExactly("b", "c");
        assertThat(v.queryPosition().row()).isEqualTo(1);

        v.seekRow(Flags.BOOKMARK_END, 0);
        assertThat(names(v.queryRows(-2, Flags.TBL_NOADVANCE))).containsExactly("c", "d");
        assertThat(names(v.queryRows(1, 0))).containsExactly("c");
    }

    @Test
    void R_TBL_2_rowsReflectRestrictionSortAndColumns() {
        fill("c", "a", "b", "x");
        MapiTable v = view();
        v.restrict(new Restriction.Property(Restriction.RELOP_NE, NAME, PropValue.ofString(NAME, "x")), 0);
        v.sortTable(List.of(SortOrder.ascending(NAME)), 0);
        v.setColumns(new int[] {NAME}, 0);
        List<Row> rows = v.queryRows(10, 0);
        assertThat(rows).extracting(r -> r.values().size()).containsOnly(1);
        assertThat(names(rows)).containsExactly("a", "b", "c");
    }

    // ---- R-TBL-3 Restrict ------------------------------------------------------------------------------------

    @Test
    void R_TBL_3_restrict_filters_replacesTheOldFilter_nullClears() {
        fill("a", "b", "c");
        MapiTable v = view();
        v.restrict(eq("a"), 0);
        assertThat(names(v.queryRows(10, 0))).containsExactly("a");
        v.restrict(eq("b"), 0);
        assertThat(names(v.queryRows(10, 0))).containsExactly("b");
        v.restrict(null, 0);
        assertThat(names(v.queryRows(10, 0))).containsExactly("a", "b", "c");
    }

    @Test
    void R_TBL_3_restrict_freesBookmarks_andMovesCursorToStart() {
        fill("a", "b", "c");
        MapiTable v = view();
        v.seekRow(Flags.BOOKMARK_BEGINNING, 2);
        int bk = v.createBookmark();
        v.restrict(new Restriction.Exist(NAME), 0);
        assertThat(v.queryPosition().row()).isZero();
        assertHr(() -> v.seekRow(bk, 0), HResult.MAPI_E_INVALID_BOOKMARK);
        assertHr(() -> v.freeBookmark(bk), HResult.MAPI_E_INVALID_BOOKMARK);
    }

    @Test
    void R_TBL_3_restrict_relopRe_tooComplex_andMalformed_invalidParameter_oldFilterStays() {
        fill("a", "b");
        MapiTable v = view();
        v.restrict(eq("a"), 0);
        assertHr(() -> v.restrict(new Restriction.Property(Restriction.RELOP_RE, NAME,
                PropValue.ofString(NAME, "a.*")), 0), HResult.MAPI_E_TOO_COMPLEX);
        assertHr(() -> v.restrict(new Restriction.Not(null), 0), HResult.MAPI_E_INVALID_PARAMETER);
        assertThat(names(v.queryRows(10, 0))).containsExactly("a");
    }

    @Test
    void R_TBL_3_noNotificationsForRowsTheRestrictionHides() {
        MapiTable v = view();
        v.restrict(new Restriction.Bitmask(Restriction.BMR_NEZ, FLAGS, 1), 0);
        RecordingSink sink = advise(v);
        data.modifyRow(row(1, "hidden", 0));
        data.modifyRow(row(1, "hidden still", 2));
        data.deleteRow(key(1));
        queue.runAll();
        assertThat(sink.received).isEmpty();
    }

    @Test
    void R_TBL_3_rowEnteringTheRestriction_isAdded_rowLeavingIt_isDeleted() {
        MapiTable v = view();
        v.restrict(new Restriction.Bitmask(Restriction.BMR_NEZ, FLAGS, 1), 0);
        data.modifyRow(row(1, "a", 0));
        RecordingSink sink = advise(v);
        data.modifyRow(row(1, "a", 1));
        data.modifyRow(row(1, "a", 3));
        data.modifyRow(row(1, "a", 2));
        queue.runAll();
        assertThat(sink.tables()).extracting(Notification.Table::tableEvent).containsExactly(
                Flags.TABLE_ROW_ADDED, Flags.TABLE_ROW_MODIFIED, Flags.TABLE_ROW_DELETED);
    }

    @Test
    void R_TBL_3_countRestriction_passesOnlyTheFirstNMatchingRowsInViewOrder() {
        fill("d", "a", "c", "b");
        MapiTable v = view();
        v.sortTable(List.of(SortOrder.ascending(NAME)), 0);
        v.restrict(new Restriction.Count(2, new Restriction.Exist(NAME)), 0);
        assertThat(names(v.queryRows(10, 0))).containsExactly("a", "b");
        assertThat(v.getRowCount(0)).isEqualTo(2);
    }

    // ---- R-TBL-4 SortTable -----------------------------------------------------------------------------------

    @Test
    void R_TBL_4_sortTable_multiKey_ascendingDescending_stable() {
        data.modifyRow(row(1, "x", 2));
        data.modifyRow(row(2, "y", 1));
        data.modifyRow(row(3, "z", 2));
        data.modifyRow(row(4, "w", 1));
        MapiTable v = view();
        v.sortTable(List.of(SortOrder.descending(FLAGS)), 0);
        assertThat(names(v.queryRows(10, 0))).containsExactly("x", "z", "y", "w");
        v.sortTable(List.of(SortOrder.ascending(FLAGS), SortOrder.descending(NAME)), 0);
        assertThat(names(v.queryRows(10, 0))).containsExactly("y", "w", "z", "x");
        assertThat(v.querySortOrder()).containsExactly(SortOrder.ascending(FLAGS), SortOrder.descending(NAME));
    }

    @Test
    void R_TBL_4_sortTable_absentValuesSortFirstAscending() {
        data.modifyRow(row(1, "b", 0));
        data.modifyRow(List.of(key(2), PropValue.ofInt(FLAGS, 0)));
        data.modifyRow(row(3, "a", 0));
        MapiTable v = view();
        v.sortTable(List.of(SortOrder.ascending(NAME)), 0);
        assertThat(v.queryRows(10, 0)).extracting(r -> r.get(KEY)).containsExactly(key(2), key(3), key(1));
    }

    @Test
    void R_TBL_4_sortTable_freesBookmarks_andMovesCursorToStart() {
        fill("b", "a");
        MapiTable v = view();
        v.seekRow(Flags.BOOKMARK_END, 0);
        int bk = v.createBookmark();
        v.sortTable(List.of(SortOrder.ascending(NAME)), 0);
        assertThat(v.queryPosition().row()).isZero();
        assertHr(() -> v.seekRow(bk, 0), HResult.MAPI_E_INVALID_BOOKMARK);
    }

    @Test
    void R_TBL_4_sortTable_unsortableKey_tooComplex_previousOrderStays() {
        fill("b", "c", "a");
        MapiTable v = view();
        v.sortTable(List.of(SortOrder.descending(NAME)), 0);
        v.seekRow(Flags.BOOKMARK_BEGINNING, 1);
        int bk = v.createBookmark();
        int[] unsortable = {PropTag.withType(NAME, PropType.PT_UNSPECIFIED), PropTag.withType(NAME, PropType.PT_ERROR),
                PropTag.withType(NAME, PropType.PT_MV_UNICODE)};
        for (int tag : unsortable) {
            assertHr(() -> v.sortTable(List.of(SortOrder.ascending(FLAGS), SortOrder.ascending(tag)), 0),
                    HResult.MAPI_E_TOO_COMPLEX);
        }
        assertThat(v.querySortOrder()).containsExactly(SortOrder.descending(NAME));
        assertThat(v.seekRow(bk, 0).hresult()).isEqualTo(HResult.S_OK);
        v.seekRow(Flags.BOOKMARK_BEGINNING, 0);
        assertThat(names(v.queryRows(10, 0))).containsExactly("c", "b", "a");
    }

    @Test
    void R_TBL_4_sortTable_noKeys_meansInsertionOrder() {
        fill("b", "c", "a");
        MapiTable v = view();
        v.sortTable(List.of(SortOrder.ascending(NAME)), 0);
        v.sortTable(List.of(), 0);
        assertThat(names(v.queryRows(10, 0))).containsExactly("b", "c", "a");
        assertThat(v.querySortOrder()).isEmpty();
    }

    // ---- R-TBL-5 SeekRow -------------------------------------------------------------------------------------

    @Test
    void R_TBL_5_seekRow_clampsAtEnds_andReturnsSignedRowsMoved() {
        fill("a", "b", "c");
        MapiTable v = view();
        assertThat(v.seekRow(Flags.BOOKMARK_BEGINNING, 2)).isEqualTo(new MapiTable.SeekResult(HResult.S_OK, 2));
        assertThat(v.seekRow(Flags.BOOKMARK_CURRENT, 5)).isEqualTo(new MapiTable.SeekResult(HResult.S_OK, 1));
        assertThat(v.queryPosition().row()).isEqualTo(3);
        assertThat(v.seekRow(Flags.BOOKMARK_CURRENT, -10)).isEqualTo(new MapiTable.SeekResult(HResult.S_OK, -3));
        assertThat(v.seekRow(Flags.BOOKMARK_BEGINNING, -1)).isEqualTo(new MapiTable.SeekResult(HResult.S_OK, 0));
        assertThat(v.seekRow(Flags.BOOKMARK_END, -1)).isEqualTo(new MapiTable.SeekResult(HResult.S_OK, -1));
        assertThat(names(v.queryRows(1, 0))).containsExactly("c");
    }

    @Test
    void R_TBL_5_seekRow_moreThan50() {
        for (int i = 0; i < 120; i++) {
            data.modifyRow(row(i, "r" + i, i));
        }
        MapiTable v = view();
        assertThat(v.seekRow(Flags.BOOKMARK_BEGINNING, 100).rowsSought()).isEqualTo(100);
        assertThat(names(v.queryRows(1, 0))).containsExactly("r100");
        assertThat(v.seekRow(Flags.BOOKMARK_CURRENT, -75).rowsSought()).isEqualTo(-75);
        assertThat(v.queryPosition().row()).isEqualTo(26);
        assertThat(v.seekRow(Flags.BOOKMARK_BEGINNING, Integer.MAX_VALUE).rowsSought()).isEqualTo(120);
    }

    @Test
    void R_TBL_5_seekRow_unknownOrFreedBookmark_invalidBookmark() {
        fill("a", "b");
        MapiTable v = view();
        assertHr(() -> v.seekRow(12345, 0), HResult.MAPI_E_INVALID_BOOKMARK);
        int bk = v.createBookmark();
        v.freeBookmark(bk);
        assertHr(() -> v.seekRow(bk, 0), HResult.MAPI_E_INVALID_BOOKMARK);
    }

    @Test
    void R_TBL_5_seekRow_fromBookmark_followsItsRow() {
        fill("a", "c");
        MapiTable v = view();
        v.sortTable(List.of(SortOrder.ascending(NAME)), 0);
        v.seekRow(Flags.BOOKMARK_BEGINNING, 1);
        int bk = v.createBookmark();
        data.modifyRow(row(3, "b", 0));
        assertThat(v.seekRow(bk, 0)).isEqualTo(new MapiTable.SeekResult(HResult.S_OK, 0));
        assertThat(v.queryPosition().row()).isEqualTo(2);
        assertThat(names(v.queryRows(1, 0))).containsExactly("c");
    }

    @Test
    void R_TBL_5_seekRow_bookmarkedRowDeleted_positionChanged() {
        fill("a", "b", "c", "d");
        MapiTable v = view();
        v.seekRow(Flags.BOOKMARK_BEGINNING, 2);
        int bk = v.createBookmark();
        data.deleteRow(key(3));
        MapiTable.SeekResult r = v.seekRow(bk, 1);
        assertThat(r).isEqualTo(new MapiTable.SeekResult(HResult.MAPI_W_POSITION_CHANGED, 1));
        assertThat(names(v.queryRows(1, 0))).isEmpty();

        data.deleteRow(key(4));
        assertThat(v.seekRow(bk, 0)).isEqualTo(new MapiTable.SeekResult(HResult.MAPI_W_POSITION_CHANGED, 0));
        assertThat(v.queryPosition().row()).isEqualTo(2);
    }

    @Test
    void R_TBL_5_queryPosition_andSeekRowApprox() {
        fill("a", "b", "c", "d");
        MapiTable v = view();
        v.seekRowApprox(1, 2);
        assertThat(v.queryPosition()).isEqualTo(new MapiTable.Position(2, 2, 4));
        v.seekRowApprox(3, 3);
        assertThat(v.queryPosition().row()).isEqualTo(4);
        v.seekRowApprox(0, 7);
        assertThat(v.queryPosition().row()).isZero();
        assertHr(() -> v.seekRowApprox(1, 0), HResult.MAPI_E_INVALID_PARAMETER);
    }

    // ---- R-TBL-6 FindRow -------------------------------------------------------------------------------------

    @Test
    void R_TBL_6_findRow_forwardFromBookmark_cursorOnMatch() {
        fill("x", "a", "x", "b");
        MapiTable v = view();
        v.findRow(eq("x"), Flags.BOOKMARK_BEGINNING, 0);
        assertThat(v.queryPosition().row()).isZero();
        v.seekRow(Flags.BOOKMARK_BEGINNING, 1);
        int bk = v.createBookmark();
        v.seekRow(Flags.BOOKMARK_END, 0);
        v.findRow(eq("x"), bk, 0);
        assertThat(v.queryRows(1, 0).get(0).get(KEY)).isEqualTo(key(3));
    }

    @Test
    void R_TBL_6_findRow_backward_startsAtTheRowBeforeTheBookmark() {
        fill("x", "a", "x", "b");
        MapiTable v = view();
        v.seekRow(Flags.BOOKMARK_BEGINNING, 2);
        v.findRow(eq("x"), Flags.BOOKMARK_CURRENT, Flags.DIR_BACKWARD);
        assertThat(v.queryRows(1, 0).get(0).get(KEY)).isEqualTo(key(1));
        v.findRow(eq("x"), Flags.BOOKMARK_END, Flags.DIR_BACKWARD);
        assertThat(v.queryPosition().row()).isEqualTo(2);
    }

    @Test
    void R_TBL_6_findRow_noMatch_notFound_cursorUnchanged() {
        fill("a", "b");
        MapiTable v = view();
        v.seekRow(Flags.BOOKMARK_BEGINNING, 1);
        assertHr(() -> v.findRow(eq("zzz"), Flags.BOOKMARK_BEGINNING, 0), HResult.MAPI_E_NOT_FOUND);
        assertHr(() -> v.findRow(eq("a"), Flags.BOOKMARK_CURRENT, 0), HResult.MAPI_E_NOT_FOUND);
        assertThat(v.queryPosition().row()).isEqualTo(1);
        assertHr(() -> v.findRow(eq("a"), 999, 0), HResult.MAPI_E_INVALID_BOOKMARK);
    }

    @Test
    void R_TBL_6_findRow_byInstanceKey() {
        fill("a", "b", "c");
        MapiTable v = view();
        v.findRow(new Restriction.Property(Restriction.RELOP_EQ, KEY, key(3)), Flags.BOOKMARK_BEGINNING, 0);
        assertThat(names(v.queryRows(1, 0))).containsExactly("c");
    }

    // ---- R-TBL-7 Bookmarks -----------------------------------------------------------------------------------

    @Test
    void R_TBL_7_freeBookmark_predefined_isIgnored() {
        fill("a");
        MapiTable v = view();
        v.freeBookmark(Flags.BOOKMARK_BEGINNING);
        v.freeBookmark(Flags.BOOKMARK_CURRENT);
        v.freeBookmark(Flags.BOOKMARK_END);
        assertThat(v.seekRow(Flags.BOOKMARK_END, 0).hresult()).isEqualTo(HResult.S_OK);
    }

    @Test
    void R_TBL_7_freeBookmark_unknown_invalidBookmark() {
        MapiTable v = view();
        assertHr(() -> v.freeBookmark(77), HResult.MAPI_E_INVALID_BOOKMARK);
        int bk = v.createBookmark();
        assertThat(bk).isNotIn(Flags.BOOKMARK_BEGINNING, Flags.BOOKMARK_CURRENT, Flags.BOOKMARK_END);
        v.freeBookmark(bk);
        assertHr(() -> v.freeBookmark(bk), HResult.MAPI_E_INVALID_BOOKMARK);
    }

    @Test
    void R_TBL_7_aBookmarkOfAnotherTable_invalidBookmark() {
        MapiTable a = view();
        MapiTable b = new TableData(KEY, DEFAULT_COLUMNS, queue).openView();
        int mine = b.createBookmark();
        int theirs = a.createBookmark();
        assertHr(() -> b.seekRow(theirs, 0), HResult.MAPI_E_INVALID_BOOKMARK);
        assertHr(() -> b.freeBookmark(theirs), HResult.MAPI_E_INVALID_BOOKMARK);
        assertHr(() -> a.seekRow(mine, 0), HResult.MAPI_E_INVALID_BOOKMARK);
        b.freeBookmark(mine);
        a.freeBookmark(theirs);
        b.release();
    }

    @Test
    void R_TBL_7_createBookmark_beyondTheLimit_unableToComplete() {
        MapiTable v = view();
        List<Integer> marks = new ArrayList<>();
        for (int i = 0; i < TableData.MAX_BOOKMARKS; i++) {
            marks.add(v.createBookmark());
        }
        assertThat(marks).doesNotHaveDuplicates();
        assertHr(v::createBookmark, HResult.MAPI_E_UNABLE_TO_COMPLETE);
        v.freeBookmark(marks.get(0));
        assertThat(v.createBookmark()).isNotIn(marks.subList(1, marks.size()));
    }

    @Test
    void R_TBL_7_releasingTheView_destroysIt_andFreesItsRegistrations() {
        MapiTable v = data.openView();
        RecordingSink sink = new RecordingSink();
        v.advise(Flags.fnevTableModified, sink);
        v.createBookmark();
        assertThat(data.openViews()).isEqualTo(1);
        assertThat(sink.refCount()).isEqualTo(2);

        v.release();
        assertThat(data.openViews()).isZero();
        assertThat(sink.refCount()).isEqualTo(1);
        assertHr(v::createBookmark, HResult.MAPI_E_INVALID_OBJECT);
        sink.release();
    }

    // ---- R-TBL-8 GetRowCount ---------------------------------------------------------------------------------

    @Test
    void R_TBL_8_getRowCount_exactCountOfRowsPassingTheRestriction() {
        fill("a", "b", "a");
        MapiTable v = view();
        assertThat(v.getRowCount(0)).isEqualTo(3);
        v.restrict(eq("a"), 0);
        assertThat(v.getRowCount(0)).isEqualTo(2);
        data.modifyRow(row(9, "a", 0));
        assertThat(v.getRowCount(0)).isEqualTo(3);
        assertHr(() -> v.getRowCount(1), HResult.MAPI_E_UNKNOWN_FLAGS);
    }

    // ---- R-TBL-9 table notifications -------------------------------------------------------------------------

    @Test
    void R_TBL_9_advise_onlyFnevTableModified() {
        MapiTable v = view();
        RecordingSink sink = new RecordingSink();
        assertHr(() -> v.advise(Flags.fnevObjectModified, sink), HResult.MAPI_E_INVALID_PARAMETER);
        assertHr(() -> v.advise(Flags.fnevTableModified | Flags.fnevNewMail, sink),
                HResult.MAPI_E_INVALID_PARAMETER);
        assertHr(() -> v.advise(Flags.fnevTableModified, null), HResult.MAPI_E_INVALID_PARAMETER);
        assertThat(sink.refCount()).isEqualTo(1);
        sink.release();
    }

    @Test
    void R_TBL_9_rowAdded_firstRow_hasPrNullPrior_laterRows_thePrecedingIndex() {
        MapiTable v = view();
        RecordingSink sink = advise(v);
        data.modifyRow(row(1, "a", 0));
        data.modifyRow(row(2, "b", 0));
        queue.runAll();

        List<Notification.Table> events = sink.tables();
        assertThat(events).hasSize(2);
        Notification.Table first = events.get(0);
        assertThat(first.tableEvent()).isEqualTo(Flags.TABLE_ROW_ADDED);
        assertThat(first.hresult()).isEqualTo(HResult.S_OK);
        assertThat(first.propIndex()).isEqualTo(key(1));
        assertThat(first.propPrior().tag()).isEqualTo(PropTag.PR_NULL).isNotZero();
        assertThat(first.row().values()).containsExactly(key(1), PropValue.ofString(NAME, "a"));
        assertThat(events.get(1).propPrior()).isEqualTo(key(1));
    }

    @Test
    void R_TBL_9_propPrior_followsTheViewsSortOrder() {
        fill("c", "a");
        MapiTable v = view();
        v.sortTable(List.of(SortOrder.ascending(NAME)), 0);
        RecordingSink sink = advise(v);
        data.modifyRow(row(3, "b", 0));
        data.modifyRow(row(4, "0", 0));
        queue.runAll();
        assertThat(sink.tables()).extracting(Notification.Table::propPrior)
                .containsExactly(key(2), PropValue.of(PropTag.PR_NULL, null));
    }

    @Test
    void R_TBL_9_rowModified_andRowDeleted() {
        fill("a", "b");
        MapiTable v = view();
        RecordingSink sink = advise(v);
        data.modifyRow(row(2, "B", 0));
        data.deleteRow(key(1));
        queue.runAll();

        List<Notification.Table> events = sink.tables();
        assertThat(events).extracting(Notification.Table::tableEvent)
                .containsExactly(Flags.TABLE_ROW_MODIFIED, Flags.TABLE_ROW_DELETED);
        assertThat(events.get(0).propIndex()).isEqualTo(key(2));
        assertThat(events.get(0).propPrior()).isEqualTo(key(1));
        assertThat(events.get(0).row().get(NAME).asString()).isEqualTo("B");
        assertThat(events.get(1).propIndex()).isEqualTo(key(1));
        assertThat(events.get(1).row().values()).isEmpty();
    }

    @Test
    void R_TBL_9_rowColumns_areTheColumnSetInForceWhenGenerated() {
        MapiTable v = view();
        v.setColumns(new int[] {FLAGS}, 0);
        RecordingSink sink = advise(v);
        data.modifyRow(row(1, "a", 5));
        v.setColumns(new int[] {NAME}, 0);
        queue.runAll();
        assertThat(sink.tables().get(0).row().values()).containsExactly(PropValue.ofInt(FLAGS, 5));
    }

    @Test
    void R_TBL_9_oneNotificationPerEvent_inOrder_perView() {
        MapiTable v1 = view();
        MapiTable v2 = view();
        v2.restrict(eq("b"), 0);
        RecordingSink s1 = advise(v1);
        RecordingSink s2 = advise(v2);
        data.modifyRow(row(1, "a", 0));
        data.modifyRow(row(2, "b", 0));
        data.modifyRow(row(3, "c", 0));
        data.deleteRow(key(2));
        queue.runAll();

        assertThat(s1.batchSizes).containsOnly(1).hasSize(4);
        assertThat(s1.tables()).extracting(Notification.Table::propIndex)
                .containsExactly(key(1), key(2), key(3), key(2));
        assertThat(s2.tables()).extracting(Notification.Table::tableEvent)
                .containsExactly(Flags.TABLE_ROW_ADDED, Flags.TABLE_ROW_DELETED);
    }

    // ---- R-NTF-1 advise / unadvise ---------------------------------------------------------------------------

    @Test
    void R_NTF_1_advise_returnsNonZeroDistinctConnections() {
        MapiTable v = view();
        AdviseSink sink = n -> 0;
        int c1 = v.advise(Flags.fnevTableModified, sink);
        int c2 = v.advise(Flags.fnevTableModified, sink);
        int c3 = view().advise(Flags.fnevTableModified, sink);
        assertThat(List.of(c1, c2, c3)).doesNotContain(0).doesNotHaveDuplicates();
    }

    @Test
    void R_NTF_1_sourceHoldsTheSinkUntilUnadvise_clientMayReleaseRightAfterAdvise() {
        MapiTable v = view();
        RecordingSink sink = new RecordingSink();
        int conn = v.advise(Flags.fnevTableModified, sink);
        assertThat(sink.refCount()).isEqualTo(2);
        sink.release();
        assertThat(sink.isDestroyed()).isFalse();

        data.modifyRow(row(1, "a", 0));
        queue.runAll();
        assertThat(sink.received).hasSize(1);

        v.unadvise(conn);
        assertThat(sink.isDestroyed()).isTrue();
        data.modifyRow(row(2, "b", 0));
        queue.runAll();
        assertThat(sink.received).hasSize(1);
    }

    @Test
    void R_NTF_1_unadvise_unknownConnection_notFound() {
        MapiTable v = view();
        int conn = v.advise(Flags.fnevTableModified, n -> 0);
        assertHr(() -> v.unadvise(conn + 1000), HResult.MAPI_E_NOT_FOUND);
        v.unadvise(conn);
        assertHr(() -> v.unadvise(conn), HResult.MAPI_E_NOT_FOUND);
        assertHr(() -> view().unadvise(conn), HResult.MAPI_E_NOT_FOUND);
    }

    @Test
    void R_NTF_1_unadvise_waitsForAnOnNotifyRunningOnAnotherThread() throws Exception {
        thread = Executors.newSingleThreadExecutor();
        TableData async = new TableData(KEY, DEFAULT_COLUMNS, thread);
        MapiTable v = async.openView();
        opened.add(v);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        BlockingSink sink = new BlockingSink(entered, proceed);
        int conn = v.advise(Flags.fnevTableModified, sink);
        sink.release();

        async.modifyRow(row(1, "a", 0));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<?> unadvise = caller.submit(() -> v.unadvise(conn));
            assertThatThrownBy(() -> unadvise.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(sink.isDestroyed()).isFalse();
            proceed.countDown();
            unadvise.get(5, TimeUnit.SECONDS);
            assertThat(sink.isDestroyed()).isTrue();
            assertThat(sink.releasedWhileRunning.get()).isFalse();
        } finally {
            proceed.countDown();
            caller.shutdownNow();
        }
    }

    @Test
    void R_NTF_1_unadviseFromInsideOnNotify_doesNotDeadlock_sinkReleasedAfterReturn() throws Exception {
        thread = Executors.newSingleThreadExecutor();
        TableData async = new TableData(KEY, DEFAULT_COLUMNS, thread);
        MapiTable v = async.openView();
        opened.add(v);
        AtomicInteger connection = new AtomicInteger();
        AtomicReference<Boolean> aliveDuringCall = new AtomicReference<>();
        SelfUnadvisingSink sink = new SelfUnadvisingSink(v, connection, aliveDuringCall);
        connection.set(v.advise(Flags.fnevTableModified, sink));
        sink.release();

        async.modifyRow(row(1, "a", 0));
        async.modifyRow(row(2, "b", 0));
        thread.submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertThat(aliveDuringCall.get()).isTrue();
        assertThat(sink.calls.get()).isEqualTo(1);
        assertThat(sink.isDestroyed()).isTrue();
    }

    // ---- R-NTF-3 asynchronous delivery -----------------------------------------------------------------------

    @Test
    void R_NTF_3_notificationsAreDeliveredOnlyAfterTheChangingCallReturned() {
        MapiTable v = view();
        RecordingSink sink = advise(v);
        data.modifyRow(row(1, "a", 0));
        data.deleteRow(key(1));
        assertThat(sink.received).isEmpty();
        assertThat(queue.size()).isEqualTo(2);
        queue.runAll();
        assertThat(sink.received).hasSize(2);
    }

    @Test
    void R_NTF_3_sinksRunOnTheNotifierThread() throws Exception {
        thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "jmapi-notify-test"));
        TableData async = new TableData(KEY, DEFAULT_COLUMNS, thread);
        MapiTable v = async.openView();
        opened.add(v);
        List<String> threads = new CopyOnWriteArrayList<>();
        v.advise(Flags.fnevTableModified, n -> {
            threads.add(Thread.currentThread().getName());
            return 0;
        });
        async.modifyRow(row(1, "a", 0));
        thread.submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertThat(threads).containsExactly("jmapi-notify-test");
    }

    // ---- R-INV-2 invalidated views ---------------------------------------------------------------------------

    @Test
    void R_INV_2_invalidateViews_everyNonIUnknownCall_invalidObject() {
        fill("a");
        MapiTable v = view();
        int bk = v.createBookmark();
        data.invalidateViews();

        List<ThrowingCallable> calls = List.of(() -> v.queryColumns(0), () -> v.setColumns(new int[] {NAME}, 0),
                () -> v.queryRows(1, 0), () -> v.seekRow(Flags.BOOKMARK_BEGINNING, 0), v::queryPosition,
                () -> v.seekRowApprox(0, 1), () -> v.findRow(eq("a"), Flags.BOOKMARK_BEGINNING, 0),
                () -> v.restrict(null, 0), () -> v.sortTable(List.of(), 0), v::querySortOrder, v::createBookmark,
                () -> v.freeBookmark(bk), () -> v.getRowCount(0), () -> v.advise(Flags.fnevTableModified, n -> 0),
                () -> v.unadvise(1));
        for (ThrowingCallable call : calls) {
            assertHr(call, HResult.MAPI_E_INVALID_OBJECT);
        }
        assertThat(v.queryInterface(MapiTable.class)).isSameAs(v);
        v.release();
    }

    @Test
    void R_INV_2_invalidateViews_releaseStillWorks_andDestroysTheView() {
        MapiTable v = data.openView();
        data.invalidateViews();
        assertThat(data.openViews()).isEqualTo(1);
        v.release();
        assertThat(data.openViews()).isZero();
        assertThat(((BaseMapiObject) v).isDestroyed()).isTrue();
    }

    @Test
    void R_INV_2_invalidateViews_sinksReleased_andGetNothingMore_notEvenQueuedEvents() {
        MapiTable v = view();
        RecordingSink sink = new RecordingSink();
        v.advise(Flags.fnevTableModified, sink);
        data.modifyRow(row(1, "a", 0));
        data.invalidateViews();
        assertThat(sink.refCount()).isEqualTo(1);
        data.modifyRow(row(2, "b", 0));
        queue.runAll();
        assertThat(sink.received).isEmpty();
        sink.release();
    }

    @Test
    void R_INV_2_viewsOpenedAfterInvalidation_areValid() {
        fill("a");
        view();
        data.invalidateViews();
        MapiTable fresh = view();
        assertThat(names(fresh.queryRows(5, 0))).containsExactly("a");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static void assertHr(ThrowingCallable call, int hresult) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).as(HResult.name(hresult)).isEqualTo(hresult));
    }

    private static PropValue key(int n) {
        return PropValue.ofBinary(KEY, new byte[] {(byte) n});
    }

    private static List<PropValue> row(int n, String name, int flags) {
        return List.of(key(n), PropValue.ofString(NAME, name), PropValue.ofInt(FLAGS, flags));
    }

    private static Restriction eq(String name) {
        return new Restriction.Property(Restriction.RELOP_EQ, NAME, PropValue.ofString(NAME, name));
    }

    private static List<String> names(List<Row> rows) {
        return rows.stream().map(r -> r.get(NAME).asString()).toList();
    }

    private void fill(String... names) {
        for (int i = 0; i < names.length; i++) {
            data.modifyRow(row(i + 1, names[i], i));
        }
    }

    private MapiTable view() {
        MapiTable v = data.openView();
        opened.add(v);
        return v;
    }

    /** Advises a fresh sink and gives the test's own reference back; the view keeps it alive. */
    private static RecordingSink advise(MapiTable v) {
        RecordingSink sink = new RecordingSink();
        v.advise(Flags.fnevTableModified, sink);
        sink.release();
        return sink;
    }

    /** Collects tasks and runs them when the test says so: "later" made visible. */
    private static final class QueueExecutor implements Executor {
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        int size() {
            return tasks.size();
        }

        void runAll() {
            for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
                t.run();
            }
        }
    }

    /** A reference-counted sink that records what it receives. */
    private static class RecordingSink extends BaseMapiObject implements AdviseSink {
        final List<Notification> received = new CopyOnWriteArrayList<>();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        @Override
        public int onNotify(List<Notification> notifications) {
            batchSizes.add(notifications.size());
            received.addAll(notifications);
            return 0;
        }

        List<Notification.Table> tables() {
            return received.stream().map(Notification.Table.class::cast).toList();
        }
    }

    /** Blocks inside onNotify until told to proceed; records a release that happened while it was running. */
    private static final class BlockingSink extends RecordingSink {
        private final CountDownLatch entered;
        private final CountDownLatch proceed;
        private volatile boolean running;
        final AtomicReference<Boolean> releasedWhileRunning = new AtomicReference<>(false);

        BlockingSink(CountDownLatch entered, CountDownLatch proceed) {
            this.entered = entered;
            this.proceed = proceed;
        }

        @Override
        public int onNotify(List<Notification> notifications) {
            running = true;
            entered.countDown();
            try {
                proceed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running = false;
            return super.onNotify(notifications);
        }

        @Override
        protected void onFinalRelease() {
            releasedWhileRunning.set(running);
        }
    }

    /** Unadvises itself from inside its first onNotify. */
    private static final class SelfUnadvisingSink extends BaseMapiObject implements AdviseSink {
        private final MapiTable view;
        private final AtomicInteger connection;
        private final AtomicReference<Boolean> aliveDuringCall;
        final AtomicInteger calls = new AtomicInteger();

        SelfUnadvisingSink(MapiTable view, AtomicInteger connection, AtomicReference<Boolean> aliveDuringCall) {
            this.view = view;
            this.connection = connection;
            this.aliveDuringCall = aliveDuringCall;
        }

        @Override
        public int onNotify(List<Notification> notifications) {
            calls.incrementAndGet();
            view.unadvise(connection.get());
            aliveDuringCall.set(!isDestroyed());
            return 0;
        }
    }
}
