package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.TreeSet;

/** The study level. ModalitiesInStudy is derived from the study's series. */
public final class StudyRepository {
    private final Connection c;
    private final Statements.Cache st; // the ingest path's statements, prepared once per connection

    StudyRepository(Connection c, Statements.Cache st) {
        this.c = c;
        this.st = st;
    }

    /**
     * The id of the study, created or updated from {@code s} and attached to {@code patientId}. An
     * attribute the instance lacks (null) keeps the value already indexed: the latest non-empty value
     * wins (issue 13: an Encapsulated PDF without StudyDate must not take the study out of date queries).
     */
    public long upsert(long patientId, StudyRecord s) throws SQLException {
        long id = Sql.queryId(st, "SELECT id FROM study WHERE study_uid = ?", s.studyUid());
        if (id < 0) {
            return Sql.insertReturningId(st, "INSERT INTO study (patient_fk, study_date, study_time, accession_number,"
                    + " study_id, referring_physician, referring_physician_norm, study_description, study_uid)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", patientId, s.date(), s.time(), s.accessionNumber(),
                    s.studyId(), s.referringPhysician(), DicomText.fold(s.referringPhysician()), s.description(),
                    s.studyUid());
        }
        Sql.update(st, "UPDATE study SET patient_fk = ?, study_date = COALESCE(?, study_date),"
                + " study_time = COALESCE(?, study_time), accession_number = COALESCE(?, accession_number),"
                + " study_id = COALESCE(?, study_id), referring_physician = COALESCE(?, referring_physician),"
                + " referring_physician_norm = COALESCE(?, referring_physician_norm),"
                + " study_description = COALESCE(?, study_description) WHERE id = ?"
                // only when a value changes (issue 19; see SeriesRepository.upsert)
                + " AND (patient_fk IS DISTINCT FROM ? OR study_date IS DISTINCT FROM COALESCE(?, study_date)"
                + " OR study_time IS DISTINCT FROM COALESCE(?, study_time)"
                + " OR accession_number IS DISTINCT FROM COALESCE(?, accession_number)"
                + " OR study_id IS DISTINCT FROM COALESCE(?, study_id)"
                + " OR referring_physician IS DISTINCT FROM COALESCE(?, referring_physician)"
                + " OR referring_physician_norm IS DISTINCT FROM COALESCE(?, referring_physician_norm)"
                + " OR study_description IS DISTINCT FROM COALESCE(?, study_description))",
                patientId, s.date(), s.time(), s.accessionNumber(), s.studyId(), s.referringPhysician(),
                DicomText.fold(s.referringPhysician()), s.description(), id,
                patientId, s.date(), s.time(), s.accessionNumber(), s.studyId(), s.referringPhysician(),
                DicomText.fold(s.referringPhysician()), s.description());
        return id;
    }

    /** The SOP classes of a study's instances, sorted (SOPClassesInStudy). */
    public java.util.List<String> sopClasses(long studyId) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        PreparedStatement ps = st.prepare("SELECT DISTINCT i.sop_class_uid FROM instance i JOIN series se"
                + " ON se.id = i.series_fk WHERE se.study_fk = ? AND i.sop_class_uid IS NOT NULL ORDER BY i.sop_class_uid");
        ps.setLong(1, studyId);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Recomputes ModalitiesInStudy (sorted, backslash-separated) from the study's series. */
    public void refreshModalities(long studyId) throws SQLException {
        TreeSet<String> modalities = new TreeSet<>();
        PreparedStatement ps = st.prepare("SELECT DISTINCT modality FROM series WHERE study_fk = ? AND modality IS NOT NULL");
        ps.setLong(1, studyId);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                modalities.add(rs.getString(1));
            }
        }
        String joined = modalities.isEmpty() ? null : String.join("\\", modalities);
        Sql.update(st, "UPDATE study SET modalities_in_study = ? WHERE id = ? AND modalities_in_study IS DISTINCT FROM ?",
                joined, studyId, joined); // only when it changes (issue 19)
    }

    public long count() throws SQLException {
        return Sql.queryId(st, "SELECT COUNT(*) FROM study");
    }

    /** Removes studies left without series; returns how many. */
    public int deleteOrphans() throws SQLException {
        return Sql.update(st, "DELETE FROM study WHERE NOT EXISTS (SELECT 1 FROM series s WHERE s.study_fk = study.id)");
    }
}
