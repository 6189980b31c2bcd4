package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
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
        return EmbeddedPostgres.freshDatabase();
    }

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
    void theLatestInstanceOfAStudyIsFoundInTheIndexAlone() {
        assertThat(plan("SELECT MAX(i.id) FROM instance i JOIN series se ON se.id = i.series_fk WHERE se.study_fk = 1"))
                .contains("Index Only Scan using instance_series_idx");
    }
}
