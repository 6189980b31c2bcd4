package dev.steadfast.server.hl7;

import dev.steadfast.archive.workflow.PatientData;
import dev.steadfast.archive.workflow.WorklistOrder;

/** What one HL7 message asks of the archive, read from it by {@link Hl7Commands}. */
sealed interface Hl7Command {
    /** ADT A01, A04, A08: patient and visit data. */
    record UpdatePatient(PatientData patient) implements Hl7Command {
    }

    /** ADT A40: the patient {@code mergedId} (MRG-1) becomes {@code survivor} (PID-3). */
    record MergePatient(PatientData survivor, String mergedId, String mergedIssuer) implements Hl7Command {
    }

    /** ORC-1 NW (new) or XO (change). */
    record PlaceOrder(WorklistOrder order, boolean change) implements Hl7Command {
    }

    /** ORC-1 CA. */
    record CancelOrder(String orderKey) implements Hl7Command {
    }
}
