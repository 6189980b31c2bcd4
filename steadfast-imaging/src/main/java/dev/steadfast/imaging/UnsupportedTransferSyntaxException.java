package dev.steadfast.imaging;

/**
 * A transfer syntax that cannot be decoded or encoded here, or a conversion that would lose
 * information without having been asked to. The web layer maps it to 406 Not Acceptable and
 * DIMSE to "no acceptable presentation context".
 */
public class UnsupportedTransferSyntaxException extends RuntimeException {
    private final String transferSyntaxUid;

    public UnsupportedTransferSyntaxException(String transferSyntaxUid, String message) {
        super(message);
        this.transferSyntaxUid = transferSyntaxUid;
    }

    public String transferSyntaxUid() { return transferSyntaxUid; }
}
