package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.net.assoc.AssociationAbortedException;
import dev.steadfast.net.assoc.PDataInputStream;
import java.io.IOException;

/** Runs one C-STORE request through a {@link CStoreService} and answers it; shared by the SCP and the C-GET SCU. */
final class StoreScp {
    private static final System.Logger LOG = System.getLogger(StoreScp.class.getName());

    private StoreScp() {
    }

    static void handle(DimseChannel ch, DimseChannel.Message m, CStoreService service, DimseRequest rq) throws IOException {
        PDataInputStream data = m.data();
        if (data == null) {
            respond(ch, m, Status.CANNOT_UNDERSTAND, "C-STORE-RQ without a data set", -1);
            return;
        }
        Status status;
        String comment = null;
        int offending = -1;
        try {
            if (service == null) {
                throw new DimseException(Status.SOP_CLASS_NOT_SUPPORTED, "SOP class not supported: " + rq.sopClassUid());
            }
            status = service.store(rq, data);
            if (!data.complete()) {
                // The handler returned without reading everything: the instance cannot have been stored whole.
                data.drain();
                status = Status.PROCESSING_FAILURE;
                comment = "handler did not consume the whole data set";
            }
        } catch (AssociationAbortedException e) {
            throw e; // the transfer broke: no one left to answer
        } catch (DimseException e) {
            status = e.status();
            comment = e.errorComment();
            offending = e.offendingElement();
        } catch (IOException e) {
            status = Status.OUT_OF_RESOURCES;
            comment = e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "C-STORE of " + rq.sopInstanceUid() + " from " + rq.callingAeTitle() + " failed: " + e);
            LOG.log(System.Logger.Level.DEBUG, "C-STORE failure", e);
        } catch (RuntimeException e) {
            status = Status.PROCESSING_FAILURE;
            comment = String.valueOf(e);
            LOG.log(System.Logger.Level.WARNING, "C-STORE handler threw for " + rq.sopInstanceUid() + " from " + rq.callingAeTitle() + ": " + e);
            LOG.log(System.Logger.Level.DEBUG, "C-STORE handler failure", e);
        }
        data.drain();
        respond(ch, m, status, comment, offending);
    }

    private static void respond(DimseChannel ch, DimseChannel.Message m, Status status, String comment, int offending) throws IOException {
        Dataset rsp = Commands.response(m.command(), status, false);
        if (status.category() != Status.Category.SUCCESS) {
            Commands.addError(rsp, comment, offending);
        }
        ch.send(m.presentationContextId(), rsp, (DimseChannel.DataWriter) null);
    }
}
