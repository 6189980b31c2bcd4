package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deleted studies: the audit record of each deletion, which is also the tombstone that scrub,
 * repair and reindex consult, and the removal of a study's rows from the four levels.
 */
public final class DeletionRepository {
    private final Connection c;

    DeletionRepository(Connection c) {
        this.c = c;
    }

    /** One deletion as recorded; {@code completedAt} is null while (or if) it did not finish. */
    public record Deletion(long id, String studyUid, String keyPrefix, long deletedAt, Long completedAt, String deletedBy,
                           String reason, List<String> seriesUids, List<String> sopUids, long instances, long bytes) {
    }

    /** Records a deletion about to happen; returns its id. */
    public long record(String studyUid, String keyPrefix, long deletedAt, String deletedBy, String reason,
                       List<String> seriesUids, List<String> sopUids, long bytes) throws SQLException {
        return Sql.insertReturningId(c, "INSERT INTO study_deletion (study_uid, key_prefix, deleted_at, deleted_by, reason,"
                + " series_uids, sop_uids, instances, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                studyUid, keyPrefix, deletedAt, deletedBy, reason, String.join("\\", seriesUids),
                String.join("\\", sopUids), (long) sopUids.size(), bytes);
    }

    public void completed(long id, long at) throws SQLException {
        Sql.update(c, "UPDATE study_deletion SET completed_at = ? WHERE id = ?", at, id);
    }

    /** Every deletion of a study, oldest first. */
    public List<Deletion> ofStudy(String studyUid) throws SQLException {
        List<Deletion> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, study_uid, key_prefix, deleted_at, completed_at,"
                + " deleted_by, reason, series_uids, sop_uids, instances, bytes FROM study_deletion WHERE study_uid = ? ORDER BY id")) {
            ps.setString(1, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long completed = rs.getLong("completed_at");
                    out.add(new Deletion(rs.getLong("id"), rs.getString("study_uid"), rs.getString("key_prefix"),
                            rs.getLong("deleted_at"), rs.wasNull() ? null : completed, rs.getString("deleted_by"),
                            rs.getString("reason"), split(rs.getString("series_uids")), split(rs.getString("sop_uids")),
                            rs.getLong("instances"), rs.getLong("bytes")));
                }
            }
        }
        return out;
    }

    /** Tombstones: per storage key prefix, the time of its latest deletion (epoch ms). */
    public Map<String, Long> tombstones() throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key_prefix, MAX(deleted_at) FROM study_deletion GROUP BY key_prefix");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** The latest deletion time of this prefix, or -1 when it was never deleted. */
    public long deletedAt(String keyPrefix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(deleted_at) FROM study_deletion WHERE key_prefix = ?")) {
            ps.setString(1, keyPrefix);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? -1 : v;
                }
                return -1;
            }
        }
    }

    /** Whether the index holds an instance stored under this key. */
    public boolean indexed(String storageKey) throws SQLException {
        return Sql.queryId(c, "SELECT 1 FROM instance WHERE storage_key = ?", storageKey) > 0;
    }

    /**
     * Removes the study's instances, series and row, and its patient when no other study is left;
     * returns the instances removed (0 when the study is not indexed).
     */
    public int removeStudy(String studyUid) throws SQLException {
        long study = Sql.queryId(c, "SELECT id FROM study WHERE study_uid = ?", studyUid);
        if (study < 0) {
            return 0;
        }
        long patient = Sql.queryId(c, "SELECT patient_fk FROM study WHERE id = ?", study);
        int n = Sql.update(c, "DELETE FROM instance WHERE series_fk IN (SELECT id FROM series WHERE study_fk = ?)", study);
        Sql.update(c, "DELETE FROM series WHERE study_fk = ?", study);
        Sql.update(c, "DELETE FROM study WHERE id = ?", study);
        Sql.update(c, "DELETE FROM patient WHERE id = ? AND NOT EXISTS (SELECT 1 FROM study s WHERE s.patient_fk = patient.id)",
                patient);
        return n;
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : List.of(s.split("\\\\"));
    }
}
