package dev.steadfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 18: the HL7 listener is off unless {@code hl7.port} is set, and its options say what is wrong. */
class Issue18Hl7ConfigTest {
    private static ServeConfig load(Map<String, String> flags, Map<String, String> env) {
        return ConfigLoader.load(null, env, flags, List.of());
    }

    @Test
    void offByDefaultOnWithAPortFromAFlagOrTheEnvironment() {
        assertThat(load(Map.of(), Map.of()).hl7().enabled()).isFalse();
        Hl7Config on = load(Map.of("hl7.port", "2575", "hl7.bind", "127.0.0.1"), Map.of()).hl7();
        assertThat(on).isEqualTo(new Hl7Config(2575, "127.0.0.1", false));
        assertThat(load(Map.of(), Map.of("STEADFAST_HL7_PORT", "2576")).hl7())
                .isEqualTo(new Hl7Config(2576, "0.0.0.0", false));
    }

    @Test
    void onlyLoopbackMaySendUnlessTheSendersAreListed() throws Exception {
        java.net.InetAddress loopback = java.net.InetAddress.getByName("127.0.0.1");
        java.net.InetAddress ris = java.net.InetAddress.getByName("10.1.2.3");
        Hl7Config byDefault = load(Map.of("hl7.port", "2575"), Map.of()).hl7();
        assertThat(byDefault.allows(loopback)).isTrue();
        assertThat(byDefault.allows(java.net.InetAddress.getByName("::1"))).isTrue();
        assertThat(byDefault.allows(ris)).isFalse();
        Hl7Config listed = load(Map.of("hl7.port", "2575"), Map.of("STEADFAST_HL7_ALLOWED_SENDERS", "10.0.0.0/8, 192.0.2.7")).hl7();
        assertThat(listed.allows(ris)).isTrue();
        assertThat(listed.allows(java.net.InetAddress.getByName("192.0.2.7"))).isTrue();
        assertThat(listed.allows(loopback)).as("a list replaces the default").isFalse();
        assertThatThrownBy(() -> load(Map.of("hl7.port", "2575", "hl7.allowed-senders", "10.0.0.0/99"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hl7.allowed-senders");
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> load(Map.of("hl7.port", "mllp"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hl7.port").hasMessageContaining("whole number");
        assertThatThrownBy(() -> load(Map.of("hl7.port", "2575", "hl7.tls", "yes"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hl7.tls");
        assertThatThrownBy(() -> load(Map.of("hl7.port", "2575", "hl7.tls", "true"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hl7.tls").hasMessageContaining("dicom.tls");
    }

    @Test
    void outgoingDestinationsRoutesAndReportsAreReadAndCheckedFromTheYamlFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path yaml = tmp.resolve("steadfast.yaml");
        java.nio.file.Files.writeString(yaml, """
                hl7:
                  destinations:
                    ris: {host: ris.example, port: 2575, application: RIS}
                  routes:
                    - {message-type: ORM, trigger-event: O01, destination: ris}
                  reports:
                    destinations: [ris]
                  max-message-bytes: 2048
                """);
        Hl7Config h = ConfigLoader.load(yaml, Map.of(), Map.of(), List.of()).hl7();
        assertThat(h.enabled()).as("no listener without hl7.port; the queues work without it").isFalse();
        assertThat(h.out().destinations().get("ris")).isEqualTo(new Hl7OutConfig.Destination("ris", "ris.example", 2575, false, "RIS", null));
        assertThat(h.out().routes()).singleElement().satisfies(r -> {
            assertThat(r.matches("ORM", "O01", "LAB", "HOSP")).isTrue();
            assertThat(r.matches("ORM", "O02", "LAB", "HOSP")).isFalse();
        });
        assertThat(h.out().reportDestinations()).containsExactly("ris");
        assertThat(h.limits().maxMessageBytes()).isEqualTo(2048);

        java.nio.file.Files.writeString(yaml, "hl7:\n  destinations:\n    ris: {host: r, port: 1}\n  routes:\n    - {destination: lab}\n");
        assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of(), Map.of(), List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hl7.routes[0].destination").hasMessageContaining("lab");
        java.nio.file.Files.writeString(yaml, "hl7:\n  destinations:\n    ris: {host: r}\n");
        assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of(), Map.of(), List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hl7.destinations.ris.port");
        assertThatThrownBy(() -> load(Map.of("hl7.reports.destinations", "pacs"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hl7.reports.destinations").hasMessageContaining("pacs");
        assertThatThrownBy(() -> load(Map.of("hl7.max-message-bytes", "10"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("max-message-bytes");
    }
}
