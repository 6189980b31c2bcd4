package dev.steadfast.archive.index;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.health.CircuitBreaker;
import dev.steadfast.archive.health.HealthStatus;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The index database, reached only through short transactions with retry:
 * {@code index.read(tx -> ...)} and {@code index.write(tx -> ...)}. Opening it migrates the
 * schema (Flyway, per-dialect folders).
 *
 * <p>SQLite gets two pools: writers begin {@code IMMEDIATE} transactions (so a read-then-write
 * never dies with SQLITE_BUSY half way), readers begin deferred ones and read a WAL snapshot
 * without blocking writers. PostgreSQL uses one pool; read transactions are marked read-only.
 */
public final class Index implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Index.class);

    private final IndexConfig config;
    private final Dialect dialect;
    private final HikariDataSource writers;
    private final HikariDataSource readers;
    /** PostgreSQL: connections that hold ingest's {@link InstanceClaim}s, apart so that claims never starve index writes. */
    private final HikariDataSource claims;
    private final Statements statements = new Statements();
    // Once the database stops answering, callers fail at once (a clear temporary failure) instead
    // of each waiting out connection timeouts; one trial call per period finds it back.
    private final CircuitBreaker breaker = new CircuitBreaker("index", 2, Duration.ofSeconds(2), Clock.systemUTC());
    // False only after openOrWait found PostgreSQL unreachable: no transaction runs before the schema is migrated.
    private volatile boolean migrated = true;
    // Set once migrateWhenReachable saw the server answer: from then on a caller may adopt a schema another node migrated.
    private volatile boolean answering;
    private volatile boolean closed;
    /** Follow-ups run in the transactions that record instances and deletions (forwarding); none by default. */
    private volatile IndexEvents events = IndexEvents.NONE;

    private Index(IndexConfig config) {
        this.config = config;
        this.dialect = config.isSqlite() ? Dialect.SQLITE : Dialect.POSTGRESQL;
        if (dialect == Dialect.SQLITE) {
            Path folder = sqliteFolder(config.jdbcUrl());
            if (folder != null) {
                SqliteNativeLibrary.useCopyIn(folder); // before the driver's first connection loads it
            }
            this.writers = pool(config, "steadfast-index-write", true, Math.min(2, config.maxPoolSize()));
            this.readers = pool(config, "steadfast-index-read", false, config.maxPoolSize());
            this.claims = null;
        } else {
            this.writers = pool(config, "steadfast-index", false, config.maxPoolSize());
            this.readers = writers;
            // Claims are held by concurrent stores only: none while idle, so an idle node costs the
            // database its index pool's one idle connection, not the claims' too (docs/DEPLOYMENT.md).
            this.claims = pool(config, "steadfast-index-claims", false, 2 * config.maxPoolSize(), 0);
        }
    }

    /** The folder of a {@code jdbc:sqlite:<file>} index, or null for anything else (memory, URI forms). */
    private static Path sqliteFolder(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int q = file.indexOf('?');
        file = q < 0 ? file : file.substring(0, q);
        if (file.isEmpty() || file.startsWith(":") || file.startsWith("file:")) {
            return null;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        return parent != null && Files.isDirectory(parent) ? parent : null;
    }

    /** Connects, migrates the schema to the newest version and returns the open index. */
    public static Index open(IndexConfig config) {
        Index index = new Index(config);
        try {
            if (index.dialect == Dialect.SQLITE) {
                // Flyway may hold one connection for its history table while using another; two
                // SQLite connections writing lock each other out, so it gets exactly one.
                try (Connection c = index.writers.getConnection()) {
                    migrate(index, new SingleConnectionDataSource(c));
                }
            } else {
                migrate(index, index.writers);
            }
        } catch (RuntimeException | SQLException e) {
            index.close();
            throw new IndexException("cannot migrate the index schema of " + config + ": " + e.getMessage(), e, false);
        }
        return index;
    }

    /**
     * As {@link #open}, except that an unreachable PostgreSQL (connection refused, host down; not
     * bad credentials or a missing database) is not fatal: the index is returned unmigrated, every
     * transaction fails at once as temporarily unavailable (so ingest journals and queries refuse),
     * and the schema is migrated in the background as soon as the database answers.
     */
    public static Index openOrWait(IndexConfig config) {
        if (config.isSqlite()) {
            return open(config); // a local file: nothing to wait for
        }
        try {
            probe(config);
        } catch (SQLException e) {
            if (!unreachable(e)) {
                throw new IndexException("cannot connect to the index database " + config + ": " + e.getMessage(), e, false);
            }
            Index index = new Index(config);
            index.migrated = false;
            index.breaker.trip(e);
            log.warn("index database {} unreachable at start; migrating once it answers: {}", config, e.getMessage());
            Thread.ofVirtual().name("steadfast-index-migrate").start(index::migrateWhenReachable);
            return index;
        }
        return open(config);
    }

    /**
     * One plain connection, outside the pool: its failure says at once whether the server is
     * unreachable or answered and refused (the pool would retry either for its whole timeout).
     */
    private static void probe(IndexConfig config) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        if (config.username() != null) {
            p.setProperty("user", config.username());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        java.sql.DriverManager.getConnection(config.jdbcUrl(), p).close();
    }

    /** Until migrated or closed: a probe a second, then the migration once the server answers. */
    private void migrateWhenReachable() {
        while (!migrated && !closed) {
            try {
                probe(config);
                answering = true;
                migrate(this, writers);
                migrated = true;
                breaker.success();
                log.info("index database {} reachable; schema migrated", config);
                return;
            } catch (SQLException | RuntimeException e) {
                breaker.failure(e);
                if (!unreachable(e) && !closed) { // it answered, and refused: an operator has to look
                    log.error("cannot migrate the index schema of {} (retrying): {}", config, e.getMessage());
                }
            }
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        }
    }

    /**
     * Nodes sharing one database race to migrate it when it comes up; the losers wait in Flyway's
     * lock (a second per try) while the winner already serves and drains journals. A caller on a
     * loser need not be refused meanwhile: once the server answered, a schema with nothing pending
     * (read without Flyway's lock) is the newest and usable.
     */
    private boolean adoptSchemaMigratedElsewhere() {
        if (!answering || closed) {
            return false;
        }
        try {
            boolean current = Flyway.configure().dataSource(writers).locations("classpath:" + dialect.migrations())
                    .ignoreMigrationPatterns("*:future").load().info().pending().length == 0;
            if (current && !migrated) {
                migrated = true;
                breaker.success();
                log.info("index database {} reachable; schema already migrated by another node", config);
            }
            return current;
        } catch (RuntimeException e) {
            return false; // the migration thread goes on trying
        }
    }

    /**
     * The database cannot be reached at all: a connection-class SQLSTATE (08, 57P) or a refused
     * socket, and no sign it answered (28: authentication, 3D: no such database).
     */
    static boolean unreachable(Throwable e) {
        boolean connection = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException
                    || t instanceof java.net.UnknownHostException || t instanceof java.net.SocketTimeoutException) {
                connection = true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("28") || state.startsWith("3D")) {
                    return false;
                }
                connection |= state.startsWith("08") || state.startsWith("57P");
            }
        }
        return connection;
    }

    private static void migrate(Index index, javax.sql.DataSource ds) {
        try (Connection c = ds.getConnection()) {
            if (SchemaCheck.current(c, index.dialect.migrations())) {
                log.info("index schema current: no migration to run");
                return; // issue 19: Flyway's scan and validate are the largest part of a restart otherwise
            }
        } catch (SQLException e) {
            // Flyway connects again and reports what is wrong
        }
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:" + index.dialect.migrations())
                // Rolling upgrade: a node of this release runs on a schema a newer release expanded.
                .ignoreMigrationPatterns("*:future")
                .load()
                .migrate();
    }

    public Dialect dialect() { return dialect; }

    /**
     * Whether the schema is migrated (false only while a PostgreSQL unreachable at start has not
     * answered yet): what polls the index on its own, like the cluster jobs, waits for it.
     */
    public boolean migrated() {
        return migrated || adoptSchemaMigratedElsewhere();
    }

    /**
     * The pool that writes, for db-scheduler's cluster jobs (they run their own short statements
     * with autocommit; on SQLite they must share the writers' pool to take the write lock in turn).
     */
    public javax.sql.DataSource jobsDataSource() { return writers; }

    /** Sets what runs inside the transactions that record instances and deletions; set once, at wiring. */
    public void events(IndexEvents events) {
        this.events = events == null ? IndexEvents.NONE : events;
    }

    /** Adds {@code more} after what is set (both run in the same transaction); at wiring. */
    public synchronized void addEvents(IndexEvents more) {
        this.events = IndexEvents.both(this.events, more == null ? IndexEvents.NONE : more);
    }

    /** Runs {@code fn} in a read transaction, retrying transient failures. */
    public <T> T read(TxFunction<T> fn) {
        return run(readers, true, fn);
    }

    /** Runs {@code fn} in a write transaction and commits it, retrying transient failures. */
    public <T> T write(TxFunction<T> fn) {
        return run(writers, false, fn);
    }

    /**
     * Claims {@code sopUid} for live ingest, across every node sharing this database (PostgreSQL),
     * and reads its current row; the caller holds it from its duplicate decision to its index
     * commit and then closes it. SQLite: just the row, read.
     *
     * @throws IndexException when the database cannot be asked (the caller journals the instance)
     */
    public InstanceClaim<Void> claim(String sopUid) {
        return claim(sopUid, tx -> null);
    }

    /**
     * As {@link #claim(String)}, and when the instance has no row, also runs {@code whenAbsent} in the same
     * transaction (on PostgreSQL on the claim's connection, after its lock), e.g. the rejection look-up.
     */
    public <T> InstanceClaim<T> claim(String sopUid, TxFunction<T> whenAbsent) {
        if (dialect == Dialect.SQLITE) {
            return read(tx -> InstanceClaim.local(tx, sopUid, whenAbsent));
        }
        if (!migrated || !breaker.allowRequest()) {
            throw new IndexException("index database unavailable (" + breaker.status(0).lastError()
                    + "); try again later", null, true);
        }
        Connection c;
        try {
            c = claims.getConnection();
        } catch (SQLException e) {
            // Counted only when the database could not be reached: a full claims pool is no database failure,
            // and a trial call it stopped goes to the next caller.
            if (reachedNoDatabase(e)) {
                breaker.failure(e);
            } else {
                breaker.notTried();
            }
            throw new IndexException("cannot claim instance " + sopUid + ": " + e.getMessage(), e, true);
        }
        // Every outcome below is reported to the breaker, as in run(): this claim may be its one trial call, and
        // a trial never reported leaves it half-open, refusing every call for good.
        try {
            InstanceClaim<T> claim = InstanceClaim.lock(c, statements, dialect, events, sopUid, whenAbsent);
            breaker.success();
            return claim;
        } catch (SQLException e) {
            if (isConnectionFailure(e)) {
                breaker.failure(e);
            } else {
                breaker.success(); // the database answered
            }
            throw new IndexException("cannot claim instance " + sopUid + ": " + e.getMessage(), e, isTransient(e));
        } catch (RuntimeException e) {
            breaker.notTried(); // whenAbsent's own failure says nothing of the database
            throw e;
        }
    }

    /** Whether the database answers, for {@code /health}, {@code /metrics} and the ingest journal. */
    public HealthStatus health() {
        return breaker.status(0);
    }

    /**
     * Ingest stopped writing here after {@code e} and journals instead (issue 15). When {@code e} is a failure
     * to reach the database, the breaker opens now: the second failure it would wait for may never come, since
     * ingest no longer calls, and {@code /health} would report the index up while every instance is journaled.
     */
    public void journalingAfter(IndexException e) {
        if (reachedNoDatabase(e.getCause())) {
            breaker.trip(e);
        }
    }

    /** A failure to reach the database; the pool's own time-out only when its cause is one (else: pool full). */
    static boolean reachedNoDatabase(Throwable t) {
        if (t instanceof SQLTransientConnectionException pool && pool.getCause() != null) {
            return reachedNoDatabase(pool.getCause());
        }
        return t instanceof java.net.ConnectException
                || t instanceof SQLException s && !(s instanceof SQLTransientConnectionException) && isConnectionFailure(s);
    }

    private <T> T run(HikariDataSource ds, boolean readOnly, TxFunction<T> fn) {
        if (!migrated && !adoptSchemaMigratedElsewhere()) { // callers fail at once; only migrateWhenReachable waits
            throw new IndexException("index database unreachable since start, schema not yet migrated ("
                    + breaker.status(0).lastError() + "); try again later", null, true);
        }
        for (int attempt = 0; ; attempt++) {
            if (!breaker.allowRequest()) {
                throw new IndexException("index database unavailable (" + breaker.status(0).lastError()
                        + "); try again later", null, true);
            }
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                if (readOnly && dialect == Dialect.POSTGRESQL) {
                    c.setReadOnly(true);
                }
                try {
                    T result = fn.apply(new Tx(c, dialect, statements.of(c), events));
                    c.commit();
                    breaker.success();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                } finally {
                    if (readOnly && dialect == Dialect.POSTGRESQL) {
                        resetReadOnly(c);
                    }
                }
            } catch (SQLException e) {
                if (isConnectionFailure(e)) {
                    breaker.failure(e);
                } else {
                    breaker.success(); // the database answered
                }
                boolean trans = isTransient(e);
                if (!trans || attempt >= config.maxRetries()) {
                    throw new IndexException("index transaction failed" + (trans ? " after " + (attempt + 1)
                            + " attempts" : "") + ": " + e.getMessage(), e, trans);
                }
                log.debug("transient index failure (attempt {}): {}", attempt + 1, e.toString());
                backoff(attempt);
            } catch (RuntimeException e) {
                // Ours, not the database's (a refused row, a storage commit waited for too long): it judges
                // nothing, but this call may have been the breaker's trial, which must not stay out for good.
                breaker.notTried();
                throw e;
            }
        }
    }

    /**
     * After a fatal error Hikari has already swapped the connection for a closed one; throwing
     * from here would replace the real (transient) failure with "Connection is closed".
     */
    private static void resetReadOnly(Connection c) {
        try {
            c.setReadOnly(false);
        } catch (SQLException e) {
            log.debug("read-only reset failed: {}", e.toString());
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed: {}", e.toString());
        }
    }

    /**
     * Busy, locked, serialization failure, deadlock, unique race, or a lost/unavailable connection
     * (a journal replay keeps what fails transiently for later; anything else it sets aside).
     */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                // 57P01-57P03, 57P05: the server is shutting down, restarting after a crash or
                // being promoted ("the database system is starting up"): it will answer again.
                if (state != null && (state.equals("40001") || state.equals("40P01") || state.equals("23505")
                        || state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03") || state.equals("57P05"))) {
                    return true;
                }
                String msg = String.valueOf(s.getMessage());
                if (msg.contains("SQLITE_BUSY") || msg.contains("SQLITE_LOCKED")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The database cannot be reached at all (as opposed to a busy or failing statement). */
    static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true;
                }
                if (String.valueOf(s.getMessage()).contains("SQLITE_CANTOPEN")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void backoff(int attempt) {
        long maxMillis = Math.min(1000, 10L << Math.min(attempt, 6));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxMillis / 2, maxMillis + 1) * 1_000_000L);
    }

    private static HikariDataSource pool(IndexConfig config, String name, boolean immediate, int size) {
        return pool(config, name, immediate, size, Math.min(1, size));
    }

    /** @param minIdle connections kept open while idle; with 0, those opened under load close after 30 s idle */
    private static HikariDataSource pool(IndexConfig config, String name, boolean immediate, int size, int minIdle) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(minIdle);
        if (minIdle == 0) {
            hc.setIdleTimeout(30_000);
        }
        hc.setConnectionTimeout(5_000); // a dead database fails a call in seconds, not Hikari's 30

        // Autocommit while idle: sqlite-jdbc begins the next transaction (IMMEDIATE: the write
        // lock) as soon as autocommit is off, so an idle pooled connection would hold the lock.
        // Transactions turn it off for their duration; the pool restores it on return.
        hc.setAutoCommit(true);
        if (config.isSqlite()) {
            hc.addDataSourceProperty("journal_mode", "WAL");
            hc.addDataSourceProperty("busy_timeout", "10000");
            hc.addDataSourceProperty("foreign_keys", "true");
            // FULL: a WAL commit is fsync'd before it returns, so an acknowledged instance's row survives a
            // power loss, not only a process crash (NORMAL may lose the last commits; the contract is fsync'd).
            hc.addDataSourceProperty("synchronous", "FULL");
            hc.addDataSourceProperty("case_sensitive_like", "true");
            hc.addDataSourceProperty("transaction_mode", immediate ? "IMMEDIATE" : "DEFERRED");
        } else {
            // No connection at pool start: an unreachable server is for Index.open/openOrWait to judge.
            hc.setInitializationFailTimeout(-1);
            if (!config.jdbcUrl().contains("ApplicationName=")) { // pg_stat_activity says which pool a connection is
                hc.addDataSourceProperty("ApplicationName", name);
            }
            if (config.username() != null) {
                hc.setUsername(config.username());
            }
            if (config.password() != null) {
                hc.setPassword(config.password());
            }
        }
        return new HikariDataSource(hc);
    }

    @Override
    public void close() {
        closed = true;
        if (readers != writers) {
            readers.close();
        }
        if (claims != null) {
            claims.close();
        }
        writers.close();
    }
}
