package dev.steadfast.server.hl7;

import ca.uhn.hl7v2.ErrorCode;
import dev.steadfast.archive.workflow.PatientData;
import dev.steadfast.archive.workflow.WorklistOrder;

/**
 * What an HL7 message asks must fit the DICOM attributes it becomes (PS3.5 6.2): an Accession Number
 * (SH) of at most 16 characters, a Patient ID (LO) of at most 64, a Study Instance UID that is a UID.
 * A value that does not fit used to go into the worklist as it was, and a modality then got an answer
 * it may refuse or cut short (or images with a Study Instance UID that is none). Now the message is
 * answered AE (102) naming the field, the attribute and its limit, never the value.
 */
final class DicomLimits {
    private static final int SH = 16; // also AE and CS
    private static final int LO = 64; // also a person name's component group

    private DicomLimits() {
    }

    static void check(Hl7Command c) throws Hl7Rejection {
        switch (c) {
            case Hl7Command.UpdatePatient u -> patient(u.patient());
            case Hl7Command.MergePatient g -> {
                patient(g.survivor());
                max(g.mergedId(), LO, "MRG-1.1", "Patient ID (LO)");
                max(g.mergedIssuer(), LO, "MRG-1.4", "Issuer of Patient ID (LO)");
            }
            case Hl7Command.PlaceOrder p -> order(p.order());
            case Hl7Command.CancelOrder x -> max(x.orderKey(), LO, "ORC-2", "Placer Order Number (LO)");
        }
    }

    private static void patient(PatientData p) throws Hl7Rejection {
        max(p.patientId(), LO, "PID-3.1", "Patient ID (LO)");
        max(p.issuer(), LO, "PID-3.4", "Issuer of Patient ID (LO)");
        max(p.name(), LO, "PID-5", "Patient's Name (PN)");
        max(p.location(), LO, "PV1-3", "Current Patient Location (LO)");
    }

    private static void order(WorklistOrder o) throws Hl7Rejection {
        patient(o.patient());
        max(o.placerOrder(), LO, "ORC-2 (else OBR-2)", "Placer Order Number (LO)");
        max(o.fillerOrder(), LO, "ORC-3 (else OBR-3)", "Filler Order Number (LO)");
        max(o.accessionNumber(), SH, "OBR-18 (IPC-1)", "Accession Number (SH)");
        max(o.requestedProcedureId(), SH, "OBR-19 (IPC-2), else the placer order number", "Requested Procedure ID (SH)");
        max(o.requestedProcedureDescription(), LO, "OBR-4.2", "Requested Procedure Description (LO)");
        max(o.referringPhysician(), LO, "PV1-8 (else OBR-16)", "Referring Physician's Name (PN)");
        String uid = o.studyInstanceUid();
        if (uid != null && !isUid(uid)) {
            throw new Hl7Rejection("IPC-3 is no DICOM UID for Study Instance UID (UI: digits and dots, at most 64,"
                    + " no component with a leading zero)", ErrorCode.DATA_TYPE_ERROR);
        }
        for (WorklistOrder.Step s : o.steps()) {
            max(s.stepId(), SH, "OBR-20 (IPC-4), else the placer order number", "Scheduled Procedure Step ID (SH)");
            max(s.stationAeTitle(), SH, "OBR-21 (IPC-9)", "Scheduled Station AE Title (AE)");
            max(s.modality(), SH, "OBR-24 (IPC-5)", "Modality (CS)");
            max(s.description(), LO, "OBR-4.2", "Scheduled Procedure Step Description (LO)");
            max(s.performingPhysician(), LO, "the performing physician", "Scheduled Performing Physician's Name (PN)");
        }
    }

    private static void max(String v, int max, String field, String attribute) throws Hl7Rejection {
        if (v != null && v.length() > max) {
            throw new Hl7Rejection(field + " has " + v.length() + " characters; " + attribute + " holds at most " + max,
                    ErrorCode.DATA_TYPE_ERROR);
        }
    }

    /** PS3.5 9.1: components of digits without a leading zero (but "0"), separated by dots, at most 64 characters. */
    static boolean isUid(String uid) {
        return uid.length() <= 64 && uid.matches("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    }
}
