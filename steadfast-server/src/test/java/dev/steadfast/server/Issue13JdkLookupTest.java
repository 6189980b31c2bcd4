package dev.steadfast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.config.EnvironmentVariables;
import dev.steadfast.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: the README's {@code ./mvnw verify} failed with a class-version error where the default
 * {@code java} is older than 21, although a JDK 21+ was installed and {@code ./steadfast} found it
 * by itself. Both now share one lookup ({@code .mvn/jdk.sh}); with no JDK 21+ anywhere both stop at
 * once saying what to set. Run as a user would: JAVA_HOME unset, the system's PATH (here its java
 * is 17).
 */
class Issue13JdkLookupTest {
    @TempDir
    Path tmp;

    private static Path root() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        return root;
    }

    private static Peers.Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile()).redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Peers.Result(p.exitValue(), out);
    }

    @Test
    void mvnwRunsMavenOnAJdk21FoundAsTheLauncherFindsIt() throws Exception {
        // The JDK running this test is 21+; offer its folder as the only install folder.
        Path jdk = Path.of(System.getProperty("java.home")).toRealPath();
        Peers.Result r = run(Map.of("STEADFAST_JDK_DIRS", jdk.getParent().toString()), "./mvnw", "-v");
        assertThat(r.exitCode()).as(r.output()).isZero();
        Matcher m = Pattern.compile("Java version: (\\d+)").matcher(r.output());
        assertThat(m.find()).as(r.output()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as(r.output()).isGreaterThanOrEqualTo(21);
    }

    @Test
    void withNoJdk21BothStopAtOnceSayingWhatToSet() throws Exception {
        Peers.Result version = run(Map.of(), "java", "-version");
        Matcher v = Pattern.compile("version \"(?:1\\.)?(\\d+)").matcher(version.output());
        Assumptions.assumeTrue(version.exitCode() == 0 && v.find() && Integer.parseInt(v.group(1)) < 21,
                "the system PATH has a java older than 21 (here: " + version.output().lines().findFirst().orElse("none") + ")");
        Path empty = Files.createDirectories(tmp.resolve("no-jdks"));
        for (String tool : List.of("./mvnw", "./steadfast")) {
            Peers.Result r = run(Map.of("STEADFAST_JDK_DIRS", empty.toString()), tool, "-v");
            String name = tool.substring(2);
            assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
            assertThat(r.output()).startsWith(name + ": needs Java 21 or newer (a JDK), and none was found.")
                    .contains("Looked at JAVA_HOME, java on PATH and " + empty)
                    .contains("set JAVA_HOME to it").doesNotContain("UnsupportedClassVersionError");
        }
    }

    /** The launcher's variable is not a configuration option, so serve must not refuse it. */
    @Test
    void theLookupVariableIsAllowedBesideTheOptions() {
        assertThat(EnvironmentVariables.NOT_OPTIONS).contains("STEADFAST_JDK_DIRS");
    }
}
