package dev.steadfast.server.workflow;

import dev.steadfast.archive.workflow.WorkflowOutbox;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.config.RemoteAeConfig;

/**
 * Sends one outbox entry to a DICOM AE on its own association: an MPPS N-CREATE or N-SET as
 * received (we are its SCU towards the next system), or an Instance Availability Notification
 * N-CREATE (PS3.4 R.3.2).
 */
final class DicomDelivery implements WorkflowDelivery.Deliverer {
    private final RemoteAeConfig peer;
    private final String callingAe;
    private final AssociationConfig config;
    private final TlsConfig tls;

    DicomDelivery(RemoteAeConfig peer, String callingAe, AssociationConfig config, TlsConfig tls) {
        this.peer = peer;
        this.callingAe = callingAe;
        this.config = config;
        this.tls = tls;
    }

    @Override
    public void deliver(WorkflowOutbox.Entry e, Dataset payload) throws Exception {
        String sopClass = e.kind() == WorkflowOutbox.Kind.IAN ? UID.InstanceAvailabilityNotification : UID.ModalityPerformedProcedureStep;
        ClientOptions o = new ClientOptions().callingAeTitle(callingAe).calledAeTitle(peer.aeTitle()).config(config)
                .propose(sopClass, ClientOptions.UNCOMPRESSED);
        if (peer.tls()) {
            o.tls(tls);
        }
        DimseResponse r;
        try (DimseClient c = DimseClient.open(peer.host(), peer.port(), o)) {
            r = e.kind() == WorkflowOutbox.Kind.N_SET ? c.nSet(sopClass, e.sopUid(), payload) : c.nCreate(sopClass, e.sopUid(), payload);
        } catch (DimseException refused) { // no presentation context accepted: the peer does not take this SOP class
            throw new WorkflowDelivery.Refused(peer.aeTitle() + " refused " + sopClass + ": " + refused.getMessage(), refused);
        }
        // A duplicate after a retry means the first try arrived and only its answer was lost.
        if (r.status().isFailure() && !(e.kind() != WorkflowOutbox.Kind.N_SET && r.status().equals(Status.DUPLICATE_SOP_INSTANCE)
                && e.attempts() > 0)) {
            throw new WorkflowDelivery.Refused(peer.aeTitle() + " answered " + e.kind() + " with " + r, null);
        }
    }

    @Override
    public String toString() {
        return peer.toString();
    }
}
