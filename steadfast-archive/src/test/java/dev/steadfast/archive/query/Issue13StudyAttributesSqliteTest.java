package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;

import java.nio.file.Path;

/** Issue 13 with the embedded default index: SQLite. */
class Issue13StudyAttributesSqliteTest extends Issue13StudyAttributesContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
