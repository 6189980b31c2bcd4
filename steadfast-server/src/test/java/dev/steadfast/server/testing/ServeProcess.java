package dev.steadfast.server.testing;

import dev.steadfast.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cluster node: {@code steadfast serve} in its own JVM ({@code dev.steadfast.server.Main}, as
 * the launcher runs it), configured through its environment as an administrator would. It binds
 * port 0 the first time and says which ports it got; {@link #restart()} after {@link #kill()}
 * (kill -9 of this one process) comes back on the same ports, as a restarted machine would.
 */
public final class ServeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+); DICOMweb at http://[^:]+:(\\d+)/");

    private final String name;
    private final Path dir;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private final String classPath;
    private volatile Process process;
    private volatile boolean listening;
    private volatile int dicomPort;
    private volatile int httpPort;
    private int starts;

    private ServeProcess(String name, Path dir, Map<String, String> env, List<String> jvmOptions, String classPath) {
        this.name = name;
        this.dir = dir;
        this.env = env;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.classPath = classPath == null ? System.getProperty("java.class.path") : classPath;
    }

    /**
     * Starts a node with its data in {@code dir/data} and {@code env} (STEADFAST_* variables) added
     * to loopback-only defaults; waits until it listens.
     */
    public static ServeProcess start(String name, Path dir, Map<String, String> env) throws IOException, InterruptedException {
        return start(name, dir, env, List.of(), null);
    }

    /**
     * As {@link #start(String, Path, Map)}, with {@code jvmOptions} added to the JVM's command line
     * (benchmarks: a profiler, GC or compiler settings), run from {@code classPath} (another build,
     * for a before/after comparison; null: this JVM's).
     */
    public static ServeProcess start(String name, Path dir, Map<String, String> env, List<String> jvmOptions,
            String classPath) throws IOException, InterruptedException {
        ServeProcess p = new ServeProcess(name, dir, env, jvmOptions, classPath);
        p.launch();
        return p;
    }

    private void launch() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.resolve("serve-" + (++starts) + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions); // after the defaults: a later -XX option wins
        cmd.addAll(List.of("-cp", classPath, "dev.steadfast.server.Main", "serve"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("STEADFAST_DATA", dir.resolve("data").toString());
        pb.environment().put("STEADFAST_DICOM_BIND", "127.0.0.1");
        pb.environment().put("STEADFAST_DICOM_PORT", String.valueOf(dicomPort));
        pb.environment().put("STEADFAST_HTTP_PORT", String.valueOf(httpPort));
        pb.environment().put("STEADFAST_SHUTDOWN_GRACE_SECONDS", "2");
        // The render warm-up (issue 19) costs a few CPU seconds per start, nothing these nodes are checked for;
        // Issue19RenderWarmUpTest turns it on.
        pb.environment().put("STEADFAST_IMAGING_WARM_UP", "false");
        pb.environment().putAll(env);
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                dicomPort = Integer.parseInt(m.group(1));
                httpPort = Integer.parseInt(m.group(2));
                listening = true;
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " did not say it listens within 90 s:\n" + Files.readString(log));
    }

    public String name() { return name; }

    public int dicomPort() { return dicomPort; }

    public int httpPort() { return httpPort; }

    /** The node's JVM process id (for jcmd, perf). */
    public long pid() { return process.pid(); }

    /** CPU time this node's JVM has used since it (last) started. */
    public java.time.Duration cpu() {
        return process.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    /** Started, listening, not killed since. */
    public boolean alive() { return listening && process != null && process.isAlive(); }

    /** kill -9 of this node's JVM. */
    public void kill() throws InterruptedException {
        listening = false;
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts it again on the same data and ports. */
    public void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    @Override
    public void close() {
        Peers.stop(process);
    }
}
