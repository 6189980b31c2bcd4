package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Prepared statements kept per physical database connection and re-used by every transaction
 * that borrows it, instead of being prepared again each time. Why: on the ingest path, preparing
 * the same ten statements per instance was 18 % of the SQLite native time (issue 8); PostgreSQL's
 * driver also switches a statement it sees re-used to a server-side prepared one.
 *
 * <p>Statements are prepared on the pool's underlying connection, which the pool does not close
 * on return; they live as long as it does. A connection is used by one thread at a time, so its
 * own map needs no lock; the map of connections is small (the pool's size) and drops closed ones.
 */
final class Statements {
    private final Map<Connection, Map<String, PreparedStatement>> byConnection = new IdentityHashMap<>();

    /** The statement cache of the physical connection under {@code c}. */
    synchronized Cache of(Connection c) throws SQLException {
        Connection raw = c.isWrapperFor(Connection.class) ? c.unwrap(Connection.class) : c;
        Map<String, PreparedStatement> m = byConnection.get(raw);
        if (m == null) {
            byConnection.keySet().removeIf(Statements::isClosed); // connections the pool retired
            m = new HashMap<>();
            byConnection.put(raw, m);
        }
        return new Cache(raw, m);
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** One connection's statements, for the transaction that holds it. Do not close what it returns. */
    static final class Cache {
        private final Connection raw;
        private final Map<String, PreparedStatement> statements;

        Cache(Connection raw, Map<String, PreparedStatement> statements) {
            this.raw = raw;
            this.statements = statements;
        }

        /** A prepared statement for {@code sql}, parameters cleared. */
        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null || ps.isClosed()) {
                ps = raw.prepareStatement(sql);
                statements.put(sql, ps);
            } else {
                ps.clearParameters();
            }
            return ps;
        }
    }
}
