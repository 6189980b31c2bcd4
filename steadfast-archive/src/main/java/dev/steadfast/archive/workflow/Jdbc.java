package dev.steadfast.archive.workflow;

import dev.steadfast.archive.index.Bind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The few JDBC helpers the workflow tables need; statements are bound by {@link Bind}. */
final class Jdbc {
    private Jdbc() {
    }

    /** Binds as {@link Bind} does (a null as VARCHAR), the one binder of the tables beside the index. */
    static PreparedStatement prepare(Connection c, String sql, Object... values) throws SQLException {
        return Bind.prepare(c, sql, values);
    }

    static int update(Connection c, String sql, Object... values) throws SQLException {
        return Bind.update(c, sql, values);
    }

    static List<Long> ids(Connection c, String sql, Object... values) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, values); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** Rows of (id, bytes). */
    static List<Object[]> blobs(Connection c, String sql, Object... values) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, values); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Object[] {rs.getLong(1), rs.getBytes(2)});
            }
        }
        return out;
    }
}
