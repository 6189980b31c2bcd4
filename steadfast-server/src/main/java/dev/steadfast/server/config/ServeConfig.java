package dev.steadfast.server.config;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.config.RetrieveConfig;
import dev.steadfast.web.imaging.ImagingLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code steadfast serve} runs with: immutable, validated once by {@link ConfigLoader}.
 * Runtime objects (pools, sockets) are built from it by the node, never kept in it.
 *
 * @param retrieve      how reads check stored bytes against their recorded SHA-256
 * @param remoteAes     peers by name (C-MOVE destinations, storage commitment requestors)
 * @param shutdownGrace how long in-flight associations may run on after SIGTERM before they are aborted
 * @param imaging       threads and output sizes of DICOMweb rendering and transcoding
 * @param clusterData   the shared ingest journal (issue 15)
 * @param hl7           the HL7 MLLP listener (issue 18), off by default
 * @param forwarding    forward rules, destinations and their queues (issue 17)
 * @param cluster       node id, heartbeat and cluster jobs (issue 15)
 * @param sites         the peer site: reconcile and fallback retrieve (issue 17)
 * @param workflow      MPPS relays and availability notices (issue 18)
 */
public record ServeConfig(Path data, DicomConfig dicom, HttpConfig http, StorageConfig storage, IndexConfig index,
                          IngestConfig ingest, QueryConfig query, RetrieveConfig retrieve, AccessConfig access, Map<String, RemoteAeConfig> remoteAes,
                          Duration shutdownGrace, ImagingLimits imaging, AuditConfig audit, ClusterDataConfig clusterData, Hl7Config hl7,
                          ForwardingConfig forwarding, ClusterConfig cluster, SitesConfig sites, WorkflowConfig workflow) {
    public ServeConfig {
        workflow = workflow == null ? WorkflowConfig.NONE : workflow;
        sites = sites == null ? SitesConfig.OFF : sites;
        remoteAes = Map.copyOf(remoteAes);
        forwarding = forwarding == null ? ForwardingConfig.NONE : forwarding;
        cluster = cluster == null ? ClusterConfig.DEFAULT : cluster;
        ConfigException.check(!shutdownGrace.isNegative(), "shutdown.grace-seconds", "must not be negative");
    }

    /** Without the workflow's deliveries. */
    public ServeConfig(Path data, DicomConfig dicom, HttpConfig http, StorageConfig storage, IndexConfig index,
                       IngestConfig ingest, QueryConfig query, RetrieveConfig retrieve, AccessConfig access,
                       Map<String, RemoteAeConfig> remoteAes, Duration shutdownGrace, ImagingLimits imaging, AuditConfig audit,
                       ClusterDataConfig clusterData, Hl7Config hl7, ForwardingConfig forwarding, ClusterConfig cluster,
                       SitesConfig sites) {
        this(data, dicom, http, storage, index, ingest, query, retrieve, access, remoteAes, shutdownGrace, imaging, audit,
                clusterData, hl7, forwarding, cluster, sites, WorkflowConfig.NONE);
    }

    /** Without forwarding. */
    public ServeConfig(Path data, DicomConfig dicom, HttpConfig http, StorageConfig storage, IndexConfig index,
                       IngestConfig ingest, QueryConfig query, RetrieveConfig retrieve, AccessConfig access,
                       Map<String, RemoteAeConfig> remoteAes, Duration shutdownGrace, ImagingLimits imaging, AuditConfig audit,
                       ClusterDataConfig clusterData, Hl7Config hl7) {
        this(data, dicom, http, storage, index, ingest, query, retrieve, access, remoteAes, shutdownGrace, imaging, audit,
                clusterData, hl7, ForwardingConfig.NONE, ClusterConfig.DEFAULT, SitesConfig.OFF, WorkflowConfig.NONE);
    }

    /** The peer with this AE title, if configured. */
    public Optional<RemoteAeConfig> remoteAe(String aeTitle) {
        return remoteAes.values().stream().filter(r -> r.aeTitle().equals(aeTitle)).findFirst();
    }
}
