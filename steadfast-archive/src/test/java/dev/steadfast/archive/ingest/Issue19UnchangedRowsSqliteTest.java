package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.IndexConfig;

import java.nio.file.Path;

/** Issue 19's unchanged rows on SQLite. */
class Issue19UnchangedRowsSqliteTest extends Issue19UnchangedRowsContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
