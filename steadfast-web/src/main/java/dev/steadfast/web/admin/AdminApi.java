package dev.steadfast.web.admin;

import dev.steadfast.archive.admin.ArchiveStatistics;
import dev.steadfast.archive.admin.StudyCatalog;
import dev.steadfast.archive.admin.StudyDeletion;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the admin REST API under {@code /api} works on, built by the caller (the node), which alone
 * knows the storage targets' state.
 *
 * @param storage       the storage targets and ingest journal as last seen, for {@code /api/statistics}
 * @param deleteEnabled whether {@code DELETE /api/studies/{uid}} may delete (configuration
 *                      {@code api.delete-enabled}); off, it answers 403
 * @param deadLetters   HL7 messages answered AE (issue 18), for {@code GET /api/hl7/dead-letters}; null: HL7 is off
 * @param cluster       the nodes sharing the index (issue 15), for {@code GET /api/cluster}; null: none
 * @param forwarding    the forwarding queues for {@code /api/forwarding}, or null when nothing is forwarded
 */
public record AdminApi(StudyCatalog catalog, ArchiveStatistics statistics, StudyDeletion deletion,
                       Supplier<StorageState> storage, boolean deleteEnabled,
                       dev.steadfast.archive.audit.AccessAudit audit,
                       dev.steadfast.archive.workflow.DeadLetters deadLetters,
                       dev.steadfast.archive.forward.ForwardQueues forwarding, Supplier<ClusterView> cluster) {
    public AdminApi(StudyCatalog catalog, ArchiveStatistics statistics, StudyDeletion deletion,
                    Supplier<StorageState> storage, boolean deleteEnabled) {
        this(catalog, statistics, deletion, storage, deleteEnabled, dev.steadfast.archive.audit.AccessAudit.NONE);
    }

    public AdminApi(StudyCatalog catalog, ArchiveStatistics statistics, StudyDeletion deletion,
                    Supplier<StorageState> storage, boolean deleteEnabled, dev.steadfast.archive.audit.AccessAudit audit) {
        this(catalog, statistics, deletion, storage, deleteEnabled, audit, null, null, null);
    }

    /** Without forwarding (issue 17). */
    public AdminApi(StudyCatalog catalog, ArchiveStatistics statistics, StudyDeletion deletion,
                    Supplier<StorageState> storage, boolean deleteEnabled, dev.steadfast.archive.audit.AccessAudit audit,
                    dev.steadfast.archive.workflow.DeadLetters deadLetters) {
        this(catalog, statistics, deletion, storage, deleteEnabled, audit, deadLetters, null, null);
    }

    /** Without the cluster view. */
    public AdminApi(StudyCatalog catalog, ArchiveStatistics statistics, StudyDeletion deletion,
                    Supplier<StorageState> storage, boolean deleteEnabled, dev.steadfast.archive.audit.AccessAudit audit,
                    dev.steadfast.archive.workflow.DeadLetters deadLetters, dev.steadfast.archive.forward.ForwardQueues forwarding) {
        this(catalog, statistics, deletion, storage, deleteEnabled, audit, deadLetters, forwarding, null);
    }

    /**
     * What {@code GET /api/cluster} lists (issue 15).
     *
     * @param self this node's id
     */
    public record ClusterView(String self, java.time.Duration nodeTimeout, List<dev.steadfast.archive.cluster.ClusterNode> nodes) {
    }

    public AdminApi {
        audit = audit == null ? dev.steadfast.archive.audit.AccessAudit.NONE : audit;
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(deletion, "deletion");
        Objects.requireNonNull(storage, "storage");
    }

    /** The configuration key that enables deletion, named in the 403 answer and the docs. */
    public static final String DELETE_KEY = "api.delete-enabled";
    public static final String DELETE_ENV = "STEADFAST_API_DELETE_ENABLED";

    /**
     * @param policy         the write policy ({@code all}, {@code 1 of 2})
     * @param journalBacklog acknowledged instances waiting to be indexed
     */
    public record StorageState(String policy, long journalBacklog, List<TargetState> targets) {
        public StorageState {
            targets = List.copyOf(targets);
        }
    }

    /**
     * One storage target.
     *
     * @param circuit    {@code CLOSED} (healthy), {@code OPEN} or {@code HALF_OPEN}
     * @param freeBytes  usable bytes left, -1 when unknown (S3)
     * @param totalBytes size of its filesystem, -1 when unknown (S3)
     */
    public record TargetState(String name, boolean up, String circuit, long pendingRepairs, long freeBytes,
                              long totalBytes) {
    }
}
