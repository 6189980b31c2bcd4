package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8 query statement reuse on a real PostgreSQL 17 server (embedded binaries), and the indexes
 * of migration V3 serving the two statements they were made for.
 */
class Issue8QueryReusePostgresTest extends Issue8QueryReuseContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        config = EmbeddedPostgres.freshDatabase();
        return config;
    }

    private IndexConfig config;

    /** The plan of {@code sql} with sequential scans priced out, so that a usable index is used even on a tiny table. */
    private String plan(String sql) {
        return index.read(tx -> {
            StringBuilder out = new StringBuilder();
            try (Statement s = tx.connection().createStatement()) {
                s.execute("SET LOCAL enable_seqscan = off");
                try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            }
            return out.toString();
        });
    }

    @Test
    void aCaseInsensitiveNamePrefixIsAnIndexRangeNotAScanOfEveryPatient() {
        assertThat(plan("SELECT id FROM patient WHERE patient_name_norm LIKE 'SMI%' ESCAPE '!'"))
                .contains("patient_name_norm_idx");
    }

    @Test
    void theLatestInstanceOfAStudyIsFoundInTheIndexAlone() throws Exception {
        // On this empty table V14's (series_fk, received_at, size) index ties with V3's (series_fk, id), and the
        // planner may take either, V14's with heap reads; on a real table the index-only path wins. So the plan is
        // asked with V14's index dropped in a transaction that is rolled back: V3's must serve the statement alone.
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
             Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("DROP INDEX instance_series_received_idx");
                s.execute("SET LOCAL enable_seqscan = off");
                StringBuilder out = new StringBuilder();
                try (ResultSet rs = s.executeQuery("EXPLAIN SELECT MAX(i.id) FROM instance i JOIN series se "
                        + "ON se.id = i.series_fk WHERE se.study_fk = 1")) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
                assertThat(out.toString()).contains("Index Only Scan using instance_series_idx");
            } finally {
                c.rollback();
            }
        }
    }
}
