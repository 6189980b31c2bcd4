package dev.steadfast.archive.workflow;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * Links an MPPS to the worklist items it performs (its Scheduled Step Attributes Sequence: Study
 * Instance UID, Accession Number, Requested Procedure ID, Scheduled Procedure Step ID) and sets
 * their Scheduled Procedure Step Status: STARTED once a modality began (the item no longer matches
 * a query for SCHEDULED steps, so a second modality does not start it again), then COMPLETED or
 * DISCONTINUED. A discontinued step is not offered as SCHEDULED again: rescheduling is the
 * ordering system's decision (PS3.4 F.1: DISCONTINUED lets it "reschedule or cancel").
 */
final class ScheduledSteps {
    private ScheduledSteps() {
    }

    /**
     * What an MPPS is linked to; {@code orderKey} null when no worklist item matched (unscheduled).
     * The other fields come from the matched item, else from the MPPS's first scheduled step.
     */
    record Link(String orderKey, String stepId, String accessionNumber, String placerOrder, String fillerOrder,
                String requestedProcedureId, String studyUid, String patientId, String issuer) {
        /** The procedure event's data set: who and what, for listeners (outgoing HL7, say). */
        Dataset procedure(String mppsUid) {
            Dataset d = new Dataset();
            d.setString(Tag.SOPInstanceUID, VR.UI, mppsUid);
            text(d, Tag.AccessionNumber, VR.SH, accessionNumber);
            text(d, Tag.PlacerOrderNumberImagingServiceRequest, VR.LO, placerOrder);
            text(d, Tag.FillerOrderNumberImagingServiceRequest, VR.LO, fillerOrder);
            text(d, Tag.RequestedProcedureID, VR.SH, requestedProcedureId);
            text(d, Tag.ScheduledProcedureStepID, VR.SH, stepId);
            text(d, Tag.StudyInstanceUID, VR.UI, studyUid);
            text(d, Tag.PatientID, VR.LO, patientId);
            text(d, Tag.IssuerOfPatientID, VR.LO, issuer);
            return d;
        }
    }

    /** Finds the MPPS's worklist items and sets their step status to {@code spsStatus} (null: leaves it); returns the (first) link. */
    static Link mark(Connection c, Dataset mpps, String spsStatus, Clock clock) throws SQLException {
        Sequence steps = mpps.getSequence(Tag.ScheduledStepAttributesSequence);
        Link first = null;
        for (Dataset step : steps) {
            Object[] row = find(c, step);
            if (row == null) {
                continue;
            }
            Dataset item = PatientUpdates.decode((byte[]) row[3]);
            Sequence sps = item.getSequence(Tag.ScheduledProcedureStepSequence);
            if (spsStatus != null && sps != null && !sps.isEmpty()) {
                sps.get(0).setString(Tag.ScheduledProcedureStepStatus, VR.CS, spsStatus);
                Jdbc.update(c, "UPDATE worklist_item SET item = ?, updated_at = ? WHERE id = ?", PatientUpdates.encode(item),
                        clock.millis(), row[0]);
            }
            if (first == null) {
                first = new Link((String) row[1], (String) row[2], item.getString(Tag.AccessionNumber),
                        item.getString(Tag.PlacerOrderNumberImagingServiceRequest),
                        item.getString(Tag.FillerOrderNumberImagingServiceRequest), item.getString(Tag.RequestedProcedureID),
                        item.getString(Tag.StudyInstanceUID), item.getString(Tag.PatientID), item.getString(Tag.IssuerOfPatientID));
            }
        }
        if (first != null) {
            return first;
        }
        Dataset s = steps.get(0); // unscheduled: what the modality said
        return new Link(null, blankToNull(s.getString(Tag.ScheduledProcedureStepID)), blankToNull(s.getString(Tag.AccessionNumber)),
                blankToNull(s.getString(Tag.PlacerOrderNumberImagingServiceRequest)),
                blankToNull(s.getString(Tag.FillerOrderNumberImagingServiceRequest)),
                blankToNull(s.getString(Tag.RequestedProcedureID)), s.getString(Tag.StudyInstanceUID),
                blankToNull(mpps.getString(Tag.PatientID)), blankToNull(mpps.getString(Tag.IssuerOfPatientID)));
    }

    /**
     * The worklist item of one scheduled step: {id, order_key, step_id, item}, or null. An item
     * matches on its step ID (or, without one, its accession number) and then on the Study Instance
     * UID, or the accession number with the requested procedure ID when the modality gave them.
     */
    private static Object[] find(Connection c, Dataset step) throws SQLException {
        String stepId = blankToNull(step.getString(Tag.ScheduledProcedureStepID));
        String accession = blankToNull(step.getString(Tag.AccessionNumber));
        String rpId = blankToNull(step.getString(Tag.RequestedProcedureID));
        String study = blankToNull(step.getString(Tag.StudyInstanceUID));
        List<Object[]> rows;
        if (stepId != null) {
            rows = rows(c, "SELECT id, order_key, step_id, item FROM worklist_item WHERE step_id = ? ORDER BY id", stepId);
        } else if (accession != null) {
            rows = rows(c, "SELECT id, order_key, step_id, item FROM worklist_item WHERE accession_number = ? ORDER BY id", accession);
        } else {
            return null;
        }
        for (Object[] row : rows) {
            Dataset item = PatientUpdates.decode((byte[]) row[3]);
            boolean sameStudy = study != null && study.equals(item.getString(Tag.StudyInstanceUID));
            boolean sameRequest = accession != null && accession.equals(item.getString(Tag.AccessionNumber))
                    && (rpId == null || rpId.equals(item.getString(Tag.RequestedProcedureID)));
            if (sameStudy || sameRequest) {
                return row;
            }
        }
        return null;
    }

    private static List<Object[]> rows(Connection c, String sql, String value) throws SQLException {
        List<Object[]> out = new java.util.ArrayList<>();
        try (var ps = Jdbc.prepare(c, sql, value); var rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4)});
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static void text(Dataset d, int tag, VR vr, String v) {
        if (v != null && !v.isBlank()) {
            d.setString(tag, vr, v);
        }
    }
}
