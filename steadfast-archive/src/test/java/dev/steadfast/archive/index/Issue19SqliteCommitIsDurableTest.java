package dev.steadfast.archive.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.config.IndexConfig;
import java.nio.file.Path;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability contract (an instance is acknowledged once its index row is committed) holds for a
 * power loss, not only for kill -9: SQLite in WAL mode must fsync the WAL at every commit
 * ({@code PRAGMA synchronous = FULL}, value 2). With NORMAL (value 1) the last commits before a power
 * cut may vanish while their instances were acknowledged. A power cut cannot be tested here; the
 * setting every connection of the embedded default runs with can.
 */
class Issue19SqliteCommitIsDurableTest {
    @Test
    void everyIndexConnectionFsyncsItsCommits(@TempDir Path dir) {
        try (Index index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")))) {
            int writers = index.write(tx -> synchronous(tx));
            int readers = index.read(tx -> synchronous(tx));
            assertThat(writers).isEqualTo(2);
            assertThat(readers).isEqualTo(2);
            String journal = index.write(tx -> {
                try (ResultSet rs = tx.connection().createStatement().executeQuery("PRAGMA journal_mode")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(journal).isEqualToIgnoringCase("wal");
        }
    }

    private static int synchronous(Tx tx) throws java.sql.SQLException {
        try (ResultSet rs = tx.connection().createStatement().executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
