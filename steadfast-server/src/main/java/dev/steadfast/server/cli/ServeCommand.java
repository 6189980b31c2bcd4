package dev.steadfast.server.cli;

import dev.steadfast.server.config.ConfigException;
import dev.steadfast.server.config.ConfigLoader;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.node.ArchiveNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steadfast serve}: runs the archive node until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the archive: receives, keeps, finds and delivers images over DICOM and DICOMweb.",
                "With no options: data under ./steadfast-data (SQLite index + files), DICOM on port 11112 as AE STEADFAST, DICOMweb on 127.0.0.1:8080.",
                "Options come from (weakest first) defaults, the --config YAML file, STEADFAST_* environment variables, flags.",
                "Every option is described in docs/DEPLOYMENT.md."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Base folder for storage and the SQLite index (default ./steadfast-data).")
    String data;

    @Option(names = "--dicom-port", paramLabel = "PORT", description = "DICOM port (default 11112).")
    String dicomPort;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port for DICOMweb (default 8080).")
    String httpPort;

    @Option(names = "--http-bind", paramLabel = "ADDRESS", description = "HTTP listen address (default 127.0.0.1; beyond loopback needs http.auth.* configured, see docs/SECURITY.md).")
    String httpBind;

    @Option(names = "--ae-title", paramLabel = "AE", description = "Our AE title (default STEADFAST).")
    String aeTitle;

    @Option(names = "--db", paramLabel = "JDBC-URL", description = "Index database, e.g. jdbc:postgresql://host:5432/steadfast (default SQLite in the data folder).")
    String db;

    @Option(names = "--remote-ae", paramLabel = "NAME=AETITLE@HOST:PORT",
            description = "A peer (C-MOVE destination, storage commitment requestor); repeatable.")
    List<String> remoteAes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ServeConfig config;
        try {
            config = ConfigLoader.load(configFile, System.getenv(), flags(), remoteAes);
        } catch (ConfigException e) {
            err.println("steadfast serve: bad configuration: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<ArchiveNode> running = new AtomicReference<>();
        // Registered before anything listens, so a SIGTERM at any moment still drains and closes the index.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (running) {
                ArchiveNode n = running.getAndSet(null);
                if (n != null) {
                    n.close();
                }
            }
            stopped.countDown();
        }, "steadfast-shutdown"));
        ArchiveNode node;
        try {
            synchronized (running) {
                node = ArchiveNode.start(config);
                running.set(node);
            }
        } catch (Exception e) {
            err.println("steadfast serve: cannot start: " + StartFailures.describe(e, config));
            return 1;
        }
        err.println("steadfast serve: DICOM AE " + config.dicom().aeTitle() + " listening on port " + node.dicomPort()
                + (node.httpPort() > 0 ? "; DICOMweb at http://" + config.http().bind() + ":" + node.httpPort() + "/dicom-web" : "")
                + "; data in " + config.data().toAbsolutePath());
        err.flush();
        stopped.await();
        return 0;
    }

    private Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, "data", data);
        put(f, "dicom.port", dicomPort);
        put(f, "http.port", httpPort);
        put(f, "http.bind", httpBind);
        put(f, "dicom.ae-title", aeTitle);
        put(f, "index.url", db);
        return f;
    }

    private static void put(Map<String, String> f, String key, String value) {
        if (value != null) {
            f.put(key, value);
        }
    }
}
