package dev.steadfast.server.node;

import dev.steadfast.archive.admin.StudyDeletion;
import dev.steadfast.archive.cluster.ClusterJobs;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.server.config.ClusterConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The cluster pieces of a node that are not a class of their own: job timing, endpoints, the deletion-finishing job. */
final class ClusterWiring {
    /** The durable job that finishes a study deletion whose storage cleanup failed part-way. */
    static final String DELETION_CLEANUP = "study-deletion-cleanup";

    private ClusterWiring() {
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
    static ClusterJobs.OneOff deletionCleanup(ClusterJobs jobs, Index index, Storage storage) {
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
        String v = ClusterWiring.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** {@code steadfast_node_info}: this node's id on /metrics (Prometheus joins it to the other series by instance). */
    static String nodeInfoMetric(String nodeId) {
        return "# HELP steadfast_node_info this node's cluster id and version\n"
                + "# TYPE steadfast_node_info gauge\n"
                + "steadfast_node_info{node_id=\"" + nodeId + "\",version=\"" + version().replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"} 1\n";
    }
}
