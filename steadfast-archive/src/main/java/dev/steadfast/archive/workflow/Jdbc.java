package dev.steadfast.archive.workflow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** The few JDBC helpers the workflow tables need (the index package keeps its own private). */
final class Jdbc {
    private Jdbc() {
    }

    static PreparedStatement prepare(Connection c, String sql, Object... values) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case null -> ps.setNull(i + 1, Types.NULL);
                case String s -> ps.setString(i + 1, s);
                case Long n -> ps.setLong(i + 1, n);
                case Integer n -> ps.setInt(i + 1, n);
                case byte[] b -> ps.setBytes(i + 1, b);
                default -> ps.setObject(i + 1, values[i]);
            }
        }
        return ps;
    }

    static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, values)) {
            return ps.executeUpdate();
        }
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
