package dev.steadfast.archive.index;

/** The two SQL databases the index runs on; SQL is written to run on both, migrations differ. */
public enum Dialect {
    SQLITE("db/migration/sqlite"),
    POSTGRESQL("db/migration/postgresql");

    private final String migrations;

    Dialect(String migrations) {
        this.migrations = migrations;
    }

    /** Classpath folder of this dialect's Flyway migrations. */
    public String migrations() { return migrations; }
}
