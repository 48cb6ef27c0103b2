package org.jmapi.store.sqlite;

import java.util.List;

/**
 * One step of the store file's schema history: the statements that take a store from {@code version - 1} to
 * {@code version}. Steps are applied in version order, all pending ones inside one transaction, each recorded in
 * {@code schema_version} (see {@link Schema}). Immutable.
 *
 * @param version     the schema version this step produces (1, 2, ...)
 * @param description what it does, recorded in {@code schema_version}
 * @param statements  the SQL statements, run in order
 */
record Migration(int version, String description, List<String> statements) {
    Migration {
        statements = List.copyOf(statements);
    }
}
