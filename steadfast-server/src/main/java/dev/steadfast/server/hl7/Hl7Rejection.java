package dev.steadfast.server.hl7;

import ca.uhn.hl7v2.ErrorCode;

/** A message that cannot be processed as sent: answered AE with this error code and kept as a dead letter. */
final class Hl7Rejection extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ErrorCode code;

    Hl7Rejection(String message, ErrorCode code) {
        super(message);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
