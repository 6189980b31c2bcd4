package dev.steadfast.archive.index;

import dev.steadfast.archive.config.IndexConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19, 2 million instances on SQLite: the automatic WAL checkpoint ran inside the commit that
 * crossed 1,000 WAL pages, so stores waited for scattered page writes and an fsync of the whole
 * database file (ingest into a 2M-instance index at 0.6-0.7x its rate into an empty one). Now the
 * index's connections never checkpoint in a commit, a background checkpointer moves the committed
 * pages into the database file, and the WAL stays bounded.
 */
class Issue19SqliteCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void commitsDoNotCheckpointAndTheBackgroundDoes() throws Exception {
        Path db = tmp.resolve("index.db");
        try (Index index = Index.open(IndexConfig.sqlite(db))) {
            long autocheckpoint = index.write(tx -> {
                try (Statement s = tx.connection().createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_autocheckpoint")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(autocheckpoint).as("checkpoints run by a commit").isZero();

            long before = Files.size(db);
            // About 8 MB in 40 commits: far past SQLite's automatic checkpoint, into the WAL only.
            byte[] blob = new byte[200_000];
            for (int i = 0; i < 40; i++) {
                int n = i;
                index.write(tx -> {
                    try (PreparedStatement ps = tx.connection().prepareStatement(
                            "INSERT INTO instance_replacement (sop_uid, old_storage_key, old_sha256, new_storage_key, new_sha256,"
                                    + " replaced_at, calling_ae) VALUES (?, ?, ?, 'k', 's', 0, 'T')")) {
                        ps.setString(1, "1.2.3." + n);
                        ps.setString(2, new String(blob, java.nio.charset.StandardCharsets.ISO_8859_1).replace('\0', 'x'));
                        ps.setString(3, "h");
                        ps.executeUpdate();
                    }
                    return null;
                });
            }
            // The database file grows only when a checkpoint copies the pages in: the background one does.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (Files.size(db) < before + 7_000_000 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.size(db)).as("database file after the background checkpoint").isGreaterThan(before + 7_000_000);
            long rows = index.read(tx -> tx.instances().replacementCount("1.2.3.39"));
            assertThat(rows).isEqualTo(1);
        }
    }
}
