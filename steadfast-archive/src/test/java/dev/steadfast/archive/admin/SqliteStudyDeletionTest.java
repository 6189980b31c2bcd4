package dev.steadfast.archive.admin;

import dev.steadfast.archive.config.IndexConfig;

import java.nio.file.Path;

class SqliteStudyDeletionTest extends StudyDeletionContract {
    @Override
    IndexConfig indexConfig(Path dir) {
        return IndexConfig.sqlite(dir.resolve("index.db"));
    }
}
