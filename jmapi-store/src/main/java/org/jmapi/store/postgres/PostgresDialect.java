package org.jmapi.store.postgres;

import org.jmapi.store.engine.IndexedColumn;
import org.jmapi.store.engine.RestrictionSql;

/**
 * PostgreSQL's pieces of the contents-table SQL ({@link RestrictionSql.Dialect}), and the index expressions the
 * schema builds to match them.
 *
 * <ul>
 *   <li>Substring test: {@code strpos(c, ?) > 0} (counts characters; the columns hold {@link
 *       org.jmapi.store.engine.SortKeys#text} keys, one character per UTF-16 code unit).</li>
 *   <li>NULL placement: PostgreSQL sorts NULL highest, jmapi's order ({@link org.jmapi.store.engine.RowOrder})
 *       puts an absent property first when ascending and last when descending; so keys say {@code NULLS FIRST} /
 *       {@code DESC NULLS LAST}, and the indexes are built {@code NULLS FIRST}, so that one index serves both
 *       directions (a descending sort is a backward index scan).</li>
 *   <li>String columns are sorted by the first {@value #STRING_KEY_CHARS} characters, then by the whole value:
 *       the same order (a difference in the prefix decides; equal prefixes fall through to the whole value), but
 *       the index holds only the prefix, because a B-tree entry must stay under about 2.7 kB and a subject may be
 *       far longer. Sorting by a string column is then an index walk plus an incremental sort of equal
 *       prefixes.</li>
 * </ul>
 * Stateless; thread-safe.
 */
final class PostgresDialect implements RestrictionSql.Dialect {
    /** The one instance. */
    static final PostgresDialect INSTANCE = new PostgresDialect();

    /** How many leading characters of a string column its index holds. */
    static final int STRING_KEY_CHARS = 200;

    private PostgresDialect() {}

    @Override
    public String contains(String column) {
        return "strpos(" + column + ", ?) > 0";
    }

    @Override
    public String orderKey(IndexedColumn column, boolean descending) {
        String nulls = descending ? " DESC NULLS LAST" : " NULLS FIRST";
        if (column.kind() == IndexedColumn.Kind.STRING) {
            return indexExpression(column) + nulls + ", " + column.column() + nulls;
        }
        return column.column() + nulls;
    }

    /**
     * @param column an indexed column
     * @return the expression its index sorts by: the column, or for a string column its leading characters
     */
    static String indexExpression(IndexedColumn column) {
        return column.kind() == IndexedColumn.Kind.STRING
                ? "left(" + column.column() + ", " + STRING_KEY_CHARS + ")" : column.column();
    }
}
