package dev.steadfast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.testing.Peers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the {@code ./steadfast} launcher gives {@code serve} a JDK 25 ahead-of-time cache (start-up and
 * warm-up). A cache must never stop the archive from starting: with none, with a good one and with
 * a broken one, {@code serve} starts and answers C-ECHO (dcmtk's echoscu), and nothing about the
 * cache reaches its output. Run through the real launcher script and the real {@code Main}, in a
 * copy of the launcher's folder layout whose jar holds this build's classes (the test phase has no
 * packaged jar, and the launcher would build one).
 */
class Issue19AotCacheLauncherTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path target;

    @BeforeEach
    void launcherFolder() throws IOException {
        Assumptions.assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs JDK 25");
        Path source = Path.of("").toAbsolutePath();
        while (!Files.exists(source.resolve("steadfast"))) {
            source = source.getParent();
        }
        root = tmp.resolve("app");
        target = Files.createDirectories(root.resolve("steadfast-server/target"));
        Files.createDirectories(root.resolve(".mvn"));
        Files.copy(source.resolve("steadfast"), root.resolve("steadfast"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(source.resolve(".mvn/jdk.sh"), root.resolve(".mvn/jdk.sh"));
        Files.setPosixFilePermissions(root.resolve("steadfast"), PosixFilePermissions.fromString("rwxr-xr-x"));
        appJar(target.resolve("steadfast.jar"));
    }

    @Test
    void serveStartsWithoutACacheWithTheTrainedOneAndWithABrokenOne() throws Exception {
        String echoscu = Peers.tool("echoscu");

        // First start of this jar: no cache; the run trains one, written when serve stops.
        String first = serveAndEcho(echoscu, Map.of(), false, true);
        List<Path> caches = caches();
        assertThat(caches).as("one cache for this jar after the first serve stopped; its output:\n" + first).hasSize(1);
        assertThat(Files.size(caches.get(0))).isPositive();

        // Second start: the JVM maps the trained cache.
        serveAndEcho(echoscu, Map.of(), true, true);

        // A broken cache (here: garbage under the cache's name) is ignored, silently.
        Files.write(caches.get(0), "not an AOT cache".repeat(1000).getBytes());
        String broken = serveAndEcho(echoscu, Map.of(), false, true);
        assertThat(broken).doesNotContainIgnoringCase("aot").doesNotContainIgnoringCase("shared spaces");

        // A rebuilt jar: the stale cache is removed at start and the node starts (killed: no need to train again).
        Files.setLastModifiedTime(target.resolve("steadfast.jar"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        serveAndEcho(echoscu, Map.of(), false, false);
        assertThat(caches()).doesNotContain(caches.get(0));
    }

    /** Starts serve through the launcher, checks C-ECHO, stops it (SIGTERM, or SIGKILL); returns its output. */
    private String serveAndEcho(String echoscu, Map<String, String> env, boolean expectCacheMapped, boolean graceful)
            throws Exception {
        int port = Peers.freePort();
        Path data = Files.createTempDirectory(tmp, "data");
        Path log = data.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("steadfast").toString(), "serve", "--data", data.toString(),
                "--dicom-port", String.valueOf(port), "--http-port", String.valueOf(Peers.freePort()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("STEADFAST_NO_CDS");
        pb.environment().putAll(env);
        Process p = pb.start(); // the launcher execs the JVM: this is the JVM's process
        try {
            Peers.awaitPort(port, p, 120_000);
            Peers.Result echo = Peers.run(List.of(echoscu, "-aec", "STEADFAST", "127.0.0.1", String.valueOf(port)), 60);
            assertThat(echo.exitCode()).as(echo.output() + "\n" + Files.readString(log)).isZero();
            String maps = Files.readString(Path.of("/proc/" + p.pid() + "/maps"));
            if (expectCacheMapped) {
                assertThat(maps).as("the JVM maps the trained cache").contains("aot-serve-");
            }
        } finally {
            if (graceful) {
                p.destroy(); // SIGTERM: a training run writes its cache on the way out
            } else {
                p.destroyForcibly();
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(p.exitValue()).as(Files.readString(log)).isIn(0, 143, 137);
        return Files.readString(log);
    }

    private List<Path> caches() throws IOException {
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(f -> f.getFileName().toString().matches("aot-serve-.*\\.aot")).toList();
        }
    }

    /**
     * An application jar like the packaged one: this build's server classes, the rest of the class
     * path by the manifest (the AOT cache takes jars only, never folders).
     */
    private static void appJar(Path jar) throws IOException {
        List<String> classPath = new ArrayList<>();
        Path serverClasses = null;
        String paths = System.getProperty("java.class.path") + java.io.File.pathSeparator
                + System.getProperty("jdk.module.path", ""); // surefire may put the modules on the module path
        for (String entry : paths.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p) && Files.exists(p.resolve("dev/steadfast/server/Main.class"))) {
                serverClasses = p;
            } else if (Files.isDirectory(p) && !p.toString().contains("test-classes")) {
                Path dep = jar.resolveSibling(p.getParent().getParent().getFileName() + ".jar"); // another module's classes
                packFolder(p, dep, new Manifest());
                classPath.add(dep.getFileName().toString());
            } else if (p.toString().endsWith(".jar")) {
                classPath.add(p.toUri().toString());
            }
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.steadfast.server.Main");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        packFolder(serverClasses, jar, m);
    }

    private static void packFolder(Path folder, Path jar, Manifest manifest) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream j = manifest.getMainAttributes().isEmpty() ? new JarOutputStream(out) : new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(folder.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }
}
