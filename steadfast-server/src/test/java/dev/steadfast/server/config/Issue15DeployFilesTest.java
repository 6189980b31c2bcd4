package dev.steadfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.testing.Haproxy;
import dev.steadfast.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the shipped {@code deploy/} files are usable as they are: the example node
 * configuration passes serve's own validation with the values the cluster needs, and HAProxy
 * accepts the shipped configuration unchanged ({@code haproxy -c}).
 */
class Issue15DeployFilesTest {
    private static final Path DEPLOY = Haproxy.shippedConfig().getParent();

    @Test
    void theExampleNodeConfigurationIsValidAndPointsAtTheClustersSharedParts() {
        ServeConfig c = ConfigLoader.load(DEPLOY.resolve("steadfast-node.yaml"), Map.of(), Map.of(), List.of());
        assertThat(c.index().jdbcUrl()).startsWith("jdbc:postgresql://db1.example.org:5432,db2.example.org:5432/")
                .contains("targetServerType=primary");
        assertThat(c.storage().targets()).hasSize(2);
        assertThat(c.dicom().port()).isEqualTo(11112);
        assertThat(c.http().port()).isEqualTo(8080);
        // Behind send-proxy-v2 the per-host limit is per modality again, and the balancer is trusted.
        assertThat(c.dicom().maxAssociationsPerHost()).isLessThan(c.dicom().maxAssociations());
        assertThat(c.cluster().proxyProtocolTrusted()).extracting(Object::toString).containsExactly("10.0.0.5/32");
        assertThat(c.cluster().forwardedForTrusted()).extracting(Object::toString).containsExactly("10.0.0.5/32");
    }

    @Test
    void haproxyAcceptsTheShippedConfiguration() throws Exception {
        String haproxy = Peers.tool("haproxy");
        Path cfg = DEPLOY.resolve("haproxy.cfg");
        Peers.Result r = Peers.run(List.of(haproxy, "-c", "-f", cfg.toString()), 30);
        assertThat(r.exitCode()).as(r.output()).isZero();
        // The node ports in haproxy.cfg are the example node's.
        assertThat(Files.readString(cfg)).contains(":11112 check port 8080").contains(":8080 check");
    }
}
