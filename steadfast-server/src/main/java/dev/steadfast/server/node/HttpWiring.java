package dev.steadfast.server.node;

import dev.steadfast.archive.admin.ArchiveStatistics;
import dev.steadfast.archive.admin.StudyCatalog;
import dev.steadfast.archive.admin.StudyDeletion;
import dev.steadfast.archive.audit.AuditedAccess;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.config.StorageTargetConfig;
import dev.steadfast.server.dimse.NodeMetrics;
import dev.steadfast.server.ops.HealthCheck;
import dev.steadfast.server.ops.PrometheusText;
import dev.steadfast.server.ops.WebMetrics;
import dev.steadfast.web.ArchiveServices;
import dev.steadfast.web.DicomWebServer;
import dev.steadfast.web.PlainEndpoint;
import dev.steadfast.web.admin.AdminApi;
import dev.steadfast.web.auth.HttpAuth;
import dev.steadfast.web.http.Route;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's HTTP port: DICOMweb, the admin API and its further routes, /health and /metrics, the
 * web viewer, trusted balancers. Part of {@link ArchiveNode}'s wiring, started after the DICOM port.
 */
final class HttpWiring {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveNode.class); // the node's log lines, as before

    private HttpWiring() {
    }

    /** The HTTP server as {@code config.http()} says, not started yet (the node closes it however {@link #start} ends). */
    static DicomWebServer create(ServeConfig config, ArchiveServices services, List<PlainEndpoint> endpoints, AdminApi admin,
                                 List<Route> moreAdminRoutes, WebMetrics webMetrics, HttpAuth httpAuth) {
        DicomWebServer web = new DicomWebServer(HttpSecurity.webConfig(config.http()), services, endpoints, admin, moreAdminRoutes,
                webMetrics, httpAuth);
        if (config.http().viewerDir() != null) {
            var oidc = config.http().security().oidc();
            web.withViewer(config.http().viewerDir(), oidc == null || config.http().viewerClientId() == null ? null
                    : new dev.steadfast.web.ViewerSignIn(oidc.issuer(), config.http().viewerClientId(),
                            config.http().viewerScope()));
        }
        int connections = OpenFileLimit.httpConnections(config.http().maxConnections());
        web.limitConnections(connections);
        LOG.info("HTTP: at most {} connections at once (http.max-connections)", connections);
        var httpBalancers = config.cluster().forwardedForTrusted();
        if (!httpBalancers.isEmpty()) { // behind HAProxy option forwardfor: audit and logs name the client
            web.trustForwardedFor(peer -> httpBalancers.stream().anyMatch(b -> b.matches(peer)));
        }
        return web;
    }

    /** Starts {@code web}; a port in use is {@link PortInUse}. */
    static void start(ServeConfig config, DicomWebServer web) throws IOException {
        try {
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

    /** /health (200 when ready, else 503) and /metrics (Prometheus text) beside /dicom-web. */
    static List<PlainEndpoint> operationalEndpoints(HealthCheck health, NodeMetrics metrics, WebMetrics webMetrics,
                                                    dev.steadfast.server.forward.Forwarding forwarding,
                                                    dev.steadfast.server.hl7.Hl7Outgoing hl7Out, NodeCluster nodeCluster,
                                                    dev.steadfast.server.sites.Sites sites,
                                                    dev.steadfast.server.workflow.Workflow workflow) {
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

    /** The admin REST API: statistics, studies, and deletion (refused while any target is immutable). */
    static AdminApi adminApi(ServeConfig config, Index index, QueryEngine query, Storage storage, IngestJournal journal,
                             NodeCluster nodeCluster, HealthCheck health, AuditedAccess audit,
                             dev.steadfast.server.forward.Forwarding forwarding) {
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
}
