package dev.steadfast.archive.index;

import java.sql.Connection;

/** One open index transaction and the narrow repositories that work inside it. */
public final class Tx {
    private final Connection connection;
    private final Dialect dialect;

    Tx(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    /** The JDBC connection, for queries the repositories do not cover (the query engine). */
    public Connection connection() { return connection; }

    public Dialect dialect() { return dialect; }

    public PatientRepository patients() { return new PatientRepository(connection); }

    public StudyRepository studies() { return new StudyRepository(connection); }

    public SeriesRepository series() { return new SeriesRepository(connection); }

    public InstanceRepository instances() { return new InstanceRepository(connection); }

    public DeletionRepository deletions() { return new DeletionRepository(connection); }
}
