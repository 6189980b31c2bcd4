package dev.steadfast.archive.iocm;

import dev.steadfast.archive.index.Bind;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.Tx;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code instance_rejection} table, inside the caller's transaction: rejecting moves an
 * instance's row out of the instance table (so no query or retrieve path sees it, and study and
 * series counts follow), keeping where its file is.
 */
final class RejectionStore {
    private static final String COLUMNS = "sop_uid, study_uid, series_uid, sop_class_uid, reason_code, note_sop_uid,"
            + " rejected_at, rejected_by, storage_key, size, files_deleted_at";

    private RejectionStore() {
    }

    private static final String BY_SOP_UID = "SELECT " + COLUMNS + " FROM instance_rejection WHERE sop_uid = ?";

    /**
     * The rejection of {@code sopUid}, with the transaction's cached statement: ingest asks this of every
     * new instance, and preparing it each time was most of the look-up's cost (issue 19).
     */
    static Optional<Rejection> find(Tx tx, String sopUid) throws SQLException {
        PreparedStatement ps = tx.cached(BY_SOP_UID); // cached: not closed here
        ps.setString(1, sopUid);
        try (ResultSet rs = ps.executeQuery()) {
            List<Rejection> r = rows(rs);
            return r.isEmpty() ? Optional.empty() : Optional.of(r.getFirst());
        }
    }

    /** Rejected instances after {@code afterSop} in SOP UID order, at most {@code limit} (the admin list). */
    static List<Rejection> page(Connection c, String study, String afterSop, int limit) throws SQLException {
        return study == null
                ? select(c, "SELECT " + COLUMNS + " FROM instance_rejection WHERE sop_uid > ? ORDER BY sop_uid LIMIT ?",
                        afterSop == null ? "" : afterSop, limit)
                : select(c, "SELECT " + COLUMNS + " FROM instance_rejection WHERE study_uid = ? AND sop_uid > ?"
                        + " ORDER BY sop_uid LIMIT ?", study, afterSop == null ? "" : afterSop, limit);
    }

    /** Rejections for retention expiry whose files are still to be deleted. */
    static List<Rejection> filesToDelete(Connection c) throws SQLException {
        return select(c, "SELECT " + COLUMNS + " FROM instance_rejection WHERE reason_code = ? AND storage_key IS NOT NULL"
                + " AND files_deleted_at IS NULL ORDER BY id LIMIT 1000", RejectionReason.RETENTION_EXPIRED.code());
    }

    static boolean expiredKey(Connection c, String storageKey) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT 1 FROM instance_rejection WHERE storage_key = ? AND reason_code = ?",
                storageKey, RejectionReason.RETENTION_EXPIRED.code()); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    static void filesDeleted(Connection c, String sopUid, long at) throws SQLException {
        update(c, "UPDATE instance_rejection SET files_deleted_at = ? WHERE sop_uid = ?", at, sopUid);
    }

    /**
     * Records that {@code ref} is rejected by {@code note} (the first rejection of an instance stays),
     * and moves its instance row here if the index has it. Returns the id of the study it left, or -1.
     */
    static long reject(Tx tx, RejectionNote note, RejectionNote.Reference ref, long at, String by) throws SQLException {
        Connection c = tx.connection();
        if (find(tx, ref.sopUid()).isEmpty()) {
            update(c, "INSERT INTO instance_rejection (sop_uid, study_uid, series_uid, sop_class_uid, reason_code,"
                    + " reason_meaning, note_sop_uid, rejected_at, rejected_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ref.sopUid(), ref.studyUid(), ref.seriesUid(), ref.sopClassUid(), note.reason().code(),
                    note.reason().meaning(), note.sopUid(), at, by);
        }
        try (PreparedStatement ps = prepare(c, "SELECT i.id, i.storage_key, i.size, i.sha256, i.dataset_sha256,"
                + " i.received_at, se.study_fk FROM instance i JOIN series se ON se.id = i.series_fk WHERE i.sop_uid = ?",
                ref.sopUid()); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return -1; // not (yet) here: hidden when it arrives
            }
            long id = rs.getLong(1);
            long study = rs.getLong(7);
            held(c, ref.sopUid(), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getLong(6));
            update(c, "DELETE FROM instance WHERE id = ?", id);
            return study;
        }
    }

    /** Keeps where an arriving (or moved) rejected instance's file is, unless already known. */
    static void held(Connection c, String sopUid, String key, long size, String sha256, String datasetSha256, long receivedAt)
            throws SQLException {
        update(c, "UPDATE instance_rejection SET storage_key = ?, size = ?, sha256 = ?, dataset_sha256 = ?, received_at = ?"
                + " WHERE sop_uid = ? AND (storage_key IS NULL OR storage_key <> ? OR sha256 <> ?)",
                key, size, sha256, datasetSha256, receivedAt, sopUid, key, sha256);
    }

    static void held(Connection c, InstanceRecord r) throws SQLException {
        held(c, r.sopUid(), r.storageKey(), r.size(), r.sha256(), r.datasetSha256(), r.receivedAt());
    }

    /** Removes what the moved rows left empty: series, then their studies (modalities refreshed), then patients. */
    static void pruneAfterMove(Tx tx, Set<Long> studies) throws SQLException {
        tx.series().deleteOrphans();
        for (long s : new LinkedHashSet<>(studies)) {
            tx.studies().refreshModalities(s);
        }
        tx.studies().deleteOrphans();
        tx.patients().deleteOrphans();
    }

    private static List<Rejection> select(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, values); ResultSet rs = ps.executeQuery()) {
            return rows(rs);
        }
    }

    private static List<Rejection> rows(ResultSet rs) throws SQLException {
        List<Rejection> out = new ArrayList<>();
        while (rs.next()) {
            long size = rs.getLong(10);
            Long sz = rs.wasNull() ? null : size;
            long deleted = rs.getLong(11);
            Long del = rs.wasNull() ? null : deleted;
            out.add(new Rejection(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    RejectionReason.ofCode(rs.getString(5)), rs.getString(6), rs.getLong(7), rs.getString(8),
                    rs.getString(9), sz, del));
        }
        return out;
    }

    private static int update(Connection c, String sql, Object... values) throws SQLException {
        return Bind.update(c, sql, values);
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... values) throws SQLException {
        return Bind.prepare(c, sql, values); // a null as VARCHAR: every nullable value here is text
    }
}
