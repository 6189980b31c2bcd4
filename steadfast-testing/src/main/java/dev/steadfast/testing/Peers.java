package dev.steadfast.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real peers for tests: find dcmtk/Orthanc or skip (fail under CI=true), free ports, processes
 * started with TCP_NODELAY=1 and stopped by their PID only. Shared by every module's tests.
 */
public class Peers {
    /** Not instantiated; open only for the aliases in net's and server's test trees (see there). */
    protected Peers() {
    }

    /** Absolute path of an executable on PATH (or an absolute path), else skip. */
    public static String tool(String name) {
        if (name.startsWith("/")) {
            Corpus.requireOrSkip(Files.isExecutable(Path.of(name)), "tool " + name);
            return name;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        Corpus.requireOrSkip(false, "tool " + name);
        return null;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Starts a process with TCP_NODELAY=1; output goes to {@code log}. */
    public static Process start(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TCP_NODELAY", "1");
        return pb.start();
    }

    public record Result(int exitCode, String output) {
    }

    /** Runs a process to completion (TCP_NODELAY=1) and returns its exit code and output. */
    public static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(command, null, timeoutSeconds);
    }

    /** As {@link #run(List, long)}, in {@code workDir} (null: this JVM's working directory). */
    public static Result run(List<String> command, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("peer", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            pb.environment().put("TCP_NODELAY", "1");
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                stop(p);
                fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n" + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1)); // peers print raw bytes in any character set
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Stops a process we started, by its PID only. */
    public static void stop(Process p) {
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until something listens on 127.0.0.1:port (or the process died). */
    public static void awaitPort(int port, Process p, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (p != null && !p.isAlive()) {
                fail("process exited with " + p.exitValue() + " before listening on " + port);
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        fail("nothing listens on port " + port + " after " + timeoutMillis + " ms");
    }
}
