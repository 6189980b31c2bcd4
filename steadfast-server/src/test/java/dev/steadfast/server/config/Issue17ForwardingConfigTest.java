package dev.steadfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.dicom.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: the forwarding section of the YAML file, its defaults, and the errors a mistake in it gets. */
class Issue17ForwardingConfigTest {
    @TempDir
    Path tmp;

    private ServeConfig load(String yaml, Map<String, String> env) throws Exception {
        Path file = Files.writeString(tmp.resolve("steadfast.yaml"), yaml);
        return ConfigLoader.load(file, env, Map.of("data", tmp.resolve("data").toString()), List.of());
    }

    @Test
    void destinationsRulesAndPolicyAreRead() throws Exception {
        ServeConfig c = load("""
                remote-aes:
                  pacs: PACS@pacs.example:104
                forwarding:
                  max-attempts: 4
                  destinations:
                    central:
                      type: dicom
                      remote-ae: pacs
                    cloud:
                      type: dicomweb
                      url: https://dicomweb.example/dicom-web/
                      bearer-token: ${CLOUD_TOKEN}
                      ordered: false
                  rules:
                    - destination: central
                      modality: CT
                      attributes:
                        InstitutionName: "North*"
                    - destination: cloud
                      calling-ae: "US?"
                """, Map.of("CLOUD_TOKEN", "t0ken"));
        ForwardingConfig f = c.forwarding();
        assertThat(f.policy().maxAttempts()).isEqualTo(4);
        assertThat(f.policy().initialBackoff().toMillis()).isEqualTo(5000);
        assertThat(f.destinations().get("central").remoteAe().aeTitle()).isEqualTo("PACS");
        assertThat(f.destinations().get("central").ordered()).isTrue();
        ForwardingConfig.Destination cloud = f.destinations().get("cloud");
        assertThat(cloud.url().toString()).isEqualTo("https://dicomweb.example/dicom-web");
        assertThat(cloud.bearerToken()).isEqualTo("t0ken");
        assertThat(cloud.ordered()).isFalse();
        assertThat(cloud.toString()).doesNotContain("t0ken");
        assertThat(f.rules()).hasSize(2);
        assertThat(f.rules().get(0).attributes()).containsEntry(Tag.InstitutionName, "North*");
        assertThat(load("dicom:\n  port: 11112\n", Map.of()).forwarding().destinations()).isEmpty();
    }

    /** The example in DEPLOYMENT.md ("Forwarding") loads and means what it says. */
    @Test
    void theDocumentedExampleLoads() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        String doc = Files.readString(root.resolve("docs/DEPLOYMENT.md"));
        int start = doc.indexOf("```yaml\nremote-aes:\n  pacs: PACS@pacs.example:104\nforwarding:");
        assertThat(start).as("the example in docs/DEPLOYMENT.md").isNotNegative();
        String yaml = doc.substring(start + "```yaml\n".length(), doc.indexOf("```", start + 7));
        ForwardingConfig f = load(yaml, Map.of("CLOUD_TOKEN", "a", "SITE_B_TOKEN", "b")).forwarding();
        assertThat(f.destinations()).containsOnlyKeys("central", "cloud", "site-b");
        assertThat(f.destinations().get("site-b").type()).isEqualTo(ForwardingConfig.Type.STEADFAST);
        assertThat(f.policy()).isEqualTo(dev.steadfast.archive.forward.ForwardPolicy.DEFAULTS);
        assertThat(f.rules()).extracting(r -> r.destination()).containsExactly("central", "cloud", "site-b");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> load("""
                forwarding:
                  destinations:
                    central: {type: dicom, remote-ae: nobody}
                """, Map.of())).hasMessageContaining("forwarding.destinations.central.remote-ae").hasMessageContaining("nobody");
        assertThatThrownBy(() -> load("""
                forwarding:
                  destinations:
                    cloud: {type: dicomweb, url: "ftp://x"}
                """, Map.of())).hasMessageContaining("forwarding.destinations.cloud.url");
        assertThatThrownBy(() -> load("""
                forwarding:
                  destinations:
                    cloud: {type: dicomweb, url: "http://x", bearer-token: "${MISSING}"}
                """, Map.of())).hasMessageContaining("MISSING is not set");
        assertThatThrownBy(() -> load("""
                forwarding:
                  rules:
                    - destination: elsewhere
                """, Map.of())).hasMessageContaining("forwarding.rules[0].destination");
        assertThatThrownBy(() -> load("""
                forwarding:
                  destinations:
                    cloud: {type: dicomweb, url: "http://x"}
                  rules:
                    - destination: cloud
                      attributes: {NoSuchKeyword: "1"}
                """, Map.of())).hasMessageContaining("NoSuchKeyword").hasMessageContaining("not a DICOM attribute keyword");
        assertThatThrownBy(() -> load("""
                forwarding:
                  retries: 3
                """, Map.of())).hasMessageContaining("forwarding.retries").hasMessageContaining("unknown option");
    }
}
