package dev.steadfast.archive.workflow;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The MPPS rows follow their patient (issue 18) like stored studies and worklist items do: an HL7
 * update (A08) writes the demographics into the stored MPPS attributes, a merge (A40) and a
 * correction of a study's Patient ID ({@code PATCH /api/studies}) move them to the surviving or
 * corrected patient. A row so changed is marked ({@code patient_updated_at}): the modality still
 * knows the old values and may repeat them in an N-SET, which must not be refused for that
 * ({@link MppsStore#set}).
 */
final class MppsPatients {
    private MppsPatients() {
    }

    /** The MPPS of the HL7 patient {@code patientId}/{@code issuer} (an MPPS without issuer matches any), edited. */
    static int ofPatient(Connection c, String patientId, String issuer, long now, Consumer<Dataset> edit) throws SQLException {
        return rewrite(c, rows(c, "SELECT sop_uid, attributes FROM mpps WHERE patient_id = ?", patientId), issuer, now, edit);
    }

    /** The MPPS of a study (the Study Instance UID of its first scheduled step), edited. */
    static int ofStudy(Connection c, String studyUid, long now, Consumer<Dataset> edit) throws SQLException {
        return rewrite(c, rows(c, "SELECT sop_uid, attributes FROM mpps WHERE study_uid = ?", studyUid), null, now, edit);
    }

    private static int rewrite(Connection c, List<Object[]> rows, String issuer, long now, Consumer<Dataset> edit) throws SQLException {
        int n = 0;
        for (Object[] row : rows) {
            Dataset d = IndexedMetadata.decode((byte[]) row[1]);
            String own = d.getString(Tag.IssuerOfPatientID);
            if (issuer != null && own != null && !own.isBlank() && !own.strip().equals(issuer)) {
                continue; // same ID from another issuer: another patient
            }
            edit.accept(d);
            Jdbc.update(c, "UPDATE mpps SET attributes = ?, patient_id = ?, patient_updated_at = ? WHERE sop_uid = ?",
                    IndexedMetadata.encode(d), d.getString(Tag.PatientID), now, row[0]);
            n++;
        }
        return n;
    }

    private static List<Object[]> rows(Connection c, String sql, String key) throws SQLException {
        List<Object[]> out = new java.util.ArrayList<>();
        try (java.sql.PreparedStatement ps = Jdbc.prepare(c, sql, key); java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Object[] {rs.getString(1), rs.getBytes(2)});
            }
        }
        return out;
    }

    /** Whether the archive changed the patient of this MPPS since its N-CREATE. */
    static boolean updated(Connection c, String sopUid) throws SQLException {
        return !Jdbc.ids(c, "SELECT 1 FROM mpps WHERE sop_uid = ? AND patient_updated_at IS NOT NULL", sopUid).isEmpty();
    }

    /** The patient attributes an N-SET may not change (PS3.4 Table F.7.2-1), dropped from {@code mods}: the archive's values win. */
    static Dataset withoutPatient(Dataset mods) {
        Dataset out = mods.copy();
        for (int tag : new int[] {Tag.PatientName, Tag.PatientID, Tag.IssuerOfPatientID, Tag.IssuerOfPatientIDQualifiersSequence,
                Tag.OtherPatientIDsSequence, Tag.PatientBirthDate, Tag.PatientSex}) {
            out.remove(tag);
        }
        return out;
    }
}
