package dev.steadfast.archive.index;

/** Study-level attributes as indexed; {@code time} is normalised by {@link DicomText#normalizeTime}. */
public record StudyRecord(String studyUid, String date, String time, String accessionNumber, String studyId,
                          String referringPhysician, String description) {
}
