package org.jmapi.store.engine;

import org.jmapi.prop.PropValue;
import org.jmapi.table.Restrictions;
import org.jmapi.table.SortOrder;

import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * The contents-table order in Java, identical to the SQL order {@link RestrictionSql#orderBy} produces: the keys in
 * turn compared with {@link Restrictions#compare} (absent values first when ascending, last when descending), then
 * the row id in the direction of the last key (ascending without keys). Pure functions; thread-safe.
 */
public final class RowOrder {
    private RowOrder() {}

    /**
     * @param keys   the sort keys
     * @param values reads a row's value for a tag (null when absent)
     * @param id     reads a row's id
     * @param <T>    the row type
     * @return a total order on rows
     */
    public static <T> Comparator<T> comparator(List<SortOrder> keys, BiFunction<T, Integer, PropValue> values,
                                               ToLongFunction<T> id) {
        boolean lastDescending = !keys.isEmpty()
                && keys.get(keys.size() - 1).direction() == SortOrder.TABLE_SORT_DESCEND;
        Comparator<T> c = Comparator.comparingLong(id);
        if (lastDescending) {
            c = c.reversed();
        }
        for (int i = keys.size() - 1; i >= 0; i--) {
            int tag = keys.get(i).propTag();
            Comparator<T> byKey = (a, b) -> Restrictions.compare(values.apply(a, tag), values.apply(b, tag));
            if (keys.get(i).direction() == SortOrder.TABLE_SORT_DESCEND) {
                byKey = byKey.reversed();
            }
            c = byKey.thenComparing(c);
        }
        return c;
    }
}
