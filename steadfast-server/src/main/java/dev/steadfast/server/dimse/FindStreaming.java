package dev.steadfast.server.dimse;

import dev.steadfast.archive.audit.AccessAudit;
import dev.steadfast.archive.audit.AuditEvents;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.query.InvalidQueryException;
import dev.steadfast.archive.query.QueryLimitException;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.CFindService.FindResponder;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * What every C-FIND SCP does around its own matching (the query SCP and the worklist): stream each
 * match as a pending response, stop when the requestor cancels, map the archive's failures to DIMSE
 * statuses, and audit the query (PS3.15 A.5.3.10) whether it was answered or not.
 */
final class FindStreaming {
    /** One information model's matching, handing each answer to the consumer. */
    interface Matching {
        void run(Consumer<Dataset> answers) throws InvalidQueryException, QueryLimitException, IndexException;
    }

    /** Thrown out of the answer consumer to stop a query the requestor cancelled. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super(null, null, false, false);
        }
    }

    private FindStreaming() {
    }

    static void answer(DimseRequest rq, Dataset identifier, FindResponder responder, AccessAudit audit,
                       Matching matching) throws DimseException, IOException {
        boolean answered = false;
        try {
            matching.run(match -> {
                try {
                    if (!responder.pending(match)) {
                        throw new Cancelled();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            answered = true;
        } catch (Cancelled e) {
            answered = true; // the framework answers "cancel"
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (InvalidQueryException e) {
            throw StatusTable.toDimse(e);
        } catch (QueryLimitException e) {
            throw StatusTable.toDimse(e); // past query.timeout-seconds, or the query pool is full
        } catch (IndexException e) {
            throw StatusTable.toDimse(e);
        } finally {
            audit(audit, rq, identifier, !answered);
        }
    }

    /** The identifier as received, Explicit VR Little Endian, is the audit message's query. */
    static void audit(AccessAudit audit, DimseRequest rq, Dataset identifier, boolean failed) {
        byte[] query;
        try {
            query = DicomWriter.encode(identifier, UID.ExplicitVRLittleEndian);
        } catch (IOException | RuntimeException e) {
            query = new byte[0];
        }
        audit.queried(new AuditEvents.Actor(rq.callingAeTitle(), rq.remoteAddress()), rq.sopClassUid(), query, failed);
    }
}
