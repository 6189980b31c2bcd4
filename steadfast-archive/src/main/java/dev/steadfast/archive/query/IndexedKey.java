package dev.steadfast.archive.query;

import dev.steadfast.dicom.Tag;

import java.util.Map;

/**
 * The attributes that are index columns, how they match, and at which level they live.
 * Other attributes are return keys only (answered from the stored metadata).
 */
enum IndexedKey {
    PATIENT_ID(Tag.PatientID, QueryLevel.PATIENT, "p.patient_id", null, Kind.TEXT),
    ISSUER_OF_PATIENT_ID(Tag.IssuerOfPatientID, QueryLevel.PATIENT, "p.issuer", null, Kind.TEXT),
    PATIENT_NAME(Tag.PatientName, QueryLevel.PATIENT, "p.patient_name", "p.patient_name_norm", Kind.PERSON_NAME),
    PATIENT_BIRTH_DATE(Tag.PatientBirthDate, QueryLevel.PATIENT, "p.birth_date", null, Kind.DATE),
    PATIENT_SEX(Tag.PatientSex, QueryLevel.PATIENT, "p.sex", null, Kind.TEXT),
    STUDY_UID(Tag.StudyInstanceUID, QueryLevel.STUDY, "st.study_uid", null, Kind.UID),
    STUDY_DATE(Tag.StudyDate, QueryLevel.STUDY, "st.study_date", null, Kind.DATE),
    STUDY_TIME(Tag.StudyTime, QueryLevel.STUDY, "st.study_time", null, Kind.TIME),
    ACCESSION_NUMBER(Tag.AccessionNumber, QueryLevel.STUDY, "st.accession_number", null, Kind.TEXT),
    STUDY_ID(Tag.StudyID, QueryLevel.STUDY, "st.study_id", null, Kind.TEXT),
    REFERRING_PHYSICIAN(Tag.ReferringPhysicianName, QueryLevel.STUDY, "st.referring_physician",
            "st.referring_physician_norm", Kind.PERSON_NAME),
    STUDY_DESCRIPTION(Tag.StudyDescription, QueryLevel.STUDY, "st.study_description", null, Kind.TEXT),
    MODALITIES_IN_STUDY(Tag.ModalitiesInStudy, QueryLevel.STUDY, "ms.modality", null, Kind.MODALITIES),
    SERIES_UID(Tag.SeriesInstanceUID, QueryLevel.SERIES, "se.series_uid", null, Kind.UID),
    MODALITY(Tag.Modality, QueryLevel.SERIES, "se.modality", null, Kind.TEXT),
    SERIES_NUMBER(Tag.SeriesNumber, QueryLevel.SERIES, "se.series_number", null, Kind.INTEGER),
    SERIES_DESCRIPTION(Tag.SeriesDescription, QueryLevel.SERIES, "se.series_description", null, Kind.TEXT),
    BODY_PART(Tag.BodyPartExamined, QueryLevel.SERIES, "se.body_part", null, Kind.TEXT),
    SOP_UID(Tag.SOPInstanceUID, QueryLevel.IMAGE, "i.sop_uid", null, Kind.UID),
    SOP_CLASS_UID(Tag.SOPClassUID, QueryLevel.IMAGE, "i.sop_class_uid", null, Kind.UID),
    INSTANCE_NUMBER(Tag.InstanceNumber, QueryLevel.IMAGE, "i.instance_number", null, Kind.INTEGER);

    enum Kind { TEXT, PERSON_NAME, DATE, TIME, UID, INTEGER, MODALITIES }

    final int tag;
    final QueryLevel level;
    final String column;
    final String foldedColumn;
    final Kind kind;

    IndexedKey(int tag, QueryLevel level, String column, String foldedColumn, Kind kind) {
        this.tag = tag;
        this.level = level;
        this.column = column;
        this.foldedColumn = foldedColumn;
        this.kind = kind;
    }

    private static final Map<Integer, IndexedKey> BY_TAG;

    static {
        java.util.HashMap<Integer, IndexedKey> m = new java.util.HashMap<>();
        for (IndexedKey k : values()) {
            m.put(k.tag, k);
        }
        BY_TAG = Map.copyOf(m);
    }

    static IndexedKey of(int tag) { return BY_TAG.get(tag); }

    /** The level whose table holds the column in this model (patient columns sit at study level in Study Root). */
    QueryLevel levelIn(InformationModel model) {
        return model == InformationModel.STUDY_ROOT && level == QueryLevel.PATIENT ? QueryLevel.STUDY : level;
    }
}
