package dev.steadfast.archive.cluster;

import java.time.Instant;

/**
 * A node as the cluster sees it: what it last wrote into {@code cluster_node} and the state that
 * follows. {@code gone}: stopped, or silent for longer than the node timeout (killed, cut off).
 */
public record ClusterNode(String nodeId, String version, Instant started, Instant lastHeartbeat, String dicomEndpoint,
                          String httpEndpoint, State state) {
    public enum State {
        UP, DRAINING, GONE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
