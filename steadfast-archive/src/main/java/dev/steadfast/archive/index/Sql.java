package dev.steadfast.archive.index;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** Small JDBC helpers shared by the repositories. */
final class Sql {
    private Sql() {}

    static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            switch (v) {
                case null -> ps.setNull(i + 1, Types.NULL); // untyped: PostgreSQL infers the column type
                case String s -> ps.setString(i + 1, s);
                case Integer n -> ps.setInt(i + 1, n);
                case Long n -> ps.setLong(i + 1, n);
                case byte[] b -> ps.setBytes(i + 1, b);
                default -> ps.setObject(i + 1, v);
            }
        }
    }

    /** Runs an INSERT ... RETURNING id and gives the id. */
    static long insertReturningId(java.sql.Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql + " RETURNING id")) {
            bind(ps, values);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("INSERT returned no id: " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    static int update(java.sql.Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, values);
            return ps.executeUpdate();
        }
    }

    /** The first column of the first row as a long, or -1 when there is no row. */
    static long queryId(java.sql.Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, values);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** As {@link #insertReturningId(java.sql.Connection, String, Object...)}, with a re-used statement. */
    static long insertReturningId(Statements.Cache st, String sql, Object... values) throws SQLException {
        PreparedStatement ps = st.prepare(sql + " RETURNING id");
        bind(ps, values);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("INSERT returned no id: " + sql);
            }
            return rs.getLong(1);
        }
    }

    static int update(Statements.Cache st, String sql, Object... values) throws SQLException {
        PreparedStatement ps = st.prepare(sql);
        bind(ps, values);
        return ps.executeUpdate();
    }

    static long queryId(Statements.Cache st, String sql, Object... values) throws SQLException {
        PreparedStatement ps = st.prepare(sql);
        bind(ps, values);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** The first column of the first row as text, or null when there is no row. */
    static String queryUid(java.sql.Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, values);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static Integer getInteger(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
