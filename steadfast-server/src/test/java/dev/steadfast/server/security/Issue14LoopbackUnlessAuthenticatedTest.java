package dev.steadfast.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.steadfast.server.Main;
import dev.steadfast.server.config.ConfigException;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.testing.TestNodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: HTTP beyond loopback without authentication is refused at start, saying what to configure. */
class Issue14LoopbackUnlessAuthenticatedTest {
    @TempDir
    Path tmp;

    @Test
    void serveRefusesHttpOnAllInterfacesWithoutAuthentication() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // The guard only keeps a regression from hanging the build (today's main starts serving).
        int code = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> Main.execute(new PrintWriter(out), new PrintWriter(err, true),
                "serve", "--data", tmp.toString(), "--dicom-port", "0", "--http-port", "0", "--http-bind", "0.0.0.0"));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("bad configuration", "http.bind", "0.0.0.0", "http.auth.users-file",
                "http.auth.oidc.issuer", "steadfast user add", "127.0.0.1");
    }

    @Test
    void anyNonLoopbackAddressNeedsAuthenticationAndLoopbackDoesNot() throws Exception {
        for (String bind : List.of("0.0.0.0", "::", "192.0.2.10")) {
            assertThatThrownBy(() -> config(Map.of("http.bind", bind))).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("http.bind: " + bind + " listens beyond loopback");
        }
        for (String bind : List.of("127.0.0.1", "::1", "localhost")) {
            assertThat(config(Map.of("http.bind", bind)).http().security().authenticationConfigured()).isFalse();
        }
        // HTTP off: nothing listens, nothing to protect.
        assertThat(config(Map.of("http.bind", "0.0.0.0", "http.enabled", "false")).http().enabled()).isFalse();
    }

    @Test
    void withAuthenticationConfiguredHttpMayListenEverywhere() throws Exception {
        Path users = Files.writeString(tmp.resolve("users"), "# none yet\n");
        ServeConfig c = config(Map.of("http.bind", "0.0.0.0", "http.auth.users-file", users.toString()));
        assertThat(c.http().security().usersFile()).isEqualTo(users);
        ServeConfig o = config(Map.of("http.bind", "0.0.0.0", "http.auth.oidc.issuer", "https://login.example.org/realms/pacs",
                "http.auth.oidc.audience", "steadfast"));
        assertThat(o.http().security().oidc().audiences()).containsExactly("steadfast");
    }

    @Test
    void incompleteAuthenticationSettingsAreNamed() {
        assertThatThrownBy(() -> config(Map.of("http.auth.oidc.issuer", "https://login.example.org")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("http.auth.oidc.audience: is required");
        assertThatThrownBy(() -> config(Map.of("http.auth.users-file", tmp.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.auth.users-file: no such file")
                .hasMessageContaining("steadfast user add");
        assertThatThrownBy(() -> config(Map.of("http.auth.oidc.audience", "x")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("http.auth.oidc.issuer: is required");
        assertThatThrownBy(() -> config(Map.of("http.public-base-url", "pacs.example.org/dicom-web")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("http.public-base-url:");
    }

    /** The YAML examples of docs/SECURITY.md and DEPLOYMENT.md load as documented (the users file made real). */
    @Test
    void theDocumentedYamlExamplesLoad() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        Path users = Files.writeString(tmp.resolve("users"), "");
        int examples = 0;
        for (String doc : List.of("docs/SECURITY.md", "docs/DEPLOYMENT.md")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("```yaml\n(http:\n.*?)```", java.util.regex.Pattern.DOTALL)
                    .matcher(Files.readString(root.resolve(doc)));
            while (m.find()) {
                Path yaml = Files.writeString(tmp.resolve("example" + examples++ + ".yaml"),
                        m.group(1).replace("/etc/steadfast/users", users.toString()));
                ServeConfig c = dev.steadfast.server.config.ConfigLoader.load(yaml, Map.of(),
                        Map.of("data", tmp.toString(), "dicom.port", "0", "http.port", "0"), List.of());
                assertThat(c.http()).as(doc).isNotNull();
            }
        }
        assertThat(examples).isGreaterThanOrEqualTo(5);
        ServeConfig full = dev.steadfast.server.config.ConfigLoader.load(tmp.resolve("example" + (examples - 1) + ".yaml"), Map.of(),
                Map.of("data", tmp.toString()), List.of());
        assertThat(full.http().security().oidc().rolesClaim()).isEqualTo("realm_access.roles");
        assertThat(full.http().security().corsOrigins()).containsExactly("https://viewer.example.org");
        assertThat(full.http().security().publicBaseUrl()).isEqualTo("https://pacs.example.org/dicom-web");
        assertThat(full.http().security().usersFile()).isEqualTo(users);
    }

    private ServeConfig config(Map<String, String> extra) {
        return TestNodes.config(tmp, "jdbc:sqlite:" + tmp.resolve("index.db"), extra, List.of());
    }
}
