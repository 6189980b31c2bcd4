package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code cluster_node} table: one row per node, its endpoints and its last heartbeat. */
public final class ClusterNodeRepository {
    /** A node's row as stored; times are epoch milliseconds of the node's own clock. */
    public record Row(String nodeId, String version, long startedAt, long lastHeartbeat, String dicomEndpoint,
                      String httpEndpoint, String state) {
    }

    private final Connection connection;

    ClusterNodeRepository(Connection connection) {
        this.connection = connection;
    }

    /** Inserts or replaces the node's row (the same statement on SQLite and PostgreSQL). */
    public void upsert(Row r) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO cluster_node (node_id, version, started_at, last_heartbeat, dicom_endpoint, http_endpoint, state)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (node_id) DO UPDATE SET version = excluded.version, started_at = excluded.started_at,
                    last_heartbeat = excluded.last_heartbeat, dicom_endpoint = excluded.dicom_endpoint,
                    http_endpoint = excluded.http_endpoint, state = excluded.state""")) {
            ps.setString(1, r.nodeId());
            ps.setString(2, r.version());
            ps.setLong(3, r.startedAt());
            ps.setLong(4, r.lastHeartbeat());
            ps.setString(5, r.dicomEndpoint());
            ps.setString(6, r.httpEndpoint());
            ps.setString(7, r.state());
            ps.executeUpdate();
        }
    }

    /** Every node ever seen, by id. */
    public List<Row> all() throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT node_id, version, started_at, last_heartbeat, dicom_endpoint, http_endpoint, state
                FROM cluster_node ORDER BY node_id""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)));
            }
        }
        return out;
    }
}
