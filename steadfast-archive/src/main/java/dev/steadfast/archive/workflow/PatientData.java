package dev.steadfast.archive.workflow;

/**
 * Patient and visit data from an HL7 message, already in DICOM form: the name as a DICOM person
 * name ({@code Family^Given^Middle^Prefix^Suffix}), the birth date as DA, the sex as M, F or O.
 * Null: the message did not say (the stored value is kept). PatientID and issuer are never null.
 */
public record PatientData(String patientId, String issuer, String name, String birthDate, String sex,
                          String visitNumber, String patientClass, String location) {
    public PatientData {
        if (patientId == null || patientId.isBlank()) {
            throw new IllegalArgumentException("the patient has no identifier (PID-3)");
        }
        issuer = issuer == null ? "" : issuer;
    }
}
