package dev.steadfast.archive.forward;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;
import java.nio.file.Path;

/** Issue 17's forwarding queue on PostgreSQL (FOR UPDATE SKIP LOCKED claims). */
class Issue17ForwardQueuePostgresTest extends Issue17ForwardQueueContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return EmbeddedPostgres.freshDatabase();
    }
}
