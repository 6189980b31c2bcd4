package dev.steadfast.archive.forward;

/**
 * One queued forwarding: an instance to store at a destination, or a study to delete there.
 *
 * @param sopUid     the instance (STORE), null for DELETE
 * @param reason     why the study was deleted (DELETE)
 * @param attempts   refusals so far (unavailability does not count)
 * @param lastError  the latest failure, as the destination or the link reported it
 */
public record ForwardEntry(long id, String destination, Kind kind, String studyUid, String seriesUid, String sopUid,
                           String sopClassUid, String transferSyntax, String reason, long enqueuedAt, State state,
                           int attempts, String lastError) {
    public enum Kind { STORE, DELETE }

    public enum State { QUEUED, DEAD }
}
