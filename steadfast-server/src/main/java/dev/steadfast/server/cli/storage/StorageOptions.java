package dev.steadfast.server.cli.storage;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.replica.ReplicaOptions;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.archive.storage.replica.WritePolicy;
import dev.steadfast.archive.storage.s3.S3Config;
import dev.steadfast.archive.storage.s3.S3Storage;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where the archive's storage targets and index are, for the maintenance commands (verify, reindex). */
public final class StorageOptions {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "steadfast-data",
            description = "Data directory (default: ${DEFAULT-VALUE}); storage in DIR/storage, index in DIR/index.db")
    Path data;

    @Option(names = "--storage", paramLabel = "DIR",
            description = "A filesystem storage target (repeatable; default: DATA/storage)")
    List<Path> directories = new ArrayList<>();

    @Option(names = "--s3", paramLabel = "URL", description = "An S3 storage target (repeatable): "
            + "s3://BUCKET[/PREFIX][?endpoint=http://host:port&path-style=true&region=R]; credentials from the AWS"
            + " environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, profile, role)")
    List<URI> s3 = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "all",
            description = "Write policy: all, or 'N of M' (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--index", paramLabel = "JDBC", description = "Index database (default: jdbc:sqlite:DATA/index.db)")
    String index;

    @Option(names = "--db-user", paramLabel = "USER", description = "Index database user (PostgreSQL)")
    String dbUser;

    @Option(names = "--db-password-env", paramLabel = "VAR", defaultValue = "STEADFAST_INDEX_PASSWORD",
            description = "Environment variable holding the index database password (default: ${DEFAULT-VALUE})")
    String dbPasswordEnv;

    public IndexConfig indexConfig() throws java.io.IOException {
        if (index == null) {
            java.nio.file.Files.createDirectories(data); // a fresh machine: the index is made here
            return IndexConfig.sqlite(data.resolve("index.db"));
        }
        return new IndexConfig(index, dbUser, System.getenv(dbPasswordEnv), 4, 5);
    }

    public ReplicatedStorage storage() {
        List<Target> targets = new ArrayList<>();
        List<Path> dirs = directories.isEmpty() && s3.isEmpty() ? List.of(data.resolve("storage")) : directories;
        for (Path d : dirs) {
            targets.add(Target.of("fs:" + d, new FileSystemStorage(d)));
        }
        for (URI u : s3) {
            S3Config c = s3Config(u);
            targets.add(Target.of("s3:" + c.bucket() + "/" + c.prefix(), new S3Storage(c)));
        }
        return new ReplicatedStorage(targets, WritePolicy.parse(policy, targets.size()), ReplicaOptions.DEFAULT);
    }

    static S3Config s3Config(URI u) {
        if (!"s3".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("--s3 must look like s3://bucket/prefix?endpoint=..., not " + u);
        }
        Map<String, String> q = new LinkedHashMap<>();
        if (u.getRawQuery() != null) {
            for (String kv : u.getRawQuery().split("&")) {
                int eq = kv.indexOf('=');
                q.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "true" : java.net.URLDecoder.decode(
                        kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        String prefix = u.getPath() == null || u.getPath().length() <= 1 ? "" : u.getPath().substring(1);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        URI endpoint = q.containsKey("endpoint") ? URI.create(q.get("endpoint")) : null;
        return new S3Config(endpoint, q.get("region"), u.getHost(), prefix,
                Boolean.parseBoolean(q.getOrDefault("path-style", endpoint != null ? "true" : "false")), null, null,
                S3Config.DEFAULT_PART_SIZE, null, false, 0);
    }
}
