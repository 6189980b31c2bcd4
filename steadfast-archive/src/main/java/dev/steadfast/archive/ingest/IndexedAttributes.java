package dev.steadfast.archive.ingest;

import dev.steadfast.archive.index.DicomText;
import dev.steadfast.archive.index.PatientRecord;
import dev.steadfast.archive.index.SeriesRecord;
import dev.steadfast.archive.index.StudyRecord;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;

/** The indexed columns of each level, taken from an instance's header. */
final class IndexedAttributes {
    private IndexedAttributes() {}

    static PatientRecord patient(Dataset ds) {
        return new PatientRecord(text(ds, Tag.PatientID), text(ds, Tag.IssuerOfPatientID), text(ds, Tag.PatientName),
                DicomText.normalizeDate(text(ds, Tag.PatientBirthDate)), text(ds, Tag.PatientSex));
    }

    static StudyRecord study(Dataset ds) {
        return new StudyRecord(uid(ds, Tag.StudyInstanceUID), DicomText.normalizeDate(text(ds, Tag.StudyDate)),
                DicomText.normalizeTime(text(ds, Tag.StudyTime)), text(ds, Tag.AccessionNumber), text(ds, Tag.StudyID),
                text(ds, Tag.ReferringPhysicianName), text(ds, Tag.StudyDescription));
    }

    static SeriesRecord series(Dataset ds) {
        return new SeriesRecord(uid(ds, Tag.SeriesInstanceUID), text(ds, Tag.Modality), integer(ds, Tag.SeriesNumber),
                text(ds, Tag.SeriesDescription), text(ds, Tag.BodyPartExamined));
    }

    static Integer integer(Dataset ds, int tag) {
        try {
            long[] v = ds.getLongs(tag);
            return v.length == 0 ? null : (int) v[0];
        } catch (RuntimeException e) {
            return null; // a malformed IS is kept in the metadata, just not indexed
        }
    }

    static String uid(Dataset ds, int tag) {
        String s = text(ds, tag);
        return s == null ? null : s.replace("\0", "");
    }

    /** The first value, trimmed; null when absent, empty or undecodable. */
    static String text(Dataset ds, int tag) {
        try {
            String s = ds.getString(tag);
            if (s == null) {
                return null;
            }
            s = s.strip();
            return s.isEmpty() ? null : s;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
