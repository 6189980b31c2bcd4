package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;

import java.nio.file.Path;

/** Matching on stored metadata with the embedded default index: SQLite. */
class SqliteMetadataMatchingTest extends MetadataMatchingContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
