package dev.steadfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 15: {@code cluster.node-id} and {@code cluster.journal-dir}, their defaults and refusals. */
class Issue15ClusterOptionsTest {
    private static final String PG = "jdbc:postgresql://db.example:5432/steadfast";

    @Test
    void aSingleNodeKeepsItsJournalInItsDataFolderAndItsIdIsResolvedAtStart() {
        ClusterDataConfig c = ConfigLoader.load(null, Map.of(), Map.of(), List.of()).clusterData();
        assertThat(c.journalDir()).as("default: <data>/journal, not shared").isNull();
        assertThat(c.nodeId()).as("unset: the id kept in <data>/node-id, resolved as the node starts").isNull();
    }

    @Test
    void aClusterNodeNamesItselfAndItsSharedJournal() {
        ClusterDataConfig c = ConfigLoader.load(null, Map.of("STEADFAST_CLUSTER_NODE_ID", "pacs-2",
                "STEADFAST_CLUSTER_JOURNAL_DIR", "/mnt/shared/journal"), Map.of("index.url", PG), List.of()).clusterData();
        assertThat(c.nodeId()).isEqualTo("pacs-2");
        assertThat(c.journalDir()).isEqualTo(Path.of("/mnt/shared/journal"));
    }

    @Test
    void aSharedJournalNeedsASharedIndexAndANodeIdThatCanNameAFolder() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("cluster.journal-dir", "/mnt/shared/journal"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.journal-dir").hasMessageContaining("PostgreSQL");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("cluster.node-id", "../other", "index.url", PG), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.node-id");
    }
}
