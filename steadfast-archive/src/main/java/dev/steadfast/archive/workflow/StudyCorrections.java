package dev.steadfast.archive.workflow;

import dev.steadfast.archive.admin.StudyNotFoundException;
import dev.steadfast.archive.index.DicomText;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.workflow.Correction.Attribute;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Corrections of a stored study through the admin API (issue 18, {@code PATCH /api/studies/{uid}}),
 * by the mechanism HL7 ADT updates use ({@link IndexedMetadata}): the index rows and every
 * instance's indexed metadata change, so C-FIND, QIDO-RS and WADO-RS metadata answer the new
 * values; stored files are sent as received.
 *
 * <p>Patient attributes are the patient's: a new Patient ID (or issuer) moves the study to that
 * patient (created when the index has none), and a new name, birth date or sex is written to
 * every study of the patient, as an ADT A08 would.
 */
public final class StudyCorrections {
    private final Index index;

    public StudyCorrections(Index index) {
        this.index = index;
    }

    /**
     * @param patientId the study's Patient ID after the correction (for the audit record)
     * @param instances instances whose indexed metadata was rewritten
     */
    public record Result(String studyUid, String patientId, List<Attribute> corrected, int instances) {
    }

    /** @throws StudyNotFoundException when the index has no such study */
    public Result correct(String studyUid, Correction correction) {
        return index.write(tx -> {
            Connection c = tx.connection();
            long[] row = studyRow(c, studyUid);
            long study = row[0];
            long patient = row[1];
            String[] p = patientRow(c, patient); // patient_id, issuer, name, birth_date, sex
            String pid = correction.has(Attribute.PATIENT_ID) ? correction.get(Attribute.PATIENT_ID) : p[0];
            String issuer = correction.has(Attribute.ISSUER_OF_PATIENT_ID) ? correction.get(Attribute.ISSUER_OF_PATIENT_ID) : p[1];
            long target = patient;
            if (!pid.equals(p[0]) || !issuer.equals(p[1])) {
                target = patientOf(c, pid, issuer, p);
                Jdbc.update(c, "UPDATE study SET patient_fk = ? WHERE id = ?", target, study);
                Jdbc.update(c, "DELETE FROM patient WHERE id = ? AND NOT EXISTS (SELECT 1 FROM study s WHERE s.patient_fk = patient.id)",
                        patient);
            }
            String name = value(correction, Attribute.PATIENT_NAME);
            String birth = value(correction, Attribute.PATIENT_BIRTH_DATE);
            String sex = value(correction, Attribute.PATIENT_SEX);
            Jdbc.update(c, "UPDATE patient SET patient_name = COALESCE(?, patient_name), patient_name_norm = COALESCE(?,"
                    + " patient_name_norm), birth_date = COALESCE(?, birth_date), sex = COALESCE(?, sex) WHERE id = ?",
                    name, DicomText.fold(name), birth, sex, target);
            String accession = value(correction, Attribute.ACCESSION_NUMBER);
            String description = value(correction, Attribute.STUDY_DESCRIPTION);
            String referring = value(correction, Attribute.REFERRING_PHYSICIAN_NAME);
            Jdbc.update(c, "UPDATE study SET accession_number = COALESCE(?, accession_number), study_description ="
                    + " COALESCE(?, study_description), referring_physician = COALESCE(?, referring_physician),"
                    + " referring_physician_norm = COALESCE(?, referring_physician_norm) WHERE id = ?",
                    accession, description, referring, DicomText.fold(referring), study);
            int n = 0;
            boolean patientLevel = correction.values().keySet().stream().anyMatch(Attribute::patientLevel);
            if (patientLevel) {
                String[] now = patientRow(c, target);
                n = IndexedMetadata.ofPatient(c, target, d -> writePatient(d, now));
                // The study's MPPS follow its patient (issue 18), as its instances do.
                MppsPatients.ofStudy(c, studyUid, System.currentTimeMillis(), d -> writePatient(d, now));
            }
            Map<Attribute, String> studyLevel = new java.util.EnumMap<>(Attribute.class);
            correction.values().forEach((a, v) -> {
                if (!a.patientLevel()) {
                    studyLevel.put(a, v);
                }
            });
            if (!studyLevel.isEmpty()) {
                n = Math.max(n, IndexedMetadata.ofStudy(c, study, d -> studyLevel.forEach((a, v) -> write(d, a.tag, a.vr, v))));
            }
            return new Result(studyUid, pid, new ArrayList<>(correction.values().keySet()), n);
        });
    }

    /** A value to store: the corrected one (empty clears it), or null to keep what is indexed. */
    private static String value(Correction c, Attribute a) {
        return c.has(a) ? c.get(a) : null;
    }

    private static long[] studyRow(Connection c, String studyUid) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT id, patient_fk FROM study WHERE study_uid = ?", studyUid);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new StudyNotFoundException(studyUid);
            }
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static String[] patientRow(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT patient_id, issuer, patient_name, birth_date, sex FROM patient WHERE id = ?", id);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("patient row " + id + " vanished");
            }
            return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)};
        }
    }

    /** The patient with this identity (as ingest names it), created with the old row's demographics if new. */
    private static long patientOf(Connection c, String pid, String issuer, String[] old) throws SQLException {
        String identity = "id:" + pid + "\\" + issuer;
        List<Long> found = Jdbc.ids(c, "SELECT id FROM patient WHERE identity = ?", identity);
        if (!found.isEmpty()) {
            return found.getFirst();
        }
        Jdbc.update(c, "INSERT INTO patient (patient_id, issuer, patient_name, patient_name_norm, birth_date, sex, identity)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", pid, issuer, old[2], DicomText.fold(old[2]), old[3], old[4], identity);
        return Jdbc.ids(c, "SELECT id FROM patient WHERE identity = ?", identity).getFirst();
    }

    /** The patient row's identity and demographics into an instance's metadata. */
    private static void writePatient(Dataset d, String[] p) {
        write(d, Tag.PatientID, VR.LO, p[0]);
        write(d, Tag.IssuerOfPatientID, VR.LO, p[1]);
        write(d, Tag.PatientName, VR.PN, p[2]);
        write(d, Tag.PatientBirthDate, VR.DA, p[3]);
        write(d, Tag.PatientSex, VR.CS, p[4]);
    }

    private static void write(Dataset d, int tag, VR vr, String v) {
        if (v == null || v.isEmpty()) {
            if (tag == Tag.IssuerOfPatientID) {
                d.remove(tag); // type 3: absent rather than empty, as ingest saw it from most modalities
            } else if (d.contains(tag)) {
                d.setNull(tag, vr);
            }
            return;
        }
        d.setString(tag, vr, v);
        if (!d.contains(Tag.SpecificCharacterSet) && v.chars().anyMatch(ch -> ch >= 128)) {
            d.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192"); // text beyond ASCII: declare UTF-8
        }
    }
}
