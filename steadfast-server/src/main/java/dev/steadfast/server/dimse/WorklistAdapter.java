package dev.steadfast.server.dimse;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.query.InvalidQueryException;
import dev.steadfast.archive.workflow.Worklist;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.net.dimse.CFindService;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.server.config.AccessConfig;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Modality Worklist SCP (PS3.4 Annex K, SOP class 1.2.840.10008.5.1.4.31) on the orders that HL7
 * placed (issue 18). Who may query it is who may C-FIND ({@code access.find}).
 */
public final class WorklistAdapter implements CFindService {
    private final Worklist worklist;
    private final AccessControl access;

    public WorklistAdapter(Worklist worklist, AccessControl access) {
        this.worklist = worklist;
        this.access = access;
    }

    /** Thrown out of the answer consumer to stop when the requestor cancelled. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super(null, null, false, false);
        }
    }

    @Override
    public void find(DimseRequest rq, Dataset identifier, FindResponder responder) throws DimseException, IOException {
        access.check(AccessConfig.Service.FIND, rq);
        try {
            worklist.find(identifier, match -> {
                try {
                    if (!responder.pending(match)) {
                        throw new Cancelled();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (Cancelled e) {
            // the framework answers "cancel"
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (InvalidQueryException e) {
            throw StatusTable.toDimse(e);
        } catch (IndexException e) {
            throw StatusTable.toDimse(e);
        }
    }
}
