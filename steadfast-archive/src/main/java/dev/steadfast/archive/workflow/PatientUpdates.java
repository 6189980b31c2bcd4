package dev.steadfast.archive.workflow;

import dev.steadfast.archive.index.DicomText;
import dev.steadfast.archive.index.Index;
import dev.steadfast.dicom.Dataset;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * ADT in the index (issue 18): an update (A01, A04, A08) records the patient and visit and rewrites
 * the patient's indexed attributes, the indexed metadata of every stored instance of the patient
 * (so C-FIND, QIDO-RS and WADO-RS metadata answer the new values) and the patient's worklist
 * items and MPPS. A merge (A40) moves every study, worklist item and MPPS of the merged patient to
 * the surviving one, whose identity and demographics its instances then carry. Stored files are not rewritten: retrieve
 * sends the bytes as received (docs/HL7.md).
 *
 * <p>A patient of the index is the HL7 patient when the PatientID is the same and the issuer is
 * the same or was not given by the instances (modalities often send none).
 */
public final class PatientUpdates {
    private final Index index;
    private final Clock clock;

    public PatientUpdates(Index index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    /** Records {@code p} and applies its demographics; returns how many stored instances were rewritten. */
    public int update(PatientData p) {
        return index.write(tx -> {
            Connection c = tx.connection();
            record(c, p);
            List<Long> patients = matching(c, p.patientId(), p.issuer());
            int n = 0;
            for (long id : patients) {
                Jdbc.update(c, "UPDATE patient SET patient_name = COALESCE(?, patient_name),"
                        + " patient_name_norm = COALESCE(?, patient_name_norm), birth_date = COALESCE(?, birth_date),"
                        + " sex = COALESCE(?, sex) WHERE id = ?",
                        p.name(), p.name() == null ? null : DicomText.fold(p.name()), p.birthDate(), p.sex(), id);
                n += rewriteInstances(c, id, p, false);
            }
            rewriteItems(c, p.patientId(), p.issuer(), p, false);
            MppsPatients.ofPatient(c, p.patientId(), p.issuer(), clock.millis(), d -> WorklistItems.patient(d, p, false));
            return n;
        });
    }

    /**
     * Moves the studies of the patient {@code mergedId}/{@code mergedIssuer} to {@code survivor}
     * (created in the index if it has no study yet), rewrites their instances' patient attributes
     * and the merged patient's worklist items, and removes the merged patient. Returns how many
     * studies moved.
     */
    public int merge(PatientData survivor, String mergedId, String mergedIssuer) {
        String issuer = mergedIssuer == null ? "" : mergedIssuer;
        if (survivor.patientId().equals(mergedId) && survivor.issuer().equals(issuer)) {
            throw new IllegalArgumentException("the merged patient (MRG-1) is the surviving patient (PID-3)");
        }
        return index.write(tx -> {
            Connection c = tx.connection();
            record(c, survivor);
            List<Long> kept = matching(c, survivor.patientId(), survivor.issuer());
            long target;
            if (kept.isEmpty()) {
                target = insertPatient(c, survivor);
            } else {
                target = kept.getFirst();
            }
            int moved = 0;
            for (long merged : matching(c, mergedId, issuer)) {
                if (merged == target) {
                    continue;
                }
                moved += Jdbc.update(c, "UPDATE study SET patient_fk = ? WHERE patient_fk = ?", target, merged);
                Jdbc.update(c, "DELETE FROM patient WHERE id = ?", merged);
            }
            Jdbc.update(c, "UPDATE patient SET patient_name = COALESCE(?, patient_name),"
                    + " patient_name_norm = COALESCE(?, patient_name_norm), birth_date = COALESCE(?, birth_date),"
                    + " sex = COALESCE(?, sex) WHERE id = ?", survivor.name(),
                    survivor.name() == null ? null : DicomText.fold(survivor.name()), survivor.birthDate(), survivor.sex(), target);
            rewriteInstances(c, target, survivor, true);
            rewriteItems(c, mergedId, issuer, survivor, true);
            rewriteItems(c, survivor.patientId(), survivor.issuer(), survivor, false);
            // The merged patient's MPPS move to the survivor, like its studies and worklist items.
            MppsPatients.ofPatient(c, mergedId, issuer, clock.millis(), d -> WorklistItems.patient(d, survivor, true));
            MppsPatients.ofPatient(c, survivor.patientId(), survivor.issuer(), clock.millis(),
                    d -> WorklistItems.patient(d, survivor, false));
            Jdbc.update(c, "DELETE FROM hl7_patient WHERE patient_id = ? AND issuer = ?", mergedId, issuer);
            return moved;
        });
    }

    private void record(Connection c, PatientData p) throws SQLException {
        long now = clock.millis();
        int n = Jdbc.update(c, "UPDATE hl7_patient SET patient_name = COALESCE(?, patient_name), birth_date = COALESCE(?, birth_date),"
                + " sex = COALESCE(?, sex), visit_number = COALESCE(?, visit_number), patient_class = COALESCE(?, patient_class),"
                + " location = COALESCE(?, location), updated_at = ? WHERE patient_id = ? AND issuer = ?",
                p.name(), p.birthDate(), p.sex(), p.visitNumber(), p.patientClass(), p.location(), now, p.patientId(), p.issuer());
        if (n == 0) {
            Jdbc.update(c, "INSERT INTO hl7_patient (patient_id, issuer, patient_name, birth_date, sex, visit_number,"
                    + " patient_class, location, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    p.patientId(), p.issuer(), p.name(), p.birthDate(), p.sex(), p.visitNumber(), p.patientClass(), p.location(), now);
        }
    }

    /** Index patients that are this HL7 patient: same PatientID, same issuer or none given. */
    private static List<Long> matching(Connection c, String patientId, String issuer) throws SQLException {
        return Jdbc.ids(c, "SELECT id FROM patient WHERE patient_id = ? AND (issuer = ? OR issuer = '') ORDER BY id",
                patientId, issuer);
    }

    /** A patient row as ingest would make it (same identity), for a survivor the index has no study of. */
    private static long insertPatient(Connection c, PatientData p) throws SQLException {
        Jdbc.update(c, "INSERT INTO patient (patient_id, issuer, patient_name, patient_name_norm, birth_date, sex, identity)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", p.patientId(), p.issuer(), p.name(),
                p.name() == null ? null : DicomText.fold(p.name()), p.birthDate(), p.sex(), "id:" + p.patientId() + "\\" + p.issuer());
        return Jdbc.ids(c, "SELECT id FROM patient WHERE identity = ?", "id:" + p.patientId() + "\\" + p.issuer()).getFirst();
    }

    /** The indexed metadata of every instance of the patient, with the patient's attributes written in. */
    private static int rewriteInstances(Connection c, long patient, PatientData p, boolean identity) throws SQLException {
        return IndexedMetadata.ofPatient(c, patient, d -> WorklistItems.patient(d, p, identity));
    }

    /** The worklist items of a patient, with {@code p}'s attributes (and identity, for a merge) written in. */
    private void rewriteItems(Connection c, String patientId, String issuer, PatientData p, boolean identity) throws SQLException {
        List<Object[]> rows = Jdbc.blobs(c, "SELECT id, item FROM worklist_item WHERE patient_id = ? AND (issuer = ? OR issuer = '')",
                patientId, issuer);
        for (Object[] row : rows) {
            Dataset d = decode((byte[]) row[1]);
            WorklistItems.patient(d, p, identity);
            Jdbc.update(c, "UPDATE worklist_item SET item = ?, patient_id = ?, issuer = ?, updated_at = ? WHERE id = ?", encode(d),
                    identity ? p.patientId() : patientId, identity ? p.issuer() : issuer, clock.millis(), row[0]);
        }
    }

    static Dataset decode(byte[] b) {
        return IndexedMetadata.decode(b);
    }

    static byte[] encode(Dataset d) {
        return IndexedMetadata.encode(d);
    }
}
