package dev.steadfast.server.cli.storage;

import dev.steadfast.server.config.ConfigLoader;
import dev.steadfast.server.config.ServeConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * Which archive a maintenance command works on: read exactly as {@code serve} reads it (defaults,
 * the {@code --config} YAML file, {@code STEADFAST_*} environment variables, then these flags, through
 * {@link ConfigLoader}), so {@code verify} and {@code reindex} check the archive {@code serve} runs.
 * The options these commands had before are kept, hidden, as deprecated overrides.
 */
public final class ArchiveOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (as for serve).")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Base folder for storage and the SQLite index (default ./steadfast-data).")
    String data;

    @Option(names = "--db", paramLabel = "JDBC-URL", description = "Index database (default SQLite in the data folder).")
    String db;

    @Option(names = "--index", paramLabel = "JDBC-URL", hidden = true, description = "Deprecated: --db.")
    String index;

    @Option(names = "--storage", paramLabel = "DIR", hidden = true,
            description = "Deprecated: a filesystem target (repeatable); use storage.targets in the configuration.")
    List<Path> directories = new ArrayList<>();

    @Option(names = "--s3", paramLabel = "URL", hidden = true,
            description = "Deprecated: an S3 target (repeatable); use storage.targets in the configuration.")
    List<URI> s3 = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "POLICY", hidden = true, description = "Deprecated: storage.write-policy.")
    String policy;

    @Option(names = "--db-user", paramLabel = "USER", hidden = true, description = "Deprecated: index.user.")
    String dbUser;

    @Option(names = "--db-password-env", paramLabel = "VAR", hidden = true,
            description = "Deprecated: the variable holding index.password (STEADFAST_INDEX_PASSWORD is read anyway).")
    String dbPasswordEnv;

    /**
     * The configuration {@code serve} would run with, given the same file, environment and flags.
     * Deprecated options are translated, with a warning on {@code err}.
     *
     * @throws dev.steadfast.server.config.ConfigException when it is invalid (as serve would refuse it)
     */
    public ServeConfig load(String command, Map<String, String> env, PrintWriter err) {
        return load(command, env, err, Map.of());
    }

    /** As above, with the command's own options ({@code sites.peer.url} for reconcile) over the rest. */
    public ServeConfig load(String command, Map<String, String> env, PrintWriter err, Map<String, String> own) {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, "data", data);
        if (index != null) {
            deprecated(err, command, "--index", "--db");
            put(flags, "index.url", index);
        }
        put(flags, "index.url", db);
        if (!directories.isEmpty() || !s3.isEmpty()) {
            deprecated(err, command, directories.isEmpty() ? "--s3" : "--storage", "storage.targets in --config or STEADFAST_STORAGE_TARGETS");
            flags.put("storage.targets", String.join(",", Stream.concat(directories.stream().map(d -> "fs:" + d),
                    s3.stream().map(URI::toString)).toList()));
        }
        if (policy != null) {
            deprecated(err, command, "--policy", "storage.write-policy in --config or STEADFAST_STORAGE_WRITE_POLICY");
            flags.put("storage.write-policy", policy);
        }
        if (dbUser != null) {
            deprecated(err, command, "--db-user", "index.user in --config or STEADFAST_INDEX_USER");
            flags.put("index.user", dbUser);
        }
        if (dbPasswordEnv != null) {
            deprecated(err, command, "--db-password-env", "STEADFAST_INDEX_PASSWORD");
            put(flags, "index.password", env.get(dbPasswordEnv));
        }
        flags.putAll(own);
        return ConfigLoader.load(configFile, env, flags, List.of());
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }

    private static void deprecated(PrintWriter err, String command, String option, String instead) {
        err.println("steadfast " + command + ": " + option + " is deprecated; use " + instead + " (as serve reads it)");
    }
}
