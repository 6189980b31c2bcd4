package dev.steadfast.server.dimse;

import dev.steadfast.archive.cluster.ClusterJobs;
import dev.steadfast.net.dimse.BackChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage commitment "held upstream" at an edge ({@code sites.commitment: upstream}, issue 17): the
 * N-EVENT-REPORT says committed only once the central archive (the peer) holds every instance with
 * the same data set bytes, because a modality deletes its own copies on commitment. Held at once:
 * reported as usual (on the requestor's association while it is open). Not yet: the report waits
 * as a durable cluster job ({@value #NAME}) that checks again with backoff (2 s doubling, at most
 * a minute apart) on any node, survives restarts, and reports on a new association when central
 * holds everything, or after {@code sites.commitment-max-wait-hours} with what central still lacks
 * as failed (the modality then keeps its copies).
 */
public final class UpstreamCommitment {
    static final String NAME = "commitment-upstream";
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCommitment.class);
    private static final String VERSION = "commitment-upstream/1";
    private static final Duration FIRST_WAIT = Duration.ofSeconds(2);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

    private final StorageCommitmentAdapter adapter;
    private final CommitmentReporter reporter;
    private final StorageCommitmentAdapter.HeldUpstream peer;
    private final Duration maxWait;
    private final ClusterJobs.OneOff jobs;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** Makes {@code adapter}'s reports wait for upstream; registers the job with {@code cluster} (before it starts). */
    public static void wire(StorageCommitmentAdapter adapter, CommitmentReporter reporter, StorageCommitmentAdapter.HeldUpstream peer,
                            Duration maxWait, ClusterJobs cluster) {
        adapter.waitForUpstream(new UpstreamCommitment(adapter, reporter, peer, maxWait, cluster));
    }

    private UpstreamCommitment(StorageCommitmentAdapter adapter, CommitmentReporter reporter, StorageCommitmentAdapter.HeldUpstream peer,
                       Duration maxWait, ClusterJobs cluster) {
        this.adapter = adapter;
        this.reporter = reporter;
        this.peer = peer;
        this.maxWait = maxWait;
        this.jobs = cluster.oneOff(NAME, 8, Duration.ofSeconds(2), this::run);
    }

    /** After the N-ACTION is accepted: reports now if central holds everything, else queues the wait. */
    void submit(BackChannel back, CommitmentJob job) {
        threads.submit(() -> {
            StorageCommitmentAdapter.Report now = adapter.resultHeldUpstream(job, peer, false);
            if (now != null && reporter.sameAssociation() && back != null && reporter.sendBack(back, now)) {
                return;
            }
            try {
                schedule(System.currentTimeMillis(), 0, job, now != null ? Instant.now() : Instant.now().plus(FIRST_WAIT));
            } catch (RuntimeException e) {
                LOG.error("storage commitment for transaction {} (held upstream) cannot wait in the index ({}): no result is sent;"
                        + " the requestor will ask again", job.transactionUid(), e.getMessage());
            }
        });
    }

    private void schedule(long since, int checks, CommitmentJob job, Instant when) {
        jobs.schedule(job.transactionUid() + "/" + UUID.randomUUID(), VERSION + "\n" + since + "\n" + checks + "\n" + job.encode(), when);
    }

    /** The job: report when central holds everything (or the wait is over), else check again later. */
    private void run(String data) throws Exception {
        String[] head = data.split("\n", 4);
        if (head.length < 4 || !VERSION.equals(head[0])) {
            throw new IllegalArgumentException("not a " + VERSION + " job");
        }
        long since = Long.parseLong(head[1]);
        int checks = Integer.parseInt(head[2]);
        CommitmentJob job = CommitmentJob.decode(head[3]);
        boolean giveUp = System.currentTimeMillis() - since > maxWait.toMillis();
        StorageCommitmentAdapter.Report report = adapter.resultHeldUpstream(job, peer, giveUp);
        if (report == null) {
            long wait = Math.min(FIRST_WAIT.toMillis() << Math.min(checks, 16), LONGEST_WAIT.toMillis());
            schedule(since, checks + 1, job, Instant.now().plusMillis(wait));
            return;
        }
        if (giveUp) {
            LOG.warn("storage commitment for transaction {}: the peer still lacks instances after {} h; reported as failed",
                    job.transactionUid(), maxWait.toHours());
        }
        reporter.run(job, report); // a failure retries this job (the requestor unreachable)
    }
}
