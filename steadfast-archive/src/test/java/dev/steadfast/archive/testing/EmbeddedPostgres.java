package dev.steadfast.archive.testing;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.testing.SharedPostgres;

/** The archive's index configuration for a fresh database on the shared test PostgreSQL ({@link SharedPostgres}). */
public final class EmbeddedPostgres {
    private EmbeddedPostgres() {
    }

    public static IndexConfig freshDatabase() {
        return IndexConfig.postgres(SharedPostgres.freshDatabase(), "postgres", null);
    }
}
