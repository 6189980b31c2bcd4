package dev.steadfast.web.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ForkedServer} started in its own JVM with a given heap (and -XX:+ExitOnOutOfMemoryError,
 * so running out of heap shows as a dead server), for the tests of memory bounds. Closing
 * closes the child's standard input, which stops it; it is killed (by this handle) if it does not
 * stop within 10 s.
 */
public final class ForkedServerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    public final URI base;

    public ForkedServerProcess(Path dataDir, String maxHeap, String... jvmOptions) throws Exception {
        Files.createDirectories(dataDir);
        Path portFile = dataDir.resolveSibling(dataDir.getFileName() + ".port");
        Files.deleteIfExists(portFile);
        log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", cp, ForkedServer.class.getName(), dataDir.toString(), portFile.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 300 && !Files.exists(portFile) && process.isAlive(); i++) {
            Thread.sleep(100);
        }
        if (!Files.exists(portFile)) {
            close();
            throw new AssertionError("forked server did not start: " + log());
        }
        base = URI.create("http://127.0.0.1:" + Files.readString(portFile).strip() + "/dicom-web");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
