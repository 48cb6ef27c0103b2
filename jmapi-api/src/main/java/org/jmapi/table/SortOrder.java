package org.jmapi.table;

/**
 * One SSortOrder key. A list of keys is an SSortOrderSet; jmapi tables do not categorise. Immutable.
 *
 * @param propTag   the column sorted on
 * @param direction {@link #TABLE_SORT_ASCEND} or {@link #TABLE_SORT_DESCEND}
 */
public record SortOrder(int propTag, int direction) {
    /** TABLE_SORT_ASCEND = 0. */
    public static final int TABLE_SORT_ASCEND = 0;
    /** TABLE_SORT_DESCEND = 1. */
    public static final int TABLE_SORT_DESCEND = 1;

    /**
     * @param tag the column
     * @return an ascending key
     */
    public static SortOrder ascending(int tag) {
        return new SortOrder(tag, TABLE_SORT_ASCEND);
    }

    /**
     * @param tag the column
     * @return a descending key
     */
    public static SortOrder descending(int tag) {
        return new SortOrder(tag, TABLE_SORT_DESCEND);
    }
}
