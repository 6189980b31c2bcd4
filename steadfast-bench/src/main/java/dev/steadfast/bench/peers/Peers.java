package dev.steadfast.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts the servers the benchmarks compare, each in its own process on loopback with a fresh
 * empty data directory (and database), in its default configuration except where noted:
 * <ul>
 *   <li>{@code storescp}: dcmtk's {@code storescp --fork -od DIR} (writes each instance to a file, no
 *       fsync, no index: the bare limit), {@code TCP_NODELAY=1};</li>
 *   <li>{@code durable}: {@link DurableScp} (write, fsync, rename, fsync the folder; no index): the
 *       durable limit of this disk, in a JVM with default flags;</li>
 *   <li>{@code orthanc}, {@code orthanc-pg}: Debian's Orthanc with its default SQLite index, or with
 *       the orthanc-postgresql index plugin; {@code TCP_NODELAY=1}; deviations from the defaults:
 *       ports and directories, {@code DicomAlwaysAllowFind} true (so the C-FIND benchmark's AE
 *       needs no registration), with a {@linkplain #moveDestination move destination} that
 *       destination and {@code DicomAlwaysAllowMove}/{@code Get} true, and the DICOMweb plugin only
 *       when QIDO-RS is measured;</li>
 *   <li>{@code steadfast}, {@code steadfast-pg}: {@link BenchNode} (SQLite, or PostgreSQL) in a
 *       JVM with default flags;</li>
 *   <li>{@code serve}, {@code serve-pg}: the real {@code steadfast serve} (issue 4) with its defaults,
 *       {@code --data DIR}, free ports, and {@code --db} for PostgreSQL;</li>
 *   <li>{@code serve-before}: the same from another build ({@code -Dbench.serve.before.jar=PATH}), to
 *       measure a change before and after in one run.</li>
 * </ul>
 */
public final class Peers {
    public static final List<String> ALL = List.of("storescp", "durable", "orthanc", "orthanc-pg", "steadfast", "steadfast-pg", "serve",
            "serve-pg", "serve-before");

    private final Path work;
    private final PgCluster pg;
    private final String javaCmd;
    private final String classpath;
    private String moveAe;
    private int movePort;
    /** Associations serve may use to the move destination: {@code -Dbench.serve.LABEL.move-associations=N}. */
    private int moveAssociations = 1;

    /**
     * @param work a directory for the peers' data (emptied per peer)
     * @param pg   the PostgreSQL cluster for the -pg peers, may be null
     */
    public Peers(Path work, PgCluster pg) {
        this.work = work;
        this.pg = pg;
        this.javaCmd = ProcessHandle.current().info().command().orElse("java");
        this.classpath = System.getProperty("java.class.path");
    }

    public PgCluster pg() { return pg; }

    /**
     * A C-MOVE destination (on 127.0.0.1) that peers started from now on know: Orthanc's
     * {@code DicomModalities}, serve's {@code --remote-ae}.
     */
    public void moveDestination(String aeTitle, int port) {
        this.moveAe = aeTitle;
        this.movePort = port;
    }

    /** Whether {@link #start} moves a previous folder aside ({@link #retire}) instead of deleting it. */
    private boolean deleteAtEnd;

    /**
     * From now on {@link #start} moves a peer's previous folder aside instead of deleting it; the caller
     * calls {@link #emptyTrash} when it has measured everything (IngestBench, issue 19).
     */
    public Peers deleteAtEnd() {
        this.deleteAtEnd = true;
        return this;
    }

    public Peer start(String kind, boolean dicomWeb) throws IOException, InterruptedException {
        Path dir = work.resolve(kind);
        if (deleteAtEnd) {
            retire(dir);
        } else {
            deleteTree(dir);
        }
        Files.createDirectories(dir);
        return switch (kind) {
            case "storescp" -> storescp(dir);
            case "durable" -> durable(dir);
            case "orthanc" -> orthanc(dir, false, dicomWeb);
            case "orthanc-pg" -> orthanc(dir, true, dicomWeb);
            case "steadfast" -> steadfast(dir, false);
            case "steadfast-pg" -> steadfast(dir, true);
            case "serve" -> serve(dir, false);
            case "serve-pg" -> serve(dir, true);
            case "serve-before" -> serveOn(dir, null, null, beforeJar(), "serve-before", java.util.Map.of());
            default -> kind.startsWith("serve:") ? serveVariant(dir, kind) : unknown(kind);
        };
    }

    /**
     * {@code serve:LABEL}: serve from the jar {@code -Dbench.serve.LABEL.jar} (default: as for
     * {@code serve}) with the environment {@code -Dbench.serve.LABEL.env=K=V,K=V}, JVM options
     * {@code -Dbench.serve.LABEL.jvm=...} and C-MOVE sub-operations over
     * {@code -Dbench.serve.LABEL.move-associations=N} associations to the destination, e.g. the code
     * before a change against the code after it, or one option against another, in one run.
     */
    private Peer serveVariant(Path dir, String kind) throws IOException, InterruptedException {
        String label = kind.substring("serve:".length());
        String jar = System.getProperty("bench.serve." + label + ".jar");
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String kv : System.getProperty("bench.serve." + label + ".env", "").split(",")) {
            if (kv.contains("=")) {
                env.put(kv.substring(0, kv.indexOf('=')).strip(), kv.substring(kv.indexOf('=') + 1).strip());
            }
        }
        String jvm = System.getProperty("bench.serve." + label + ".jvm"); // e.g. -XX:AOTCache=FILE (issue 19)
        String common = System.getProperty("bench.steadfast.jvm", "");
        if (jvm != null) {
            System.setProperty("bench.steadfast.jvm", (common + " " + jvm).strip());
        }
        // C-MOVE sub-operations over N associations to the move destination (issue 19)
        moveAssociations = Integer.getInteger("bench.serve." + label + ".move-associations", 1);
        try {
            Peer p = serveOn(dir, null, null, jar == null ? serveJar() : Path.of(jar), kind, env);
            return new Peer(kind, p);
        } finally {
            System.setProperty("bench.steadfast.jvm", common);
            moveAssociations = 1;
        }
    }

    private static Peer unknown(String kind) {
        throw new IllegalArgumentException("unknown peer " + kind + "; known: " + ALL + " and serve:LABEL");
    }

    private Peer storescp(Path dir) throws IOException, InterruptedException {
        int port = freePort();
        Path out = dir.resolve("storage");
        Files.createDirectories(out);
        ProcessBuilder pb = new ProcessBuilder("storescp", "--fork", "-aet", "STORESCP", "-od", out.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        waitForPort(port, p);
        return new Peer("storescp", p, port, "STORESCP", -1, null, out, null);
    }

    private Peer durable(Path dir) throws IOException {
        Path out = dir.resolve("storage");
        Process p = new ProcessBuilder(javaCmd, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                DurableScp.class.getName(), "--data", out.toString())
                .redirectError(dir.resolve("log.txt").toFile()).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("READY")) {
            p.destroy();
            throw new IOException("durable SCP did not start: " + line + "; see " + dir.resolve("log.txt"));
        }
        return new Peer("durable", p, Integer.parseInt(line.replaceAll(".*dicom=", "")), "DURABLE", -1, null, out, null);
    }

    /**
     * Jetty's {@link org.eclipse.jetty.server.handler.ResourceHandler} serving {@code root} on
     * 127.0.0.1 in its own process (the WADO-RS baseline of issue 19, {@link StaticFiles}); its
     * {@link Peer#qidoBase()} is the URL of {@code root}.
     */
    public Peer staticFiles(Path root) throws IOException {
        Path dir = work.resolve("static");
        deleteTree(dir);
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(javaCmd, "-cp", classpath, StaticFiles.class.getName(), "--dir", root.toString())
                .redirectError(dir.resolve("log.txt").toFile()).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("READY")) {
            p.destroy();
            throw new IOException("static file server did not start: " + line + "; see " + dir.resolve("log.txt"));
        }
        int http = Integer.parseInt(line.replaceAll(".*http=", ""));
        return new Peer("static", p, -1, null, http, "http://127.0.0.1:" + http, root, null);
    }

    private Peer orthanc(Path dir, boolean postgres, boolean dicomWeb) throws IOException, InterruptedException {
        int port = freePort();
        int http = freePort();
        String db = "orthanc_" + ProcessHandle.current().pid();
        List<String> plugins = new ArrayList<>();
        String pgSection = "";
        if (postgres) {
            requirePg();
            pg.createDatabase(db);
            plugins.add("/usr/share/orthanc/plugins/libOrthancPostgreSQLIndex.so");
            pgSection = """
                    , "PostgreSQL": { "EnableIndex": true, "EnableStorage": false, "Host": "127.0.0.1", "Port": %d,
                       "Database": "%s", "Username": "postgres", "Password": "", "Lock": false }
                    """.formatted(pg.port(), db);
        }
        if (dicomWeb) {
            plugins.add("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
        }
        String config = """
                { "Name": "bench", "StorageDirectory": "%s", "IndexDirectory": "%s",
                  "DicomAet": "ORTHANC", "DicomPort": %d, "HttpPort": %d,
                  "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "DicomAlwaysAllowFind": true,
                  "Plugins": [%s],
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" } %s %s }
                """.formatted(dir.resolve("storage"), dir.resolve("index"), port, http,
                String.join(",", plugins.stream().map(s -> "\"" + s + "\"").toList()), pgSection,
                moveAe == null ? "" : (", \"DicomModalities\": { \"dest\": [\"%s\", \"127.0.0.1\", %d] },"
                        + " \"DicomAlwaysAllowMove\": true, \"DicomAlwaysAllowGet\": true").formatted(moveAe, movePort));
        Path cfg = dir.resolve("orthanc.json");
        Files.writeString(cfg, config);
        ProcessBuilder pb = new ProcessBuilder("Orthanc", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        waitForHttp("http://127.0.0.1:" + http + "/system", p);
        waitForPort(port, p);
        return new Peer(postgres ? "orthanc-pg" : "orthanc", p, port, "ORTHANC", http,
                "http://127.0.0.1:" + http + "/dicom-web", dir.resolve("storage"),
                postgres ? () -> pg.dropDatabase(db) : null);
    }

    private Peer steadfast(Path dir, boolean postgres) throws IOException, InterruptedException {
        String db = "steadfast_" + ProcessHandle.current().pid();
        if (postgres) {
            requirePg();
            pg.createDatabase(db);
        }
        return steadfastOn(dir, postgres ? pg.jdbcUrl(db) : null, postgres ? () -> pg.dropDatabase(db) : null);
    }

    /**
     * A Steadfast node on an existing data directory and index (e.g. one the seeder filled); the
     * index is {@code dir/index.db} when {@code jdbc} is null. Nothing is deleted.
     */
    public Peer steadfastOn(Path dir, String jdbc, Runnable onClose) throws IOException, InterruptedException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(javaCmd, "--enable-native-access=ALL-UNNAMED"));
        // e.g. -Dbench.steadfast.jvm="-XX:StartFlightRecording=filename=/tmp/x.jfr" to profile the node
        for (String opt : System.getProperty("bench.steadfast.jvm", "").split(" ")) {
            if (!opt.isBlank()) {
                cmd.add(opt);
            }
        }
        cmd.addAll(List.of("-cp", classpath, BenchNode.class.getName(), "--data", dir.toString(), "--port", String.valueOf(port)));
        boolean postgres = jdbc != null && jdbc.startsWith("jdbc:postgresql:");
        if (jdbc != null) {
            cmd.addAll(List.of("--index", jdbc, "--user", "postgres"));
        }
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("log.txt").toFile()).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("READY")) {
            p.destroy();
            throw new IOException("steadfast did not start: " + line + "; see " + dir.resolve("log.txt"));
        }
        int http = Integer.parseInt(line.replaceAll(".*http=", ""));
        return new Peer(postgres ? "steadfast-pg" : "steadfast", p, port, "STEADFAST", http,
                "http://127.0.0.1:" + http + "/dicom-web", dir.resolve("storage"), onClose);
    }

    private Peer serve(Path dir, boolean postgres) throws IOException, InterruptedException {
        String db = "serve_" + ProcessHandle.current().pid();
        if (postgres) {
            requirePg();
            pg.createDatabase(db);
        }
        return serveOn(dir, postgres ? pg.jdbcUrl(db) : null, postgres ? () -> pg.dropDatabase(db) : null);
    }

    /**
     * {@code steadfast serve} on an existing data directory and index ({@code dir/index.db} when
     * {@code jdbc} is null, serve's default). Nothing is deleted.
     */
    public Peer serveOn(Path dir, String jdbc, Runnable onClose) throws IOException, InterruptedException {
        return serveOn(dir, jdbc, onClose, serveJar(), jdbc != null && jdbc.startsWith("jdbc:postgresql:") ? "serve-pg" : "serve",
                java.util.Map.of());
    }

    private Peer serveOn(Path dir, String jdbc, Runnable onClose, Path jar, String name, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        int port = freePort();
        int http = freePort();
        List<String> cmd = new ArrayList<>(List.of(javaCmd, "--enable-native-access=ALL-UNNAMED"));
        for (String opt : System.getProperty("bench.steadfast.jvm", "").split(" ")) {
            if (!opt.isBlank()) {
                cmd.add(opt);
            }
        }
        cmd.addAll(List.of("-jar", jar.toString(), "serve", "--data", dir.toString(),
                "--dicom-port", String.valueOf(port), "--http-port", String.valueOf(http)));
        if (moveAe != null && moveAssociations > 1) { // only the YAML form says how many associations
            Files.createDirectories(dir);
            Path yaml = Files.writeString(dir.resolve("move-destination.yaml"), "remote-aes:\n  dest: {ae-title: " + moveAe
                    + ", host: 127.0.0.1, port: " + movePort + ", associations: " + moveAssociations + "}\n");
            cmd.addAll(List.of("--config", yaml.toString()));
        } else if (moveAe != null) {
            cmd.addAll(List.of("--remote-ae", "dest=" + moveAe + "@127.0.0.1:" + movePort));
        }
        if (jdbc != null) {
            cmd.addAll(List.of("--db", jdbc));
        }
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile());
        pb.environment().put("STEADFAST_INDEX_USER", "postgres");
        // Every load driver calls from 127.0.0.1: lift the per-address limit (16 of 64 by default).
        pb.environment().put("STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST", "64");
        pb.environment().putAll(env);
        Process p = pb.start();
        waitForPort(port, p);
        waitForPort(http, p);
        return new Peer(name, p, port, "STEADFAST", http,
                "http://127.0.0.1:" + http + "/dicom-web", dir.resolve("storage"), onClose);
    }

    /**
     * The executable server jar ({@code steadfast-server/target/steadfast.jar}, built by
     * {@code ./mvnw -pl steadfast-server -am package}): {@code -Dbench.serve.jar=PATH}, else found beside
     * the benchmarks jar's module or above the working directory. The benchmarks do not link the
     * server module (nothing may depend on it); they run it as a user would.
     */
    static Path serveJar() throws IOException {
        String configured = System.getProperty("bench.serve.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        List<Path> starts = new ArrayList<>();
        try {
            starts.add(Path.of(Peers.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // not from a file
        }
        starts.add(Path.of("").toAbsolutePath());
        for (Path p : starts) {
            for (Path d = p; d != null; d = d.getParent()) {
                Path jar = d.resolve("steadfast-server/target/steadfast.jar");
                if (Files.isRegularFile(jar)) {
                    return jar;
                }
            }
        }
        throw new IOException("steadfast.jar not found: build it (./mvnw -pl steadfast-server -am package -DskipTests)"
                + " or pass -Dbench.serve.jar=PATH");
    }

    private static Path beforeJar() throws IOException {
        String configured = System.getProperty("bench.serve.before.jar");
        if (configured == null || !Files.isRegularFile(Path.of(configured))) {
            throw new IOException("serve-before needs -Dbench.serve.before.jar=PATH (a steadfast.jar of the build to compare)");
        }
        return Path.of(configured);
    }

    private void requirePg() {
        if (pg == null) {
            throw new IllegalStateException("a PostgreSQL peer needs --pg-dir (the cluster)");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void waitForPort(int port, Process p) throws IOException, InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (!p.isAlive()) {
                throw new IOException("peer exited with " + p.exitValue() + " before listening on " + port);
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("nothing listens on " + port);
    }

    static void waitForHttp(String url, Process p) throws IOException, InterruptedException {
        HttpClient c = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            if (!p.isAlive()) {
                throw new IOException("peer exited with " + p.exitValue() + " before answering " + url);
            }
            try {
                if (c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(50);
        }
        throw new IOException(url + " did not answer");
    }

    /**
     * Moves a previous run's folder aside instead of deleting it: on this ext4 without a journal, creating a
     * file may scan past every inode freed near it in the last minutes (the kernel's {@code recently_deleted}
     * check; issue 19, round four: 15 % of serve's CPU samples in one profile), so deleting the last round's
     * files right before a peer starts risks charging that peer for them. {@link #emptyTrash} deletes them
     * at the end.
     */
    private void retire(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Path trash = work.resolve(".trash");
        Files.createDirectories(trash);
        Files.move(dir, trash.resolve(dir.getFileName() + "-" + System.nanoTime()));
    }

    /** Deletes the folders {@link #start} moved aside (call when nothing is measured any more). */
    public void emptyTrash() throws IOException {
        deleteTree(work.resolve(".trash"));
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
