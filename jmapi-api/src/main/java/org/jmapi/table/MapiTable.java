package org.jmapi.table;

import org.jmapi.AdviseSink;
import org.jmapi.MapiObject;

import java.util.List;

/**
 * IMAPITable: a view of rows with its own column set, restriction, sort order, cursor and bookmarks.
 *
 * <p><b>Ownership.</b> The caller owns the table reference it was given and releases it; releasing the table frees
 * its bookmarks and its advise registrations. Rows returned belong to the caller.
 *
 * <p><b>After logoff.</b> Tables obtained through a logon that was logged off throw MAPI_E_INVALID_OBJECT from
 * every method but IUnknown, and their sinks receive nothing more (R-INV-2).
 *
 * <p><b>Threads.</b> Safe for use from several threads; each call is atomic with respect to the view's cursor.
 * Notifications arrive on the notification dispatcher thread, after the call that caused them returned (R-NTF-3).
 */
public interface MapiTable extends MapiObject {
    /** TBL_ALL_COLUMNS = 1, for {@link #queryColumns}. */
    int TBL_ALL_COLUMNS = 0x1;

    /**
     * IMAPITable::QueryColumns.
     *
     * @param flags 0 for the current column set, TBL_ALL_COLUMNS for every column the table could return
     * @return the tags
     */
    int[] queryColumns(int flags);

    /**
     * IMAPITable::SetColumns (R-TBL-1). Columns the table does not have are not an error here; rows carry them as
     * PT_ERROR / MAPI_E_NOT_FOUND. PR_NULL reserves a slot.
     *
     * @param tags  the column set, at least one tag
     * @param flags 0 or TBL_BATCH / TBL_ASYNC (done synchronously)
     * @throws org.jmapi.MapiException MAPI_E_INVALID_PARAMETER for null or empty tags
     */
    void setColumns(int[] tags, int flags);

    /**
     * IMAPITable::QueryRows (R-TBL-2).
     *
     * @param count non-zero: positive reads forward from the cursor, negative first moves back |count| rows
     * @param flags 0 or TBL_NOADVANCE
     * @return at most |count| rows; empty at the end
     * @throws org.jmapi.MapiException MAPI_E_INVALID_PARAMETER for count 0
     */
    List<Row> queryRows(int count, int flags);

    /**
     * IMAPITable::SeekRow (R-TBL-5): moves from a bookmark by {@code rowCount} rows, clamped at the ends.
     *
     * @param bookmark BOOKMARK_BEGINNING, BOOKMARK_CURRENT, BOOKMARK_END or one from {@link #createBookmark()}
     * @param rowCount signed distance
     * @return the signed distance moved and S_OK or MAPI_W_POSITION_CHANGED
     * @throws org.jmapi.MapiException MAPI_E_INVALID_BOOKMARK for an unknown or freed bookmark
     */
    SeekResult seekRow(int bookmark, int rowCount);

    /**
     * IMAPITable::QueryPosition.
     *
     * @return the cursor row (0-based) and the row count as numerator/denominator
     */
    Position queryPosition();

    /**
     * IMAPITable::SeekRowApprox: moves the cursor to about {@code numerator/denominator} of the table.
     *
     * @param numerator   numerator
     * @param denominator denominator, non-zero
     */
    void seekRowApprox(int numerator, int denominator);

    /**
     * IMAPITable::FindRow (R-TBL-6): leaves the cursor on the first matching row.
     *
     * @param restriction the condition
     * @param bookmark    where to start; with DIR_BACKWARD the row before it
     * @param flags       0 or DIR_BACKWARD
     * @throws org.jmapi.MapiException MAPI_E_NOT_FOUND when no row matches
     */
    void findRow(Restriction restriction, int bookmark, int flags);

    /**
     * IMAPITable::Restrict (R-TBL-3): replaces the filter (null removes it), frees bookmarks, cursor to start.
     *
     * @param restriction the filter, or null
     * @param flags       0 or TBL_BATCH / TBL_ASYNC
     */
    void restrict(Restriction restriction, int flags);

    /**
     * IMAPITable::SortTable (R-TBL-4): frees bookmarks, cursor to start; on failure the old order stays.
     *
     * @param order the keys; empty means no particular order
     * @param flags 0 or TBL_BATCH / TBL_ASYNC
     */
    void sortTable(List<SortOrder> order, int flags);

    /**
     * IMAPITable::QuerySortOrder.
     *
     * @return the keys in force
     */
    List<SortOrder> querySortOrder();

    /**
     * IMAPITable::CreateBookmark (R-TBL-7).
     *
     * @return a bookmark on the cursor row
     * @throws org.jmapi.MapiException MAPI_E_UNABLE_TO_COMPLETE beyond the implementation's limit
     */
    int createBookmark();

    /**
     * IMAPITable::FreeBookmark (R-TBL-7): predefined bookmarks are ignored.
     *
     * @param bookmark the bookmark
     * @throws org.jmapi.MapiException MAPI_E_INVALID_BOOKMARK for an unknown one
     */
    void freeBookmark(int bookmark);

    /**
     * IMAPITable::GetRowCount (R-TBL-8).
     *
     * @param flags 0
     * @return the number of rows passing the restriction
     */
    int getRowCount(int flags);

    /**
     * IMAPITable::Advise (R-TBL-9): only fnevTableModified.
     *
     * @param eventMask fnevTableModified
     * @param sink      called on the dispatcher thread; if it is a {@link MapiObject} it is AddRef'ed until
     *                  {@link #unadvise} (R-NTF-1)
     * @return a non-zero connection number
     */
    int advise(int eventMask, AdviseSink sink);

    /**
     * IMAPITable::Unadvise (R-NTF-1): waits for a notification running on another thread to finish.
     *
     * @param connection from {@link #advise}
     * @throws org.jmapi.MapiException MAPI_E_NOT_FOUND for an unknown connection
     */
    void unadvise(int connection);

    /**
     * The answer of {@link #seekRow}.
     *
     * @param hresult S_OK or MAPI_W_POSITION_CHANGED
     * @param rowsSought the signed number of rows actually moved
     */
    record SeekResult(int hresult, int rowsSought) {}

    /**
     * The answer of {@link #queryPosition}.
     *
     * @param row         the 0-based cursor row
     * @param numerator   equal to {@code row}
     * @param denominator the row count
     */
    record Position(int row, int numerator, int denominator) {}
}
