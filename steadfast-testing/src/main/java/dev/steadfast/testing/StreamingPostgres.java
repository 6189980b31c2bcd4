package dev.steadfast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary and a hot standby fed by streaming replication, from Debian's postgresql-15
 * (initdb, pg_basebackup -R, which writes standby.signal and primary_conninfo), each on a free
 * loopback port, run as the {@code postgres} user when we are root (initdb refuses root). For the
 * index fail-over tests and the chaos run: {@link #killPrimary()} is kill -9 of the primary's
 * postmaster and its backends (all started by us), {@link #promote()} is {@code pg_ctl promote}.
 *
 * <p>Replication is synchronous ({@code synchronous_standby_names='*'}, set on the primary once the
 * standby's copy is taken, so the promoted standby does not wait for a standby it does not have): a
 * commit the primary acknowledged is on the standby, so nothing the archive acknowledged is lost
 * by the fail-over (docs/DEPLOYMENT.md, "Index fail-over").
 */
public final class StreamingPostgres implements AutoCloseable {
    public static final String BIN = System.getProperty("steadfast.pg.bin", "/usr/lib/postgresql/15/bin");
    public static final String DATABASE = "steadfast";

    private final Path dir;
    private final boolean root;
    private final Node primary;
    private final Node standby;

    /** One server: its data folder and port. */
    public record Node(Path data, int port) {
    }

    private StreamingPostgres(Path dir, Node primary, Node standby) {
        this.dir = dir;
        this.primary = primary;
        this.standby = standby;
        this.root = "root".equals(System.getProperty("user.name"));
    }

    /** Skips the test without the binaries (fails under CI=true). */
    public static void requireBinaries() {
        Peers.tool(BIN + "/initdb");
        Peers.tool(BIN + "/pg_basebackup");
    }

    /**
     * Initialises and starts a primary (with database {@value #DATABASE}) and a standby streaming
     * from it, in a new folder of their own under the system temporary folder (readable by the
     * postgres user, which test temporary folders are not). {@link #close()} stops both and removes it.
     */
    public static StreamingPostgres start() throws IOException, InterruptedException {
        requireBinaries();
        Path dir = Files.createTempDirectory("steadfast-pg-ha");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        StreamingPostgres pg = new StreamingPostgres(dir, new Node(dir.resolve("primary"), Peers.freePort()),
                new Node(dir.resolve("standby"), Peers.freePort()));
        try {
            pg.chownToPostgres(dir);
            pg.run(List.of(BIN + "/initdb", "-D", pg.primary.data.toString(), "-A", "trust", "-U", "postgres",
                    "--no-sync"), 120);
            pg.startServer(pg.primary);
            pg.run(List.of(BIN + "/psql", "-h", "127.0.0.1", "-p", String.valueOf(pg.primary.port), "-U", "postgres",
                    "-c", "CREATE DATABASE " + DATABASE), 60);
            // -R writes standby.signal and primary_conninfo; -X stream copies the WAL needed meanwhile.
            pg.run(List.of(BIN + "/pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(pg.primary.port),
                    "-U", "postgres", "-D", pg.standby.data.toString(), "-R", "-X", "stream",
                    "--no-sync", "--checkpoint=fast"), 120);
            pg.startServer(pg.standby);
            // Synchronous only now that the standby exists (a commit would wait for it), and set in
            // the primary's own postgresql.auto.conf, which the standby's copy was taken before.
            pg.run(List.of(BIN + "/psql", "-h", "127.0.0.1", "-p", String.valueOf(pg.primary.port), "-U", "postgres",
                    "-c", "ALTER SYSTEM SET synchronous_standby_names = '*'", "-c", "SELECT pg_reload_conf()"), 60);
            pg.awaitStreaming();
            return pg;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    public Node primary() { return primary; }

    public Node standby() { return standby; }

    /**
     * pgjdbc's multi-host URL over both servers: a connection goes to whichever is the primary now
     * ({@code targetServerType=primary}), so a node follows a promotion by itself.
     */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primary.port + ",127.0.0.1:" + standby.port + "/" + DATABASE
                + "?targetServerType=primary&connectTimeout=5";
    }

    /** kill -9 of the primary's postmaster and every backend it started: the server is gone at once. */
    public void killPrimary() throws IOException {
        Optional<ProcessHandle> postmaster = postmaster(primary);
        if (postmaster.isEmpty()) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(postmaster.get().descendants().toList());
        postmaster.get().destroyForcibly(); // first, so it cannot restart a backend we kill
        all.forEach(ProcessHandle::destroyForcibly);
        try {
            postmaster.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("primary postmaster did not die", e);
        }
    }

    /**
     * CPU time used so far by the server at {@code node}: its postmaster and the processes running
     * now (backends that already exited are not counted: measure with a connection pool open).
     */
    public java.time.Duration cpu(Node node) throws IOException {
        Optional<ProcessHandle> postmaster = postmaster(node);
        if (postmaster.isEmpty()) {
            return java.time.Duration.ZERO;
        }
        return java.util.stream.Stream.concat(Stream.of(postmaster.get()), postmaster.get().descendants())
                .map(p -> p.info().totalCpuDuration().orElse(java.time.Duration.ZERO))
                .reduce(java.time.Duration.ZERO, java.time.Duration::plus);
    }

    /** {@code pg_ctl promote}: the standby becomes the primary (waits until it accepts writes). */
    public void promote() throws IOException, InterruptedException {
        run(List.of(BIN + "/pg_ctl", "-D", standby.data.toString(), "-w", "-t", "60", "promote"), 90);
    }

    /** Whether the server at {@code node} answers and is not in recovery (a primary). */
    public boolean isPrimary(Node node) throws IOException, InterruptedException {
        Peers.Result r = Peers.run(asPostgres(List.of(BIN + "/psql", "-h", "127.0.0.1", "-p", String.valueOf(node.port),
                "-U", "postgres", "-d", DATABASE, "-tAc", "SELECT pg_is_in_recovery()")), 30);
        return r.exitCode() == 0 && r.output().strip().equals("f");
    }

    /** Runs one SQL statement on {@code node} with psql and returns its unaligned output. */
    public String sql(Node node, String statement) throws IOException, InterruptedException {
        return run(List.of(BIN + "/psql", "-h", "127.0.0.1", "-p", String.valueOf(node.port), "-U", "postgres",
                "-d", DATABASE, "-tAc", statement), 60).strip();
    }

    private void startServer(Node node) throws IOException, InterruptedException {
        String options = "-p " + node.port + " -k " + node.data + " -c listen_addresses=127.0.0.1"
                + " -c max_connections=200 -c wal_level=replica -c max_wal_senders=5"
                // Benchmarks only (e.g. "-c shared_preload_libraries=pg_stat_statements"): counting statements.
                + " " + System.getProperty("steadfast.pg.options", "");
        run(List.of(BIN + "/pg_ctl", "-D", node.data.toString(), "-l", node.data.resolveSibling(
                node.data.getFileName() + ".log").toString(), "-o", options, "-w", "-t", "60", "start"), 90);
    }

    /** Until the primary sees the standby streaming, synchronously. */
    private void awaitStreaming() throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String state = "";
        while (System.nanoTime() < end) {
            state = run(List.of(BIN + "/psql", "-h", "127.0.0.1", "-p", String.valueOf(primary.port), "-U", "postgres",
                    "-tAc", "SELECT state || ' ' || sync_state FROM pg_stat_replication"), 30).strip();
            if (state.equals("streaming sync")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("standby not streaming synchronously after 60 s (" + state + "); logs in " + dir);
    }

    private Optional<ProcessHandle> postmaster(Node node) throws IOException {
        Path pid = node.data.resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).getFirst().strip()));
    }

    private String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Peers.Result r = Peers.run(asPostgres(command), dir, timeoutSeconds);
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    /** PostgreSQL refuses to run as root: as root, run its tools as the postgres user. */
    private List<String> asPostgres(List<String> command) {
        if (!root) {
            return command;
        }
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(command);
        return c;
    }

    private void chownToPostgres(Path p) throws IOException {
        if (!root) {
            return;
        }
        UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(p, users.lookupPrincipalByName("postgres"));
    }

    /** Stops both servers (immediate: a test's data is thrown away) and removes their folder. */
    @Override
    public void close() {
        for (Node n : new Node[] {standby, primary}) {
            try {
                if (postmaster(n).isPresent()) {
                    Peers.run(asPostgres(List.of(BIN + "/pg_ctl", "-D", n.data.toString(), "-m", "immediate", "-w",
                            "stop")), dir, 60);
                }
            } catch (IOException | RuntimeException e) {
                // stopping anyway; the folder removal below may then fail, which is reported
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
