package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The instance level, and the record of replaced instances. */
public final class InstanceRepository {
    private static final String SELECT = "SELECT i.id, i.series_fk, se.series_uid, st.study_uid, i.sop_uid,"
            + " i.sop_class_uid, i.instance_number, i.transfer_syntax, i.storage_key, i.size, i.sha256,"
            + " i.dataset_sha256, i.received_at, i.calling_ae, i.metadata, i.pixel_data"
            + " FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk";

    private final Connection c;
    private final Statements.Cache st; // the ingest path's statements, prepared once per connection

    InstanceRepository(Connection c, Statements.Cache st) {
        this.c = c;
        this.st = st;
    }

    public Optional<StoredInstance> find(String sopUid) throws SQLException {
        PreparedStatement ps = st.prepare(SELECT + " WHERE i.sop_uid = ?");
        ps.setString(1, sopUid);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    /**
     * PostgreSQL: runs {@code lockSql} (one parameter, the UID: an advisory lock that may wait) and
     * then reads the row, sent together in one round trip (issue 15: the claim is on every store's
     * path). The server runs them in order, and the read's snapshot is taken when it starts, after
     * the lock is granted: it sees what the previous holder committed.
     */
    Optional<StoredInstance> lockAndFind(String lockSql, String sopUid) throws SQLException {
        PreparedStatement ps = st.prepare(lockSql + "; " + SELECT + " WHERE i.sop_uid = ?");
        ps.setString(1, sopUid);
        ps.setString(2, sopUid);
        ps.execute(); // the first result is the lock's
        if (!ps.getMoreResults()) {
            throw new SQLException("no result for the instance after its lock");
        }
        try (ResultSet rs = ps.getResultSet()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    /** Every instance of a series, in instance number then arrival order. */
    public List<StoredInstance> ofSeries(String seriesUid) throws SQLException {
        List<StoredInstance> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE se.series_uid = ? ORDER BY i.instance_number, i.id")) {
            ps.setString(1, seriesUid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    /** Every instance of a study, by series then instance number then arrival order. */
    public List<StoredInstance> ofStudy(String studyUid) throws SQLException {
        List<StoredInstance> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT
                + " WHERE st.study_uid = ? ORDER BY se.id, i.instance_number, i.id")) {
            ps.setString(1, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    /** The entity whose instances {@link #newestFirst} reads. */
    public enum Scope { SERIES, STUDY, PATIENT }

    /**
     * Hands the stored metadata of the instances under one series, study or patient to {@code next},
     * newest first, until it returns false (the query engine looks for the latest that matches).
     */
    public void newestFirst(Scope scope, long id, java.util.function.Predicate<byte[]> next) throws SQLException {
        String sql = switch (scope) {
            case SERIES -> "SELECT metadata FROM instance WHERE series_fk = ? ORDER BY id DESC";
            case STUDY -> "SELECT i.metadata FROM instance i JOIN series se ON se.id = i.series_fk"
                    + " WHERE se.study_fk = ? ORDER BY i.id DESC";
            case PATIENT -> "SELECT i.metadata FROM instance i JOIN series se ON se.id = i.series_fk"
                    + " JOIN study st ON st.id = se.study_fk WHERE st.patient_fk = ? ORDER BY i.id DESC";
        };
        PreparedStatement ps = st.prepare(sql);
        ps.setLong(1, id);
        ps.setFetchSize(64);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (!next.test(rs.getBytes(1))) {
                    return;
                }
            }
        }
    }

    /** The stored size of every indexed instance, summed (one copy). */
    public long totalBytes() throws SQLException {
        return Sql.queryId(st, "SELECT COALESCE(SUM(size), 0) FROM instance");
    }

    public long insert(long seriesId, InstanceRecord r) throws SQLException {
        return Sql.insertReturningId(st, "INSERT INTO instance (series_fk, sop_uid, sop_class_uid, instance_number,"
                + " transfer_syntax, storage_key, size, sha256, dataset_sha256, received_at, calling_ae, metadata,"
                + " pixel_data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                seriesId, r.sopUid(), r.sopClassUid(), r.instanceNumber(), r.transferSyntax(), r.storageKey(),
                r.size(), r.sha256(), r.datasetSha256(), r.receivedAt(), r.callingAe(), r.metadata(),
                pixelData(r));
    }

    /** Replaces everything known about an existing instance (found by SOP Instance UID). */
    public void replace(long seriesId, InstanceRecord r) throws SQLException {
        int n = Sql.update(st, "UPDATE instance SET series_fk = ?, sop_class_uid = ?, instance_number = ?,"
                + " transfer_syntax = ?, storage_key = ?, size = ?, sha256 = ?, dataset_sha256 = ?, received_at = ?,"
                + " calling_ae = ?, metadata = ?, pixel_data = ? WHERE sop_uid = ?",
                seriesId, r.sopClassUid(), r.instanceNumber(), r.transferSyntax(), r.storageKey(), r.size(),
                r.sha256(), r.datasetSha256(), r.receivedAt(), r.callingAe(), r.metadata(), pixelData(r), r.sopUid());
        if (n != 1) {
            throw new SQLException("no instance " + r.sopUid() + " to replace");
        }
    }

    /** Records that {@code old} was replaced by {@code now}. */
    public void recordReplacement(InstanceRecord old, InstanceRecord now) throws SQLException {
        Sql.update(st, "INSERT INTO instance_replacement (sop_uid, old_storage_key, old_sha256, new_storage_key,"
                + " new_sha256, replaced_at, calling_ae) VALUES (?, ?, ?, ?, ?, ?, ?)",
                now.sopUid(), old.storageKey(), old.sha256(), now.storageKey(), now.sha256(), now.receivedAt(),
                now.callingAe());
    }

    /** How often this instance's bytes were replaced. */
    public long replacementCount(String sopUid) throws SQLException {
        return Sql.queryId(st, "SELECT COUNT(*) FROM instance_replacement WHERE sop_uid = ?", sopUid);
    }

    public long count() throws SQLException {
        return Sql.queryId(st, "SELECT COUNT(*) FROM instance");
    }

    /** SMALLINT 1/0, NULL unknown: the same on SQLite and PostgreSQL. */
    private static Integer pixelData(InstanceRecord r) {
        return r.pixelData() == null ? null : r.pixelData() ? 1 : 0;
    }

    private static StoredInstance row(ResultSet rs) throws SQLException {
        Integer pixelData = Sql.getInteger(rs, "pixel_data");
        InstanceRecord r = new InstanceRecord(rs.getString("sop_uid"), rs.getString("sop_class_uid"),
                Sql.getInteger(rs, "instance_number"), rs.getString("transfer_syntax"), rs.getString("storage_key"),
                rs.getLong("size"), rs.getString("sha256"), rs.getString("dataset_sha256"), rs.getLong("received_at"),
                rs.getString("calling_ae"), rs.getBytes("metadata"), pixelData == null ? null : pixelData != 0);
        return new StoredInstance(rs.getLong("id"), rs.getLong("series_fk"), rs.getString("series_uid"),
                rs.getString("study_uid"), r);
    }
}
