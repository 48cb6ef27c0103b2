package org.jmapi.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepared statements kept open on one connection, keyed by their SQL text (sqlite-jdbc has no statement cache,
 * and preparing is a large part of a small write transaction's cost).
 *
 * <p>A statement is {@linkplain #take taken} out of the cache for one use and {@linkplain #give given} back when
 * that use is over (its result set closed, its parameters cleared), so a statement is never handed out twice at
 * once: a nested use of the same SQL text while the first is running simply prepares a second statement. A
 * statement whose use failed is closed, not cached. At most {@link #CAPACITY} idle statements are kept (least
 * recently used closed first), so SQL built with variable {@code IN (…)} lists cannot make the cache grow without
 * bound.
 *
 * <p>Not thread-safe: {@link Db} uses it for the writer connection only, on the thread that holds the write lock,
 * and makes it visible to {@link Sql} with {@link #enter()} / {@link #exit}. {@link #close()} closes every idle
 * statement; {@link Db} calls it before closing the connection.
 */
final class StatementCache implements AutoCloseable {
    /** Idle statements kept at most. */
    static final int CAPACITY = 64;

    private static final ThreadLocal<StatementCache> CURRENT = new ThreadLocal<>();

    private final Connection connection;
    private final LinkedHashMap<String, PreparedStatement> idle = new LinkedHashMap<>(32, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > CAPACITY) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    };
    private boolean closed;

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    /**
     * @param c a connection
     * @return the cache this thread is using for {@code c}, or null (then prepare and close as usual)
     */
    static StatementCache current(Connection c) {
        StatementCache s = CURRENT.get();
        return s != null && s.connection == c && !s.closed ? s : null;
    }

    /**
     * Makes this cache current for its connection on this thread.
     *
     * @return the cache that was current before, to pass to {@link #exit}
     */
    StatementCache enter() {
        StatementCache previous = CURRENT.get();
        CURRENT.set(this);
        return previous;
    }

    /** Restores the cache that was current before {@link #enter()}. */
    static void exit(StatementCache previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** @return an idle statement for {@code sql} (removed from the cache until given back), or a new one */
    PreparedStatement take(String sql) throws SQLException {
        PreparedStatement ps = idle.remove(sql);
        return ps != null ? ps : connection.prepareStatement(sql);
    }

    /**
     * Ends one use of a statement from {@link #take}: keeps it for the next use of {@code sql}, or closes it.
     *
     * @param ok whether the use succeeded (a failed statement is closed)
     */
    void give(String sql, PreparedStatement ps, boolean ok) {
        if (!ok || closed) {
            closeQuietly(ps);
            return;
        }
        try {
            ps.clearParameters();
        } catch (SQLException e) {
            closeQuietly(ps);
            return;
        }
        PreparedStatement other = idle.put(sql, ps);
        if (other != null && other != ps) {
            closeQuietly(other);
        }
    }

    /** @return the number of idle statements (for tests) */
    int size() {
        return idle.size();
    }

    @Override
    public void close() {
        closed = true;
        List<PreparedStatement> all = new ArrayList<>(idle.values());
        idle.clear();
        for (PreparedStatement ps : all) {
            closeQuietly(ps);
        }
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // finalizing a statement cannot fail in a way the caller could act on
        }
    }
}
