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
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> load(Map.of("hl7.port", "mllp"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hl7.port").hasMessageContaining("whole number");
        assertThatThrownBy(() -> load(Map.of("hl7.port", "2575", "hl7.tls", "yes"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hl7.tls");
        assertThatThrownBy(() -> load(Map.of("hl7.port", "2575", "hl7.tls", "true"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hl7.tls").hasMessageContaining("dicom.tls");
    }
}
