package dev.steadfast.archive.query;

/** The Query/Retrieve information models of PS3.4 C.6. */
public enum InformationModel {
    /** Patient, study, series, image. */
    PATIENT_ROOT,
    /** Study (carrying the patient attributes), series, image. */
    STUDY_ROOT;

    public boolean allows(QueryLevel level) {
        return this == PATIENT_ROOT || level != QueryLevel.PATIENT;
    }
}
