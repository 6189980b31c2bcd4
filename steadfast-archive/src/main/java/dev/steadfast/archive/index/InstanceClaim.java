package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A claim on one SOP Instance UID, held by live ingest from its duplicate decision through the
 * storage commit to the index commit, so that what is stored and what the index says agree even
 * when the same instance arrives at two nodes at once (issue 15).
 *
 * <p>On PostgreSQL it is a transaction-scoped advisory lock ({@code pg_advisory_xact_lock}) on a
 * connection of its own, taken before the instance's row is read: every node sharing the database
 * waits for it, and it goes with the connection should the node die. The index write itself runs
 * in another transaction (group commit) while the claim is held. On SQLite (one node) there is
 * nothing to share: the claim is the row read, the process's own ingest lock does the rest.
 *
 * <p>Round trips (issue 15, runs 6-8 in docs/PERFORMANCE.md): the lock and the row read go together in
 * one, and the other look-ups of the store's decision run in the claim's transaction ({@link #read})
 * instead of a transaction of their own; the rollback that releases the lock is the second.
 */
public final class InstanceClaim implements AutoCloseable {
    /**
     * First key of our advisory locks: the two-int4 lock space does not overlap the one-bigint space
     * that Flyway and job schedulers use; the second key is {@code hashtext(uid)}. A hash collision
     * only makes two instances wait for each other.
     */
    static final int LOCK_CLASS = 0x53460015;
    static final String LOCK_SQL = "SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", hashtext(?))";

    private final Connection connection;
    private final Statements statements;
    private final Index index;
    private final Optional<StoredInstance> current;

    private InstanceClaim(Connection connection, Statements statements, Index index, Optional<StoredInstance> current) {
        this.connection = connection;
        this.statements = statements;
        this.index = index;
        this.current = current;
    }

    /** SQLite: the row as read; {@link #read} runs in a read transaction of {@code index}. */
    static InstanceClaim local(Index index, Optional<StoredInstance> current) {
        return new InstanceClaim(null, null, index, current);
    }

    /**
     * Locks {@code sopUid} on {@code c} (auto-commit off) and reads its row; the claim owns {@code c}
     * from then on. Closes {@code c} on failure.
     */
    static InstanceClaim lock(Connection c, Statements statements, String sopUid) throws SQLException {
        try {
            c.setAutoCommit(false);
            return new InstanceClaim(c, statements, null, new InstanceRepository(c, statements.of(c)).lockAndFind(LOCK_SQL, sopUid));
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken anyway: closing it below returns it to the pool as dead
            }
            c.close();
            throw e;
        }
    }

    /** Takes the instance's cluster-wide lock in the transaction on {@code c} (PostgreSQL only). */
    static void lockInstance(Connection c, String sopUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK_SQL)) {
            ps.setString(1, sopUid);
            ps.execute();
        }
    }

    /** The instance's index row when the claim was taken; it stays so until {@link #close()}. */
    public Optional<StoredInstance> current() {
        return current;
    }

    /**
     * Runs read-only look-ups of the store's decision (a rejection of the UID) in the claim's own
     * transaction on PostgreSQL, so they cost no transaction, no pooled connection and no commit of
     * their own; on SQLite in a read transaction, as before. Do not write in it: the claim rolls back.
     */
    public <T> T read(TxFunction<T> fn) {
        if (connection == null) {
            return index.read(fn);
        }
        try {
            return fn.apply(new Tx(connection, Dialect.POSTGRESQL, statements.of(connection), IndexEvents.NONE));
        } catch (SQLException e) {
            throw new IndexException("index read failed: " + e.getMessage(), e, Index.isTransient(e));
        }
    }

    /** Releases the lock (the claim's transaction wrote nothing: rolled back). */
    @Override
    public void close() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            // a broken connection: the server ended its transaction, and with it the lock
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // as above
        }
    }
}
