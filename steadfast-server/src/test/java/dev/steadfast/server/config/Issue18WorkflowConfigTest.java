package dev.steadfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: the workflow's delivery options, as docs/HL7.md shows them, and a name that is not a remote AE. */
class Issue18WorkflowConfigTest {
    @TempDir
    Path tmp;

    @Test
    void theHl7DocsExampleLoads() throws Exception {
        Path yaml = tmp.resolve("steadfast.yaml");
        Files.writeString(yaml, """
                remote-aes:
                  ris: RIS@ris.example:104
                  reporting: REPORTING@reading.example:11112
                workflow:
                  mpps:
                    forward-to: [ris]
                  ian:
                    subscribers: [ris, reporting]
                """);
        String doc = Files.readString(root().resolve("docs/HL7.md"));
        assertThat(doc).as("the example in docs/HL7.md").contains("    forward-to: [ris]").contains("    subscribers: [ris, reporting]");
        WorkflowConfig w = ConfigLoader.load(yaml, Map.of(), Map.of(), List.of()).workflow();
        assertThat(w.mppsForwardTo()).extracting(RemoteAeConfig::aeTitle).containsExactly("RIS");
        assertThat(w.ianSubscribers()).extracting(RemoteAeConfig::aeTitle).containsExactly("RIS", "REPORTING");
        assertThat(ConfigLoader.load(null, Map.of(), Map.of(), List.of()).workflow()).isEqualTo(WorkflowConfig.NONE);
    }

    @Test
    void anUnknownAeIsAClearError() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("STEADFAST_WORKFLOW_IAN_SUBSCRIBERS", "nobody"), Map.of(),
                List.of("ris=RIS@127.0.0.1:104")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("workflow.ian.subscribers").hasMessageContaining("nobody");
    }

    private static Path root() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        return root;
    }
}
