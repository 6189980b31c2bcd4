package dev.steadfast.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server (s3proxy, filesystem provider) in its own process on a free loopback port,
 * for the archive's and the server's tests. The build copies the jar to target/s3proxy (the
 * parent pom's s3proxy execution) and names it in {@code steadfast.s3proxy.jar}. {@link #kill()}
 * is kill -9 of that one process; {@link #start()} again brings it back on the same port with
 * the same data.
 */
public final class S3Proxy implements AutoCloseable {
    public static final String IDENTITY = "local-identity";
    public static final String CREDENTIAL = "local-credential";

    private final Path dir;
    private final int port;
    private Process process;

    public S3Proxy(Path dir) throws IOException {
        this(dir, null);
    }

    /**
     * @param virtualHost when set, {@code bucket.<virtualHost>} is virtual-host addressing and
     *                    {@code <virtualHost>} path style (every other Host is taken as a bucket name)
     */
    public S3Proxy(Path dir, String virtualHost) throws IOException {
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("s3proxy.properties"), String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                virtualHost == null ? "" : "s3proxy.virtual-host=" + virtualHost,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + dir.resolve("data"),
                "jclouds.identity=x",
                "jclouds.credential=y", ""));
    }

    public static S3Proxy started(Path dir) throws IOException {
        S3Proxy p = new S3Proxy(dir);
        p.start();
        return p;
    }

    public synchronized void start() throws IOException {
        String jar = System.getProperty("steadfast.s3proxy.jar", "target/s3proxy/s3proxy.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("s3proxy jar not found at " + jar + " (built by maven-dependency-plugin)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar,
                "--properties", dir.resolve("s3proxy.properties").toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s3proxy.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("s3proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                sleep(100);
            }
        }
        kill();
        throw new IOException("s3proxy did not start within 30 s");
    }

    /** kill -9 of the s3proxy process (ours, by its handle). */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public URI endpoint() { return URI.create("http://127.0.0.1:" + port); }

    public int port() { return port; }

    /**
     * Creates a bucket and returns its name. The filesystem provider keeps a bucket as a folder
     * under its base directory, so this works whether or not the server is running, and needs no
     * S3 client here (the module depends on no Steadfast code and no SDK).
     */
    public String createBucket(String name) throws IOException {
        Files.createDirectories(dir.resolve("data").resolve(name));
        return name;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
