package dev.steadfast.server.dimse;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestOutcome;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.query.InvalidQueryException;
import dev.steadfast.archive.query.QueryLimitException;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.Status;

/**
 * Archive outcomes as DIMSE statuses. C-STORE statuses come from the archive's one outcome table,
 * {@link IngestOutcome} (shared with STOW-RS and listed in docs/CONFORMANCE.md); query/retrieve
 * ones (PS3.4 C.4) are here. Error comments come from the archive's messages, which name no
 * patient data.
 */
public final class StatusTable {
    private StatusTable() {
    }

    /** The status of an accepted C-STORE: success, or a warning. */
    public static Status of(StoreResult.Outcome outcome) {
        return new Status(IngestOutcome.of(outcome).dimseStatus());
    }

    /** The status of a refused C-STORE. */
    public static Status of(IngestException.Kind kind) {
        return new Status(IngestOutcome.of(kind).dimseStatus());
    }

    public static DimseException toDimse(IngestException e) {
        return new DimseException(of(e.kind()), e.getMessage(), e.offendingTag() == 0 ? -1 : e.offendingTag(), e);
    }

    /**
     * A query or retrieve identifier the engine refused: A900 "identifier does not match SOP class",
     * with the attribute at fault as Offending Element when there is one (an invalid date...).
     */
    public static DimseException toDimse(InvalidQueryException e) {
        return new DimseException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, e.getMessage(), e.offendingTag(), e);
    }

    /** A query past its time limit or refused by a full query pool: A700 "out of resources", try again later. */
    public static DimseException toDimse(QueryLimitException e) {
        return new DimseException(Status.OUT_OF_RESOURCES, e.getMessage(), -1, e);
    }

    /** The index failed during a query or retrieve: A700, so the requestor may try again. */
    public static DimseException toDimse(IndexException e) {
        return new DimseException(Status.OUT_OF_RESOURCES, "index unavailable", -1, e);
    }

    /** A calling AE outside the service's allow-list (PS3.7 C.5: refused, not authorized). */
    public static DimseException notAuthorized(String callingAe, String service) {
        return new DimseException(Status.NOT_AUTHORIZED, service + " not allowed for calling AE " + callingAe);
    }
}
