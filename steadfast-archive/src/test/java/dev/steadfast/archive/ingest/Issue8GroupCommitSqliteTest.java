package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.IndexConfig;

import java.nio.file.Path;

/** Group commit on the embedded default, a SQLite index file. */
class Issue8GroupCommitSqliteTest extends Issue8GroupCommitContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
