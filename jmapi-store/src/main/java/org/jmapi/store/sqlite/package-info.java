/**
 * The SQLite storage engine of jmapi's message store: {@link org.jmapi.store.sqlite.SqliteStorage}, one store per
 * file (WAL mode, {@code synchronous=FULL}, foreign keys on, a busy timeout, a versioned schema with migrations).
 * Everything else here is package-private machinery behind it.
 */
package org.jmapi.store.sqlite;
