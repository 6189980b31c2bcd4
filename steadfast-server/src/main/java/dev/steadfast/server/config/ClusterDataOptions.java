package dev.steadfast.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** Reads the {@code cluster.node-id} and {@code cluster.journal-dir} options (issue 15: cluster data paths). */
final class ClusterDataOptions {
    static final List<ConfigOptions.Option> ALL = List.of(
            new ConfigOptions.Option("cluster.node-id", "<host name>",
                    "this node's name in the cluster, unique per running node (letters, digits, '.', '_', '-')"),
            new ConfigOptions.Option("cluster.journal-dir", "<data>/journal",
                    "the ingest journal; on a cluster a folder on the shared filesystem, one sub-folder per node id, "
                            + "drained by the other nodes when a node is lost"));

    private ClusterDataOptions() {
    }

    /** @param get an option's value (null when unset) by key */
    static ClusterDataConfig read(Function<String, String> get) {
        String id = get.apply("cluster.node-id");
        if (id == null || id.equals("<host name>")) {
            id = hostName();
        }
        if (!id.matches("[A-Za-z0-9._-]+") || id.startsWith(".")) {
            throw new ConfigException("cluster.node-id", "letters, digits, '.', '_' and '-' only, not starting with '.': '" + id + "'");
        }
        String dir = get.apply("cluster.journal-dir");
        Path journal = dir == null || dir.equals("<data>/journal") ? null : Path.of(dir);
        return new ClusterDataConfig(id, journal);
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return h.isEmpty() || h.startsWith(".") ? "node" : h;
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
