package dev.steadfast.archive.index;

import java.sql.Connection;

/** One open index transaction and the narrow repositories that work inside it. */
public final class Tx {
    private final Connection connection;
    private final Dialect dialect;
    private final Statements.Cache statements;

    Tx(Connection connection, Dialect dialect, Statements.Cache statements) {
        this.connection = connection;
        this.dialect = dialect;
        this.statements = statements;
    }

    /** The JDBC connection, for queries the repositories do not cover (the query engine). */
    public Connection connection() { return connection; }

    public Dialect dialect() { return dialect; }

    public PatientRepository patients() { return new PatientRepository(connection, statements); }

    public StudyRepository studies() { return new StudyRepository(connection, statements); }

    public SeriesRepository series() { return new SeriesRepository(connection, statements); }

    public InstanceRepository instances() { return new InstanceRepository(connection, statements); }

    public DeletionRepository deletions() { return new DeletionRepository(connection); }
}
