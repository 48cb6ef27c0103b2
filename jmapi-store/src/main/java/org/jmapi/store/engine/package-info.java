/**
 * Building blocks shared by jmapi's storage engines (SQLite now, PostgreSQL later), so that every engine stores the
 * same bytes, accepts and refuses the same input, and translates contents-table queries the same way: the property
 * codec ({@link org.jmapi.store.engine.PropCodec}), order-preserving column encodings
 * ({@link org.jmapi.store.engine.SortKeys}), the indexed contents-table columns
 * ({@link org.jmapi.store.engine.IndexedColumn}), image validation ({@link org.jmapi.store.engine.ImageRules}),
 * restriction-to-SQL translation ({@link org.jmapi.store.engine.RestrictionSql}) and the Java row order
 * ({@link org.jmapi.store.engine.RowOrder}).
 *
 * <p>For engine implementers, not for the MAPI layer, which sees only {@link org.jmapi.store.Storage}.
 */
package org.jmapi.store.engine;
