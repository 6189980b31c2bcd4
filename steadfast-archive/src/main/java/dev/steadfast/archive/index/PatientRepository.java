package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.SQLException;

/** The patient level. Demographics follow the latest instance received that has them. */
public final class PatientRepository {
    private final Connection c;
    private final Statements.Cache st; // the ingest path's statements, prepared once per connection

    PatientRepository(Connection c, Statements.Cache st) {
        this.c = c;
        this.st = st;
    }

    /**
     * The id of the patient, created or updated from {@code p}. Patients are the same when
     * PatientID and Issuer are; without a PatientID, the patient is the study's own.
     */
    public long upsert(PatientRecord p, String studyUid) throws SQLException {
        String identity = p.patientId().isEmpty() ? "study:" + studyUid : "id:" + p.patientId() + "\\" + p.issuer();
        long id = Sql.queryId(st, "SELECT id FROM patient WHERE identity = ?", identity);
        if (id < 0) {
            return Sql.insertReturningId(st, "INSERT INTO patient (patient_id, issuer, patient_name, patient_name_norm,"
                    + " birth_date, sex, identity) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    p.patientId(), p.issuer(), p.name(), DicomText.fold(p.name()), p.birthDate(), p.sex(), identity);
        }
        // As for studies: an attribute the instance lacks keeps the indexed value (latest non-empty wins).
        Sql.update(st, "UPDATE patient SET patient_name = COALESCE(?, patient_name),"
                + " patient_name_norm = COALESCE(?, patient_name_norm), birth_date = COALESCE(?, birth_date),"
                + " sex = COALESCE(?, sex) WHERE id = ?"
                // only when a value changes (issue 19; see SeriesRepository.upsert)
                + " AND (patient_name IS DISTINCT FROM COALESCE(?, patient_name)"
                + " OR patient_name_norm IS DISTINCT FROM COALESCE(?, patient_name_norm)"
                + " OR birth_date IS DISTINCT FROM COALESCE(?, birth_date) OR sex IS DISTINCT FROM COALESCE(?, sex))",
                p.name(), DicomText.fold(p.name()), p.birthDate(), p.sex(), id,
                p.name(), DicomText.fold(p.name()), p.birthDate(), p.sex());
        return id;
    }

    public long count() throws SQLException {
        return Sql.queryId(st, "SELECT COUNT(*) FROM patient");
    }

    /** Removes patients left without studies; returns how many. */
    public int deleteOrphans() throws SQLException {
        return Sql.update(st, "DELETE FROM patient WHERE NOT EXISTS (SELECT 1 FROM study s WHERE s.patient_fk = patient.id)");
    }
}
