package dev.steadfast.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the {@code cluster.journal-dir} option and checks a configured {@code cluster.node-id}
 * (issue 15: cluster data paths). The node-id option itself is {@link ClusterConfig}'s: unset, the
 * node's id is the one kept in {@code <data>/node-id}, resolved as the node starts.
 */
final class ClusterDataOptions {
    static final List<ConfigOptions.Option> ALL = List.of(
            new ConfigOptions.Option("cluster.journal-dir", "<data>/journal",
                    "the ingest journal; on a cluster a folder on the shared filesystem, one sub-folder per node id, "
                            + "drained by the other nodes when a node is lost"));

    private ClusterDataOptions() {
    }

    /** @param get an option's value (null when unset) by key */
    static ClusterDataConfig read(Function<String, String> get) {
        String id = get.apply("cluster.node-id");
        if (id != null && id.startsWith("<")) {
            id = null; // the documented default's placeholder: resolved as the node starts
        }
        if (id != null && (!id.matches("[A-Za-z0-9._-]+") || id.startsWith("."))) {
            throw new ConfigException("cluster.node-id", "letters, digits, '.', '_' and '-' only, not starting with '.': '" + id + "'");
        }
        String dir = get.apply("cluster.journal-dir");
        Path journal = dir == null || dir.equals("<data>/journal") ? null : Path.of(dir);
        return new ClusterDataConfig(id, journal);
    }
}
