package dev.steadfast.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.node.PortInUse;
import dev.steadfast.server.testing.TestNodes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: an HL7 port already taken stops serve with a message that names the option to change. */
class Issue18Hl7PortInUseTest {
    @TempDir
    Path tmp;

    @Test
    void aTakenHl7PortNamesHl7Port() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path data = tmp.resolve("data");
            ServeConfig config = TestNodes.config(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                    Map.of("hl7.port", String.valueOf(taken.getLocalPort()), "hl7.bind", "127.0.0.1", "http.enabled", "false"), List.of());
            assertThatThrownBy(() -> ArchiveNode.start(config).close()).isInstanceOfSatisfying(PortInUse.class, e -> {
                assertThat(e.service()).isEqualTo("HL7");
                assertThat(StartFailures.describe(e, config)).contains("HL7 port " + taken.getLocalPort())
                        .contains("already in use").contains("hl7.port");
            });
        }
    }
}
