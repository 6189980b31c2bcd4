package dev.steadfast.server.config;

import java.nio.file.Path;

/**
 * What a node of a cluster shares with the others beside the index (issue 15).
 *
 * @param nodeId     {@code cluster.node-id} as configured, or null: the id kept in {@code <data>/node-id},
 *                   resolved as the node starts (the node's journal sub-folder on a cluster is named after it)
 * @param journalDir the cluster's shared journal folder, one sub-folder per node id; null: a single
 *                   node's journal in {@code <data>/journal}
 */
public record ClusterDataConfig(String nodeId, Path journalDir) {}
