package dev.steadfast.archive.iocm;

import dev.steadfast.archive.config.IndexConfig;

import java.nio.file.Path;

/** Issue 19's rejection look-up in the claim, on SQLite. */
class Issue19RejectionInClaimSqliteTest extends Issue19RejectionInClaimContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
