package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;

import java.nio.file.Path;

/** Issue 19's unchanged rows on a real PostgreSQL 17 server (embedded binaries). */
class Issue19UnchangedRowsPostgresTest extends Issue19UnchangedRowsContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return EmbeddedPostgres.freshDatabase();
    }
}
