package dev.steadfast.server.forward;

import dev.steadfast.archive.audit.AccessAudit;
import dev.steadfast.archive.audit.AuditEvents;
import dev.steadfast.archive.forward.ForwardDrain;
import dev.steadfast.archive.forward.ForwardQueues;
import dev.steadfast.archive.forward.ForwardRouting;
import dev.steadfast.archive.forward.ForwardSender;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.server.config.ForwardingConfig;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.imaging.LosslessTranscoding;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwarding as {@code serve} runs it (issue 17): the rules put matching instances in the index's
 * queues (in the indexing transaction), a drain per destination sends them, and the queues are
 * shown in {@code /api/forwarding} and {@code /metrics}.
 */
public final class Forwarding implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

    private final ForwardDrain drain;
    private final ForwardQueues queues;

    private Forwarding(ForwardDrain drain, ForwardQueues queues) {
        this.drain = drain;
        this.queues = queues;
    }

    /**
     * Sets the routing into the index: call before anything is indexed (the journal's replay
     * included), so no instance escapes the rules. Nothing when no destination is configured.
     */
    public static void route(ServeConfig config, Index index) {
        ForwardingConfig f = config.forwarding();
        List<dev.steadfast.archive.forward.ForwardRule> rules = new ArrayList<>(f.rules());
        rules.addAll(dev.steadfast.server.hl7.Hl7Outgoing.reportRules(config.hl7().out())); // ORU^R01 for reports (issue 18)
        if (rules.isEmpty()) {
            return;
        }
        Set<String> deleting = f.destinations().values().stream().filter(d -> d.type() == ForwardingConfig.Type.STEADFAST)
                .map(ForwardingConfig.Destination::name).collect(Collectors.toSet());
        index.events(new ForwardRouting(rules, deleting, Clock.systemUTC()));
    }

    /** Starts draining the queues; null when no destination is configured. */
    public static Forwarding start(ServeConfig config, Index index, RetrieveEngine retrieve, AssociationConfig ac,
                                   TlsConfig tls, LosslessTranscoding transcoding, AccessAudit audit, String nodeId) {
        ForwardingConfig f = config.forwarding();
        if (f.destinations().isEmpty()) {
            return null;
        }
        List<ForwardSender> senders = new ArrayList<>();
        AuditEvents.Actor us = new AuditEvents.Actor(config.dicom().aeTitle(), null);
        for (ForwardingConfig.Destination d : f.destinations().values()) {
            ForwardSender sender = switch (d.type()) {
                case DICOM -> new DicomForwardSender(d.name(), d.ordered(), d.remoteAe(), config.dicom().aeTitle(), ac, tls,
                        index, retrieve, transcoding);
                case DICOMWEB, STEADFAST -> new StowForwardSender(d, index, retrieve);
            };
            AuditEvents.Actor to = d.type() == ForwardingConfig.Type.DICOM
                    ? new AuditEvents.Actor(d.remoteAe().aeTitle(), d.remoteAe().host())
                    : new AuditEvents.Actor(d.url().toString(), d.url().getHost());
            senders.add(new AuditedSender(sender, audit == null ? AccessAudit.NONE : audit, us, to));
        }
        String node = ForwardDrain.leaseHolder(nodeId);
        ForwardDrain drain = new ForwardDrain(index, senders, f.policy(), node, Clock.systemUTC());
        try {
            drain.register();
        } catch (IndexException e) {
            LOG.warn("forwarding: the index is unavailable; destinations are registered once it answers");
        }
        drain.start();
        LOG.info("forwarding to {} by {} rules (node {})", f.destinations().values(), f.rules().size(), node);
        return new Forwarding(drain, new ForwardQueues(index, Clock.systemUTC(), f.destinations().keySet()));
    }

    public ForwardQueues queues() {
        return queues;
    }

    /** One pass over every destination now (tests, and a cluster job later); returns what was delivered. */
    public int runOnce() {
        return drain.runOnce();
    }

    /** The queues in Prometheus text: depth, oldest entry's age, sent, failed, dead-lettered, paused. */
    public String metrics() {
        return metrics(queues, "steadfast_forward");
    }

    /** Queues in Prometheus text, the families named {@code prefix_queue_depth} etc. (also the HL7 destinations', issue 18). */
    public static String metrics(ForwardQueues queues, String prefix) {
        List<ForwardQueues.DestinationState> states;
        try {
            states = queues.states();
        } catch (IndexException e) {
            return ""; // the index is down: /metrics says so elsewhere
        }
        StringBuilder sb = new StringBuilder();
        family(sb, prefix + "_queue_depth", "gauge", "Entries waiting to be sent.", states, s -> s.depth());
        family(sb, prefix + "_oldest_age_seconds", "gauge", "Age of the oldest waiting entry.", states,
                ForwardQueues.DestinationState::oldestAgeSeconds);
        family(sb, prefix + "_dead_letters", "gauge", "Entries refused too often, waiting for an operator.", states,
                s -> s.deadLetters());
        family(sb, prefix + "_paused", "gauge", "1 when the destination is paused.", states, s -> s.paused() ? 1 : 0);
        family(sb, prefix + "_sent_total", "counter", "Entries delivered.", states, s -> s.sent());
        family(sb, prefix + "_failed_total", "counter", "Failed attempts (refused or unreachable).", states, s -> s.failed());
        family(sb, prefix + "_dead_lettered_total", "counter", "Entries that became dead letters.", states,
                s -> s.deadLettered());
        return sb.toString();
    }

    private static void family(StringBuilder sb, String name, String type, String help, List<ForwardQueues.DestinationState> states,
                               java.util.function.ToDoubleFunction<ForwardQueues.DestinationState> value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (ForwardQueues.DestinationState s : states) {
            double v = value.applyAsDouble(s);
            sb.append(name).append("{destination=\"").append(s.name().replace("\\", "\\\\").replace("\"", "\\\"")).append("\"} ")
                    .append(v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v)).append('\n');
        }
    }

    @Override
    public void close() {
        drain.close();
    }
}
