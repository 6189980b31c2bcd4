package dev.steadfast.archive.sites;

import dev.steadfast.archive.config.IndexConfig;
import java.nio.file.Path;

/** Issue 17's prefetch queue on the embedded default index: SQLite. */
class Issue17PrefetchQueueSqliteTest extends Issue17PrefetchQueueContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
