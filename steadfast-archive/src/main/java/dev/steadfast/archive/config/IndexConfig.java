package dev.steadfast.archive.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the index lives. The default is one SQLite file; {@code jdbc:postgresql://...} selects
 * PostgreSQL for multi-node and large archives.
 *
 * @param jdbcUrl     {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host:port/db}
 * @param username    database user (ignored by SQLite), may be null
 * @param password    database password (ignored by SQLite), may be null; never logged
 * @param maxPoolSize connections kept by the pool (default 8; SQLite serialises writers anyway)
 * @param maxRetries  how often a transaction that failed transiently (busy, serialization
 *                    failure, deadlock, lost connection) is retried (default 5)
 */
public record IndexConfig(String jdbcUrl, String username, String password, int maxPoolSize, int maxRetries) {

    public IndexConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("index database must be jdbc:sqlite:... or jdbc:postgresql:..., not "
                    + jdbcUrl.replaceAll("//[^@/]*@", "//***@"));
        }
        if (maxPoolSize < 1 || maxRetries < 0) {
            throw new IllegalArgumentException("maxPoolSize must be >= 1 and maxRetries >= 0");
        }
    }

    /** The embedded default: one SQLite file. */
    public static IndexConfig sqlite(Path file) {
        return new IndexConfig("jdbc:sqlite:" + file.toAbsolutePath(), null, null, 8, 5);
    }

    public static IndexConfig postgres(String jdbcUrl, String username, String password) {
        return new IndexConfig(jdbcUrl, username, password, 8, 5);
    }

    public boolean isSqlite() { return jdbcUrl.startsWith("jdbc:sqlite:"); }

    @Override
    public String toString() {
        // A password may sit in the URL's user part or, as pgjdbc allows, in a parameter (?password=, &sslpassword=).
        String url = jdbcUrl.replaceAll("//[^@/]*@", "//***@").replaceAll("(?i)([?&;][^=&;?]*password=)[^&;]*", "$1***");
        return "IndexConfig[" + url + ", user=" + username
                + ", pool=" + maxPoolSize + ", retries=" + maxRetries + "]";
    }
}
