package dev.steadfast.archive.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * Which start-up failures {@code serve} waits out (issue 4): an unreachable PostgreSQL, yes; a
 * server that answers and refuses (no such database, no such role), no. serve's own test
 * (ServeIndexDownAtStartTest) covers the wait and the late migration end to end.
 */
class IndexOpenOrWaitTest {
    @Test
    void nothingListeningOpensUnmigratedAndEveryCallFailsAtOnceAsTemporary() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (Index index = Index.openOrWait(IndexConfig.postgres("jdbc:postgresql://127.0.0.1:" + port + "/steadfast", "postgres", null))) {
            assertThat(index.health().up()).isFalse();
            assertThatThrownBy(() -> index.read(tx -> tx.instances().count()))
                    .isInstanceOfSatisfying(IndexException.class, e -> {
                        assertThat(e.isTransient()).isTrue();
                        assertThat(e.getMessage()).contains("not yet migrated");
                    });
        }
    }

    @Test
    void aServerThatAnswersAndRefusesStillStopsTheStart() {
        String url = EmbeddedPostgres.freshDatabase().jdbcUrl().replaceAll("\\?.*", "");
        String missingDb = url.replaceAll("/[^/]+$", "/no_such_database");
        assertThatThrownBy(() -> Index.openOrWait(IndexConfig.postgres(missingDb, "postgres", null)))
                .isInstanceOfSatisfying(IndexException.class, e -> assertThat(e.isTransient()).isFalse());
        assertThatThrownBy(() -> Index.openOrWait(IndexConfig.postgres(url, "no_such_role", null)))
                .isInstanceOfSatisfying(IndexException.class, e -> assertThat(e.isTransient()).isFalse());
        try (Index index = Index.openOrWait(IndexConfig.postgres(url, "postgres", null))) {
            assertThat((long) index.read(tx -> tx.instances().count())).isZero();
        }
    }

    @Test
    void unreachableMeansAConnectionClassStateOrARefusedSocketAndNoAnswer() {
        assertThat(Index.unreachable(new SQLException("Connection refused", "08001"))).isTrue();
        assertThat(Index.unreachable(new RuntimeException(new SQLException("x", null, new ConnectException("refused"))))).isTrue();
        assertThat(Index.unreachable(new SQLException("the database system is starting up", "57P03"))).isTrue();
        // Hikari's timeout carries the state of the failure under it.
        assertThat(Index.unreachable(new SQLTransientConnectionException("timed out", "28P01",
                new SQLException("password authentication failed", "28P01")))).isFalse();
        assertThat(Index.unreachable(new SQLException("database \"x\" does not exist", "3D000"))).isFalse();
        assertThat(Index.unreachable(new SQLException("syntax error", "42601"))).isFalse();
    }
}
