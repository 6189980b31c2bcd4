package dev.steadfast.server.config;

import java.nio.file.Path;

/**
 * What a node of a cluster shares with the others beside the index (issue 15).
 *
 * @param nodeId     this node's name ({@code cluster.node-id}), its journal sub-folder on a cluster
 * @param journalDir the cluster's shared journal folder, one sub-folder per node id; null: a single
 *                   node's journal in {@code <data>/journal}
 */
public record ClusterDataConfig(String nodeId, Path journalDir) {}
