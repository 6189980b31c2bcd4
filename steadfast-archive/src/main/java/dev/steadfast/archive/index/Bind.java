package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Statements with positional values, for the tables kept beside the index (forwarding, prefetch,
 * the workflow tables, IOCM rejections). A null is bound as VARCHAR: PostgreSQL then types it as text
 * (an untyped null in {@code ? IS NULL} would not be typed at all), so a null may go only where text
 * goes: every nullable value these tables bind is text (names, UIDs, reasons); numbers are never null.
 */
public final class Bind {
    private Bind() {
    }

    /** The statement with {@code values} bound in order; closed again if binding fails. */
    public static PreparedStatement prepare(Connection c, String sql, Object... values) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < values.length; i++) {
                switch (values[i]) {
                    case null -> ps.setNull(i + 1, Types.VARCHAR);
                    case String s -> ps.setString(i + 1, s);
                    case Integer n -> ps.setInt(i + 1, n);
                    case Long n -> ps.setLong(i + 1, n);
                    case byte[] b -> ps.setBytes(i + 1, b);
                    default -> ps.setObject(i + 1, values[i]);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    public static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, values)) {
            return ps.executeUpdate();
        }
    }
}
