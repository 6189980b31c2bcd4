package dev.steadfast.archive.cluster;

import dev.steadfast.archive.index.ClusterNodeRepository;
import dev.steadfast.archive.index.Index;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's row in {@code cluster_node}, refreshed every heartbeat interval, and everyone's rows
 * read back with their state. A node whose heartbeat is older than the timeout is {@code gone}:
 * that is how a node killed without a goodbye leaves. Heartbeat times are the writing node's clock,
 * so the nodes' clocks must agree (NTP) to well within the timeout.
 */
public final class ClusterMembership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

    /** What a node says about itself. */
    public record Self(String nodeId, String version, String dicomEndpoint, String httpEndpoint) {
    }

    private final Index index;
    private final Self self;
    private final Duration interval;
    private final Duration timeout;
    private final Clock clock;
    private final Instant started;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("steadfast-heartbeat").factory());
    private volatile String state = "up";
    private volatile boolean failing;

    public ClusterMembership(Index index, Self self, Duration interval, Duration timeout, Clock clock) {
        if (!timeout.minus(interval).isPositive()) {
            throw new IllegalArgumentException("the node timeout (" + timeout + ") must be longer than the heartbeat interval (" + interval + ")");
        }
        this.index = index;
        this.self = self;
        this.interval = interval;
        this.timeout = timeout;
        this.clock = clock;
        this.started = clock.instant();
    }

    /** Writes the first heartbeat now (if the index answers) and then every interval. */
    public ClusterMembership start() {
        warnIfTheIdSeemsTaken();
        timer.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Two nodes with one id would share one row and each other's job claims: say so when the id's
     * row was heartbeating within the timeout (which is also what a restart right after kill -9 looks like).
     */
    private void warnIfTheIdSeemsTaken() {
        try {
            for (ClusterNode n : nodes()) {
                if (n.nodeId().equals(self.nodeId()) && n.state() != ClusterNode.State.GONE) {
                    LOG.warn("node id {} was heartbeating {} ms ago: this node restarted within {} s of dying, or another"
                                    + " running node has the same id (set cluster.node-id, or give each node its own data folder)",
                            self.nodeId(), clock.millis() - n.lastHeartbeat().toEpochMilli(), timeout.toSeconds());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot read cluster membership at start: {}", e.getMessage());
        }
    }

    public String nodeId() {
        return self.nodeId();
    }

    public Duration timeout() {
        return timeout;
    }

    /** Shutting down: still here, but other nodes should not count on it for new work. */
    public void draining() {
        state = "draining";
        beat();
    }

    private synchronized void beat() {
        try {
            write(state);
            if (failing) {
                LOG.info("cluster heartbeat of node {} written again", self.nodeId());
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) { // once per outage: the index being down is reported by /health already
                LOG.warn("cluster heartbeat of node {} not written: {}", self.nodeId(), e.getMessage());
                failing = true;
            }
        }
    }

    private void write(String s) {
        long now = clock.millis();
        index.write(tx -> {
            tx.clusterNodes().upsert(new ClusterNodeRepository.Row(self.nodeId(), self.version(), started.toEpochMilli(), now,
                    self.dicomEndpoint(), self.httpEndpoint(), s));
            return null;
        });
    }

    /** Every node the index knows, with its state as of now. */
    public List<ClusterNode> nodes() {
        Instant now = clock.instant();
        return index.read(tx -> tx.clusterNodes().all()).stream().map(r -> {
            Instant last = Instant.ofEpochMilli(r.lastHeartbeat());
            ClusterNode.State st = "stopped".equals(r.state()) || last.plus(timeout).isBefore(now) ? ClusterNode.State.GONE
                    : "draining".equals(r.state()) ? ClusterNode.State.DRAINING : ClusterNode.State.UP;
            return new ClusterNode(r.nodeId(), r.version(), Instant.ofEpochMilli(r.startedAt()), last, r.dicomEndpoint(),
                    r.httpEndpoint(), st);
        }).toList();
    }

    /** The ids of the nodes that are up, sorted (this node counts itself even before its first heartbeat lands). */
    public List<String> liveNodeIds() {
        java.util.TreeSet<String> ids = new java.util.TreeSet<>();
        for (ClusterNode n : nodes()) {
            if (n.state() == ClusterNode.State.UP) {
                ids.add(n.nodeId());
            }
        }
        ids.add(self.nodeId());
        return List.copyOf(ids);
    }

    /** Stops heartbeating and says so: the node is gone at once, not after the timeout. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            write("stopped");
        } catch (RuntimeException e) {
            LOG.debug("cannot record node {} as stopped: {}", self.nodeId(), e.getMessage());
        }
    }
}
