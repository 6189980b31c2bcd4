package dev.steadfast.archive.index;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 8: the ingest path's statements are prepared once per pooled connection, not once per transaction. */
class StatementsTest {
    private static final String SQL = "SELECT ? + 1";

    @TempDir
    Path dir;

    @Test
    void aPooledConnectionKeepsItsStatementsAcrossBorrows() throws Exception {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:sqlite:" + dir.resolve("t.db"));
        hc.setMaximumPoolSize(1);
        Statements statements = new Statements();
        try (HikariDataSource pool = new HikariDataSource(hc)) {
            PreparedStatement first;
            try (Connection c = pool.getConnection()) {
                first = statements.of(c).prepare(SQL);
                assertThat(plusOne(first, 1)).isEqualTo(2);
            } // returned to the pool, which closes the statements made through its proxy: not this one
            try (Connection c = pool.getConnection()) {
                PreparedStatement again = statements.of(c).prepare(SQL);
                assertThat(again).isSameAs(first);
                assertThat(plusOne(again, 41)).isEqualTo(42);
            }
        }
    }

    @Test
    void aClosedConnectionsStatementsAreNotReused() throws Exception {
        Statements statements = new Statements();
        String url = "jdbc:sqlite:" + dir.resolve("u.db");
        PreparedStatement old;
        try (Connection c = DriverManager.getConnection(url)) {
            old = statements.of(c).prepare(SQL);
        }
        try (Connection c = DriverManager.getConnection(url)) {
            PreparedStatement fresh = statements.of(c).prepare(SQL);
            assertThat(fresh).isNotSameAs(old);
            assertThat(plusOne(fresh, 2)).isEqualTo(3);
            fresh.close(); // closed by someone else: prepared again
            PreparedStatement reprepared = statements.of(c).prepare(SQL);
            assertThat(reprepared).isNotSameAs(fresh);
            assertThat(plusOne(reprepared, 3)).isEqualTo(4);
        }
    }

    private static long plusOne(PreparedStatement ps, long v) throws Exception {
        ps.setLong(1, v);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
