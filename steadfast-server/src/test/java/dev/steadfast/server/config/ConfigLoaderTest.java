package dev.steadfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.archive.config.DuplicatePolicy;
import dev.steadfast.archive.config.RetrieveConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void noConfigurationGivesTheDesignDefaults() {
        ServeConfig c = ConfigLoader.load(null, Map.of(), Map.of(), List.of());
        assertThat(c.data()).isEqualTo(Path.of("./steadfast-data"));
        assertThat(c.dicom().aeTitle()).isEqualTo("STEADFAST");
        assertThat(c.dicom().port()).isEqualTo(11112);
        assertThat(c.dicom().tls()).isNull();
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.http().bind()).isEqualTo("127.0.0.1");
        assertThat(c.storage().path()).isEqualTo(Path.of("./steadfast-data/storage"));
        assertThat(c.index().jdbcUrl()).startsWith("jdbc:sqlite:").endsWith("steadfast-data/index.db");
        assertThat(c.ingest().onDifferentDuplicate()).isEqualTo(DuplicatePolicy.REJECT); // issue 14: never silently changed
        assertThat(c.remoteAes()).isEmpty();
        assertThat(c.dicom().commitmentReport()).isEqualTo(DicomConfig.CommitmentReport.SAME_ASSOCIATION);
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.retrieve()).isEqualTo(RetrieveConfig.DEFAULT);
        assertThat(c.retrieve().verify()).isEqualTo(RetrieveConfig.Verify.FIRST_READ);
    }

    @Test
    void retrieveVerifyPolicyIsReadAndAMistakeNamed() {
        assertThat(ConfigLoader.load(null, Map.of("STEADFAST_RETRIEVE_VERIFY", "always"), Map.of(), List.of()).retrieve().verify())
                .isEqualTo(RetrieveConfig.Verify.ALWAYS);
        assertThat(ConfigLoader.load(null, Map.of(), Map.of("retrieve.verify", "Never"), List.of()).retrieve().verify())
                .isEqualTo(RetrieveConfig.Verify.NEVER);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("retrieve.verify", "sometimes"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retrieve.verify").hasMessageContaining("first-read");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("retrieve.verify-remembered", "-1"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retrieve.verify-remembered");
    }

    @Test
    void yamlThenEnvironmentThenFlagsEachWin() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("steadfast.yaml"), """
                data: /srv/pacs
                dicom:
                  ae-title: ARCHIVE1
                  port: 104
                index:
                  url: jdbc:postgresql://db:5432/pacs
                  user: pacs
                ingest:
                  duplicates: keep-first
                access:
                  store: [CT1, MR1]
                remote-aes:
                  viewer: VIEWER@10.0.0.5:11112
                  orthanc: {ae-title: ORTHANC, host: orthanc.local, port: 4242}
                """);
        ServeConfig c = ConfigLoader.load(yaml, Map.of("STEADFAST_DICOM_PORT", "11113", "STEADFAST_INDEX_PASSWORD", "secret",
                        "STEADFAST_REMOTE_AES", "ws=WS1@ws1:104"),
                Map.of("dicom.ae-title", "FROMFLAG"), List.of("extra=EXTRA@host:1"));
        assertThat(c.data()).isEqualTo(Path.of("/srv/pacs"));
        assertThat(c.storage().path()).isEqualTo(Path.of("/srv/pacs/storage"));
        assertThat(c.dicom().aeTitle()).isEqualTo("FROMFLAG");
        assertThat(c.dicom().port()).isEqualTo(11113);
        assertThat(c.index().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/pacs");
        assertThat(c.index().password()).isEqualTo("secret");
        assertThat(c.index().toString()).doesNotContain("secret");
        assertThat(c.ingest().onDifferentDuplicate()).isEqualTo(DuplicatePolicy.KEEP_FIRST);
        assertThat(c.access().store()).containsExactlyInAnyOrder("CT1", "MR1");
        assertThat(c.access().find()).isEmpty();
        assertThat(c.remoteAes()).containsOnlyKeys("viewer", "orthanc", "ws", "extra");
        assertThat(c.remoteAe("ORTHANC")).get().extracting(RemoteAeConfig::host, RemoteAeConfig::port).containsExactly("orthanc.local", 4242);
    }

    @Test
    void mistakesAreNamedNotIgnored() throws Exception {
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "dicom:\n  prot: 104\n");
        assertThatThrownBy(() -> ConfigLoader.load(typo, Map.of(), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dicom.prot").hasMessageContaining("unknown");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("STEADFAST_DICOM_PORT", "eleven"), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dicom.port");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("dicom.ae-title", "THIS_TITLE_IS_TOO_LONG"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dicom.ae-title");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("index.url", "jdbc:mysql://x/y"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("index.url");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("ingest.duplicates", "overwrite"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("replace, keep-first or reject");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("dicom.commitment-report", "same"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dicom.commitment-report")
                .hasMessageContaining("same-association or new-association");
        assertThat(ConfigLoader.load(null, Map.of("STEADFAST_DICOM_COMMITMENT_REPORT", "new-association"), Map.of(), List.of())
                .dicom().commitmentReport()).isEqualTo(DicomConfig.CommitmentReport.NEW_ASSOCIATION);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(), List.of("viewer=VIEWER@host")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("AETITLE@host:port");
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "dicom: [unclosed\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of(), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void deletingStudiesIsOffUnlessEnabled() throws Exception {
        assertThat(ConfigLoader.load(null, Map.of(), Map.of(), List.of()).http().apiDeleteEnabled()).isFalse();
        Path yaml = Files.writeString(tmp.resolve("api.yaml"), "api:\n  delete-enabled: true\n");
        assertThat(ConfigLoader.load(yaml, Map.of(), Map.of(), List.of()).http().apiDeleteEnabled()).isTrue();
        assertThat(ConfigLoader.load(null, Map.of("STEADFAST_API_DELETE_ENABLED", "true"), Map.of(), List.of()).http()
                .apiDeleteEnabled()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("STEADFAST_API_DELETE_ENABLED", "yes"), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("api.delete-enabled");
    }

    /** DEPLOYMENT.md documents every option with its environment variable and default. */
    @Test
    void everyOptionIsDocumented() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        String doc = Files.readString(root.resolve("docs/DEPLOYMENT.md"));
        for (ConfigOptions.Option o : ConfigOptions.ALL) {
            assertThat(doc).as("docs/DEPLOYMENT.md").contains("`" + o.key() + "`").contains(o.environmentVariable());
            if (o.defaultValue() != null) {
                assertThat(doc).as("default of " + o.key()).contains("`" + o.defaultValue() + "`");
            }
        }
    }
}
