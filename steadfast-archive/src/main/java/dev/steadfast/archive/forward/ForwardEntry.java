package dev.steadfast.archive.forward;

/**
 * One queued forwarding: an instance to store at a destination, a study to delete there, or an
 * HL7 message to deliver (issue 18; its text is read with {@link ForwardQueue#message}).
 *
 * @param sopUid     the instance (STORE), null for DELETE
 * @param reason     why the study was deleted (DELETE); the message's type and control id (HL7)
 * @param attempts   refusals so far (unavailability does not count)
 * @param lastError  the latest failure, as the destination or the link reported it
 */
public record ForwardEntry(long id, String destination, Kind kind, String studyUid, String seriesUid, String sopUid,
                           String sopClassUid, String transferSyntax, String reason, long enqueuedAt, State state,
                           int attempts, String lastError) {
    public enum Kind { STORE, DELETE, HL7 }

    public enum State { QUEUED, DEAD }
}
