package dev.steadfast.archive.admin;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;

import java.nio.file.Path;

/** The same on a real PostgreSQL 17 server (embedded binaries). */
class PostgresStudyDeletionTest extends StudyDeletionContract {
    @Override
    IndexConfig indexConfig(Path dir) {
        return EmbeddedPostgres.freshDatabase();
    }
}
