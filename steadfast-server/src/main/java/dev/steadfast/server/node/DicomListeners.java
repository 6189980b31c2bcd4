package dev.steadfast.server.node;

import dev.steadfast.net.assoc.AcceptorPolicy;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.Dispatcher;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.dimse.AccessControl;
import dev.steadfast.server.dimse.NodeMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's DICOM ports (plain, and TLS when configured) over its service registry, and their end:
 * the grace period for open associations, then the abort. Part of {@link ArchiveNode}'s wiring.
 */
final class DicomListeners {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveNode.class); // the node's log lines, as before

    private DicomListeners() {
    }

    /** PDU size and timeouts from the {@code dicom} section, for our ports and the associations we open. */
    static AssociationConfig associationConfig(ServeConfig config) {
        var d = config.dicom();
        return AssociationConfig.DEFAULTS.withMaxPduLengthReceive(d.maxPduLength())
                .withTimeouts(d.artimTimeout(), d.idleTimeout(), d.responseTimeout(), Duration.ofSeconds(60));
    }

    /** Starts the ports, each added to {@code listeners} as it opens (so a failure after the first still closes it). */
    static void start(ServeConfig config, ServiceRegistry registry, AccessControl access, NodeMetrics metrics, TlsConfig tls,
                      List<AssociationListener> listeners) throws IOException {
        AcceptorPolicy policy = DimseServer.policyFor(registry, config.dicom().aeTitle())
                .callingPeers(access::recognizesAudited) // pinned AE titles, and AEs allowed no service at all
                .userIdentity(access.userIdentityVerifier(), false) // optional: a verified user adds its permissions
                .build();
        AssociationConfig ac = associationConfig(config);
        InetAddress bind = InetAddress.getByName(config.dicom().bind());
        int max = config.dicom().maxAssociations();
        int perHost = config.dicom().maxAssociationsPerHost();
        try {
            // Behind HAProxy send-proxy-v2: limits, access rules and the audit trail see the client, not the balancer.
            var balancers = config.cluster().proxyProtocolTrusted();
            listeners.add(AssociationListener.start(bind, config.dicom().port(), ac, policy,
                    new LoggingHandler(dispatcher(registry, ac, metrics), metrics), max, perHost, null,
                    balancers.isEmpty() ? null : peer -> balancers.stream().anyMatch(b -> b.matches(peer))));
            if (!balancers.isEmpty()) {
                LOG.info("DICOM: PROXY protocol header required from {}", balancers);
            }
        } catch (java.net.BindException e) {
            throw new PortInUse("DICOM", config.dicom().bind(), config.dicom().port(), e);
        }
        if (tls != null) {
            try {
                listeners.add(AssociationListener.start(bind, config.dicom().tls().port(), ac, policy,
                        new LoggingHandler(dispatcher(registry, ac, metrics), metrics), max, perHost, tls));
            } catch (java.net.BindException e) {
                throw new PortInUse("DICOM TLS", config.dicom().bind(), config.dicom().tls().port(), e);
            }
        }
    }

    private static Dispatcher dispatcher(ServiceRegistry registry, AssociationConfig ac, NodeMetrics metrics) {
        return new Dispatcher(registry, ac).withOperationListener((type, nanos, failed) ->
                metrics.operation(type.name().replace("_RQ", "").replace('_', '-'), nanos, failed));
    }

    static int activeAssociations(List<AssociationListener> listeners) {
        return listeners.stream().mapToInt(AssociationListener::activeAssociations).sum();
    }

    /**
     * After {@link AssociationListener#drain()}: waits up to {@code grace} for open associations to
     * end, then closes the ports (aborting what is left) and waits briefly for their threads.
     * @return the grace period's deadline ({@link System#nanoTime()}), which the rest of the shutdown shares
     */
    static long drainAndClose(List<AssociationListener> listeners, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        int open = activeAssociations(listeners);
        if (open > 0) {
            LOG.info("stopping: refusing new associations, waiting up to {} s for {} open ones", grace.toSeconds(), open);
        }
        while (activeAssociations(listeners) > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (activeAssociations(listeners) > 0) {
            LOG.warn("aborting {} associations still open after the grace period", activeAssociations(listeners));
        }
        for (AssociationListener l : listeners) {
            try {
                l.close();
            } catch (IOException e) {
                LOG.warn("closing a DICOM listener: {}", e.toString());
            }
        }
        long aborted = System.nanoTime() + 2_000_000_000L; // their threads notice the closed sockets
        while (activeAssociations(listeners) > 0 && System.nanoTime() < aborted) {
            Thread.onSpinWait();
            Thread.yield();
        }
        return deadline;
    }
}
