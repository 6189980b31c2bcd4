package dev.steadfast.archive.audit;

import dev.steadfast.archive.audit.AuditEvent.Code;
import dev.steadfast.archive.audit.AuditEvent.Outcome;
import dev.steadfast.archive.audit.AuditEvent.Participant;
import dev.steadfast.archive.audit.AuditEvent.ParticipantObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The audit messages this archive sends, shaped as PS3.15 A.5.3 asks for each (which participants,
 * which roles, which participant objects). Codes are from PS3.16 (DCM) and RFC 3881.
 */
public final class AuditEvents {
    static final Code APPLICATION_ACTIVITY = Code.dcm("110100", "Application Activity");
    static final Code APPLICATION_START = Code.dcm("110120", "Application Start");
    static final Code APPLICATION_STOP = Code.dcm("110121", "Application Stop");
    static final Code INSTANCES_TRANSFERRED = Code.dcm("110104", "DICOM Instances Transferred");
    static final Code STUDY_DELETED = Code.dcm("110105", "DICOM Study Deleted");
    static final Code INSTANCES_ACCESSED = Code.dcm("110103", "DICOM Instances Accessed");
    static final Code PATIENT_RECORD = Code.dcm("110110", "Patient Record");
    static final Code PROCEDURE_RECORD = Code.dcm("110111", "Procedure Record");
    static final Code QUERY = Code.dcm("110112", "Query");
    static final Code SECURITY_ALERT = Code.dcm("110113", "Security Alert");
    static final Code USER_AUTHENTICATION = Code.dcm("110114", "User Authentication");
    static final Code LOGIN = Code.dcm("110122", "Login");
    static final Code NODE_AUTHENTICATION = Code.dcm("110126", "Node Authentication");
    static final Code RESTRICTED_FUNCTION = Code.dcm("110132", "Use of Restricted Function");
    static final Code APPLICATION_ROLE = Code.dcm("110150", "Application");
    static final Code DESTINATION_ROLE = Code.dcm("110152", "Destination Role ID");
    static final Code SOURCE_ROLE = Code.dcm("110153", "Source Role ID");
    static final Code STUDY_UID = Code.dcm("110180", "Study Instance UID");
    static final Code SOP_CLASS_UID = Code.dcm("110181", "SOP Class UID");
    static final Code PATIENT_NUMBER = new Code("2", "RFC-3881", "Patient Number");
    static final Code USER_IDENTIFIER = new Code("11", "RFC-3881", "User Identifier");

    private AuditEvents() {}

    /** Who did it: an AE title or a user name, and the address the request came from (host or IP, no port). */
    public record Actor(String id, String address) {
        public Actor {
            address = hostOnly(address);
        }
    }

    /** "/10.0.0.1:4242" (a socket address's text) becomes "10.0.0.1"; "[::1]:4242" becomes "::1". */
    static String hostOnly(String address) {
        if (address == null || address.isEmpty()) {
            return null;
        }
        String a = address;
        int slash = a.indexOf('/');
        if (slash >= 0) {
            a = a.substring(slash + 1);
        }
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end > 0 ? a.substring(1, end) : a;
        }
        int colon = a.lastIndexOf(':');
        if (colon > 0 && a.indexOf(':') == colon) { // one colon: IPv4 or a name with a port
            a = a.substring(0, colon);
        }
        return a;
    }

    /**
     * One study an event touched, with the instances per SOP Class.
     *
     * @param patientName the patient's name as stored (audit records name the patient; operational logs never do), or null
     */
    public record StudyRef(String studyUid, String patientId, String patientName, Map<String, Integer> sopClasses) {}

    public static AuditEvent applicationStarted(String archive, String processId) {
        return application(APPLICATION_START, archive, processId);
    }

    public static AuditEvent applicationStopped(String archive, String processId) {
        return application(APPLICATION_STOP, archive, processId);
    }

    private static AuditEvent application(Code type, String archive, String processId) {
        return new AuditEvent(APPLICATION_ACTIVITY, type, 'E', Instant.now(), Outcome.SUCCESS, null,
                List.of(new Participant(archive, processId, false, null, APPLICATION_ROLE)), List.of());
    }

    /** Instances received (C-STORE, STOW-RS): the sender is the source, this archive the destination. */
    public static AuditEvent instancesStored(Actor sender, String archive, StudyRef study, boolean failed, String outcomeText) {
        return transfer('C', sender, true, new Actor(archive, null), false, study, failed, outcomeText);
    }

    /** Instances sent (C-GET, C-MOVE, WADO): this archive is the source; the destination receives. */
    public static AuditEvent instancesRetrieved(Actor requestor, String archive, Actor destination, StudyRef study,
                                                boolean failed, String outcomeText) {
        List<Participant> ps = new ArrayList<>();
        ps.add(new Participant(requestor.id(), null, true, requestor.address(), null));
        ps.add(new Participant(archive, null, false, null, SOURCE_ROLE));
        ps.add(new Participant(destination.id(), null, false, destination.address(), DESTINATION_ROLE));
        return new AuditEvent(INSTANCES_TRANSFERRED, null, 'R', Instant.now(), failed ? Outcome.MINOR_FAILURE : Outcome.SUCCESS,
                outcomeText, ps, studyObjects(study));
    }

    private static AuditEvent transfer(char action, Actor source, boolean sourceRequests, Actor destination,
                                       boolean destinationRequests, StudyRef study, boolean failed, String outcomeText) {
        List<Participant> ps = List.of(
                new Participant(source.id(), null, sourceRequests, source.address(), SOURCE_ROLE),
                new Participant(destination.id(), null, destinationRequests, destination.address(), DESTINATION_ROLE));
        return new AuditEvent(INSTANCES_TRANSFERRED, null, action, Instant.now(),
                failed ? Outcome.MINOR_FAILURE : Outcome.SUCCESS, outcomeText, ps, studyObjects(study));
    }

    /**
     * A query (C-FIND, QIDO-RS): the query itself is the participant object, kept as sent (PS3.15 A.5.3.10:
     * the C-FIND identifier, base64; for QIDO the query string).
     */
    public static AuditEvent query(Actor requestor, String archive, String sopClassUid, byte[] query, boolean failed,
                                   String outcomeText) {
        List<Participant> ps = List.of(
                new Participant(requestor.id(), null, true, requestor.address(), SOURCE_ROLE),
                new Participant(archive, null, false, null, DESTINATION_ROLE));
        ParticipantObject q = new ParticipantObject("2", "3", SOP_CLASS_UID, sopClassUid, null, query, Map.of(), Map.of());
        return new AuditEvent(QUERY, null, 'E', Instant.now(), failed ? Outcome.MINOR_FAILURE : Outcome.SUCCESS,
                outcomeText, ps, List.of(q));
    }

    /** A study deleted through the admin API, with the reason given. */
    public static AuditEvent studyDeleted(Actor user, String archive, StudyRef study, String reason) {
        List<Participant> ps = List.of(
                new Participant(user.id(), null, true, user.address(), null),
                new Participant(archive, null, false, null, APPLICATION_ROLE));
        return new AuditEvent(STUDY_DELETED, null, 'D', Instant.now(), Outcome.SUCCESS, reason, ps, studyObjects(study));
    }

    /** A sign-in through the HTTP front door (bearer token or built-in user), successful or not. */
    public static AuditEvent authentication(Actor user, String archive, boolean success, String outcomeText) {
        List<Participant> ps = List.of(
                new Participant(user.id(), null, true, user.address(), null),
                new Participant(archive, null, false, null, APPLICATION_ROLE));
        return new AuditEvent(USER_AUTHENTICATION, LOGIN, 'E', Instant.now(),
                success ? Outcome.SUCCESS : Outcome.MINOR_FAILURE, outcomeText, ps, List.of());
    }

    /**
     * A refused request that crossed a security rule: an AE asking for what it may not, a peer whose
     * certificate fails, different content under a stored SOP Instance UID.
     *
     * @param nodeAuthentication the alert is about a peer's identity (TLS, host pinning) rather than a permission
     */
    public static AuditEvent securityAlert(Actor who, String archive, boolean nodeAuthentication, String what,
                                           Map<String, String> details) {
        List<Participant> ps = List.of(
                new Participant(who.id(), null, true, who.address(), null),
                new Participant(archive, null, false, null, APPLICATION_ROLE));
        List<ParticipantObject> objects = details.isEmpty() ? List.of() : List.of(new ParticipantObject("2", "13",
                USER_IDENTIFIER, who.id(), who.id(), null, Map.of(), details));
        return new AuditEvent(SECURITY_ALERT, nodeAuthentication ? NODE_AUTHENTICATION : RESTRICTED_FUNCTION, 'E',
                Instant.now(), Outcome.MINOR_FAILURE, what, ps, objects);
    }

    /**
     * Attributes of stored data corrected (issue 18), action U: for a study, "DICOM Instances
     * Accessed" (PS3.15 A.5.3.4: instances updated) with the study and its patient; for a patient
     * (HL7 ADT), "Patient Record" (A.5.3.9). The corrected attributes are named by tag only, in the
     * outcome text and a detail: an audit record keeps who changed what, the values stay in the index.
     */
    public static AuditEvent corrected(Actor who, String archive, String studyUid, String patientId, List<String> tags,
                                       String how) {
        List<Participant> ps = List.of(
                new Participant(who.id(), null, true, who.address(), null),
                new Participant(archive, null, false, null, APPLICATION_ROLE));
        String named = String.join(" ", tags);
        List<ParticipantObject> objects = new ArrayList<>(2);
        if (studyUid != null) {
            objects.add(new ParticipantObject("2", "3", STUDY_UID, studyUid, studyUid, null, Map.of(),
                    Map.of("CorrectedAttributes", named)));
        }
        if (patientId != null && !patientId.isEmpty()) {
            objects.add(new ParticipantObject("1", "1", PATIENT_NUMBER, patientId, patientId, null, Map.of(),
                    studyUid == null ? Map.of("CorrectedAttributes", named) : Map.of()));
        }
        return new AuditEvent(studyUid != null ? INSTANCES_ACCESSED : PATIENT_RECORD, null, 'U', Instant.now(),
                Outcome.SUCCESS, how + ": corrected " + named, ps, objects);
    }

    /**
     * A Modality Performed Procedure Step created (action C, N-CREATE) or updated (U, N-SET) (issue
     * 18): "Procedure Record" (PS3.15 A.5.3.7). The modality is the requestor; the study object names
     * the step (MPPS SOP Instance UID) and its accession number, the patient object the Patient ID.
     * The outcome text says the operation and the status, never patient values.
     */
    public static AuditEvent procedureRecord(Actor modality, String archive, char action, String mppsUid, String studyUid,
                                             String accession, String patientId, String status, boolean failed, String outcomeText) {
        List<Participant> ps = List.of(
                new Participant(modality.id(), null, true, modality.address(), null),
                new Participant(archive, null, false, null, APPLICATION_ROLE));
        List<ParticipantObject> objects = new ArrayList<>(2);
        String study = studyUid == null || studyUid.isBlank() ? mppsUid : studyUid;
        objects.add(new ParticipantObject("2", "3", STUDY_UID, study, study, null, Map.of(), Map.of(), mppsUid,
                accession == null || accession.isBlank() ? null : accession));
        if (patientId != null && !patientId.isBlank()) {
            objects.add(new ParticipantObject("1", "1", PATIENT_NUMBER, patientId, patientId, null, Map.of(), Map.of()));
        }
        String text = (action == 'C' ? "MPPS N-CREATE" : "MPPS N-SET") + (status == null ? "" : " " + status)
                + (outcomeText == null ? "" : ": " + outcomeText);
        return new AuditEvent(PROCEDURE_RECORD, null, action, Instant.now(), failed ? Outcome.MINOR_FAILURE : Outcome.SUCCESS,
                text, ps, objects);
    }

    private static List<ParticipantObject> studyObjects(StudyRef study) {
        List<ParticipantObject> out = new ArrayList<>(2);
        // The schema asks each object for a name or a query: a study is named by its UID.
        out.add(new ParticipantObject("2", "3", STUDY_UID, study.studyUid(), study.studyUid(), null, study.sopClasses(),
                Map.of()));
        if (study.patientId() != null && !study.patientId().isEmpty()) {
            String name = study.patientName() == null || study.patientName().isBlank() ? study.patientId() : study.patientName();
            out.add(new ParticipantObject("1", "1", PATIENT_NUMBER, study.patientId(), name, null, Map.of(), Map.of()));
        }
        return out;
    }
}
