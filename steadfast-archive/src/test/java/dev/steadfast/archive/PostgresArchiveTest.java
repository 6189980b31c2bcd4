package dev.steadfast.archive;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;

import java.nio.file.Path;

/** The archive contract on a real PostgreSQL 17 server (embedded binaries). */
class PostgresArchiveTest extends ArchiveContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return EmbeddedPostgres.freshDatabase();
    }
}
