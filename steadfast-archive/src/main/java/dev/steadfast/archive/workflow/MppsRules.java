package dev.steadfast.archive.workflow;

import dev.steadfast.archive.workflow.MppsRefusal.Reason;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import java.io.IOException;
import java.util.Arrays;

/**
 * The state rules of the Modality Performed Procedure Step (PS3.4 F.7.2, Table F.7.2-1): what an
 * N-CREATE must carry, what an N-SET may change, what a final state needs.
 */
public final class MppsRules {
    public static final String IN_PROGRESS = "IN PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    public static final String DISCONTINUED = "DISCONTINUED";

    /** Type 1 for the N-CREATE SCU (Table F.7.2-1); the Scheduled Step Attributes Sequence is checked apart. */
    private static final int[] CREATE_TYPE_1 = {Tag.PerformedProcedureStepID, Tag.PerformedStationAETitle,
            Tag.PerformedProcedureStepStartDate, Tag.PerformedProcedureStepStartTime, Tag.PerformedProcedureStepStatus, Tag.Modality};

    /** "Not allowed" for N-SET (Table F.7.2-1): fixed at creation. */
    private static final int[] NOT_SETTABLE = {Tag.ScheduledStepAttributesSequence, Tag.PatientName, Tag.PatientID,
            Tag.IssuerOfPatientID, Tag.IssuerOfPatientIDQualifiersSequence, Tag.OtherPatientIDsSequence, Tag.PatientBirthDate,
            Tag.PatientSex, Tag.ReferencedPatientSequence, Tag.PerformedProcedureStepID, Tag.PerformedStationAETitle,
            Tag.PerformedStationName, Tag.PerformedLocation, Tag.PerformedProcedureStepStartDate,
            Tag.PerformedProcedureStepStartTime, Tag.Modality, Tag.StudyID};

    private MppsRules() {
    }

    /** F.7.2.1.3: the SCP accepts an N-CREATE only with the status IN PROGRESS and the type 1 attributes. */
    public static void checkCreate(Dataset a) throws MppsRefusal {
        Sequence ssas = a.getSequence(Tag.ScheduledStepAttributesSequence);
        if (!a.contains(Tag.ScheduledStepAttributesSequence)) {
            throw missing(Tag.ScheduledStepAttributesSequence, false);
        }
        if (ssas == null || ssas.isEmpty()) {
            throw missing(Tag.ScheduledStepAttributesSequence, true);
        }
        for (Dataset item : ssas) {
            required(item, Tag.StudyInstanceUID);
        }
        for (int tag : CREATE_TYPE_1) {
            required(a, tag);
        }
        String status = a.getString(Tag.PerformedProcedureStepStatus).strip();
        if (!IN_PROGRESS.equals(status)) {
            throw new MppsRefusal(Reason.INVALID_ATTRIBUTE_VALUE, Tag.PerformedProcedureStepStatus,
                    "Performed Procedure Step Status must be IN PROGRESS at N-CREATE, not " + status);
        }
    }

    /**
     * F.7.2.2.3: only while IN PROGRESS; the attributes Table F.7.2-1 fixes at creation may be sent
     * again only with the value they have; the status may become COMPLETED or DISCONTINUED.
     */
    public static void checkSet(String storedStatus, Dataset stored, Dataset mods) throws MppsRefusal {
        if (!IN_PROGRESS.equals(storedStatus)) {
            throw new MppsRefusal(Reason.NO_LONGER_UPDATABLE, -1,
                    "Performed Procedure Step Object may no longer be updated"); // F.7.2.2.4's comment, within LO's 64
        }
        for (int tag : NOT_SETTABLE) {
            if (mods.contains(tag) && !sameValue(stored, mods, tag)) {
                throw new MppsRefusal(Reason.INVALID_ATTRIBUTE_VALUE, tag,
                        dev.steadfast.dicom.Tag.toString(tag) + " may not be changed by N-SET (PS3.4 Table F.7.2-1)");
            }
        }
        String status = status(mods);
        if (status != null && !Arrays.asList(IN_PROGRESS, COMPLETED, DISCONTINUED).contains(status)) {
            throw new MppsRefusal(Reason.INVALID_ATTRIBUTE_VALUE, Tag.PerformedProcedureStepStatus,
                    "Performed Procedure Step Status must be IN PROGRESS, COMPLETED or DISCONTINUED, not " + status);
        }
    }

    /**
     * The final state's requirements (Table F.7.2-1, "Final State"): end date and time; a COMPLETED
     * step names its series (Performed Series Sequence, one item or more, each with its Series Instance UID).
     */
    public static void checkFinal(Dataset merged, String status) throws MppsRefusal {
        required(merged, Tag.PerformedProcedureStepEndDate);
        required(merged, Tag.PerformedProcedureStepEndTime);
        if (COMPLETED.equals(status)) {
            Sequence series = merged.getSequence(Tag.PerformedSeriesSequence);
            if (series == null || series.isEmpty()) {
                throw missing(Tag.PerformedSeriesSequence, merged.contains(Tag.PerformedSeriesSequence));
            }
            for (Dataset s : series) {
                required(s, Tag.SeriesInstanceUID);
            }
        }
    }

    /** The stored attributes with the modifications applied (an attribute sent empty becomes empty). */
    public static Dataset merge(Dataset stored, Dataset mods) {
        Dataset out = stored.copy();
        Dataset m = mods.copy();
        for (int tag : m.tags()) {
            out.put(m.get(tag));
        }
        return out;
    }

    /** The status a data set sets, stripped, or null when it sets none. */
    public static String status(Dataset d) {
        String s = d.getString(Tag.PerformedProcedureStepStatus);
        return s == null ? null : s.strip();
    }

    private static void required(Dataset d, int tag) throws MppsRefusal {
        if (!d.contains(tag)) {
            throw missing(tag, false);
        }
        String v = d.getString(tag);
        if (v == null || v.isBlank()) {
            throw missing(tag, true);
        }
    }

    private static MppsRefusal missing(int tag, boolean present) {
        return new MppsRefusal(present ? Reason.MISSING_ATTRIBUTE_VALUE : Reason.MISSING_ATTRIBUTE, tag,
                dev.steadfast.dicom.Tag.toString(tag) + (present ? " has no value" : " is missing") + " (type 1, PS3.4 Table F.7.2-1)");
    }

    /** Whether the element has the same encoded value in both (a modality re-sending what it created is harmless). */
    private static boolean sameValue(Dataset stored, Dataset mods, int tag) {
        return Arrays.equals(encoded(stored, tag), encoded(mods, tag));
    }

    private static byte[] encoded(Dataset d, int tag) {
        Element e = d.get(tag);
        if (e == null) {
            return new byte[0];
        }
        Dataset one = new Dataset();
        one.put(d.copy().get(tag)); // a copy: an element belongs to one data set
        try {
            return DicomWriter.encode(one, UID.ExplicitVRLittleEndian);
        } catch (IOException ex) {
            return new byte[] {1};
        }
    }
}
