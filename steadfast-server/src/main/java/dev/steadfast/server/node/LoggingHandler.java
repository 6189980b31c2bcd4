package dev.steadfast.server.node;

import dev.steadfast.net.assoc.Association;
import dev.steadfast.net.assoc.AssociationHandler;
import dev.steadfast.server.dimse.NodeMetrics;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says when an association opens and closes, with AE titles and address (never patient data), and counts it. */
final class LoggingHandler implements AssociationHandler {
    private static final Logger LOG = LoggerFactory.getLogger("dev.steadfast.server.association");

    private final AssociationHandler next;
    private final NodeMetrics metrics;

    LoggingHandler(AssociationHandler next, NodeMetrics metrics) {
        this.next = next;
        this.metrics = metrics;
    }

    @Override
    public void serve(Association a) throws IOException {
        long start = System.nanoTime();
        metrics.associationOpened();
        LOG.info("association from {} ({}) to {} opened", a.callingAeTitle(), a.remoteAddress(), a.calledAeTitle());
        String outcome = "released";
        try {
            next.serve(a);
        } catch (IOException | RuntimeException e) {
            outcome = "ended: " + e.getMessage();
            throw e;
        } finally {
            metrics.associationClosed();
            LOG.info("association from {} {} after {} ms", a.callingAeTitle(), outcome, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
