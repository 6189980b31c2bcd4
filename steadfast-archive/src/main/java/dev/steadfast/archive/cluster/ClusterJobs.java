package dev.steadfast.archive.cluster;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.jdbc.PostgreSqlJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import dev.steadfast.archive.index.Dialect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide durable jobs on the index database, through db-scheduler: every execution is a row
 * in {@code cluster_job}, claimed by one node at a time (optimistic lock on its version), kept
 * alive by that node's heartbeat, and run again by another node when the heartbeat stops (a node
 * killed mid-job). Same code on PostgreSQL (many nodes) and SQLite (one node).
 *
 * <p>Register every job with {@link #recurring} and {@link #oneOff} before {@link #start()}: the
 * scheduler only runs tasks it knows (in serve: in {@code ArchiveNode.listen}, through {@code
 * NodeCluster.jobs()}, before {@code NodeCluster.start()}). Job data is a string (the caller's own
 * encoding), so a row written by one version is read by the next.
 */
public final class ClusterJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterJobs.class);

    /** How often the scheduler polls and heartbeats; a claim is taken over after {@code missedHeartbeats} silent beats. */
    public record Timing(Duration pollingInterval, Duration heartbeatInterval, int missedHeartbeats) {
        /** How long a dead node's claimed execution waits before another node runs it. */
        public Duration takeOverAfter() {
            return heartbeatInterval.multipliedBy(missedHeartbeats);
        }
    }

    /** The work of a one-off job; an exception is a failure, retried with backoff. */
    @FunctionalInterface
    public interface Work {
        void run(String data) throws Exception;
    }

    /** Schedules executions of one registered one-off job. */
    public final class OneOff {
        private final OneTimeTask<String> task;

        private OneOff(OneTimeTask<String> task) {
            this.task = task;
        }

        /** Runs {@code data} once somewhere in the cluster, as soon as a node is free; {@code id} is unique per job. */
        public void schedule(String id, String data) {
            schedule(id, data, Instant.now());
        }

        public void schedule(String id, String data, Instant when) {
            requireStarted().schedule(task.instance(id, data), when);
        }

        /**
         * Removes a scheduled run that no node has picked yet (the work was done another way);
         * false when it is running or already gone.
         */
        public boolean cancel(String id) {
            try {
                requireStarted().cancel(task.instance(id));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String nodeId;
    private final Timing timing;
    private final int threads;
    private final List<Task<?>> tasks = new ArrayList<>();
    private final List<RecurringTask<?>> recurring = new ArrayList<>();
    private volatile Scheduler scheduler;
    private volatile boolean stopped;
    private volatile boolean pollingStarted;

    /** Whether the job table exists yet: polling starts once it does. */
    private final java.util.function.BooleanSupplier schemaReady;

    /** @param threads jobs this node runs at once */
    public ClusterJobs(DataSource dataSource, Dialect dialect, String nodeId, Timing timing, int threads) {
        this(dataSource, dialect, nodeId, timing, threads, () -> true);
    }

    /**
     * @param schemaReady whether the index schema is migrated: until then the scheduler does not
     *                    poll (each poll of a missing table would log an error)
     */
    public ClusterJobs(DataSource dataSource, Dialect dialect, String nodeId, Timing timing, int threads,
                       java.util.function.BooleanSupplier schemaReady) {
        this.schemaReady = schemaReady;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.nodeId = nodeId;
        this.timing = timing;
        this.threads = threads;
    }

    /**
     * A job that runs every {@code every} (counted from the end of the last run, first one {@code
     * every} after the job is first registered), on one node of the cluster at a time.
     */
    public synchronized void recurring(String name, Duration every, Runnable work) {
        checkNotStarted();
        RecurringTask<Void> t = Tasks.recurring(name, new DelayAfterRun(every)).execute((instance, ctx) -> work.run());
        tasks.add(t);
        recurring.add(t);
    }

    /**
     * A durable job run once per scheduled execution; a failure is retried after {@code firstRetry},
     * doubling each time, {@code maxAttempts} times in all, then logged and dropped.
     */
    public synchronized OneOff oneOff(String name, int maxAttempts, Duration firstRetry, Work work) {
        checkNotStarted();
        FailureHandler<String> retry = new FailureHandler.MaxRetriesFailureHandler<>(maxAttempts - 1,
                new FailureHandler.ExponentialBackoffFailureHandler<>(firstRetry, 2.0),
                (complete, ops) -> LOG.error("job {} gave up after {} attempts: {}", complete.getExecution().taskInstance,
                        maxAttempts, complete.getCause().map(Throwable::toString).orElse("?")));
        OneTimeTask<String> t = Tasks.oneTime(name, String.class).onFailure(retry)
                .execute((instance, ctx) -> {
                    try {
                        work.run(instance.getData());
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new JobFailedException(e);
                    }
                });
        tasks.add(t);
        return new OneOff(t);
    }

    public synchronized ClusterJobs start() {
        checkNotStarted();
        var builder = Scheduler.create(dataSource, tasks)
                .tableName("cluster_job")
                .schedulerName(new SchedulerName.Fixed(nodeId))
                .jdbcCustomization(dialect == Dialect.POSTGRESQL ? new PostgreSqlJdbcCustomization(false, true)
                        : new SqliteJdbcCustomization())
                .threads(threads)
                .pollingInterval(timing.pollingInterval())
                .heartbeatInterval(timing.heartbeatInterval())
                .missedHeartbeatsLimit(timing.missedHeartbeats())
                .enableImmediateExecution() // a job scheduled for now on this node starts without waiting for the next poll
                .shutdownMaxWait(Duration.ofSeconds(5));
        Scheduler s = builder.build();
        scheduler = s; // jobs can be scheduled (rows written) from now on; polling starts once the table exists
        if (schemaReady.getAsBoolean()) {
            startPolling(s);
        } else {
            LOG.info("cluster jobs: waiting for the index schema to be migrated before polling");
            Thread.ofVirtual().name("steadfast-jobs-start").start(() -> {
                while (!stopped && !schemaReady.getAsBoolean()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(timing.pollingInterval().toNanos());
                }
                synchronized (this) {
                    if (!stopped) {
                        startPolling(s);
                    }
                }
            });
        }
        LOG.info("cluster jobs: node {} runs {} job kinds ({} recurring), {} at a time", nodeId, tasks.size() + recurring.size(), recurring.size(), threads);
        return this;
    }

    private void startPolling(Scheduler s) {
        s.start();
        pollingStarted = true;
        if (!recurring.isEmpty()) {
            // Not the builder's start tasks: those are tried once, and an index down at start would
            // leave the recurring jobs unscheduled until the next restart. The first node to
            // succeed schedules each; the others find it there.
            Thread.ofVirtual().name("steadfast-jobs-recurring").start(this::scheduleRecurring);
        }
    }

    private void scheduleRecurring() {
        for (int attempt = 0; scheduler != null && !stopped; attempt++) {
            try {
                for (RecurringTask<?> t : recurring) {
                    t.onStartup(scheduler, new com.github.kagkarlsson.scheduler.SystemClock());
                }
                return;
            } catch (RuntimeException e) {
                if (attempt == 0) {
                    LOG.warn("cluster jobs: recurring jobs not scheduled yet (index unavailable?), retrying: {}", e.getMessage());
                }
                java.util.concurrent.locks.LockSupport.parkNanos(timing.pollingInterval().toNanos());
            }
        }
    }

    /** Starts a recurring job now instead of at its next time (e.g. a repair after a target came back). */
    public void runSoon(String recurringName) {
        requireStarted().reschedule(new com.github.kagkarlsson.scheduler.task.TaskInstanceId.StandardTaskInstanceId(
                recurringName, RecurringTask.INSTANCE), Instant.now());
    }

    public String nodeId() {
        return nodeId;
    }

    public Timing timing() {
        return timing;
    }

    private Scheduler requireStarted() {
        Scheduler s = scheduler;
        if (s == null) {
            throw new IllegalStateException("cluster jobs not started");
        }
        return s;
    }

    private void checkNotStarted() {
        if (scheduler != null) {
            throw new IllegalStateException("register jobs before start()");
        }
    }

    /**
     * Stops claiming; running jobs get a few seconds. A job still running after that stays claimed in
     * the table and is run again by another node once this node's heartbeat is missed.
     */
    @Override
    public void close() {
        Scheduler s;
        synchronized (this) {
            stopped = true;
            s = scheduler;
        }
        if (s != null && pollingStarted) {
            s.stop();
        }
    }

    /** A checked failure of a job's work. */
    static final class JobFailedException extends RuntimeException {
        JobFailedException(Throwable cause) {
            super(cause.toString(), cause);
        }
    }

    /** A fixed delay whose first run is one delay away, not at start (as the per-node timers were). */
    private record DelayAfterRun(Duration delay) implements Schedule {
        @Override
        public Instant getNextExecutionTime(ExecutionComplete complete) {
            return complete.getTimeDone().plus(delay);
        }

        @Override
        public Instant getInitialExecutionTime(Instant now) {
            return now.plus(delay);
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }
    }
}
