package dev.steadfast.server.testing;

import dev.steadfast.testing.Peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code steadfast} command in a child JVM, as the launcher runs it ({@code dev.steadfast.server.Main}
 * on the test class path), for what an in-process run cannot show: its environment variables, its
 * log output on stderr, signals. Stopped by the test through its own PID only.
 */
public final class CliProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CliProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code steadfast ARGS} with these variables added to (value null: removed from) the environment. */
    public static CliProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.steadfast.server.Main");
        cmd.addAll(List.of(args));
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        return new CliProcess(pb.start(), out, err);
    }

    public Process process() {
        return process;
    }

    /** Waits for the exit; null if it is still running after {@code seconds}. */
    public Integer awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : null;
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Waits until stderr contains {@code text} (or the process ended); true if it appeared. */
    public boolean awaitStderr(String text, long seconds) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (stderr().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return stderr().contains(text);
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** SIGTERM, as an operator's {@code kill} or a service manager stops {@code serve}. */
    public void terminate() {
        process.destroy();
    }

    @Override
    public void close() {
        Peers.stop(process);
    }
}
