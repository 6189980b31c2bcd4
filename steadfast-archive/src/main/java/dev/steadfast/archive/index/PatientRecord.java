package dev.steadfast.archive.index;

/**
 * Patient-level attributes as indexed. Patient identity is (PatientID, IssuerOfPatientID),
 * empty strings when absent.
 */
public record PatientRecord(String patientId, String issuer, String name, String birthDate, String sex) {
    public PatientRecord {
        patientId = patientId == null ? "" : patientId;
        issuer = issuer == null ? "" : issuer;
    }
}
