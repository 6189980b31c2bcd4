package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;

import java.nio.file.Path;

/** Issues 12 and 14 with a real PostgreSQL 17 index (embedded binaries). */
class Issue14QueryLimitsPostgresTest extends Issue14QueryLimitsContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return EmbeddedPostgres.freshDatabase();
    }
}
