package dev.steadfast.server.node;

import dev.steadfast.archive.admin.StudyDeletion;
import dev.steadfast.archive.cluster.ClusterJobs;
import dev.steadfast.archive.cluster.ClusterMembership;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.scrub.ClusterScrub;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.server.config.ClusterConfig;
import dev.steadfast.server.config.RemoteAeConfig;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.dimse.AccessControl;
import dev.steadfast.server.dimse.CommitmentJob;
import dev.steadfast.server.dimse.CommitmentReporter;
import dev.steadfast.server.dimse.StorageCommitmentAdapter;
import dev.steadfast.web.admin.AdminApi;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in the cluster (issue 15): its id, its membership heartbeat and the durable jobs it
 * runs with the others (scrub partitions, commitment reports, deletion leftovers). The node
 * registers jobs while it wires its services, {@link #start() starts} the jobs before its DICOM
 * port opens and {@link #join joins} once its ports are known.
 */
final class NodeCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCluster.class);
    /** The durable job that finishes a study deletion whose storage cleanup failed part-way. */
    static final String DELETION_CLEANUP = "study-deletion-cleanup";

    private final ServeConfig config;
    private final Index index;
    private final String nodeId;
    private final ClusterJobs jobs;
    private volatile ClusterMembership membership;
    private ClusterScrub scrub;

    NodeCluster(ServeConfig config, Index index) throws IOException {
        this.config = config;
        this.index = index;
        this.nodeId = NodeIdentity.resolve(config.cluster().nodeId(), config.data(), config.dicom().port());
        this.jobs = new ClusterJobs(index.jobsDataSource(), index.dialect(), nodeId, timing(config.cluster()),
                config.cluster().jobThreads(), index::migrated);
    }

    String nodeId() {
        return nodeId;
    }

    ClusterJobs jobs() {
        return jobs;
    }

    ClusterMembership membership() {
        return membership;
    }

    ClusterScrub scrub() {
        return scrub;
    }

    /** Scrub as a cluster-wide cycle, partitioned across the live nodes. */
    ClusterScrub scrubWith(Scrubber scrubber, Duration every) {
        scrub = new ClusterScrub(scrubber, this::liveNodeIds).register(jobs, every);
        return scrub;
    }

    /**
     * Pending repairs recorded in the index, and a cluster job that hands a gone node's to this
     * node's {@code repairSoon} (issue 15).
     */
    void durableRepairs(dev.steadfast.archive.storage.replica.ReplicatedStorage storage, Runnable repairSoon, Duration every) {
        new dev.steadfast.archive.scrub.DurableRepairs(index, storage, nodeId, this::liveNodeIds, repairSoon, Clock.systemUTC())
                .register(jobs, every);
    }

    /** Storage commitment whose reports on a new association are durable cluster jobs. */
    StorageCommitmentAdapter commitment(RetrieveEngine retrieve, AccessControl access, Function<String, RemoteAeConfig> peers,
                                        CommitmentReporter reporter) {
        StorageCommitmentAdapter adapter = new StorageCommitmentAdapter(index, retrieve, access, peers, reporter);
        ClusterJobs.OneOff reports = jobs.oneOff(CommitmentJob.NAME, 8, Duration.ofSeconds(2), data -> {
            CommitmentJob job = CommitmentJob.decode(data);
            reporter.run(job, adapter.result(job));
        });
        reporter.durable(new CommitmentReporter.Durable() {
            @Override
            public void schedule(String id, CommitmentJob job, java.time.Instant when) {
                reports.schedule(id, job.encode(), when);
            }

            @Override
            public boolean cancel(String id) {
                return reports.cancel(id);
            }
        });
        return adapter;
    }

    /**
     * Storage commitment as above; with {@code upstream} (sites.commitment: upstream) the report
     * waits, as a durable job, until the peer holds every instance too.
     */
    StorageCommitmentAdapter commitment(RetrieveEngine retrieve, AccessControl access, Function<String, RemoteAeConfig> peers,
                                        CommitmentReporter reporter, StorageCommitmentAdapter.HeldUpstream upstream,
                                        Duration maxWait, Duration peerTimeout) {
        StorageCommitmentAdapter adapter = commitment(retrieve, access, peers, reporter);
        if (upstream != null) {
            dev.steadfast.server.dimse.UpstreamCommitment.wire(adapter, reporter, upstream, maxWait, peerTimeout, jobs);
        }
        return adapter;
    }

    /** Study deletion whose copies the storage refused to delete are finished by a durable cluster job. */
    StudyDeletion deletion(StudyDeletion deletion, Storage storage) {
        ClusterJobs.OneOff cleanup = deletionCleanup(jobs, index, storage);
        return deletion.finishLeftoversWith(keys -> cleanup.schedule(UUID.randomUUID().toString(), String.join("\n", keys)));
    }

    /** Every job is registered: claim work. */
    void start() {
        jobs.start();
    }

    /** Heartbeats from now on, with the endpoints the node listens on. */
    void join(int dicomPort, int httpPort) {
        membership = new ClusterMembership(index, new ClusterMembership.Self(nodeId, version(),
                endpoint(config.dicom().bind(), dicomPort), httpPort > 0 ? endpoint(config.http().bind(), httpPort) : null),
                config.cluster().heartbeat(), config.cluster().nodeTimeout(), Clock.systemUTC()).start();
        LOG.info("cluster: node {} (heartbeat every {} s, gone after {} s)", nodeId, config.cluster().heartbeat().toSeconds(),
                config.cluster().nodeTimeout().toSeconds());
    }

    /** What /api/cluster lists. */
    AdminApi.ClusterView view() {
        ClusterMembership m = membership;
        return new AdminApi.ClusterView(nodeId, config.cluster().nodeTimeout(), m == null ? List.of() : m.nodes());
    }

    /** The nodes that are up now, for partitioning work; this node alone until it has joined. */
    private List<String> liveNodeIds() {
        ClusterMembership m = membership;
        return m == null ? List.of(nodeId) : m.liveNodeIds();
    }

    /** Shutting down: the other nodes stop counting on this one. */
    void draining() {
        ClusterMembership m = membership;
        if (m != null) {
            m.draining();
        }
    }

    /** Stops claiming jobs (one still running after a few seconds is taken over elsewhere), then leaves. */
    @Override
    public void close() {
        jobs.close();
        ClusterMembership m = membership;
        if (m != null) {
            m.close();
        }
    }

    /**
     * Jobs poll at the membership's pace, and a claim is taken over once its node has been silent
     * for the node timeout: one number says when a node is gone, for both. (db-scheduler wants at
     * least 4 missed heartbeats, so its heartbeat is at most a quarter of the timeout.)
     */
    static ClusterJobs.Timing timing(ClusterConfig c) {
        Duration beat = c.heartbeat().compareTo(c.nodeTimeout().dividedBy(4)) <= 0 ? c.heartbeat() : c.nodeTimeout().dividedBy(4);
        int missed = (int) Math.max(4, (c.nodeTimeout().toMillis() + beat.toMillis() - 1) / beat.toMillis());
        return new ClusterJobs.Timing(c.heartbeat(), beat, missed);
    }

    /**
     * Deletes the copies a study deletion left (a target was down); a key indexed again since (the
     * study was re-sent) is left alone. Fails, and so is retried with backoff, while any remains.
     */
    private static ClusterJobs.OneOff deletionCleanup(ClusterJobs jobs, Index index, Storage storage) {
        return jobs.oneOff(DELETION_CLEANUP, 12, Duration.ofSeconds(5), data -> {
            List<String> keys = Arrays.stream(data.split("\n")).filter(k -> !k.isBlank()).toList();
            List<String> gone = index.read(tx -> {
                List<String> out = new java.util.ArrayList<>();
                for (String k : keys) {
                    if (!tx.deletions().indexed(k)) {
                        out.add(k);
                    }
                }
                return out;
            });
            List<String> left = StudyDeletion.deleteCopies(storage, gone);
            if (!left.isEmpty()) {
                throw new IOException(left.size() + " copies of a deleted study still not deleted");
            }
        });
    }

    /** {@code host:port} as other nodes and people reach it: the bind address, or this host's name when bound to all. */
    static String endpoint(String bind, int port) {
        if (port <= 0) {
            return null;
        }
        String host = bind;
        if (bind == null || bind.equals("0.0.0.0") || bind.equals("::") || bind.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
        }
        return host + ":" + port;
    }

    /** The running version, as the CLI's --version says it. */
    static String version() {
        String v = NodeCluster.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** {@code steadfast_node_info}: this node's id on /metrics (Prometheus joins it to the other series by instance). */
    String nodeInfoMetric() {
        return "# HELP steadfast_node_info this node's cluster id and version\n"
                + "# TYPE steadfast_node_info gauge\n"
                + "steadfast_node_info{node_id=\"" + nodeId + "\",version=\"" + version().replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"} 1\n";
    }
}
