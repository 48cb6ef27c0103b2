/**
 * The PostgreSQL storage engine of jmapi's message store: {@link org.jmapi.store.postgres.PostgresStorage}, many
 * stores in one database (every row keyed by its store, one versioned {@code jmapi} schema with migrations, writes of
 * a store serialised by a row lock, durable commits), with the SQL kept to what PostgreSQL-compatible distributed
 * engines also accept. Everything else here is package-private machinery behind it.
 */
package org.jmapi.store.postgres;
