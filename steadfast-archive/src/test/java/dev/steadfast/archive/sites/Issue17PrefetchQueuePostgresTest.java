package dev.steadfast.archive.sites;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;
import java.nio.file.Path;

/** Issue 17's prefetch queue on PostgreSQL. */
class Issue17PrefetchQueuePostgresTest extends Issue17PrefetchQueueContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return EmbeddedPostgres.freshDatabase();
    }
}
