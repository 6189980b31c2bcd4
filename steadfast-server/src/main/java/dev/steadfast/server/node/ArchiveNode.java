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
import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.ScrubScheduler;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.replica.HealthMonitor;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.net.assoc.AcceptorPolicy;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.Dispatcher;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.server.config.RemoteAeConfig;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.dimse.AccessControl;
import dev.steadfast.server.dimse.CommitmentReporter;
import dev.steadfast.server.dimse.FindAdapter;
import dev.steadfast.server.dimse.NodeMetrics;
import dev.steadfast.server.dimse.RetrieveAdapter;
import dev.steadfast.server.dimse.StorageCommitmentAdapter;
import dev.steadfast.server.dimse.StoreAdapter;
import dev.steadfast.server.imaging.LosslessTranscoding;
import dev.steadfast.web.ArchiveServices;
import dev.steadfast.server.ops.HealthCheck;
import dev.steadfast.server.ops.PrometheusText;
import dev.steadfast.server.ops.WebMetrics;
import dev.steadfast.server.config.StorageTargetConfig;
import dev.steadfast.archive.admin.ArchiveStatistics;
import dev.steadfast.archive.admin.StudyCatalog;
import dev.steadfast.archive.admin.StudyDeletion;
import dev.steadfast.archive.audit.AuditEvents;
import dev.steadfast.web.auth.HttpAuth;
import dev.steadfast.archive.audit.AuditTrail;
import dev.steadfast.archive.audit.AuditedAccess;
import dev.steadfast.web.admin.AdminApi;
import dev.steadfast.web.DicomWebServer;
import dev.steadfast.web.PlainEndpoint;
import java.io.IOException;
import java.net.InetAddress;
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
    private IngestJournal journal;
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
        var d = config.dicom();
        return AssociationConfig.DEFAULTS.withMaxPduLengthReceive(d.maxPduLength())
                .withTimeouts(d.artimTimeout(), d.idleTimeout(), d.responseTimeout(), Duration.ofSeconds(60));
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
        journal = (clusterData.journalDir() == null ? new IngestJournal(config.data().resolve("journal"), index, storage)
                : IngestJournal.shared(clusterData.journalDir(), nodeCluster.nodeId(), index, storage)).start(Duration.ofSeconds(2));
        var sc = config.storage();
        monitor.start(sc.healthInterval());
        if (targets.targets().size() > 1) { // one target has no other copy to repair from
            Scrubber scrubber = new Scrubber(targets, new IndexChecksums(index),
                    new Pace(sc.scrubObjectsPerSecond(), sc.scrubBytesPerSecond()));
            // Each node repairs what it found missing; the list is also in the index, where another
            // node's take-over job finds it when this node is gone (issue 15).
            scrub = new ScrubScheduler(scrubber).start(sc.repairInterval(), Duration.ZERO);
            if (!sc.repairInterval().isZero()) {
                nodeCluster.durableRepairs(targets, scrub::repairSoon, sc.repairInterval());
            }
            // Scrub is cluster-wide: one cycle, partitioned across the live nodes.
            nodeCluster.scrubWith(scrubber, sc.scrubInterval());
        }
        health = new HealthCheck(index, journal, targets, monitor, t -> {
            FileSystemStorage fs = StorageTargets.fileSystemOf(t);
            return fs == null ? null : fs.root();
        }, sc.minFreeBytes(), this::dicomListening);
        IngestService ingest = new IngestService(storage, index, config.ingest(), java.time.Clock.systemUTC(), journal);
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
                audit);
        hl7Out = dev.steadfast.server.hl7.Hl7Outgoing.start(config, index, retrieve, tls);
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
        AdminApi admin = config.http().enabled() ? adminApi(query) : null;
        nodeCluster.start(); // every job is registered; claim work before the DICOM port opens
        AcceptorPolicy policy = DimseServer.policyFor(registry, config.dicom().aeTitle())
                .callingPeers(access::recognizesAudited) // pinned AE titles, and AEs allowed no service at all
                .userIdentity(access.userIdentityVerifier(), false) // optional: a verified user adds its permissions
                .build();
        AssociationConfig ac = associationConfig();
        InetAddress bind = InetAddress.getByName(config.dicom().bind());
        int max = config.dicom().maxAssociations();
        int perHost = config.dicom().maxAssociationsPerHost();
        try {
            // Behind HAProxy send-proxy-v2: limits, access rules and the audit trail see the client, not the balancer.
            var balancers = config.cluster().proxyProtocolTrusted();
            listeners.add(AssociationListener.start(bind, config.dicom().port(), ac, policy,
                    new LoggingHandler(dispatcher(registry, ac), metrics), max, perHost, null,
                    balancers.isEmpty() ? null : peer -> balancers.stream().anyMatch(b -> b.matches(peer))));
            if (!balancers.isEmpty()) {
                LOG.info("DICOM: PROXY protocol header required from {}", balancers);
            }
        } catch (java.net.BindException e) {
            throw new PortInUse("DICOM", config.dicom().bind(), config.dicom().port(), e);
        }
        if (tls != null) {
            try {
                listeners.add(AssociationListener.start(bind, config.dicom().tls().port(), ac, policy,
                        new LoggingHandler(dispatcher(registry, ac), metrics), max, perHost, tls));
            } catch (java.net.BindException e) {
                throw new PortInUse("DICOM TLS", config.dicom().bind(), config.dicom().tls().port(), e);
            }
        }
        LOG.info("DICOM: AE title {} on {}:{}{}; index {}; storage {}", config.dicom().aeTitle(), config.dicom().bind(), dicomPort(),
                tls == null ? "" : " and TLS on port " + listeners.get(1).port(), config.index(),
                targets.targets() + " (write policy " + health.lastKnown().policy() + ")");
        // HTTP after the DICOM port (issue 19): nothing an association needs depends on it, and a modality can send
        // while Jetty and the viewer come up. /health is served by HTTP itself, so it answers only once the node is whole;
        // start() still returns (and serve prints "listening") only after both.
        if (config.http().enabled()) {
            try {
                web = new DicomWebServer(HttpSecurity.webConfig(config.http()),
                        new ArchiveServices(ingest, find, retrieve, config.imaging(), audit), operationalEndpoints(),
                        admin, java.util.stream.Stream.of(sites.routes().stream(),
                                new dev.steadfast.web.admin.IocmService(rejections,
                                        new dev.steadfast.archive.workflow.StudyCorrections(index), audit).routes().stream(),
                                hl7Out == null ? java.util.stream.Stream.<dev.steadfast.web.http.Route>empty() : hl7Out.routes().stream(),
                                new dev.steadfast.web.admin.WorkflowService(workflow.queues()).routes().stream()) // issue 18
                                .flatMap(s -> s).toList(),
                        webMetrics, httpAuth);
                if (config.http().viewerDir() != null) {
                    var oidc = config.http().security().oidc();
                    web.withViewer(config.http().viewerDir(), oidc == null || config.http().viewerClientId() == null ? null
                            : new dev.steadfast.web.ViewerSignIn(oidc.issuer(), config.http().viewerClientId(),
                                    config.http().viewerScope()));
                }
                var httpBalancers = config.cluster().forwardedForTrusted();
                if (!httpBalancers.isEmpty()) { // behind HAProxy option forwardfor: audit and logs name the client
                    web.trustForwardedFor(peer -> httpBalancers.stream().anyMatch(b -> b.matches(peer)));
                }
                web.start();
            } catch (IOException | RuntimeException e) {
                if (PortInUse.isBindFailure(e)) {
                    throw new PortInUse("HTTP", config.http().bind(), config.http().port(), e);
                }
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot start HTTP on " + config.http().bind() + ":" + config.http().port() + ": " + e.getMessage(), e);
            }
            LOG.info("HTTP: DICOMweb at http://{}:{}/dicom-web, admin API at /api (deleting studies {}), /health, /metrics; {}",
                    config.http().bind(), web.port(), config.http().apiDeleteEnabled() ? "enabled" : "disabled",
                    HttpSecurity.describe(config.http().security()));
            if (config.http().viewerDir() != null) {
                LOG.info("HTTP: web viewer at http://{}:{}/viewer/", config.http().bind(), web.port());
            } else {
                LOG.info("HTTP: no web viewer (viewer.enabled is false, or the build has no viewer: see viewer.dir)");
            }
        }
        nodeCluster.join(dicomPort(), httpPort());
    }

    private Dispatcher dispatcher(ServiceRegistry registry, AssociationConfig ac) {
        return new Dispatcher(registry, ac).withOperationListener((type, nanos, failed) ->
                metrics.operation(type.name().replace("_RQ", "").replace('_', '-'), nanos, failed));
    }

    /** The admin REST API: statistics, studies, and deletion (refused while any target is immutable). */
    private AdminApi adminApi(QueryEngine query) {
        boolean immutable = config.storage().targets().stream().anyMatch(StorageTargetConfig::immutable);
        return new AdminApi(new StudyCatalog(index, query), new ArchiveStatistics(index),
                nodeCluster.deletion(new StudyDeletion(index, storage, journal, immutable, java.time.Clock.systemUTC()), storage), () -> {
                    HealthCheck.Report r = health.lastKnown();
                    return new AdminApi.StorageState(r.policy(), r.journalBacklog(), r.targets().stream()
                            .map(t -> new AdminApi.TargetState(t.health().name(), t.health().up(), t.health().state().name(),
                                    t.health().pendingRepairs(), t.freeBytes(), t.totalBytes()))
                            .toList());
                }, config.http().apiDeleteEnabled(), audit,
                config.hl7().enabled() ? new dev.steadfast.archive.workflow.DeadLetters(index) : null,
                forwarding == null ? null : forwarding.queues(), nodeCluster::view);
    }

    /** /health (200 when ready, else 503) and /metrics (Prometheus text) beside /dicom-web. */
    private List<PlainEndpoint> operationalEndpoints() {
        return List.of(
                new PlainEndpoint("/health", () -> {
                    HealthCheck.Report r = health.check();
                    return new PlainEndpoint.Answer(r.ready() ? 200 : 503, "application/json", r.json());
                }),
                new PlainEndpoint("/metrics", () -> new PlainEndpoint.Answer(200, PrometheusText.CONTENT_TYPE,
                        PrometheusText.render(metrics, webMetrics, health.lastKnown())
                                + (forwarding == null ? "" : forwarding.metrics()) + (hl7Out == null ? "" : hl7Out.metrics())
                                + nodeCluster.nodeInfoMetric() + sites.prometheus()
                                + (workflow == null ? "" : workflow.metrics()))));
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
        return listeners.stream().mapToInt(AssociationListener::activeAssociations).sum();
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
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        int open = activeAssociations();
        if (open > 0) {
            LOG.info("stopping: refusing new associations, waiting up to {} s for {} open ones", config.shutdownGrace().toSeconds(), open);
        }
        while (activeAssociations() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (activeAssociations() > 0) {
            LOG.warn("aborting {} associations still open after the grace period", activeAssociations());
        }
        for (AssociationListener l : listeners) {
            try {
                l.close();
            } catch (IOException e) {
                LOG.warn("closing a DICOM listener: {}", e.toString());
            }
        }
        long aborted = System.nanoTime() + 2_000_000_000L; // their threads notice the closed sockets
        while (activeAssociations() > 0 && System.nanoTime() < aborted) {
            Thread.onSpinWait();
            Thread.yield();
        }
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
