package dev.steadfast.archive.forward;

import dev.steadfast.archive.config.IndexConfig;
import java.nio.file.Path;

/** Issue 17's forwarding queue on the embedded default index: SQLite. */
class Issue17ForwardQueueSqliteTest extends Issue17ForwardQueueContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
