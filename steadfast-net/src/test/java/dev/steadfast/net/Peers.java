package dev.steadfast.net;

import static org.junit.jupiter.api.Assertions.fail;

import dev.steadfast.testing.Corpus;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Test helpers for real peers: find dcmtk/Orthanc/the corpus or skip (fail instead when CI=true),
 * free ports, and processes started with TCP_NODELAY=1 and stopped by PID.
 */
public final class Peers {
    private Peers() {
    }

    private static void missing(String what) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(what + " is missing, and CI=true forbids skipping");
        }
        Assumptions.abort(what + " is missing");
    }

    /** Absolute path of an executable on PATH (or an absolute path), else skip. */
    public static String tool(String name) {
        if (name.startsWith("/")) {
            if (Files.isExecutable(Path.of(name))) {
                return name;
            }
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        missing("tool " + name);
        return null;
    }

    /** The shared DICOM corpus, found and checked by {@link Corpus}, else skip (fail under CI). */
    public static Path testdata() {
        return Corpus.root();
    }

    /** Corpus files outside corrupt/ from MANIFEST.tsv: path, transfer syntax UID, its manifest text, SOP class UID. */
    public static List<String[]> corpus() throws IOException {
        Path dir = testdata();
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("MANIFEST.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            if (f[0].startsWith("corrupt/")) {
                continue;
            }
            rows.add(new String[] {dir.resolve(f[0]).toString(), f[5].split(" ")[0], f[5], f[4].split(" ")[0]});
        }
        return rows;
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
            return new Result(p.exitValue(), Files.readString(log));
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
