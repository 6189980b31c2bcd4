package dev.steadfast.server.dimse;

import dev.steadfast.archive.cluster.ClusterJobs;
import dev.steadfast.net.dimse.BackChannel;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.Status;
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
 * reported as usual (on the requestor's association while it is open). Either way the request is a
 * durable cluster job ({@value #NAME}) before the N-ACTION is answered; while central lacks
 * instances the job checks again with backoff (2 s doubling, at most
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
    private final Duration grace;
    private final ClusterJobs.OneOff jobs;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * Makes {@code adapter}'s reports wait for upstream; registers the job with {@code cluster} (before it starts).
     *
     * @param peerTimeout the longest one question to the peer may take ({@code sites.peer.timeout-seconds})
     */
    public static void wire(StorageCommitmentAdapter adapter, CommitmentReporter reporter, StorageCommitmentAdapter.HeldUpstream peer,
                            Duration maxWait, Duration peerTimeout, ClusterJobs cluster) {
        adapter.waitForUpstream(new UpstreamCommitment(adapter, reporter, peer, maxWait, peerTimeout, cluster));
    }

    private UpstreamCommitment(StorageCommitmentAdapter adapter, CommitmentReporter reporter, StorageCommitmentAdapter.HeldUpstream peer,
                       Duration maxWait, Duration peerTimeout, ClusterJobs cluster) {
        this.adapter = adapter;
        this.reporter = reporter;
        this.peer = peer;
        this.maxWait = maxWait;
        // The first check on the requestor's association asks the peer first: the job waits that out too.
        this.grace = peerTimeout.plus(CommitmentReporter.BACK_CHANNEL_GRACE);
        this.jobs = cluster.oneOff(NAME, 8, Duration.ofSeconds(2), this::run);
    }

    /**
     * Before the N-ACTION response goes out: the wait becomes a durable job first, so a node that dies
     * right after answering loses nothing (another node, or this one restarted, runs it). On the
     * requestor's open association the report is tried at once when central already holds everything;
     * then the job waits the peer's timeout plus {@link CommitmentReporter#BACK_CHANNEL_GRACE} and is
     * cancelled once that send succeeded (or replaced by one due sooner when it cannot be made).
     *
     * @throws DimseException (0110) when the index cannot take the job: the requestor asks again later
     */
    void submit(BackChannel back, CommitmentJob job) throws DimseException {
        boolean tryBack = reporter.sameAssociation() && back != null;
        long now = System.currentTimeMillis();
        String id = job.transactionUid() + "/" + UUID.randomUUID();
        try {
            schedule(id, now, 0, job, tryBack ? Instant.ofEpochMilli(now).plus(grace) : Instant.ofEpochMilli(now));
        } catch (RuntimeException e) {
            LOG.error("storage commitment for transaction {} (held upstream) cannot wait in the index ({}): refused",
                    job.transactionUid(), e.getMessage());
            throw new DimseException(Status.PROCESSING_FAILURE, "the request cannot be recorded now (index unavailable);"
                    + " send it again later");
        }
        if (!tryBack) {
            return;
        }
        threads.submit(() -> {
            StorageCommitmentAdapter.Report held = adapter.resultHeldUpstream(job, peer, false);
            if (held != null && reporter.sendBack(back, held)) {
                reporter.cancel(id, job);
                return;
            }
            // Not sent here: no need to wait the grace out. The replacement is scheduled before the first goes.
            try {
                schedule(now, held == null ? 1 : 0, job, held == null ? Instant.now().plus(FIRST_WAIT) : Instant.now());
                jobs.cancel(id);
            } catch (RuntimeException e) {
                LOG.debug("storage commitment for transaction {}: its job runs after the grace ({})", job.transactionUid(),
                        e.getMessage());
            }
        });
    }

    private void schedule(String id, long since, int checks, CommitmentJob job, Instant when) {
        jobs.schedule(id, VERSION + "\n" + since + "\n" + checks + "\n" + job.encode(), when);
    }

    private void schedule(long since, int checks, CommitmentJob job, Instant when) {
        schedule(job.transactionUid() + "/" + UUID.randomUUID(), since, checks, job, when);
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
