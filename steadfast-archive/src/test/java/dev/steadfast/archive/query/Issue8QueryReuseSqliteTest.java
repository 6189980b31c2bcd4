package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;

import java.nio.file.Path;

/** Issue 8 query statement reuse on SQLite. */
class Issue8QueryReuseSqliteTest extends Issue8QueryReuseContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
