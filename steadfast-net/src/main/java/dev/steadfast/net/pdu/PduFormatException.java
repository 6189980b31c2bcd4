package dev.steadfast.net.pdu;

import java.io.IOException;

/**
 * A PDU that cannot be decoded (PS3.8 event Evt19). Carries the A-ABORT reason the
 * provider sends back (PS3.8 table 9-26).
 */
public final class PduFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int abortReason;

    public PduFormatException(int abortReason, String message) {
        super(message);
        this.abortReason = abortReason;
    }

    public int abortReason() {
        return abortReason;
    }
}
