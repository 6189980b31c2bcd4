package dev.steadfast.server.dimse;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.net.dimse.BackChannel;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.server.config.DicomConfig;
import dev.steadfast.server.config.RemoteAeConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends storage commitment results (N-EVENT-REPORT) after the N-ACTION response has gone out: on
 * the requestor's own association while it is still open (when the policy says so, PS3.4 J.3.3),
 * else over a new association to its configured address. Every request is a durable cluster job
 * ({@link CommitmentJob}, issue 15) once {@link #durable} is set: written to the index before the
 * N-ACTION is answered, retried with backoff, and sent by another node if this one dies. Tried on
 * the requestor's association first, the job waits {@link #BACK_CHANNEL_GRACE} and is cancelled once
 * that send succeeded. Without the index (down) it falls back to a few in-memory attempts; then the
 * result is logged as undelivered (the requestor will ask again).
 */
public final class CommitmentReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommitmentReporter.class);
    private static final int ATTEMPTS = 3;

    private final AssociationConfig config;
    private final TlsConfig tls;
    private final Duration retryDelay;
    private final DicomConfig.CommitmentReport policy;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /**
     * How long a durable report job waits before it runs when the report is first tried on the requestor's
     * own association: long enough for that to succeed and cancel the job, so it is not sent twice.
     */
    static final Duration BACK_CHANNEL_GRACE = Duration.ofSeconds(15);

    /** Report jobs in the cluster's job table. */
    public interface Durable {
        /** Schedules {@code job} under {@code id} to run at {@code when}, on any node; throws when the index cannot take it. */
        void schedule(String id, CommitmentJob job, java.time.Instant when);

        /** Removes the job unless a node already runs it; false then. */
        boolean cancel(String id);
    }

    /** Schedules a report job cluster-wide, or null before the cluster jobs run. */
    private volatile Durable durable;

    /** @param tls for requestors configured with {@code tls: true}, or null */
    public CommitmentReporter(AssociationConfig config, TlsConfig tls, Duration retryDelay, DicomConfig.CommitmentReport policy) {
        this.config = config;
        this.tls = tls;
        this.retryDelay = retryDelay;
        this.policy = policy;
    }

    /** Reports become durable jobs scheduled through {@code scheduler}. */
    public void durable(Durable scheduler) {
        this.durable = scheduler;
    }

    /**
     * @param back the requestor's association, tried first under the same-association policy
     * @param job  the request, for a durable job when the report goes on a new association
     */
    void submit(RemoteAeConfig requestor, String ourAeTitle, BackChannel back, Supplier<StorageCommitmentAdapter.Report> result,
                CommitmentJob job) {
        boolean tryBack = policy == DicomConfig.CommitmentReport.SAME_ASSOCIATION && back != null;
        // Durable before the N-ACTION response goes out, also when the report is first tried on the requestor's
        // association: a node that dies before that send leaves the job, which any node runs after the grace.
        String id = schedule(job, tryBack ? java.time.Instant.now().plus(BACK_CHANNEL_GRACE) : java.time.Instant.now());
        if (!tryBack && id != null) {
            return;
        }
        threads.submit(() -> {
            StorageCommitmentAdapter.Report report = result.get();
            if (tryBack && sendBack(back, report)) {
                cancel(id, job);
                return;
            }
            if (tryBack && id != null) {
                // The association is gone: a job due now replaces the one waiting out the grace (new one first).
                if (schedule(job, java.time.Instant.now()) != null) {
                    durable.cancel(id);
                }
                return;
            }
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    send(requestor, ourAeTitle, report);
                    return;
                } catch (IOException | DimseException e) {
                    LOG.warn("storage commitment result to {} (attempt {}/{}) failed: {}", requestor, attempt, ATTEMPTS, e.toString());
                    try {
                        Thread.sleep(retryDelay.toMillis() * attempt);
                    } catch (InterruptedException ie) {
                        break;
                    }
                }
            }
            LOG.error("storage commitment result for transaction {} could not be delivered to {}",
                    report.eventInformation().getString(dev.steadfast.dicom.Tag.TransactionUID), requestor);
        });
    }

    /** The durable job's id once the report is a durable job; null without cluster jobs or with the index down. */
    private String schedule(CommitmentJob job, java.time.Instant when) {
        var d = durable;
        if (d == null || job == null) {
            return null;
        }
        String id = job.transactionUid() + "/" + java.util.UUID.randomUUID();
        try {
            d.schedule(id, job, when);
            return id;
        } catch (RuntimeException e) {
            LOG.warn("storage commitment result for {}: cannot queue it as a durable job ({}); trying from this node only",
                    job.requestor(), e.getMessage());
            return null;
        }
    }

    /** The report went on the requestor's association: its durable job is not needed (null id: there is none). */
    void cancel(String id, CommitmentJob job) {
        var d = durable;
        if (id == null || d == null) {
            return;
        }
        try {
            if (!d.cancel(id)) {
                LOG.info("storage commitment for transaction {}: sent on the requestor's association, but its durable job"
                        + " already runs: the requestor may get the same report twice", job.transactionUid());
            }
        } catch (RuntimeException e) {
            LOG.warn("storage commitment for transaction {}: cannot cancel its durable job ({}); the requestor may get the"
                    + " same report twice", job.transactionUid(), e.getMessage());
        }
    }

    /** The durable job's work: sends the report; an exception makes the job retry later (on any node). */
    public void run(CommitmentJob job, StorageCommitmentAdapter.Report report) throws IOException, DimseException {
        send(job.requestor(), job.ourAeTitle(), report);
    }

    /** Whether reports go on the requestor's association while it is open (dicom.commitment-report). */
    boolean sameAssociation() {
        return policy == DicomConfig.CommitmentReport.SAME_ASSOCIATION;
    }

    /** @return false when the association is no longer open (released, aborted, no answer): then a new one is opened */
    boolean sendBack(BackChannel back, StorageCommitmentAdapter.Report report) {
        if (!back.open()) {
            LOG.info("storage commitment result for {}: its association is closed, sending on a new one", back.peerAeTitle());
            return false;
        }
        try {
            DimseResponse r = back.nEventReport(UID.StorageCommitmentPushModelInstance, report.eventTypeId(), report.eventInformation(),
                    config.responseTimeout());
            LOG.info("storage commitment result (event type {}) delivered to {} on its association: {}", report.eventTypeId(),
                    back.peerAeTitle(), r.status());
            return true;
        } catch (IOException e) {
            LOG.info("storage commitment result for {} not delivered on its association ({}), sending on a new one",
                    back.peerAeTitle(), e.getMessage());
            return false;
        }
    }

    private void send(RemoteAeConfig requestor, String ourAeTitle, StorageCommitmentAdapter.Report report)
            throws IOException, DimseException {
        ClientOptions o = new ClientOptions().callingAeTitle(ourAeTitle).calledAeTitle(requestor.aeTitle()).config(config)
                .tls(requestor.tls() ? tls : null)
                .propose(UID.StorageCommitmentPushModel, ClientOptions.UNCOMPRESSED)
                .scpRole(UID.StorageCommitmentPushModel); // we are the SCP sending the report (PS3.4 J.3.3)
        try (DimseClient c = DimseClient.open(requestor.host(), requestor.port(), o)) {
            DimseResponse r = c.nEventReport(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance,
                    report.eventTypeId(), report.eventInformation());
            LOG.info("storage commitment result (event type {}) delivered to {}: {}", report.eventTypeId(), requestor.aeTitle(), r.status());
        }
    }

    /** Lets reports under way finish for up to {@code grace}. */
    public void close(Duration grace) {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
