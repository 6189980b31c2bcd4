package dev.steadfast.server.workflow;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.workflow.Availability;
import dev.steadfast.archive.workflow.MppsStore;
import dev.steadfast.archive.workflow.WorkflowOutbox;
import dev.steadfast.archive.workflow.WorkflowTargets;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.server.config.RemoteAeConfig;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.config.WorkflowConfig;
import dev.steadfast.server.dimse.AccessControl;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOM workflow services as {@code serve} runs them (issue 18): the MPPS SCP, its relays to
 * {@code workflow.mpps.forward-to}, the availability notices to {@code workflow.ian.subscribers},
 * and the procedure events, all through the index's outbox.
 */
public final class Workflow implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Workflow.class);

    private final MppsAdapter adapter;
    private final WorkflowDelivery delivery;

    private Workflow(MppsAdapter adapter, WorkflowDelivery delivery) {
        this.adapter = adapter;
        this.delivery = delivery;
    }

    /**
     * The availability check inside the transactions that record instances: set before anything
     * is indexed (the journal's replay included), so no image arriving after its MPPS is missed.
     */
    public static void route(ServeConfig config, Index index) {
        index.addEvents(new Availability(targets(config), Clock.systemUTC()));
    }

    public static Workflow start(ServeConfig config, Index index, AssociationConfig ac, TlsConfig tls, AccessControl access,
                                 ProcedureEvents events) {
        return start(config, index, ac, tls, access, events, dev.steadfast.archive.audit.AccessAudit.NONE);
    }

    /** With MPPS operations audited ({@code audit}: serve's access audit). */
    public static Workflow start(ServeConfig config, Index index, AssociationConfig ac, TlsConfig tls, AccessControl access,
                                 ProcedureEvents events, dev.steadfast.archive.audit.AccessAudit audit) {
        WorkflowConfig w = config.workflow();
        Map<String, WorkflowDelivery.Deliverer> deliverers = new HashMap<>();
        String us = config.dicom().aeTitle();
        for (RemoteAeConfig ae : w.mppsForwardTo()) {
            deliverers.put(WorkflowTargets.mpps(ae.name()), new DicomDelivery(ae, us, ac, tls));
        }
        for (RemoteAeConfig ae : w.ianSubscribers()) {
            deliverers.put(WorkflowTargets.ian(ae.name()), new DicomDelivery(ae, us, ac, tls));
        }
        deliverers.put(WorkflowTargets.EVENTS, new EventsDelivery(events == null ? ProcedureEvents.NONE : events));
        String node = config.clusterData().nodeId() + "/" + ProcessHandle.current().pid() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
        WorkflowDelivery delivery = new WorkflowDelivery(index, deliverers, new Availability(targets(config), Clock.systemUTC()),
                node, Clock.systemUTC(), w.maxAttempts()).start();
        MppsAdapter adapter = new MppsAdapter(new MppsStore(index, targets(config), Clock.systemUTC()), access, delivery::wake,
                audit);
        if (!w.mppsForwardTo().isEmpty() || !w.ianSubscribers().isEmpty()) {
            LOG.info("workflow: MPPS relayed to {}, availability notices to {}", w.mppsForwardTo(), w.ianSubscribers());
        }
        return new Workflow(adapter, delivery);
    }

    private static WorkflowTargets targets(ServeConfig config) {
        WorkflowConfig w = config.workflow();
        return new WorkflowTargets(w.mppsForwardTo().stream().map(RemoteAeConfig::name).toList(),
                w.ianSubscribers().stream().map(RemoteAeConfig::name).toList(), config.dicom().aeTitle());
    }

    /** The MPPS SCP's N-CREATE and N-SET handler. */
    public MppsAdapter mpps() {
        return adapter;
    }

    /** One delivery pass now (tests): returns how many entries went out; 0 while the index is down. */
    public int deliverNow() {
        try {
            return delivery.runOnce();
        } catch (IndexException e) {
            return 0;
        }
    }

    /** Makes every waiting entry due at once (skipping its back-off) and delivers; returns how many went out. */
    public int retryNow() {
        long now = Clock.systemUTC().millis();
        delivery.index().write(tx -> new WorkflowOutbox(tx).retryNow(now));
        return deliverNow();
    }

    /**
     * The outbox in Prometheus text: entries waiting, the most failed attempts among them, dead letters and the oldest
     * waiting entry's age, per
     * destination ({@code mpps:NAME}, {@code ian:NAME}, {@code events}); empty while the index is down.
     */
    public String metrics() {
        List<Object[]> depths;
        try {
            depths = delivery.index().read(tx -> new WorkflowOutbox(tx).depths());
        } catch (IndexException e) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP steadfast_workflow_outbox_depth MPPS relays, availability notices and procedure events waiting.\n")
                .append("# TYPE steadfast_workflow_outbox_depth gauge\n");
        depths.forEach(d -> sb.append("steadfast_workflow_outbox_depth{destination=\"").append(label(d[0])).append("\"} ").append(d[1]).append('\n'));
        sb.append("# HELP steadfast_workflow_outbox_attempts Refusals of the most refused waiting entry (a peer refusing it holds the queue; unreachable attempts do not count).\n")
                .append("# TYPE steadfast_workflow_outbox_attempts gauge\n");
        depths.forEach(d -> sb.append("steadfast_workflow_outbox_attempts{destination=\"").append(label(d[0])).append("\"} ").append(d[2]).append('\n'));
        sb.append("# HELP steadfast_workflow_outbox_dead_letters Entries refused workflow.max-attempts times, kept for /api/workflow.\n")
                .append("# TYPE steadfast_workflow_outbox_dead_letters gauge\n");
        depths.forEach(d -> sb.append("steadfast_workflow_outbox_dead_letters{destination=\"").append(label(d[0])).append("\"} ").append(d[3]).append('\n'));
        // Like the forwarding queues' steadfast_forward_oldest_age_seconds: how long the head has waited.
        long now = Clock.systemUTC().millis();
        sb.append("# HELP steadfast_workflow_outbox_oldest_age_seconds Age of the oldest waiting entry.\n")
                .append("# TYPE steadfast_workflow_outbox_oldest_age_seconds gauge\n");
        depths.forEach(d -> sb.append("steadfast_workflow_outbox_oldest_age_seconds{destination=\"").append(label(d[0])).append("\"} ")
                .append((long) d[4] == 0 ? 0 : Math.max(0, (now - (long) d[4]) / 1000)).append('\n'));
        return sb.toString();
    }

    private static String label(Object name) {
        return String.valueOf(name).replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** What still waits for a destination: {@code mpps:NAME}, {@code ian:NAME} or {@code events}. */
    public List<WorkflowOutbox.Entry> waiting(String destination) {
        return delivery.waiting(destination);
    }

    /** The outbox for {@code /api/workflow}: every configured destination and any other with entries or a stored pause. */
    public dev.steadfast.archive.workflow.WorkflowQueues queues() {
        return new dev.steadfast.archive.workflow.WorkflowQueues(delivery.index(), delivery.destinations(), delivery::wake);
    }

    @Override
    public void close() {
        delivery.close(); // what is not delivered stays in the outbox, for the next start or another node
    }
}
