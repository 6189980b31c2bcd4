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
 * one, and the rejection look-up of a new instance runs in the claim's transaction ({@code whenAbsent})
 * instead of a transaction of their own; the rollback that releases the lock is the second.
 */
public final class InstanceClaim<T> implements AutoCloseable {
    /**
     * First key of our advisory locks: the two-int4 lock space does not overlap the one-bigint space
     * that Flyway and job schedulers use; the second key is {@code hashtext(uid)}. A hash collision
     * only makes two instances wait for each other.
     */
    static final int LOCK_CLASS = 0x53460015;
    static final String LOCK_SQL = "SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", hashtext(?))";

    private final Connection connection;
    private final Optional<StoredInstance> current;
    private final T whenAbsent;

    private InstanceClaim(Connection connection, Optional<StoredInstance> current, T whenAbsent) {
        this.connection = connection;
        this.current = current;
        this.whenAbsent = whenAbsent;
    }

    /**
     * The row read, and {@code whenAbsent} read in the same transaction when there is none. Why in the
     * same: ingest asks the rejection table about every new instance (issue 18), and a second read
     * transaction per instance cost more CPU than the look-up itself (issue 19).
     */
    static <T> InstanceClaim<T> local(Tx tx, String sopUid, TxFunction<T> whenAbsent) throws java.sql.SQLException {
        Optional<StoredInstance> current = tx.instances().find(sopUid);
        return new InstanceClaim<>(null, current, current.isEmpty() ? whenAbsent.apply(tx) : null);
    }

    /**
     * Locks {@code sopUid} on {@code c} (auto-commit off) and reads its row, then {@code whenAbsent} on the
     * same connection when there is none; the claim owns {@code c} from then on. Closes {@code c} on failure.
     */
    static <T> InstanceClaim<T> lock(Connection c, Statements statements, Dialect dialect, IndexEvents events,
                                     String sopUid, TxFunction<T> whenAbsent) throws SQLException {
        try {
            c.setAutoCommit(false);
            Tx tx = new Tx(c, dialect, statements.of(c), events);
            // The lock and the row read in one round trip (issue 15); the read's snapshot follows the lock.
            Optional<StoredInstance> current = new InstanceRepository(c, statements.of(c)).lockAndFind(LOCK_SQL, sopUid);
            return new InstanceClaim<>(c, current, current.isEmpty() ? whenAbsent.apply(tx) : null);
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

    /** What the claim's {@code whenAbsent} read when there was no row; null when there was one. */
    public T whenAbsent() {
        return whenAbsent;
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
