package dev.steadfast.archive.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One auditable event in the terms of DICOM PS3.15 A.5 (the IHE ATNA audit message): what happened
 * (event id, action, outcome), who took part (the requesting user or AE, this archive, a destination),
 * and which studies and patients it touched. Built by {@link AuditEvents}; written by {@link AuditXml}.
 *
 * @param id           EventID (DCM code, e.g. 110104 "DICOM Instances Transferred")
 * @param typeCode     EventTypeCode, or null (e.g. 110120 "Application Start")
 * @param action       EventActionCode: C, R, U, D or E
 * @param time         when it happened
 * @param outcome      EventOutcomeIndicator
 * @param outcomeText  EventOutcomeDescription, or null (never patient data: a status or reason)
 * @param participants ActiveParticipant elements, the requestor first
 * @param objects      ParticipantObjectIdentification elements (studies, patients, a query, a user)
 */
public record AuditEvent(Code id, Code typeCode, char action, Instant time, Outcome outcome, String outcomeText,
                         List<Participant> participants, List<ParticipantObject> objects) {

    public AuditEvent {
        Objects.requireNonNull(id);
        Objects.requireNonNull(time);
        Objects.requireNonNull(outcome);
        if ("CRUDE".indexOf(action) < 0) {
            throw new IllegalArgumentException("EventActionCode is one of C, R, U, D, E: " + action);
        }
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("an audit message has at least one active participant");
        }
        participants = List.copyOf(participants);
        objects = List.copyOf(objects);
    }

    /** A coded value (csd-code, codeSystemName, originalText), as the schema's CodedValueType. */
    public record Code(String code, String system, String meaning) {
        static Code dcm(String code, String meaning) {
            return new Code(code, "DCM", meaning);
        }
    }

    /** EventOutcomeIndicator values (PS3.15 A.5.1). */
    public enum Outcome {
        SUCCESS("0"), MINOR_FAILURE("4"), SERIOUS_FAILURE("8"), MAJOR_FAILURE("12");

        final String value;

        Outcome(String value) {
            this.value = value;
        }
    }

    /**
     * An ActiveParticipant.
     *
     * @param userId    AE title, user name or process id
     * @param requestor UserIsRequestor
     * @param address   NetworkAccessPointID (an IP address or host name), or null
     * @param role      RoleIDCode, or null
     */
    public record Participant(String userId, String alternativeUserId, boolean requestor, String address, Code role) {}

    /**
     * A ParticipantObjectIdentification.
     *
     * @param typeCode  ParticipantObjectTypeCode (1 person, 2 system object)
     * @param role      ParticipantObjectTypeCodeRole (1 patient, 3 report, 6 user, 24 query)
     * @param idType    ParticipantObjectIDTypeCode
     * @param objectId  ParticipantObjectID (a Study Instance UID, a Patient ID, a SOP Class UID)
     * @param name      ParticipantObjectName, or null
     * @param query     ParticipantObjectQuery bytes (written base64), or null
     * @param sopClasses for a study: SOP Class UID to number of instances (ParticipantObjectDescription)
     * @param details   ParticipantObjectDetail type/value pairs (values written base64)
     * @param mpps      for a study: the MPPS SOP Instance UID it concerns (ParticipantObjectDescription's MPPS), or null
     * @param accession for a study: its Accession Number (ParticipantObjectDescription's Accession), or null
     */
    public record ParticipantObject(String typeCode, String role, Code idType, String objectId, String name,
                                    byte[] query, Map<String, Integer> sopClasses, Map<String, String> details, String mpps,
                                    String accession) {
        public ParticipantObject(String typeCode, String role, Code idType, String objectId, String name,
                                 byte[] query, Map<String, Integer> sopClasses, Map<String, String> details) {
            this(typeCode, role, idType, objectId, name, query, sopClasses, details, null, null);
        }
    }
}
