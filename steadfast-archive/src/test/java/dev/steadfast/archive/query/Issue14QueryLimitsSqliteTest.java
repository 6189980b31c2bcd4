package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;

import java.nio.file.Path;

/** Issues 12 and 14 with the embedded default index: SQLite. */
class Issue14QueryLimitsSqliteTest extends Issue14QueryLimitsContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
