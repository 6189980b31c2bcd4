package dev.steadfast.archive.index;

import dev.steadfast.dicom.Tag;

import java.util.Map;

/**
 * The attributes that are index columns, how they match, and at which level they live. Other
 * attributes are return keys only (answered from the stored metadata) or matched on it.
 */
public enum IndexedColumn {
    PATIENT_ID(Tag.PatientID, Level.PATIENT, "p.patient_id", null, Kind.TEXT),
    ISSUER_OF_PATIENT_ID(Tag.IssuerOfPatientID, Level.PATIENT, "p.issuer", null, Kind.TEXT),
    PATIENT_NAME(Tag.PatientName, Level.PATIENT, "p.patient_name", "p.patient_name_norm", Kind.PERSON_NAME),
    PATIENT_BIRTH_DATE(Tag.PatientBirthDate, Level.PATIENT, "p.birth_date", null, Kind.DATE),
    PATIENT_SEX(Tag.PatientSex, Level.PATIENT, "p.sex", null, Kind.TEXT),
    STUDY_UID(Tag.StudyInstanceUID, Level.STUDY, "st.study_uid", null, Kind.UID),
    STUDY_DATE(Tag.StudyDate, Level.STUDY, "st.study_date", null, Kind.DATE),
    STUDY_TIME(Tag.StudyTime, Level.STUDY, "st.study_time", null, Kind.TIME),
    ACCESSION_NUMBER(Tag.AccessionNumber, Level.STUDY, "st.accession_number", null, Kind.TEXT),
    STUDY_ID(Tag.StudyID, Level.STUDY, "st.study_id", null, Kind.TEXT),
    REFERRING_PHYSICIAN(Tag.ReferringPhysicianName, Level.STUDY, "st.referring_physician",
            "st.referring_physician_norm", Kind.PERSON_NAME),
    STUDY_DESCRIPTION(Tag.StudyDescription, Level.STUDY, "st.study_description", null, Kind.TEXT),
    MODALITIES_IN_STUDY(Tag.ModalitiesInStudy, Level.STUDY, "ms.modality", null, Kind.MODALITIES),
    SERIES_UID(Tag.SeriesInstanceUID, Level.SERIES, "se.series_uid", null, Kind.UID),
    MODALITY(Tag.Modality, Level.SERIES, "se.modality", null, Kind.TEXT),
    SERIES_NUMBER(Tag.SeriesNumber, Level.SERIES, "se.series_number", null, Kind.INTEGER),
    SERIES_DESCRIPTION(Tag.SeriesDescription, Level.SERIES, "se.series_description", null, Kind.TEXT),
    BODY_PART(Tag.BodyPartExamined, Level.SERIES, "se.body_part", null, Kind.TEXT),
    SOP_UID(Tag.SOPInstanceUID, Level.INSTANCE, "i.sop_uid", null, Kind.UID),
    SOP_CLASS_UID(Tag.SOPClassUID, Level.INSTANCE, "i.sop_class_uid", null, Kind.UID),
    INSTANCE_NUMBER(Tag.InstanceNumber, Level.INSTANCE, "i.instance_number", null, Kind.INTEGER);

    /** The four levels of the index, top down. */
    public enum Level { PATIENT, STUDY, SERIES, INSTANCE }

    public enum Kind { TEXT, PERSON_NAME, DATE, TIME, UID, INTEGER, MODALITIES }

    public final int tag;
    final Level level;
    final String column;
    final String foldedColumn;
    public final Kind kind;

    IndexedColumn(int tag, Level level, String column, String foldedColumn, Kind kind) {
        this.tag = tag;
        this.level = level;
        this.column = column;
        this.foldedColumn = foldedColumn;
        this.kind = kind;
    }

    private static final Map<Integer, IndexedColumn> BY_TAG;

    static {
        java.util.HashMap<Integer, IndexedColumn> m = new java.util.HashMap<>();
        for (IndexedColumn k : values()) {
            m.put(k.tag, k);
        }
        BY_TAG = Map.copyOf(m);
    }

    /** The column of this attribute, or null when it is not one. */
    public static IndexedColumn of(int tag) { return BY_TAG.get(tag); }

    /** The level whose table holds the column; {@code studyRoot}: patient columns sit at study level. */
    public Level levelIn(boolean studyRoot) {
        return studyRoot && level == Level.PATIENT ? Level.STUDY : level;
    }

    /** Whether the column holds one value an answer may fall back to (not a UID, not the modality list). */
    public boolean answers() {
        return kind != Kind.UID && kind != Kind.MODALITIES;
    }
}
