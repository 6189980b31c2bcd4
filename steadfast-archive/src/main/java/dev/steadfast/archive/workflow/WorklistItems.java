package dev.steadfast.archive.workflow;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

/**
 * The DICOM side of the workflow: a worklist item (PS3.4 Annex K, the return keys of table K.6-1
 * that an order carries) for each scheduled procedure step, and patient attributes written into a
 * stored data set (a worklist item, or an instance's indexed metadata).
 */
public final class WorklistItems {
    private WorklistItems() {
    }

    /** The worklist item of one step of {@code order}; the step's status is SCHEDULED. */
    public static Dataset of(WorklistOrder order, WorklistOrder.Step step) {
        Dataset d = new Dataset();
        PatientData p = order.patient();
        text(d, Tag.AccessionNumber, VR.SH, order.accessionNumber());
        text(d, Tag.ReferringPhysicianName, VR.PN, order.referringPhysician());
        patient(d, p, true);
        text(d, Tag.StudyInstanceUID, VR.UI, order.studyInstanceUid());
        text(d, Tag.RequestedProcedureDescription, VR.LO, order.requestedProcedureDescription());
        if (p.location() != null) {
            d.setString(Tag.CurrentPatientLocation, VR.LO, p.location());
        }
        Dataset sps = d.newSequence(Tag.ScheduledProcedureStepSequence).addItem();
        text(sps, Tag.ScheduledStationAETitle, VR.AE, step.stationAeTitle());
        text(sps, Tag.ScheduledProcedureStepStartDate, VR.DA, step.startDate());
        text(sps, Tag.ScheduledProcedureStepStartTime, VR.TM, step.startTime());
        text(sps, Tag.Modality, VR.CS, step.modality());
        text(sps, Tag.ScheduledPerformingPhysicianName, VR.PN, step.performingPhysician());
        text(sps, Tag.ScheduledProcedureStepDescription, VR.LO, step.description());
        sps.setString(Tag.ScheduledProcedureStepID, VR.SH, step.stepId());
        sps.setString(Tag.ScheduledProcedureStepStatus, VR.CS, "SCHEDULED");
        text(d, Tag.RequestedProcedureID, VR.SH, order.requestedProcedureId());
        text(d, Tag.PlacerOrderNumberImagingServiceRequest, VR.LO, order.placerOrder());
        text(d, Tag.FillerOrderNumberImagingServiceRequest, VR.LO, order.fillerOrder());
        charset(d);
        return d;
    }

    /**
     * Writes the patient's attributes into {@code d}: name, birth date and sex where {@code p} has
     * them; PatientID and issuer too when {@code identity} (a merge, or a new item).
     */
    public static void patient(Dataset d, PatientData p, boolean identity) {
        if (p.name() != null) {
            d.setString(Tag.PatientName, VR.PN, p.name());
        }
        if (identity) {
            d.setString(Tag.PatientID, VR.LO, p.patientId());
            if (p.issuer().isEmpty()) {
                d.remove(Tag.IssuerOfPatientID);
            } else {
                d.setString(Tag.IssuerOfPatientID, VR.LO, p.issuer());
            }
        }
        if (p.birthDate() != null) {
            d.setString(Tag.PatientBirthDate, VR.DA, p.birthDate());
        }
        if (p.sex() != null) {
            d.setString(Tag.PatientSex, VR.CS, p.sex());
        }
        charset(d);
    }

    /** Text beyond ASCII in a data set that declares no character set: declare UTF-8. */
    private static void charset(Dataset d) {
        if (d.contains(Tag.SpecificCharacterSet)) {
            return;
        }
        for (int tag : new int[] {Tag.PatientName, Tag.ReferringPhysicianName, Tag.RequestedProcedureDescription}) {
            String v = d.getString(tag);
            if (v != null && v.chars().anyMatch(c -> c >= 128)) {
                d.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
                return;
            }
        }
    }

    /** An attribute with a value, or present and empty (type 2 in Annex K) when the order had none. */
    private static void text(Dataset d, int tag, VR vr, String value) {
        if (value == null || value.isEmpty()) {
            d.setNull(tag, vr);
        } else {
            d.setString(tag, vr, value);
        }
    }
}
