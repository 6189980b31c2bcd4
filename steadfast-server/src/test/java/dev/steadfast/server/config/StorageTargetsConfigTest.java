package dev.steadfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.archive.storage.replica.WritePolicy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** storage.targets, storage.write-policy and the repair/scrub pace: YAML and compact forms, defaults, named errors. */
class StorageTargetsConfigTest {
    @TempDir
    Path tmp;

    private static StorageConfig flags(Map<String, String> flags) {
        return ConfigLoader.load(null, Map.of(), flags, List.of()).storage();
    }

    @Test
    void defaultIsOneFilesystemTargetUnderTheDataFolder() {
        StorageConfig s = flags(Map.of("data", "/srv/pacs"));
        assertThat(s.targets()).containsExactly(new StorageTargetConfig.FileSystem(Path.of("/srv/pacs/storage"), false));
        assertThat(s.writePolicy()).isEqualTo(WritePolicy.ALL);
        assertThat(s.repairInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.scrubInterval()).isEqualTo(Duration.ofHours(168));
        assertThat(s.scrubBytesPerSecond()).isEqualTo(20L << 20);
        assertThat(flags(Map.of("storage.immutable", "true")).targets().get(0).immutable()).isTrue();
    }

    @Test
    void yamlListsTargetsAsMappingsOrStrings() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("s.yaml"), """
                storage:
                  write-policy: 2 of 3
                  scrub-interval-hours: 0
                  targets:
                    - {type: filesystem, path: /srv/a, immutable: true}
                    - fs:/srv/b
                    - type: s3
                      bucket: pacs
                      prefix: archive
                      endpoint: http://127.0.0.1:9000
                      access-key-id: AKIA1
                      secret-access-key: very-secret
                """);
        StorageConfig s = ConfigLoader.load(yaml, Map.of(), Map.of(), List.of()).storage();
        assertThat(s.targets()).hasSize(3);
        assertThat(s.targets().get(0)).isEqualTo(new StorageTargetConfig.FileSystem(Path.of("/srv/a"), true));
        assertThat(s.targets().get(1).name()).isEqualTo("fs:/srv/b");
        StorageTargetConfig.S3 s3 = (StorageTargetConfig.S3) s.targets().get(2);
        assertThat(s3.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(s3.prefix()).isEqualTo("archive/");
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.name()).isEqualTo("s3:pacs/archive/");
        assertThat(s3.toString()).doesNotContain("very-secret").contains("AKIA1/***");
        assertThat(s.writePolicy().requiredOf(3)).isEqualTo(2);
        assertThat(s.scrubInterval()).isZero();
    }

    @Test
    void environmentGivesCompactTargetsThatWinOverTheFile() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("s.yaml"), "storage:\n  targets: [fs:/srv/a]\n");
        StorageConfig s = ConfigLoader.load(yaml, Map.of("STEADFAST_STORAGE_TARGETS",
                "fs:/x?immutable=true,s3://bucket?region=eu-west-1&path-style=false", "STEADFAST_STORAGE_WRITE_POLICY", "1 of 2"),
                Map.of(), List.of()).storage();
        assertThat(s.targets().get(0)).isEqualTo(new StorageTargetConfig.FileSystem(Path.of("/x"), true));
        StorageTargetConfig.S3 s3 = (StorageTargetConfig.S3) s.targets().get(1);
        assertThat(s3.region()).isEqualTo("eu-west-1");
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.accessKeyId()).isNull(); // the AWS environment
        assertThat(s.writePolicy().requiredOf(2)).isEqualTo(1);
    }

    @Test
    void mistakesNameTheOption() {
        assertThatThrownBy(() -> flags(Map.of("storage.targets", "fs:/a,fs:/b", "storage.write-policy", "2 of 3")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.write-policy");
        assertThatThrownBy(() -> flags(Map.of("storage.write-policy", "most")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.write-policy");
        assertThatThrownBy(() -> flags(Map.of("storage.targets", "nfs:/a")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.targets");
        assertThatThrownBy(() -> flags(Map.of("storage.targets", "fs:/a,fs:/a")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> flags(Map.of("storage.targets", "s3://b?colour=red")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> flags(Map.of("storage.targets", "s3://b?retention-days=3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retention-days");
        assertThatThrownBy(() -> flags(Map.of("storage.targets", "s3://b?endpoint=nohost")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> flags(Map.of("storage.repair-interval-seconds", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.repair-interval-seconds");
        assertThatThrownBy(() -> flags(Map.of("storage.scrub-objects-per-second", "fast")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.scrub-objects-per-second");
    }

    @Test
    void aSecretWithoutItsKeyIsRefusedWithoutEchoingIt() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("s.yaml"), """
                storage:
                  targets:
                    - {type: s3, bucket: b, secret-access-key: hush-hush}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of(), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.targets")
                .hasMessageNotContaining("hush-hush");
    }
}
