package dev.steadfast.archive.cluster;

import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;

/**
 * db-scheduler on SQLite, which it has no dialect for: its generic one is right except for the
 * row limit of the due-executions query (ANSI {@code OFFSET .. FETCH FIRST}, which SQLite lacks).
 * Timestamps are bound as UTC {@code Timestamp}s, stored by sqlite-jdbc as epoch milliseconds.
 */
final class SqliteJdbcCustomization extends DefaultJdbcCustomization {
    SqliteJdbcCustomization() {
        super(true);
    }

    @Override
    public String getName() {
        return "SQLite";
    }

    @Override
    public String getQueryLimitPart(int limit) {
        return " LIMIT " + limit;
    }
}
