package dev.steadfast.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's PostgreSQL 15, run as the postgres user in a data directory of its own with its
 * default configuration (fsync and synchronous_commit on), on 127.0.0.1 (DEPENDENCIES.md section 1).
 * Shared by every PostgreSQL peer of a run; each peer gets a fresh database.
 */
public final class PgCluster implements AutoCloseable {
    private static final String BIN = "/usr/lib/postgresql/15/bin/";
    private final Path dir;
    private final int port;

    private PgCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** initdb (when the directory has no cluster yet) and start. Extra settings as {@code name=value}. */
    public static PgCluster start(Path dir, int port, String... settings) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run("chown", "postgres:postgres", dir.toString());
        if (!Files.exists(dir.resolve("PG_VERSION"))) {
            run("runuser", "-u", "postgres", "--", BIN + "initdb", "-D", dir.toString(), "-A", "trust", "-U", "postgres");
        }
        StringBuilder o = new StringBuilder("-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1");
        for (String s : settings) {
            o.append(" -c ").append(s);
        }
        run("runuser", "-u", "postgres", "--", BIN + "pg_ctl", "-D", dir.toString(), "-l", dir.resolve("log.txt").toString(),
                "-o", o.toString(), "-w", "start");
        return new PgCluster(dir, port);
    }

    public int port() { return port; }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public void createDatabase(String name) throws IOException, InterruptedException {
        psql("DROP DATABASE IF EXISTS " + name);
        psql("CREATE DATABASE " + name);
    }

    public void dropDatabase(String name) {
        try {
            psql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (IOException | InterruptedException e) {
            System.err.println("drop database " + name + ": " + e);
        }
    }

    public String psql(String sql) throws IOException, InterruptedException {
        return run("runuser", "-u", "postgres", "--", "/usr/bin/psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                "postgres", "-At", "-c", sql);
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("runuser", "-u", "postgres", "--", BIN + "pg_ctl", "-D", dir.toString(), "-m", "fast", "-w", "stop");
    }
}
