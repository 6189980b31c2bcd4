package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.inventory;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.forward.ForwardQueues;
import dev.steadfast.archive.index.Index;
import dev.steadfast.server.config.ConfigLoader;
import dev.steadfast.server.config.ServeConfig;
import java.time.Clock;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: {@code steadfast import} with serve's configuration meets the same forward rules: what
 * it imports is queued in the index, and serve sends it when it runs.
 */
class Issue17ImportIsForwardedTest {
    @TempDir
    Path tmp;

    @Test
    void importedInstancesAreQueuedAndServeSendsThem() throws Exception {
        List<Path> files = ForwardingRig.instances(2);
        Path folder = Files.createDirectories(tmp.resolve("to-import"));
        for (Path f : files) {
            Files.copy(f, folder.resolve(f.getFileName()));
        }
        try (ArchiveNode b = ForwardingRig.node(tmp.resolve("b"), null, Map.of("dicom.ae-title", "SITEB"), List.of())) {
            Path data = tmp.resolve("a/data");
            Path yaml = Files.writeString(Files.createDirectories(tmp.resolve("a")).resolve("steadfast.yaml"), """
                    data: %s
                    remote-aes:
                      site-b: SITEB@127.0.0.1:%d
                    forwarding:
                      retry-initial-ms: 100
                      poll-ms: 100
                      destinations:
                        site-b: {type: dicom, remote-ae: site-b}
                      rules:
                        - destination: site-b
                    """.formatted(data, b.dicomPort()));
            CliRun imported = CliRun.of("import", "--config", yaml.toString(), folder.toString());
            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(inventory(b)).isEmpty();
            ServeConfig config = ConfigLoader.load(yaml, Map.of(), Map.of("dicom.port", "0", "dicom.bind", "127.0.0.1",
                    "http.port", "0"), List.of());
            try (Index index = Index.open(config.index())) { // before serve runs: queued by import
                assertThat(new ForwardQueues(index, Clock.systemUTC()).entries("site-b", false, 10)).hasSize(2);
            }
            try (ArchiveNode a = ArchiveNode.start(config)) {
                await("serve sends what import queued", unchecked(() -> inventory(b).size() == 2));
                assertThat(inventory(b)).isEqualTo(inventory(a));
            }
        }
    }
}
