package dev.steadfast.archive.index;

/**
 * Patient-level attributes as indexed; PatientID and IssuerOfPatientID are
 * empty strings when absent.
 */
public record PatientRecord(String patientId, String issuer, String name, String birthDate, String sex) {
    public PatientRecord {
        patientId = patientId == null ? "" : patientId;
        issuer = issuer == null ? "" : issuer;
    }
}
