package dev.steadfast.archive.index;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * sqlite-jdbc's native library, kept in the index's folder (issue 19). By default the driver extracts
 * it from its jar into the temporary folder on every start, compares the copy byte by byte and forks
 * {@code uname} to tell Android from Linux: about a tenth of a second of each start. Here it is
 * extracted once, named by the jar entry's CRC and size (a new driver version gets a new file), and the
 * driver is pointed at it through its documented {@code org.sqlite.lib.path}/{@code .name} properties.
 * Anything unusual (another platform, an operator's own setting, a folder we cannot write, a copy the
 * loader rejects) leaves the driver to its own lookup, which then runs exactly as before.
 */
final class SqliteNativeLibrary {
    private static final String RESOURCE = "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so";

    private SqliteNativeLibrary() {
    }

    /** Points sqlite-jdbc at a copy of its library in {@code folder}, extracting it there first if needed. */
    static synchronized void useCopyIn(Path folder) {
        if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null) {
            return;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return;
        }
        try {
            ClassLoader loader = SqliteNativeLibrary.class.getClassLoader();
            URL url = loader == null ? null : loader.getResource(RESOURCE);
            if (url == null || !(url.openConnection() instanceof JarURLConnection jar)) {
                return;
            }
            jar.setUseCaches(true); // the JVM's own open jar: reading the entry's CRC costs no inflation
            var entry = jar.getJarEntry();
            if (entry == null || entry.getCrc() < 0 || entry.getSize() <= 0) {
                return;
            }
            String name = "libsqlitejdbc-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize() + ".so";
            Path dir = folder.resolve("native");
            Path lib = dir.resolve(name);
            if (!Files.isRegularFile(lib) || Files.size(lib) != entry.getSize()) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "libsqlitejdbc", ".tmp");
                try (InputStream in = jar.getInputStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    if (Files.size(tmp) != entry.getSize()) {
                        Files.deleteIfExists(tmp);
                        return;
                    }
                    Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                try (var old = Files.newDirectoryStream(dir, "libsqlitejdbc-*.so")) {
                    for (Path p : old) {
                        if (!p.equals(lib)) {
                            Files.deleteIfExists(p); // an earlier driver version's copy
                        }
                    }
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toAbsolutePath().toString());
            System.setProperty("org.sqlite.lib.name", name);
            if (System.getProperty("org.sqlite.tmpdir") == null) {
                // The driver still lists its temporary folder at load to delete stale copies: this one is small.
                System.setProperty("org.sqlite.tmpdir", dir.toAbsolutePath().toString());
            }
        } catch (IOException | RuntimeException e) {
            // the driver extracts its own copy, as it always did
        }
    }
}
