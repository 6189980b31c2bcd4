package dev.steadfast.web.qido;

import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.dictionary.ElementDictionary;

/**
 * The attributes QIDO-RS returns without includefield (PS3.18 Tables 10.6.3-3 to -5). A series
 * or instance query not scoped to a study also returns the study's; an instance query not
 * scoped to a series also returns the series'.
 */
final class DefaultKeys {
    static final int[] STUDY = {
            Tag.SpecificCharacterSet, Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber, Tag.InstanceAvailability,
            Tag.ModalitiesInStudy, Tag.ReferringPhysicianName, Tag.TimezoneOffsetFromUTC, Tag.RetrieveURL,
            Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex, Tag.StudyInstanceUID, Tag.StudyID,
            Tag.NumberOfStudyRelatedSeries, Tag.NumberOfStudyRelatedInstances};
    static final int[] SERIES = {
            Tag.SpecificCharacterSet, Tag.Modality, Tag.TimezoneOffsetFromUTC, Tag.SeriesDescription, Tag.RetrieveURL,
            Tag.SeriesInstanceUID, Tag.SeriesNumber, Tag.NumberOfSeriesRelatedInstances,
            Tag.PerformedProcedureStepStartDate, Tag.PerformedProcedureStepStartTime, Tag.RequestAttributesSequence};
    static final int[] INSTANCE = {
            Tag.SpecificCharacterSet, Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.InstanceAvailability,
            Tag.TimezoneOffsetFromUTC, Tag.RetrieveURL, Tag.InstanceNumber, Tag.Rows, Tag.Columns, Tag.BitsAllocated,
            Tag.NumberOfFrames};

    private DefaultKeys() {}

    static void add(Dataset keys, QueryLevel level, boolean noStudyInPath, boolean noSeriesInPath) {
        switch (level) {
            case STUDY -> put(keys, STUDY);
            case SERIES -> {
                put(keys, SERIES);
                if (noStudyInPath) {
                    put(keys, STUDY);
                }
            }
            case IMAGE -> {
                put(keys, INSTANCE);
                if (noSeriesInPath) {
                    put(keys, SERIES);
                }
                if (noStudyInPath) {
                    put(keys, STUDY);
                }
            }
            default -> throw new IllegalArgumentException("QIDO-RS has no " + level + " level");
        }
        keys.remove(Tag.SpecificCharacterSet); // the engine answers it from the stored data set
    }

    private static void put(Dataset keys, int[] tags) {
        for (int tag : tags) {
            if (!keys.contains(tag)) {
                if (ElementDictionary.vrOf(tag) == dev.steadfast.dicom.VR.SQ) {
                    keys.newSequence(tag);
                } else {
                    keys.setNull(tag, ElementDictionary.vrOf(tag));
                }
            }
        }
    }

    static boolean isDefault(QueryLevel level, int tag) {
        for (int[] set : new int[][]{STUDY, SERIES, INSTANCE}) {
            for (int t : set) {
                if (t == tag) {
                    return true;
                }
            }
        }
        return false;
    }
}
