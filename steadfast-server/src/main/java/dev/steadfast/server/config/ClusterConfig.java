package dev.steadfast.server.config;

import java.time.Duration;
import java.util.List;

/**
 * Cluster membership and jobs (issue 15).
 *
 * @param nodeId      this node's id, or null: the one kept in {@code <data>/node-id} (written on first start)
 * @param heartbeat   how often the node writes its heartbeat (and polls for jobs)
 * @param nodeTimeout a node silent this long is gone, and its claimed jobs are run by another node
 * @param jobThreads  cluster jobs this node runs at once
 * @param proxyProtocolTrusted the TCP balancers whose DICOM connections begin with a PROXY protocol
 *                    header (empty: PROXY protocol off)
 * @param forwardedForTrusted the HTTP balancers whose {@code X-Forwarded-For} names the client (empty: ignored)
 */
public record ClusterConfig(String nodeId, Duration heartbeat, Duration nodeTimeout, int jobThreads,
                            List<HostPattern> proxyProtocolTrusted, List<HostPattern> forwardedForTrusted) {
    static final List<ConfigOptions.Option> OPTIONS = List.of(
            new ConfigOptions.Option("cluster.node-id", "<data>/node-id",
                    "this node's id in /api/cluster, /metrics and the job table; default: kept in <data>/node-id, "
                            + "written on first start as <host name>-<DICOM port>"),
            new ConfigOptions.Option("cluster.heartbeat-seconds", "5", "how often the node records that it is alive and polls for cluster jobs"),
            new ConfigOptions.Option("cluster.node-timeout-seconds", "30",
                    "a node silent this long is gone; the jobs it had claimed are run by another node"),
            new ConfigOptions.Option("cluster.job-threads", "2", "cluster jobs (scrub partitions, commitment reports, ...) this node runs at once"),
            // Read with the cluster: it says which balancers stand in front of the nodes.
            new ConfigOptions.Option("dicom.proxy-protocol.trusted", null,
                    "TCP balancers (addresses or networks, list) whose connections to the DICOM port begin with a PROXY "
                            + "protocol header naming the client; unset: PROXY protocol off"),
            new ConfigOptions.Option("http.forwarded-for.trusted", null,
                    "HTTP balancers (addresses or networks, list) whose X-Forwarded-For names the client; unset: the header is ignored"));

    /** The documented defaults: id from {@code <data>/node-id}, heartbeat 5 s, gone after 30 s, 2 job threads. */
    public static final ClusterConfig DEFAULT = new ClusterConfig(null, Duration.ofSeconds(5), Duration.ofSeconds(30), 2);

    /** Without a balancer speaking PROXY protocol. */
    public ClusterConfig(String nodeId, Duration heartbeat, Duration nodeTimeout, int jobThreads) {
        this(nodeId, heartbeat, nodeTimeout, jobThreads, List.of(), List.of());
    }

    public ClusterConfig {
        proxyProtocolTrusted = proxyProtocolTrusted == null ? List.of() : List.copyOf(proxyProtocolTrusted);
        forwardedForTrusted = forwardedForTrusted == null ? List.of() : List.copyOf(forwardedForTrusted);
        ConfigException.check(nodeId == null || nodeId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"), "cluster.node-id",
                "must be 1 to 64 letters, digits, '.', '_' or '-': '" + nodeId + "'");
        ConfigException.check(heartbeat.isPositive(), "cluster.heartbeat-seconds", "must be at least 1");
        ConfigException.check(nodeTimeout.compareTo(heartbeat.multipliedBy(2)) >= 0, "cluster.node-timeout-seconds",
                "must be at least twice cluster.heartbeat-seconds");
        ConfigException.check(jobThreads > 0, "cluster.job-threads", "must be at least 1");
    }
}
