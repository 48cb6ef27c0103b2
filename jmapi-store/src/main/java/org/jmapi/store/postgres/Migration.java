package org.jmapi.store.postgres;

import java.util.List;

/**
 * One step of the jmapi schema's history in a PostgreSQL database: the statements that take the {@code jmapi}
 * schema from {@code version - 1} to {@code version}. Steps are applied in version order, all pending ones inside
 * one transaction (PostgreSQL's DDL is transactional), each recorded in {@code jmapi.schema_version} (see
 * {@link Schema}). Immutable.
 *
 * @param version     the schema version this step produces (1, 2, ...)
 * @param description what it does, recorded in {@code jmapi.schema_version}
 * @param statements  the SQL statements, run in order; table names qualified with {@code jmapi.}
 */
record Migration(int version, String description, List<String> statements) {
    Migration {
        statements = List.copyOf(statements);
    }
}
