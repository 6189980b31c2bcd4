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

    private ServeConfig config(Map<String, String> extra) {
        return TestNodes.config(tmp, "jdbc:sqlite:" + tmp.resolve("index.db"), extra, List.of());
    }
}
