package org.jmapi.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer's statement cache: statements are reused by SQL text, never handed out twice at once (a nested use
 * of the same SQL while its result set is open gets its own statement), failed statements are not kept, the cache
 * is bounded, and {@link Sql} only uses it on the connection it belongs to while it is current.
 */
class StatementCacheTest {
    @TempDir
    Path dir;

    private Connection connect(boolean generatedKeys) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setGetGeneratedKeys(generatedKeys);
        Connection c = config.createConnection("jdbc:sqlite:" + dir.resolve("t.db").toAbsolutePath());
        Sql.update(c, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)");
        return c;
    }

    @Test
    void reusesStatementsBySqlText() throws SQLException {
        try (Connection c = connect(false); StatementCache cache = new StatementCache(c)) {
            PreparedStatement first = cache.take("SELECT 1");
            cache.give("SELECT 1", first, true);
            assertThat(cache.take("SELECT 1")).isSameAs(first);
            assertThat(cache.take("SELECT 2")).isNotSameAs(first);
        }
    }

    @Test
    void sqlUsesTheCacheOnlyWhileCurrentAndOnlyForItsConnection() throws SQLException {
        try (Connection c = connect(false); Connection other = connect(true); StatementCache cache =
                new StatementCache(c)) {
            Sql.update(c, "INSERT INTO t (v) VALUES (?)", "outside");
            assertThat(cache.size()).isZero();
            StatementCache outer = cache.enter();
            try {
                assertThat(StatementCache.current(other)).isNull();
                assertThat(Sql.insert(other, "INSERT INTO t (v) VALUES (?)", "other")).isEqualTo(2);
                assertThat(cache.size()).isZero();
                long a = Sql.insert(c, "INSERT INTO t (v) VALUES (?)", "a");
                long b = Sql.insert(c, "INSERT INTO t (v) VALUES (?)", "b");
                assertThat(b).isEqualTo(a + 1);
                assertThat(cache.size()).isEqualTo(1); // one INSERT … RETURNING rowid statement, reused
                assertThat(Sql.one(c, "SELECT v FROM t WHERE id = ?", rs -> rs.getString(1), b)).contains("b");
                assertThat(Sql.one(c, "SELECT v FROM t WHERE id = ?", rs -> rs.getString(1), a)).contains("a");
                assertThat(Sql.one(c, "SELECT v FROM t WHERE id = ?", rs -> rs.getString(1), -1)).isEmpty();
            } finally {
                StatementCache.exit(outer);
            }
            assertThat(StatementCache.current(c)).isNull();
        }
    }

    @Test
    void nestedUseOfTheSameSqlGetsItsOwnStatement() throws SQLException {
        try (Connection c = connect(false); StatementCache cache = new StatementCache(c)) {
            for (String v : List.of("x", "y", "z")) {
                Sql.update(c, "INSERT INTO t (v) VALUES (?)", v);
            }
            StatementCache outer = cache.enter();
            try {
                String sql = "SELECT id, v FROM t WHERE id >= ? ORDER BY id";
                // the mapper runs the same SQL while the outer result set is open
                List<String> rows = Sql.list(c, sql, rs -> rs.getString(2) + Sql.list(c, sql,
                        inner -> inner.getString(2), rs.getLong(1)).size(), 1L);
                assertThat(rows).containsExactly("x3", "y2", "z1");
                assertThat(Sql.list(c, sql, rs -> rs.getString(2), 2L)).containsExactly("y", "z");
            } finally {
                StatementCache.exit(outer);
            }
            assertThat(cache.size()).isEqualTo(1);
        }
    }

    @Test
    void failedStatementsAreClosedNotKept() throws SQLException {
        try (Connection c = connect(false); StatementCache cache = new StatementCache(c)) {
            Sql.update(c, "CREATE UNIQUE INDEX tv ON t (v)");
            StatementCache outer = cache.enter();
            try {
                Sql.update(c, "INSERT INTO t (v) VALUES (?)", "dup");
                PreparedStatement kept = cache.take("INSERT INTO t (v) VALUES (?)");
                cache.give("INSERT INTO t (v) VALUES (?)", kept, true);
                assertThatThrownBy(() -> Sql.update(c, "INSERT INTO t (v) VALUES (?)", "dup"))
                        .isInstanceOf(SQLException.class);
                assertThat(kept.isClosed()).isTrue();
                assertThat(cache.size()).isZero();
                assertThat(Sql.update(c, "INSERT INTO t (v) VALUES (?)", "new")).isEqualTo(1);
            } finally {
                StatementCache.exit(outer);
            }
        }
    }

    @Test
    void isBoundedAndClosesEverythingOnClose() throws SQLException {
        try (Connection c = connect(false)) {
            StatementCache cache = new StatementCache(c);
            PreparedStatement eldest = cache.take("SELECT 0");
            cache.give("SELECT 0", eldest, true);
            PreparedStatement last = null;
            for (int i = 1; i <= StatementCache.CAPACITY; i++) {
                last = cache.take("SELECT " + i);
                cache.give("SELECT " + i, last, true);
            }
            assertThat(cache.size()).isEqualTo(StatementCache.CAPACITY);
            assertThat(eldest.isClosed()).isTrue();
            assertThat(last.isClosed()).isFalse();
            cache.close();
            assertThat(cache.size()).isZero();
            assertThat(last.isClosed()).isTrue();
            assertThat(StatementCache.current(c)).isNull();
        }
    }
}
