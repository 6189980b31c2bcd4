package dev.steadfast.server.node;

import dev.steadfast.archive.cluster.ClusterJobs;
import dev.steadfast.archive.cluster.ClusterMembership;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.scrub.ClusterScrub;
import dev.steadfast.archive.scrub.ScrubScheduler;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.replica.HealthMonitor;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.server.config.RemoteAeConfig;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.dimse.AccessControl;
import dev.steadfast.server.dimse.CommitmentReporter;
import dev.steadfast.server.dimse.FindAdapter;
import dev.steadfast.server.dimse.NodeMetrics;
import dev.steadfast.server.dimse.RetrieveAdapter;
import dev.steadfast.server.dimse.StoreAdapter;
import dev.steadfast.server.imaging.LosslessTranscoding;
import dev.steadfast.web.ArchiveServices;
import dev.steadfast.server.ops.HealthCheck;
import dev.steadfast.server.ops.WebMetrics;
import dev.steadfast.server.config.StorageTargetConfig;
import dev.steadfast.archive.admin.StudyDeletion;
import dev.steadfast.archive.audit.AuditEvents;
import dev.steadfast.web.auth.HttpAuth;
import dev.steadfast.archive.audit.AuditTrail;
import dev.steadfast.archive.audit.AuditedAccess;
import dev.steadfast.web.admin.AdminApi;
import dev.steadfast.web.DicomWebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running archive node: storage, index and the DIMSE front door wired from a
 * {@link ServeConfig}. {@link #close()} drains: new associations are refused, running ones get the
 * grace period to finish, then are aborted; then the index is closed.
 */
public final class ArchiveNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveNode.class);

    private final ServeConfig config;
    private final Index index;
    private final NodeMetrics metrics = new NodeMetrics();
    private final WebMetrics webMetrics = new WebMetrics();
    private final CommitmentReporter reporter;
    private final List<AssociationListener> listeners = new ArrayList<>();
    private final ReplicatedStorage targets;
    /** What ingest and retrieval use: the one target itself, or all of them under the write policy. */
    private final Storage storage;
    private final HealthMonitor monitor;
    private final LosslessTranscoding transcoding = new LosslessTranscoding();
    /** Our key and trust material: the TLS port, and outgoing associations to peers configured with {@code tls: true}. */
    private final TlsConfig tls;
    private HealthCheck health;
    private ScrubScheduler scrub;
    /** Cluster identity, heartbeat and durable jobs (issue 15); the same on one SQLite node. */
    private NodeCluster nodeCluster;
    private DicomWebServer web;
    private java.util.concurrent.CompletableFuture<dev.steadfast.web.imaging.WarmUpResult> renderWarmUp =
            java.util.concurrent.CompletableFuture.completedFuture(dev.steadfast.web.imaging.WarmUpResult.off());
    private IngestJournal journal;
    private InterruptedReplacements replacements;
    /** The HL7 MLLP listener (issue 18), or null when hl7.port is not set. */
    private dev.steadfast.server.hl7.Hl7Listener hl7;
    /** Forward rules' queues and their drain (issue 17), or null when nothing is forwarded. */
    private dev.steadfast.server.forward.Forwarding forwarding;
    /** Outgoing HL7 (issue 18), or null when no HL7 destination is configured. */
    private dev.steadfast.server.hl7.Hl7Outgoing hl7Out;
    private volatile boolean draining;
    private boolean closed;
    /** Who stored, read, deleted or was refused what (issue 14): PS3.15 A.5 messages, local log and syslog. */
    private AuditTrail auditTrail = AuditTrail.NONE;
    private AuditedAccess audit;
    /** The peer site: inventory, fallback retrieve, reconcile (issue 17). */
    private dev.steadfast.server.sites.Sites sites;
    /** This process's temporary files (header spills, verified reads) under <data>/tmp, swept at the next start after a crash. */
    private dev.steadfast.archive.storage.ScratchFolder scratch;
    /** MPPS SCP, its relays, availability notices, procedure events (issue 18). */
    private dev.steadfast.server.workflow.Workflow workflow;
    private dev.steadfast.server.workflow.ProcedureEvents procedureEvents = dev.steadfast.server.workflow.ProcedureEvents.NONE;

    private ArchiveNode(ServeConfig config, ReplicatedStorage targets, Index index, TlsConfig tls) {
        this.config = config;
        this.targets = targets;
        // One target needs no replication layer: exactly the single-folder archive of before.
        this.storage = targets.targets().size() == 1 ? targets.targets().get(0).storage() : targets;
        this.index = index;
        this.monitor = new HealthMonitor(targets, t -> {
            if (scrub != null) {
                scrub.repairSoon(); // a recovered target gets what it missed
            }
        });
        this.tls = tls;
        this.reporter = new CommitmentReporter(associationConfig(), tls, Duration.ofSeconds(2), config.dicom().commitmentReport());
    }

    /** Opens storage and index (migrating the schema) and starts listening. */
    public static ArchiveNode start(ServeConfig config) throws IOException {
        return start(config, dev.steadfast.server.workflow.ProcedureEvents.NONE);
    }

    /** As {@link #start(ServeConfig)}, telling {@code events} of each procedure's steps (issue 18). */
    public static ArchiveNode start(ServeConfig config, dev.steadfast.server.workflow.ProcedureEvents events) throws IOException {
        Files.createDirectories(config.data());
        ReplicatedStorage targets = StorageTargets.open(config.storage(), config.data().resolve("audit"));
        // Not java.io.tmpdir: a kill -9 leaves temporary files, and only here does the next start find its own.
        var scratch = dev.steadfast.archive.storage.ScratchFolder.open(config.data().resolve("tmp"));
        targets.temporaryFolder(scratch.path());
        Index index;
        try {
            index = Index.openOrWait(config.index()); // an unreachable PostgreSQL: start anyway, journal ingest (issue 4)
        } catch (RuntimeException e) {
            StorageTargets.close(targets);
            scratch.close();
            throw e;
        }
        TlsConfig tls = config.dicom().tls() == null ? null : TlsContexts.of(config.dicom().tls());
        ArchiveNode node = new ArchiveNode(config, targets, index, tls);
        node.scratch = scratch;
        node.procedureEvents = events;
        try {
            node.auditTrail = AuditWiring.open(config.audit(), config.dicom().aeTitle());
            node.audit = new AuditedAccess(node.auditTrail, config.dicom().aeTitle());
            node.listen(tls);
            node.auditTrail.record(AuditEvents.applicationStarted(config.dicom().aeTitle(),
                    String.valueOf(ProcessHandle.current().pid())));
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Where a read that finds nothing here fetches from: a plain DICOM archive (C-MOVE), the peer site (WADO-RS), or nowhere. */
    private dev.steadfast.archive.retrieve.RemoteCopies fallbackCopies(TlsConfig tls) {
        String name = config.sites().fallbackDicom();
        if (name == null) {
            return sites.remoteCopies();
        }
        RemoteAeConfig peer = java.util.Optional.ofNullable(config.remoteAes().get(name)).or(() -> config.remoteAe(name))
                .orElseThrow(() -> new dev.steadfast.server.config.ConfigException("sites.fallback-dicom",
                        "names no entry of remote-aes: '" + name + "'"));
        return new dev.steadfast.server.sites.DicomFallback(peer, config.dicom().aeTitle(), associationConfig(), config.sites().timeout(),
                tls, index);
    }

    private AssociationConfig associationConfig() {
        return DicomListeners.associationConfig(config);
    }

    private void listen(TlsConfig tls) throws IOException {
        // First: the node id names this node everywhere (membership, job claims, its journal on a cluster).
        nodeCluster = new NodeCluster(config, index);
        // Before anything is indexed (the journal's replay too): every indexed instance meets the forward rules.
        dev.steadfast.server.forward.Forwarding.route(config, index);
        // Likewise a new study's prior-study prefetch is queued in the indexing transaction (issue 17).
        dev.steadfast.server.sites.Sites.route(config.sites(), index);
        dev.steadfast.server.workflow.Workflow.route(config, index); // availability notices: images after their MPPS
        // While the index is down, acknowledged instances wait in <data>/journal (issue 7); on a
        // cluster in this node's sub-folder of the shared journal folder, drained by the others if it is lost (issue 15).
        var clusterData = config.clusterData();
        journal = clusterData.journalDir() == null ? new IngestJournal(config.data().resolve("journal"), index, storage)
                : IngestJournal.shared(clusterData.journalDir(), nodeCluster.nodeId(), index, storage);
        // Before the journal replays: a replacement a crash interrupted is settled first (issue 14).
        replacements = InterruptedReplacements.settle(targets, index, journal);
        journal.start(Duration.ofSeconds(2));
        var sc = config.storage();
        monitor.start(sc.healthInterval());
        scrub = StorageRepairs.start(sc, targets, index, nodeCluster);
        health = new HealthCheck(index, journal, targets, monitor, t -> {
            FileSystemStorage fs = StorageTargets.fileSystemOf(t);
            return fs == null ? null : fs.root();
        }, sc.minFreeBytes(), this::dicomListening);
        IngestService ingest = new IngestService(storage, index, config.ingest(), java.time.Clock.systemUTC(), journal);
        replacements.retryHolding(ingest::holdingInstanceLock); // what waited for the index, never beside a live store of it
        ingest.temporaryFolder(scratch.path());
        // IOCM (issue 18): rejection notes hide what they reference; retention-expired files are deleted after the commit.
        var rejections = new dev.steadfast.archive.iocm.Rejections(index, storage, java.time.Clock.systemUTC());
        ingest.afterRejectionNote(rejections::deleteExpiredFiles);
        Thread.ofVirtual().name("steadfast-rejected-files").start(() -> {
            try {
                rejections.deleteExpiredFiles(); // what a crash or a journal replay left for later
            } catch (RuntimeException e) {
                LOG.warn("rejected files to delete could not be listed now: {}", e.toString());
            }
        });
        QueryEngine query = new QueryEngine(index, config.query());
        sites = new dev.steadfast.server.sites.Sites(config.sites(), index, ingest, storage, config.data().resolve("sites-tmp"), audit);
        // C-FIND and QIDO-RS (not retrieve, not the admin API) also list the peer's matches with sites.query-peer.
        QueryEngine find = sites.remoteQuery() == null ? query : query.withRemote(sites.remoteQuery());
        RetrieveEngine retrieve = new RetrieveEngine(index, storage, config.retrieve(), fallbackCopies(tls));
        sites.start(retrieve, new StudyDeletion(index, storage, journal,
                config.storage().targets().stream().anyMatch(StorageTargetConfig::immutable), java.time.Clock.systemUTC()));
        forwarding = dev.steadfast.server.forward.Forwarding.start(config, index, retrieve, associationConfig(), tls, transcoding,
                audit, nodeCluster.nodeId());
        hl7Out = dev.steadfast.server.hl7.Hl7Outgoing.start(config, index, retrieve, tls, nodeCluster.nodeId());
        Function<String, RemoteAeConfig> peers = ae -> config.remoteAe(ae).orElse(null);
        // One set of users and roles for both front doors: DIMSE User Identity is checked by HTTP's authenticators too.
        HttpAuth httpAuth = HttpSecurity.auth(config.http().security()).audited(audit);
        AccessControl access = new AccessControl(config.access(),
                config.remoteAes().values().stream().map(RemoteAeConfig::aeTitle).collect(java.util.stream.Collectors.toSet()))
                .audited(audit)
                .withHttpUsers(httpAuth);
        // Procedure events also become HL7 order status updates (hl7.status.destinations); MPPS operations are audited.
        workflow = dev.steadfast.server.workflow.Workflow.start(config, index, associationConfig(), tls, access,
                dev.steadfast.server.hl7.Hl7ProcedureStatus.around(procedureEvents, hl7Out, config.hl7().out(), config.dicom().aeTitle()),
                audit);
        ServiceRegistry registry = ServiceRegistry.builder()
                .store(UidRegistry.storageSopClasses(), new StoreAdapter(ingest, access, metrics, audit))
                .find(UID.PatientRootQueryRetrieveInformationModelFind, new FindAdapter(find, InformationModel.PATIENT_ROOT, access, audit))
                .find(UID.StudyRootQueryRetrieveInformationModelFind, new FindAdapter(find, InformationModel.STUDY_ROOT, access, audit))
                .move(UID.PatientRootQueryRetrieveInformationModelMove, retrieveAdapter(retrieve, query, InformationModel.PATIENT_ROOT, access, peers))
                .move(UID.StudyRootQueryRetrieveInformationModelMove, retrieveAdapter(retrieve, query, InformationModel.STUDY_ROOT, access, peers))
                .get(UID.PatientRootQueryRetrieveInformationModelGet, retrieveAdapter(retrieve, query, InformationModel.PATIENT_ROOT, access, peers))
                .get(UID.StudyRootQueryRetrieveInformationModelGet, retrieveAdapter(retrieve, query, InformationModel.STUDY_ROOT, access, peers))
                .find(UID.ModalityWorklistInformationModelFind, new dev.steadfast.server.dimse.WorklistAdapter(
                        new dev.steadfast.archive.workflow.Worklist(new dev.steadfast.archive.workflow.Orders(index,
                                java.time.Clock.systemUTC()), config.query().caseInsensitivePersonNames(), query), access, audit))
                .nAction(UID.StorageCommitmentPushModel, nodeCluster.commitment(retrieve, access, peers, reporter,
                        sites.heldUpstream(), config.sites().commitMaxWait(), config.sites().timeout()))
                .nCreate(UID.ModalityPerformedProcedureStep, workflow.mpps())
                .nSet(UID.ModalityPerformedProcedureStep, workflow.mpps())
                .build();
        if (config.hl7().enabled()) { // HL7 before DICOM: a modality's first worklist query sees what was ordered
            hl7 = Hl7Wiring.start(config, index, tls, audit, hl7Out);
        }
        // The admin API registers its deletion job: built now, served once HTTP starts after the DICOM port.
        AdminApi admin = config.http().enabled()
                ? HttpWiring.adminApi(config, index, query, storage, journal, nodeCluster, health, audit, forwarding) : null;
        nodeCluster.start(); // every job is registered; claim work before the DICOM port opens
        DicomListeners.start(config, registry, access, metrics, tls, listeners);
        LOG.info("DICOM: AE title {} on {}:{}{}; index {}; storage {}", config.dicom().aeTitle(), config.dicom().bind(), dicomPort(),
                tls == null ? "" : " and TLS on port " + listeners.get(1).port(), config.index(),
                targets.targets() + " (write policy " + health.lastKnown().policy() + ")");
        // HTTP after the DICOM port (issue 19): nothing an association needs depends on it, and a modality can send
        // while Jetty and the viewer come up. /health is served by HTTP itself, so it answers only once the node is whole;
        // start() still returns (and serve prints "listening") only after both.
        if (config.http().enabled()) {
            ArchiveServices services = new ArchiveServices(ingest, find, retrieve, config.imaging(), audit);
            web = HttpWiring.create(config, services,
                    HttpWiring.operationalEndpoints(health, metrics, webMetrics, forwarding, hl7Out, nodeCluster, sites, workflow),
                    admin, java.util.stream.Stream.of(sites.routes().stream(),
                            new dev.steadfast.web.admin.IocmService(rejections,
                                    new dev.steadfast.archive.workflow.StudyCorrections(index), audit).routes().stream(),
                            hl7Out == null ? java.util.stream.Stream.<dev.steadfast.web.http.Route>empty() : hl7Out.routes().stream(),
                            new dev.steadfast.web.admin.WorkflowService(workflow.queues()).routes().stream()) // issue 18
                            .flatMap(x -> x).toList(),
                    webMetrics, httpAuth);
            HttpWiring.start(config, web);
            if (config.imaging().warmUp()) { // issue 19: after readiness, in the background
                renderWarmUp = services.imaging().warmUp();
            }
        }
        nodeCluster.join(dicomPort(), httpPort());
    }

    /** The render warm-up started once HTTP was up (issue 19); done at once when off or without HTTP. */
    public java.util.concurrent.CompletableFuture<dev.steadfast.web.imaging.WarmUpResult> renderWarmUp() {
        return renderWarmUp;
    }

    /** Whether the DICOM port accepts associations (started, not stopping). */
    public boolean dicomListening() {
        return !draining && !listeners.isEmpty();
    }

    public HealthCheck health() {
        return health;
    }

    private RetrieveAdapter retrieveAdapter(RetrieveEngine r, QueryEngine q, InformationModel m, AccessControl access,
                                            Function<String, RemoteAeConfig> peers) {
        return new RetrieveAdapter(r, q, m, access, peers, tls, transcoding).audited(audit);
    }

    /** The peer site's wiring (issue 17): reconcile now, its last report. */
    public dev.steadfast.server.sites.Sites sites() {
        return sites;
    }

    /** The DICOM port actually listened on (the configured one, or the free one chosen for port 0). */
    public int dicomPort() {
        return listeners.get(0).port();
    }

    /** The HL7 MLLP listener, or null when hl7.port is not set. */
    public dev.steadfast.server.hl7.Hl7Listener hl7() {
        return hl7;
    }

    /** The HTTP port actually listened on, or -1 when HTTP is off. */
    public int httpPort() {
        return web == null ? -1 : web.port();
    }

    public ServeConfig config() {
        return config;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    public Index index() {
        return index;
    }

    /** The first filesystem target's storage (tests look at its files), or null when all targets are S3. */
    public FileSystemStorage storage() {
        return targets.targets().stream().map(StorageTargets::fileSystemOf).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Every storage target, with their health and pending repairs. */
    public ReplicatedStorage targets() {
        return targets;
    }

    /** Background repair and scrub, or null with a single target. */
    public ScrubScheduler scrub() {
        return scrub;
    }

    /** This node's cluster id. */
    public String nodeId() {
        return nodeCluster.nodeId();
    }

    /** The cluster's durable jobs as this node runs them. */
    public ClusterJobs clusterJobs() {
        return nodeCluster.jobs();
    }

    /** Nodes sharing this index, as /api/cluster lists them. */
    public ClusterMembership membership() {
        return nodeCluster.membership();
    }

    /** The cluster-wide scrub's share of this node, or null with a single target. */
    public ClusterScrub clusterScrub() {
        return nodeCluster.scrub();
    }

    /** Outgoing HL7 (issue 18: its {@link dev.steadfast.server.hl7.Hl7Outbox}), or null when no HL7 destination is configured. */
    public dev.steadfast.server.hl7.Hl7Outgoing hl7Out() {
        return hl7Out;
    }

    /** MPPS, availability notices and procedure events (issue 18). */
    public dev.steadfast.server.workflow.Workflow workflow() {
        return workflow;
    }

    /** Forwarding (issue 17), or null when no destination is configured. */
    public dev.steadfast.server.forward.Forwarding forwarding() {
        return forwarding;
    }

    /** Associations currently open on all DICOM ports. */
    public int activeAssociations() {
        return DicomListeners.activeAssociations(listeners);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        if (nodeCluster != null) {
            nodeCluster.draining(); // other nodes stop counting on this one
        }
        for (AssociationListener l : listeners) {
            l.drain(); // a transient rejection: modalities retry later instead of giving up
        }
        if (web != null) {
            try {
                web.stop();
            } catch (Exception e) {
                LOG.warn("stopping HTTP: {}", e.toString());
            }
        }
        long deadline = DicomListeners.drainAndClose(listeners, config.shutdownGrace());
        if (sites != null) {
            sites.close();
        }
        if (hl7 != null) {
            hl7.close(); // what is journaled and not yet applied is applied at the next start
        }
        reporter.close(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)));
        if (nodeCluster != null) {
            nodeCluster.close(); // a job still running after its few seconds is left claimed: another node takes it over
        }
        if (hl7Out != null) {
            hl7Out.close(); // what is not delivered stays queued in the index
        }
        if (forwarding != null) {
            forwarding.close(); // what is not sent stays queued in the index, for the next start or another node
        }
        if (workflow != null) {
            workflow.close(); // the same for MPPS relays, availability notices and procedure events
        }
        if (replacements != null) {
            replacements.close();
        }
        if (journal != null) {
            journal.close(); // what is still journaled is replayed at the next start (or, shared, by another node)
        }
        if (scrub != null) {
            scrub.close();
        }
        monitor.close();
        index.close();
        StorageTargets.close(targets);
        try {
            scratch.close();
        } catch (IOException e) {
            LOG.warn("removing the temporary folder {}: {}", scratch.path(), e.toString());
        }
        if (audit != null) {
            audit.close(); // the stores still gathered per study
            auditTrail.record(AuditEvents.applicationStopped(config.dicom().aeTitle(), String.valueOf(ProcessHandle.current().pid())));
        }
        try {
            auditTrail.close();
        } catch (IOException e) {
            LOG.warn("closing the audit trail: {}", e.toString());
        }
        LOG.info("stopped");
    }
}
