package dev.steadfast.archive.workflow;

/** An HL7 message that could not be processed (answered AE), with why, for an operator to look at. */
public record DeadLetter(long id, long receivedAt, String messageType, String controlId, String reason, String message) {
}
