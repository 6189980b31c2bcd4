package dev.steadfast.net.dimse;

/** Retrieve SCP with C-MOVE (PS3.4 annex C): sub-operations go to another AE over a new association. */
public interface CMoveService extends RetrieveService {
    /** Where {@code aeTitle} listens; throw {@link DimseException} with {@link Status#MOVE_DESTINATION_UNKNOWN} if unknown. */
    MoveDestination destination(String aeTitle) throws DimseException;

    record MoveDestination(String aeTitle, String host, int port) {
    }
}
