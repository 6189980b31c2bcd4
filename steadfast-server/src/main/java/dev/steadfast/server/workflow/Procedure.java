package dev.steadfast.server.workflow;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;

/**
 * The procedure an MPPS performs, as listeners need it: the step and the order it belongs to.
 * Fields the order and the MPPS did not give are null.
 *
 * @param mppsUid          the MPPS SOP Instance UID
 * @param orderKey         the placer order number of the linked order (the key HL7 orders are kept by), or null: unscheduled
 * @param fillerOrder      the filler order number, or null
 * @param stepId           the Scheduled Procedure Step ID
 */
public record Procedure(String mppsUid, String accessionNumber, String orderKey, String fillerOrder,
                        String requestedProcedureId, String stepId, String studyInstanceUid, String patientId, String issuerOfPatientId) {

    /** From the event's data set as queued (archive.workflow.ScheduledSteps). */
    static Procedure of(Dataset d) {
        return new Procedure(d.getString(Tag.SOPInstanceUID), d.getString(Tag.AccessionNumber),
                d.getString(Tag.PlacerOrderNumberImagingServiceRequest), d.getString(Tag.FillerOrderNumberImagingServiceRequest),
                d.getString(Tag.RequestedProcedureID), d.getString(Tag.ScheduledProcedureStepID), d.getString(Tag.StudyInstanceUID),
                d.getString(Tag.PatientID), d.getString(Tag.IssuerOfPatientID));
    }
}
