package dev.steadfast.server.testing;

import dev.steadfast.server.config.ConfigLoader;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.SharedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Archive nodes for tests: a data folder, a free DICOM port on loopback, SQLite or a fresh PostgreSQL database. */
public final class TestNodes {
    private TestNodes() {
    }

    public enum Db { SQLITE, POSTGRESQL }

    /** The index URL for a node: SQLite in {@code data}, or a new embedded PostgreSQL database. */
    public static String indexUrl(Db db, Path data) {
        return db == Db.SQLITE ? "jdbc:sqlite:" + data.resolve("index.db").toAbsolutePath() : SharedPostgres.freshDatabase();
    }

    public static ServeConfig config(Path data, String indexUrl, Map<String, String> extra, List<String> remoteAes) {
        return config(null, data, indexUrl, extra, remoteAes);
    }

    /** As above, with a YAML file for what flags cannot say (forwarding rules, storage target lists); null: none. */
    public static ServeConfig config(Path yaml, Path data, String indexUrl, Map<String, String> extra, List<String> remoteAes) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("data", data.toString());
        flags.put("dicom.port", "0");
        flags.put("dicom.bind", "127.0.0.1");
        flags.put("http.port", "0");
        flags.put("index.url", indexUrl);
        if (indexUrl.startsWith("jdbc:postgresql:")) {
            flags.put("index.user", "postgres");
        }
        flags.put("shutdown.grace-seconds", "5");
        flags.put("imaging.warm-up", "false"); // a few CPU seconds per start (issue 19); Issue19RenderWarmUpTest turns it on
        flags.putAll(extra);
        return ConfigLoader.load(yaml, Map.of(), flags, remoteAes);
    }

    public static ArchiveNode start(Path data, String indexUrl, Map<String, String> extra, List<String> remoteAes) throws IOException {
        return ArchiveNode.start(config(data, indexUrl, extra, remoteAes));
    }
}
