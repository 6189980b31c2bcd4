package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import java.net.InetAddress;

/**
 * What a service handler knows about a request: who asked, on which context, and the command.
 *
 * @param transferSyntaxUid the syntax the request's data set (if any) is encoded in
 * @param peerAddress       the peer's IP address, for access rules (null when unknown)
 * @param verifiedUser      the user name whose passcode was verified at association time, or null
 */
public record DimseRequest(String callingAeTitle, String calledAeTitle, String remoteAddress, int presentationContextId,
                           String transferSyntaxUid, Dataset command, InetAddress peerAddress, String verifiedUser) {

    /** A request whose peer address is unknown. */
    public DimseRequest(String callingAeTitle, String calledAeTitle, String remoteAddress, int presentationContextId,
                        String transferSyntaxUid, Dataset command) {
        this(callingAeTitle, calledAeTitle, remoteAddress, presentationContextId, transferSyntaxUid, command, null, null);
    }

    public Dimse type() {
        return Commands.type(command);
    }

    public String sopClassUid() {
        return Commands.sopClassUid(command);
    }

    public String sopInstanceUid() {
        return Commands.sopInstanceUid(command);
    }

    public int messageId() {
        return command.getInt(Tag.MessageID, 0);
    }

    public int priority() {
        return command.getInt(Tag.Priority, Commands.PRIORITY_MEDIUM);
    }

    public String moveDestination() {
        return command.getString(Tag.MoveDestination);
    }

    /** For a C-STORE that is a C-MOVE sub-operation: the AE that asked for the move, else null. */
    public String moveOriginatorAeTitle() {
        return command.getString(Tag.MoveOriginatorApplicationEntityTitle);
    }
}
