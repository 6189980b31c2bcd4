package dev.steadfast.net.pdu;

/**
 * One presentation-data-value item of a P-DATA-TF PDU (PS3.8 9.3.5.1, annex E.2): a fragment of a
 * command or data set. The bytes are a view into the PDU's buffer, not a copy.
 */
public record PresentationDataValue(int presentationContextId, int messageControlHeader, byte[] buffer, int offset, int length) {
    public static final int COMMAND = 0x01;
    public static final int LAST = 0x02;

    public boolean isCommand() {
        return (messageControlHeader & COMMAND) != 0;
    }

    public boolean isLast() {
        return (messageControlHeader & LAST) != 0;
    }
}
