package dev.steadfast.server.cli;

import static dev.steadfast.server.cli.Issue13MaintenanceCommandsReadServeConfigTest.run;
import static dev.steadfast.server.cli.Issue13MaintenanceCommandsReadServeConfigTest.storeThroughServe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.server.cli.Issue13MaintenanceCommandsReadServeConfigTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: an object the archive did not write (no index record, no checksum recorded with it, as
 * an upload another program left unfinished) is reported by {@code verify} and {@code reindex}, never
 * copied onto the other targets, never indexed, and is not a failure.
 */
class Issue13ForeignObjectsTest {
    @TempDir
    Path dir;

    @Test
    void anObjectTheArchiveDidNotWriteIsReportedNeverReplicatedAndNotIndexed() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path yaml = dir.resolve("steadfast.yaml");
        Files.writeString(yaml, "data: " + dir.resolve("data") + "\nstorage:\n  targets:\n    - fs:" + a + "\n    - fs:" + b + "\n");
        List<String> keys = storeThroughServe(yaml, Map.of(), 3);
        // Half of a real object under a key of its own series, written by something else (no checksum with it).
        String foreignKey = keys.get(0).substring(0, keys.get(0).lastIndexOf('/') + 1) + "2.25.999.dcm";
        byte[] whole = Files.readAllBytes(a.resolve(keys.get(0)));
        Files.write(a.resolve(foreignKey), Arrays.copyOf(whole, whole.length / 2));

        for (String[] args : List.of(new String[] {"verify", "--config", yaml.toString()},
                new String[] {"verify", "--repair-only", "--config", yaml.toString()})) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
            assertThat(r.out()).contains("not written by the archive (left alone, not copied): 1").contains(foreignKey)
                    .contains("missing repaired:  0");
            assertThat(b.resolve(foreignKey)).as("never copied to the other target").doesNotExist();
            assertThat(a.resolve(foreignKey)).as("left where it was").exists();
        }

        Path rebuilt = dir.resolve("rebuilt.db");
        Run r = run("reindex", "--config", yaml.toString(), "--db", "jdbc:sqlite:" + rebuilt, "--threads", "2");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("indexed:            3").contains("not written by the archive (not indexed): 1")
                .contains(foreignKey).contains("unreadable:         0");
        try (Index index = Index.open(IndexConfig.sqlite(rebuilt))) {
            assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(3);
            java.util.Optional<?> found = index.read(tx -> tx.instances().find("2.25.999"));
            assertThat(found).isEmpty();
        }
    }
}
