package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** One open index transaction and the narrow repositories that work inside it. */
public final class Tx {
    private final Connection connection;
    private final Dialect dialect;
    private final Statements.Cache statements;
    private final IndexEvents events;

    Tx(Connection connection, Dialect dialect, Statements.Cache statements, IndexEvents events) {
        this.connection = connection;
        this.dialect = dialect;
        this.statements = statements;
        this.events = events;
    }

    /** What must happen in this same transaction when instances or deletions are recorded (issue 17). */
    public IndexEvents events() { return events; }

    /** The JDBC connection, for queries the repositories do not cover (the query engine). */
    public Connection connection() { return connection; }

    public Dialect dialect() { return dialect; }

    /**
     * A statement kept for this connection across transactions, for fixed SQL run many times (the
     * query engine's per-match statements): PostgreSQL then parses and plans it once, not per row.
     * Do not close it; close only its result sets.
     */
    public PreparedStatement cached(String sql) throws SQLException { return statements.prepare(sql); }

    /**
     * Waits for, then holds until this transaction ends, the cluster-wide claim on {@code sopUid}
     * that live ingest takes ({@link Index#claim}): a journal replay writing the instance then never
     * interleaves with another node's ingest of it. PostgreSQL only; SQLite serialises writers anyway.
     */
    public void lockInstance(String sopUid) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            InstanceClaim.lockInstance(connection, sopUid);
        }
    }

    public PatientRepository patients() { return new PatientRepository(connection, statements); }

    public StudyRepository studies() { return new StudyRepository(connection, statements); }

    public SeriesRepository series() { return new SeriesRepository(connection, statements); }

    public InstanceRepository instances() { return new InstanceRepository(connection, statements); }

    /** The candidates of a query (the query engine's statement). */
    public CandidateRepository candidates() { return new CandidateRepository(connection); }

    /** Studies summed up for administrators. */
    public StudySummaryRepository studySummaries() { return new StudySummaryRepository(connection); }

    public DeletionRepository deletions() { return new DeletionRepository(connection); }

    /** Cluster membership: nodes and their heartbeats (issue 15). */
    public ClusterNodeRepository clusterNodes() { return new ClusterNodeRepository(connection); }

    /** Copies storage targets missed, recorded to outlive the node that found out (issue 15). */
    public StorageRepairRepository storageRepairs() { return new StorageRepairRepository(connection); }
}
