package dev.steadfast.archive.workflow;

import java.util.List;

/**
 * An imaging order and its scheduled procedure steps, as an order message (ORM^O01, OMI^O23)
 * places or changes it. Text fields are DICOM values already; null where the message had none.
 *
 * @param orderKey the placer order number (ORC-2, else OBR-2): what a change or cancel refers to
 */
public record WorklistOrder(String orderKey, PatientData patient, String placerOrder, String fillerOrder,
                            String accessionNumber, String requestedProcedureId, String requestedProcedureDescription,
                            String studyInstanceUid, String referringPhysician, List<Step> steps) {
    public WorklistOrder {
        if (orderKey == null || orderKey.isBlank()) {
            throw new IllegalArgumentException("the order has no placer order number (ORC-2 or OBR-2)");
        }
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("the order has no scheduled procedure step");
        }
    }

    /** One scheduled procedure step: where, when and what. */
    public record Step(String stepId, String stationAeTitle, String modality, String startDate, String startTime,
                       String description, String performingPhysician) {
        public Step {
            if (stepId == null || stepId.isBlank()) {
                throw new IllegalArgumentException("a scheduled procedure step has no identifier");
            }
        }
    }
}
