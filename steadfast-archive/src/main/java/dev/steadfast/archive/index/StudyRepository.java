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

    /** The id of the study, created or updated from {@code s} and attached to {@code patientId}. */
    public long upsert(long patientId, StudyRecord s) throws SQLException {
        long id = Sql.queryId(st, "SELECT id FROM study WHERE study_uid = ?", s.studyUid());
        Object[] values = {patientId, s.date(), s.time(), s.accessionNumber(), s.studyId(),
            s.referringPhysician(), DicomText.fold(s.referringPhysician()), s.description()};
        if (id < 0) {
            return Sql.insertReturningId(st, "INSERT INTO study (patient_fk, study_date, study_time, accession_number,"
                    + " study_id, referring_physician, referring_physician_norm, study_description, study_uid)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", append(values, s.studyUid()));
        }
        Sql.update(st, "UPDATE study SET patient_fk = ?, study_date = ?, study_time = ?, accession_number = ?,"
                + " study_id = ?, referring_physician = ?, referring_physician_norm = ?, study_description = ?"
                + " WHERE id = ?", append(values, id));
        return id;
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
        Sql.update(st, "UPDATE study SET modalities_in_study = ? WHERE id = ?",
                modalities.isEmpty() ? null : String.join("\\", modalities), studyId);
    }

    public long count() throws SQLException {
        return Sql.queryId(st, "SELECT COUNT(*) FROM study");
    }

    /** Removes studies left without series; returns how many. */
    public int deleteOrphans() throws SQLException {
        return Sql.update(st, "DELETE FROM study WHERE NOT EXISTS (SELECT 1 FROM series s WHERE s.study_fk = study.id)");
    }

    private static Object[] append(Object[] a, Object last) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }
}
