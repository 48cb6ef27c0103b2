package org.jmapi.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small JDBC conveniences for the PostgreSQL engine: bind parameters, run a statement, map rows. The PostgreSQL
 * driver keeps server-side prepared statements per connection by SQL text, so statements are simply prepared and
 * closed. Thread-safe (stateless).
 */
final class Sql {
    private Sql() {}

    /** Maps the current row of a result set. */
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (p instanceof Integer x) {
                ps.setInt(i + 1, x);
            } else if (p instanceof Long x) {
                ps.setLong(i + 1, x);
            } else if (p instanceof String x) {
                ps.setString(i + 1, x);
            } else if (p instanceof byte[] x) {
                ps.setBytes(i + 1, x);
            } else if (p instanceof Boolean x) {
                ps.setBoolean(i + 1, x);
            } else if (p instanceof java.sql.Array x) {
                ps.setArray(i + 1, x);
            } else {
                throw new IllegalArgumentException("cannot bind " + p.getClass().getName());
            }
        }
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Runs an {@code INSERT ... RETURNING id} and returns the new row's id. */
    static long insert(Connection c, String sql, Object... params) throws SQLException {
        return one(c, sql + " RETURNING id", rs -> rs.getLong(1), params)
                .orElseThrow(() -> new SQLException("no id returned by " + sql));
    }

    /** @return a SQL {@code bigint[]} of the ids, for {@code = ANY(?)} */
    static java.sql.Array ids(Connection c, java.util.Collection<Long> ids) throws SQLException {
        return c.createArrayOf("bigint", ids.toArray(new Long[0]));
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
            }
        }
    }

    static long longValue(Connection c, String sql, Object... params) throws SQLException {
        return one(c, sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    /** @return {@code rs.getInt(col)}, or null when the column is SQL NULL */
    static Integer intOrNull(ResultSet rs, String col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }

    /** @return {@code rs.getLong(col)}, or null when the column is SQL NULL */
    static Long longOrNull(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }
}
