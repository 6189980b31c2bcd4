package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code storage_repair} table (issue 15): copies a storage target lacks or holds damaged, with
 * the node that found out, so that they outlive that node.
 */
public final class StorageRepairRepository {
    /** One pending repair as stored; {@code notedAt} in epoch milliseconds of the noting node's clock. */
    public record Row(String target, String storageKey, boolean damaged, String nodeId, long notedAt) {
    }

    private final Connection connection;

    StorageRepairRepository(Connection connection) {
        this.connection = connection;
    }

    /** Records {@code r}; a row already there keeps its node and becomes damaged if either says so. */
    public void note(Row r) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO storage_repair (target, storage_key, damaged, node_id, noted_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (target, storage_key) DO UPDATE SET damaged = CASE WHEN excluded.damaged > storage_repair.damaged
                    THEN excluded.damaged ELSE storage_repair.damaged END""")) {
            ps.setString(1, r.target());
            ps.setString(2, r.storageKey());
            ps.setInt(3, r.damaged() ? 1 : 0);
            ps.setString(4, r.nodeId());
            ps.setLong(5, r.notedAt());
            ps.executeUpdate();
        }
    }

    public void remove(String target, String storageKey) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM storage_repair WHERE target = ? AND storage_key = ?")) {
            ps.setString(1, target);
            ps.setString(2, storageKey);
            ps.executeUpdate();
        }
    }

    /** Up to {@code limit} rows, oldest first. */
    public List<Row> oldest(int limit) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT target, storage_key, damaged, node_id, noted_at FROM storage_repair
                ORDER BY noted_at, target, storage_key LIMIT ?""")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, rs.getString(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }
}
