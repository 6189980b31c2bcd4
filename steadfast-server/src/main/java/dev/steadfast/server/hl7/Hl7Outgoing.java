package dev.steadfast.server.hl7;

import dev.steadfast.archive.forward.ForwardDrain;
import dev.steadfast.archive.forward.ForwardQueues;
import dev.steadfast.archive.forward.ForwardRule;
import dev.steadfast.archive.forward.ForwardSender;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.server.config.Hl7OutConfig;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.forward.Forwarding;
import dev.steadfast.web.admin.ForwardingService;
import dev.steadfast.web.http.Route;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outgoing HL7 as {@code serve} runs it (issue 18, docs/HL7.md "Outgoing"): the HL7 destinations'
 * queues are forwarding queues in the index (issue 17: leases, order, backoff, dead letters), drained
 * by {@link Hl7Sender}s; {@link Hl7Outbox} queues messages, {@link Hl7Routing} received ones, and the
 * report rules queue an ORU^R01 for each report stored, in the indexing transaction.
 */
public final class Hl7Outgoing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Outgoing.class);

    private final ForwardDrain drain;
    private final ForwardQueues queues;
    private final Hl7Outbox outbox;
    private final Hl7Routing routing;

    private Hl7Outgoing(ForwardDrain drain, ForwardQueues queues, Hl7Outbox outbox, Hl7Routing routing) {
        this.drain = drain;
        this.queues = queues;
        this.outbox = outbox;
        this.routing = routing;
    }

    /** Forward rules that queue every stored report (SR, Encapsulated PDF) for the report destinations. */
    public static List<ForwardRule> reportRules(Hl7OutConfig out) {
        List<ForwardRule> rules = new ArrayList<>();
        for (String d : out.reportDestinations()) {
            for (String sopClass : ReportOru.REPORT_CLASSES.stream().sorted().toList()) {
                rules.add(new ForwardRule(d, null, null, sopClass, Map.of()));
            }
        }
        return rules;
    }

    /** Starts delivering; null when no HL7 destination is configured. */
    /** @param nodeId this node's id (its lease holder name in the queue starts with it) */
    public static Hl7Outgoing start(ServeConfig config, Index index, RetrieveEngine retrieve, TlsConfig tls, String nodeId) {
        Hl7OutConfig out = config.hl7().out();
        if (!out.enabled()) {
            return null;
        }
        Clock clock = Clock.systemUTC();
        ReportMessages reports = new ReportMessages(index, retrieve, config.dicom().aeTitle());
        List<ForwardSender> senders = new ArrayList<>();
        for (Hl7OutConfig.Destination d : out.destinations().values()) {
            senders.add(new Hl7Sender(d, out.ackTimeout(), tls, index, reports));
        }
        ForwardDrain drain = new ForwardDrain(index, senders, out.policy(), ForwardDrain.leaseHolder(nodeId), clock);
        try {
            drain.register();
        } catch (IndexException e) {
            LOG.warn("HL7 out: the index is unavailable; destinations are registered once it answers");
        }
        drain.start();
        Hl7Outbox outbox = new Hl7Outbox(index, out.destinations().keySet(), clock);
        LOG.info("HL7 out: destinations {}, {} routes, reports to {}", out.destinations().keySet(), out.routes().size(),
                out.reportDestinations());
        return new Hl7Outgoing(drain, new ForwardQueues(index, clock, out.destinations().keySet()), outbox,
                new Hl7Routing(out.routes(), outbox));
    }

    /** Where other parts of serve queue HL7 messages (order status updates, ...). */
    public Hl7Outbox outbox() {
        return outbox;
    }

    /** The routes of received messages, for the listener. */
    public Hl7Routing routing() {
        return routing;
    }

    public ForwardQueues queues() {
        return queues;
    }

    /** {@code /api/hl7/destinations}: each queue with its dead letters and their reasons; pause, resume, retry. */
    public List<Route> routes() {
        return new ForwardingService(queues, "/hl7/destinations").routes();
    }

    /** Depth, oldest age, dead letters... per destination, in Prometheus text ({@code steadfast_hl7_*}). */
    public String metrics() {
        return Forwarding.metrics(queues, "steadfast_hl7");
    }

    /** One delivery pass over every destination now (tests); returns what was delivered. */
    public int runOnce() {
        return drain.runOnce();
    }

    @Override
    public void close() {
        drain.close();
    }
}
