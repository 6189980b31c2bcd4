package dev.steadfast.archive.index;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The cheap check before Flyway at start (issue 19): one query of the schema history against the
 * migration files this build carries. Flyway's own path (scan, validate every checksum, take its lock)
 * cost about half a second of every start on a schema that was already current; when every bundled
 * version is recorded as applied, nothing would change, so it is skipped. Versions the history holds
 * beyond ours are a newer release's expansions (rolling upgrade) and fine, as with Flyway's
 * {@code *:future} pattern. Anything else (no history, a failed row, a missing version, a build whose
 * migrations cannot be listed) answers "not current" and Flyway runs as before.
 */
final class SchemaCheck {
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.+\\.sql");

    private SchemaCheck() {
    }

    /** Whether {@code c}'s schema history records every migration under the classpath folder {@code folder} as applied. */
    static boolean current(Connection c, String folder) {
        Set<String> bundled = bundledVersions(folder);
        if (bundled == null || bundled.isEmpty()) {
            return false;
        }
        Set<String> applied = new HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history")) {
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false; // a failed migration: Flyway reports it
                }
                if (rs.getString(1) != null) {
                    applied.add(normalize(rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            return false; // no history table yet (a new index), or another database: Flyway decides
        }
        return applied.containsAll(bundled);
    }

    /** The versions of the migration files in {@code folder}, read from the jar or folder this class was loaded from; null if unreadable. */
    static Set<String> bundledVersions(String folder) {
        try {
            var source = SchemaCheck.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path origin = Path.of(source.getLocation().toURI());
            Set<String> versions = new HashSet<>();
            if (Files.isDirectory(origin)) {
                Path dir = origin.resolve(folder);
                if (!Files.isDirectory(dir)) {
                    return null;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    files.forEach(f -> add(versions, f.getFileName().toString()));
                }
            } else {
                try (ZipFile jar = new ZipFile(origin.toFile())) {
                    String prefix = folder + "/";
                    jar.stream().map(e -> e.getName())
                            .filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0)
                            .forEach(n -> add(versions, n.substring(prefix.length())));
                }
            }
            return versions;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null; // Flyway's own scan then decides
        }
    }

    private static void add(Set<String> versions, String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        if (m.matches()) {
            versions.add(normalize(m.group(1)));
        }
    }

    /** Flyway's version text: parts separated by '.' or '_', leading zeros insignificant ("1_1" = "1.1", "010" = "10"). */
    static String normalize(String version) {
        StringBuilder b = new StringBuilder();
        for (String part : version.split("[._]")) {
            b.append(b.isEmpty() ? "" : ".").append(new java.math.BigInteger(part));
        }
        return b.toString();
    }
}
