package org.jmapi.store.engine;

import org.jmapi.prop.PropTag;
import org.jmapi.table.SortOrder;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The composite indexes {@code (folder_id, associated, column, id)} of the {@link IndexedColumn}s, built when a
 * contents table is first sorted by their column instead of when the store is created.
 *
 * <p>Why: every index costs every new message one more b-tree leaf written (and flushed) on save, and most folders
 * are only ever sorted by delivery time. So a new store has the index of {@link IndexedColumn#eager() eager} columns
 * only (delivery time: the default view of every mail folder, and the sort of the bench's {@code table.sort} row);
 * the first sort whose leading key is another indexed column builds that column's index, once, and from then on
 * every sort by it is an index walk and every save pays for it — what Exchange does with the views its clients
 * use. Until it exists (or where it cannot be built: a read-only file) the sort is still done by the database, over
 * the folder's rows, so results never depend on it. Indexes are not dropped again.
 *
 * <p>Thread-safe. The engine supplies how to test whether an index exists and how to build it; building is
 * idempotent ({@code CREATE INDEX IF NOT EXISTS}), so two instances (or two hosts) racing to build the same one are
 * harmless. A build failure (the engine's {@code build} logs it) is remembered for the life of this object, so a
 * read-only store does not retry on every sort.
 */
public final class SortIndexes {
    private final Predicate<IndexedColumn> exists;
    private final Consumer<IndexedColumn> build;
    private final Set<IndexedColumn> present = ConcurrentHashMap.newKeySet();
    private final Set<IndexedColumn> unavailable = ConcurrentHashMap.newKeySet();

    /**
     * @param exists whether the column's index is in the database (another instance may have built it)
     * @param build  builds the column's index ({@code CREATE INDEX IF NOT EXISTS}); throws when it cannot
     */
    public SortIndexes(Predicate<IndexedColumn> exists, Consumer<IndexedColumn> build) {
        this.exists = exists;
        this.build = build;
    }

    /**
     * The column whose index serves a sort order: the leading key's column, when every key is an indexed column (the
     * order is then SQL's, {@link RestrictionSql#orderBy}); otherwise null.
     *
     * @param keys the sort keys (already validated)
     * @return the column, or null
     */
    public static IndexedColumn leading(List<SortOrder> keys) {
        if (keys.isEmpty()) {
            return null;
        }
        for (SortOrder k : keys) {
            if (IndexedColumn.byPropId(PropTag.id(k.propTag())) == null) {
                return null;
            }
        }
        return IndexedColumn.byPropId(PropTag.id(keys.get(0).propTag()));
    }

    /**
     * Makes sure the index that serves {@code keys} exists, building it if needed. Call before the query, outside any
     * transaction of the calling thread (building one takes the store's write lock).
     *
     * @param keys the sort keys of a contents query
     * @return whether the serving index exists now (false: no index serves this order, or it could not be built)
     */
    public boolean require(List<SortOrder> keys) {
        IndexedColumn c = leading(keys);
        if (c == null || c.eager() || present.contains(c)) {
            return c != null;
        }
        if (unavailable.contains(c)) {
            return false;
        }
        if (!exists.test(c)) {
            try {
                build.accept(c);
            } catch (RuntimeException e) {
                unavailable.add(c);
                return false;
            }
        }
        present.add(c);
        return true;
    }
}
