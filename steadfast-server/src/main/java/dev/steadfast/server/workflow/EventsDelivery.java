package dev.steadfast.server.workflow;

import dev.steadfast.archive.workflow.WorkflowOutbox;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import java.util.ArrayList;
import java.util.List;

/** Hands the queued procedure events to the node's {@link ProcedureEvents} listener. */
final class EventsDelivery implements WorkflowDelivery.Deliverer {
    private final ProcedureEvents listener;

    EventsDelivery(ProcedureEvents listener) {
        this.listener = listener;
    }

    @Override
    public void deliver(WorkflowOutbox.Entry e, Dataset payload) throws Exception {
        Procedure p = Procedure.of(payload);
        switch (e.kind()) {
            case STARTED -> listener.started(p);
            case COMPLETED -> listener.completed(p);
            case DISCONTINUED -> listener.discontinued(p);
            case AVAILABLE -> listener.instancesAvailable(p, instances(payload));
            default -> throw new IllegalStateException("not an event: " + e.kind());
        }
    }

    private static List<String> instances(Dataset d) {
        List<String> out = new ArrayList<>();
        Sequence series = d.getSequence(Tag.ReferencedSeriesSequence);
        for (Dataset s : series == null ? List.<Dataset>of() : series.items()) {
            Sequence refs = s.getSequence(Tag.ReferencedSOPSequence);
            for (Dataset r : refs == null ? List.<Dataset>of() : refs.items()) {
                out.add(r.getString(Tag.ReferencedSOPInstanceUID));
            }
        }
        return out;
    }
}
