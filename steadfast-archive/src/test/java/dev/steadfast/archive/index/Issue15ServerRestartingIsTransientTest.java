package dev.steadfast.archive.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: while PostgreSQL restarts after a crash or a fail-over ("the database system is
 * starting up", "... in recovery mode", "terminating connection because of crash of another server
 * process"), the index's failures are temporary: retried, and a journal replay keeps the entry for
 * later instead of setting the acknowledged instance aside as unindexable (where only a reindex
 * would find it). The SQLSTATEs are PostgreSQL's (Appendix A, class 57); a missing database stays final.
 */
class Issue15ServerRestartingIsTransientTest {
    @Test
    void aServerStartingUpOrRecoveringIsATemporaryFailure() {
        for (String state : new String[] {"57P01", "57P02", "57P03", "57P05"}) {
            SQLException e = new SQLException("FATAL: the database system is starting up", state);
            assertThat(Index.isTransient(new SQLException("wrapped", "XX000", e))).as(state).isTrue();
            assertThat(Index.isConnectionFailure(e)).as(state).isTrue();
        }
    }

    @Test
    void aDroppedDatabaseOrABadStatementStaysFinal() {
        assertThat(Index.isTransient(new SQLException("database \"steadfast\" does not exist", "3D000"))).isFalse();
        assertThat(Index.isTransient(new SQLException("syntax error", "42601"))).isFalse();
    }
}
