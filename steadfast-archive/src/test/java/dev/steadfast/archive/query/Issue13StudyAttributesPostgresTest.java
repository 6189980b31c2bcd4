package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;

import java.nio.file.Path;

/** Issue 13 with a real PostgreSQL 17 index (embedded binaries). */
class Issue13StudyAttributesPostgresTest extends Issue13StudyAttributesContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return EmbeddedPostgres.freshDatabase();
    }
}
