package dev.steadfast.archive;

import dev.steadfast.archive.config.IndexConfig;

import java.nio.file.Path;

/** The archive contract on the embedded default: a SQLite index file. */
class SqliteArchiveTest extends ArchiveContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
