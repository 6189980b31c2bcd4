package dev.steadfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.server.testing.CliProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a misspelt {@code STEADFAST_*} variable was ignored, leaving the default in force,
 * although docs/DEPLOYMENT.md promises that a typo never does. {@code serve} now stops and names
 * the variable it thinks was meant; the variables read outside the configuration stay allowed.
 */
class Issue13UnknownEnvironmentVariableTest {
    @TempDir
    Path tmp;

    private static final String[] SERVE_ON_FREE_PORTS = {"serve", "--data", "data", "--dicom-port", "0", "--http-port", "0"};

    @Test
    void aMisspeltVariableStopsServeAndNamesTheRightOne() throws Exception {
        try (CliProcess serve = CliProcess.start(tmp, Map.of("STEADFAST_DICOM_BIND", "127.0.0.1", "STEADFAST_DICOM_AE_TTILE", "PACS1"),
                SERVE_ON_FREE_PORTS)) {
            Integer exit = serve.awaitExit(60);
            assertThat(exit).as("serve must stop at once, not run with the default AE title; stderr: %s", serve.stderr()).isEqualTo(2);
            assertThat(serve.stderr().strip()).isEqualTo("steadfast serve: bad configuration: STEADFAST_DICOM_AE_TTILE: unknown environment "
                    + "variable (did you mean STEADFAST_DICOM_AE_TITLE?); unset it, or see docs/DEPLOYMENT.md for the variables there are");
            assertThat(Files.exists(tmp.resolve("data"))).as("nothing was created").isFalse();
        }
    }

    @Test
    void variablesReadOutsideTheConfigurationAreAllowed() throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String name : EnvironmentVariables.NOT_OPTIONS) {
            env.put(name, "1");
        }
        env.put("STEADFAST_DICOM_AE_TITLE", "PACS1");
        env.put("STEADFAST_DICOM_BIND", "127.0.0.1");
        try (CliProcess serve = CliProcess.start(tmp, env, SERVE_ON_FREE_PORTS)) {
            assertThat(serve.awaitStderr("listening on port", 120)).as("stderr: %s", serve.stderr()).isTrue();
            assertThat(serve.stderr()).contains("DICOM AE PACS1 listening");
            serve.terminate();
            assertThat(serve.awaitExit(60)).isNotNull();
        }
    }

    @Test
    void theLoaderRefusesEveryUnknownPrefixedVariableAndIgnoresOthers() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("STEADFAST_HTTP_PROT", "80"), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean STEADFAST_HTTP_PORT?");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("STEADFAST_WHATEVER", "x"), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("STEADFAST_WHATEVER: unknown environment variable;");
        assertThat(ConfigLoader.load(null, Map.of("JAVA_HOME", "/x", "STEADFASTNESS", "y"), Map.of(), List.of()).dicom().aeTitle())
                .isEqualTo("STEADFAST");
    }

    /** docs/DEPLOYMENT.md names every variable that is allowed without being an option. */
    @Test
    void theAllowedVariablesAreDocumented() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        String doc = Files.readString(root.resolve("docs/DEPLOYMENT.md"));
        for (String name : EnvironmentVariables.NOT_OPTIONS) {
            assertThat(doc).contains("`" + name + "`");
        }
    }
}
