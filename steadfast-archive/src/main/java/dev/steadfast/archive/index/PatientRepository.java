package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.SQLException;

/** The patient level. Demographics follow the latest instance received. */
public final class PatientRepository {
    private final Connection c;

    PatientRepository(Connection c) {
        this.c = c;
    }

    /**
     * The id of the patient, created or updated from {@code p}. Patients are the same when
     * PatientID and Issuer are; without a PatientID, the patient is the study's own.
     */
    public long upsert(PatientRecord p, String studyUid) throws SQLException {
        String identity = p.patientId().isEmpty() ? "study:" + studyUid : "id:" + p.patientId() + "\\" + p.issuer();
        long id = Sql.queryId(c, "SELECT id FROM patient WHERE identity = ?", identity);
        if (id < 0) {
            return Sql.insertReturningId(c, "INSERT INTO patient (patient_id, issuer, patient_name, patient_name_norm,"
                    + " birth_date, sex, identity) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    p.patientId(), p.issuer(), p.name(), DicomText.fold(p.name()), p.birthDate(), p.sex(), identity);
        }
        Sql.update(c, "UPDATE patient SET patient_name = ?, patient_name_norm = ?, birth_date = ?, sex = ? WHERE id = ?",
                p.name(), DicomText.fold(p.name()), p.birthDate(), p.sex(), id);
        return id;
    }

    public long count() throws SQLException {
        return Sql.queryId(c, "SELECT COUNT(*) FROM patient");
    }

    /** Removes patients left without studies; returns how many. */
    public int deleteOrphans() throws SQLException {
        return Sql.update(c, "DELETE FROM patient WHERE NOT EXISTS (SELECT 1 FROM study s WHERE s.patient_fk = patient.id)");
    }
}
