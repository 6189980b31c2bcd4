package dev.steadfast.server.config;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Every option of {@code serve} with its default: the one list the loader accepts, and the one
 * that docs/DEPLOYMENT.md must document (a test checks it). {@code remote-aes.NAME...} entries are
 * open-ended and handled apart.
 */
public final class ConfigOptions {
    /** One option: dotted YAML key, default (null: none), what it does. */
    public record Option(String key, String defaultValue, String description) {
        /** {@code dicom.ae-title} -> {@code STEADFAST_DICOM_AE_TITLE}. */
        public String environmentVariable() {
            return "STEADFAST_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    public static final List<Option> ALL = Stream.concat(Stream.of(
            new Option("data", "./steadfast-data", "base folder; storage and the SQLite index default to folders in it"),
            new Option("dicom.ae-title", "STEADFAST", "called AE title we answer to"),
            new Option("dicom.bind", "0.0.0.0", "address the DICOM port listens on"),
            new Option("dicom.port", "11112", "DICOM port"),
            new Option("dicom.max-associations", "64", "associations served at once; more are rejected as transient"),
            new Option("dicom.max-associations-per-host", null,
                    "associations from one peer address at once (default: a quarter of dicom.max-associations, at least 1)"),
            new Option("dicom.artim-timeout-seconds", "30", "a peer must complete its A-ASSOCIATE-RQ within this time of connecting"),
            new Option("dicom.max-pdu-length", "65536", "largest P-DATA PDU accepted"),
            new Option("dicom.idle-timeout-seconds", "300", "an association silent this long is aborted"),
            new Option("dicom.response-timeout-seconds", "300", "a C-MOVE destination or storage commitment peer answering slower is given up"),
            new Option("dicom.commitment-report", "same-association",
                    "storage commitment results: same-association (while the requestor keeps it open, else a new one) or new-association"),
            new Option("dicom.tls.port", null, "DICOM TLS port (BCP 195); TLS is off unless set"),
            new Option("dicom.tls.key-store", null, "PKCS#12 file with our key and certificate"),
            new Option("dicom.tls.key-store-password", null, "its password (prefer the environment variable)"),
            new Option("dicom.tls.trust-store", null, "PKCS#12 file with the certificates we trust (peers, and outgoing TLS)"),
            new Option("dicom.tls.trust-store-password", null, "its password"),
            new Option("dicom.tls.client-auth", "true", "require a client certificate on the TLS port"),
            new Option("http.enabled", "true", "serve DICOMweb over HTTP; false for DIMSE only"),
            new Option("http.bind", "127.0.0.1", "address HTTP listens on; beyond loopback it needs http.auth.* configured"),
            new Option("http.port", "8080", "HTTP port (DICOMweb under /dicom-web)"),
            new Option("http.max-connections", "0", "HTTP connections open at once at most (0: a quarter of the process's open-file limit, at least 64); beyond it new ones wait in the listen backlog"),
            new Option("imaging.threads", "0", "threads that render and transcode for DICOMweb; 0: one less than the CPUs (at least 1)"),
            new Option("imaging.queue", "64", "rendering/transcoding requests that may wait for a thread; more get 503"),
            new Option("imaging.max-render-size", "4096", "largest rendered/thumbnail width or height; a larger viewport is 400"),
            new Option("imaging.max-upscale", "2", "how far a viewport may enlarge an image (1..8)"),
            new Option("imaging.warm-up", "true", "render synthetic images once ready so the JIT compiles the rendering path before the first viewer; stops at the first real request"),
            new Option("audit.log", "<data>/audit/access.log", "the local audit trail (PS3.15 A.5 messages, hash-chained); off: none"),
            new Option("audit.syslog", null, "also send audit messages to a syslog collector: udp://host:port or tls://host:port"),
            new Option("audit.syslog-ca", null, "PEM certificates trusted for the TLS collector; none: the JDK's"),
            new Option("audit.source-id", "<ae-title>@<host name>", "AuditSourceID of every audit message"),
            new Option("audit.site-id", null, "AuditEnterpriseSiteID of every audit message"),
            new Option("viewer.enabled", "true", "serve the web viewer (OHIF) at /viewer/ and send / there"),
            new Option("viewer.oidc-client-id", null, "with http.auth.oidc.issuer: the viewer signs its users in there as this public client (authorization code with PKCE)"),
            new Option("viewer.oidc-scope", "openid", "scopes the viewer asks for when it signs in"),
            new Option("viewer.dir", "<beside the jar>/viewer/package/dist", "the viewer's build (the launcher's build puts it there)"),
            new Option("api.delete-enabled", "false", "allow DELETE /api/studies/{uid} (with a reason, audited); off: 403"),
            new Option("storage.path", "<data>/storage", "folder of the stored instances"),
            new Option("storage.min-free-mb", "64", "refuse instances (A700) when less free space than this remains"),
            new Option("storage.immutable", "false", "the default storage.path target refuses overwrites and deletes outside the audited path"),
            new Option("storage.targets", null, "several targets: fs:PATH or s3://BUCKET/PREFIX?endpoint=... (list); none: storage.path alone"),
            new Option("storage.write-policy", "all", "copies durable before an acknowledgement: all, or N of M"),
            new Option("storage.health-interval-seconds", "5", "how often each storage target is probed"),
            new Option("storage.repair-interval-seconds", "60", "how often copies a target missed are written to it; 0: off"),
            new Option("storage.scrub-interval-hours", "168", "how often every object is re-read and verified; 0: off"),
            new Option("storage.scrub-objects-per-second", "50", "pace of background repair and scrub; 0: no limit"),
            new Option("storage.scrub-mb-per-second", "20", "pace of background repair and scrub; 0: no limit"),
            new Option("index.url", "jdbc:sqlite:<data>/index.db", "index database: jdbc:sqlite:FILE or jdbc:postgresql://host:port/db"),
            new Option("index.user", null, "database user (PostgreSQL)"),
            new Option("index.password", null, "database password (prefer the environment variable)"),
            new Option("index.max-pool-size", "8", "database connections kept open"),
            new Option("index.max-retries", "5", "retries of a transaction that failed transiently"),
            new Option("ingest.duplicates", "reject", "an instance re-sent with different bytes: reject (refused, 0111), keep-first (warning B006) or replace (logged)"),
            new Option("query.case-insensitive-names", "true", "match person names ignoring case"),
            new Option("query.max-results", "0", "most matches one C-FIND returns; 0 for no limit"),
            new Option("query.timeout-seconds", "30", "longest one C-FIND or QIDO query may work (A700 / 503 past it); 0 for no limit"),
            new Option("query.max-matching-keys", "64", "most keys with a value one query may have (A900 / 400 past it)"),
            new Option("query.threads", "0", "queries matched at once on the bounded query pool; 0: the number of processors"),
            new Option("retrieve.verify", "first-read", "check of stored bytes on read: always (SHA-256), first-read (SHA-256 once, then CRC32C) or never"),
            new Option("retrieve.verify-remembered", "200000", "objects first-read remembers as verified (about 100 bytes each)"),
            new Option("access.store", "*", "calling AE titles allowed to store (list; * any, none nobody)"),
            new Option("access.find", null, "calling AE titles allowed to C-FIND (list); unset: remote-aes and trusted networks"),
            new Option("access.get", null, "calling AE titles allowed to C-GET (list); unset: remote-aes and trusted networks"),
            new Option("access.move", null, "calling AE titles allowed to C-MOVE (list); unset: remote-aes and trusted networks"),
            new Option("access.commit", null, "calling AE titles allowed storage commitment (list); unset: remote-aes and trusted networks"),
            new Option("access.trusted-networks", "127.0.0.0/8,::1", "peers on these networks get what unset access lists grant (list; none: no network)"),
            new Option("access.users", null, "DIMSE users with passcodes, NAME:PASSCODE (list; a secret: use the environment variable)"),
            new Option("access.pin", null, "AE titles bound to where they call from: AETITLE@address, network or host name (list)"),
            new Option("shutdown.grace-seconds", "30", "on SIGTERM, how long running associations may finish before they are aborted"),
            new Option("sites.peer.url", null, "the peer site's HTTP base (another Steadfast), e.g. http://site-b:8080; none: no peer"),
            new Option("sites.peer.user", null, "HTTP Basic user on the peer (admin role, for its /api/inventory)"),
            new Option("sites.peer.password", null, "its password (prefer the environment variable)"),
            new Option("sites.peer.timeout-seconds", "30", "longest one request to the peer may take; past it the read or reconcile fails clearly"),
            new Option("sites.reconcile-interval-minutes", "0", "how often serve reconciles with the peer; 0: only by steadfast reconcile or POST /api/reconcile"),
            new Option("sites.reconcile-fill", "true", "periodic reconcile fills the gaps it finds (false: it only reports them)"),
            new Option("sites.fallback-retrieve", "true", "a read (WADO-RS, C-MOVE, C-GET) that finds no local copy fetches it from the peer"),
            new Option("sites.fallback-dicom", null, "a remote-aes name: fallback retrieve asks that plain DICOM archive by C-MOVE (to this AE title) instead of the peer's WADO-RS"),
            new Option("sites.query-peer", "false", "C-FIND and QIDO-RS also list the peer's matches for studies, series and instances not held here"),
            new Option("sites.query-peer-timeout-seconds", "5", "longest a C-FIND or QIDO-RS waits for the peer's matches; past it the local answers come alone"),
            new Option("sites.commitment", "local", "storage commitment means held here (local: on the write policy's targets) or also by the peer (upstream: the report waits until the peer holds every instance)"),
            new Option("sites.commitment-max-wait-hours", "72", "with sites.commitment: upstream, instances the peer still lacks after this long are reported failed"),
            new Option("cache.max-age-days", "0", "edge cache: studies whose latest instance arrived longer ago lose their local copy once the peer holds them; 0: no limit"),
            new Option("cache.max-bytes", "0", "edge cache: while more is stored, the oldest studies the peer holds lose their local copy (500GB, 1TB); 0: no limit"),
            new Option("cache.check-interval-minutes", "10", "how often the cache limits are applied"),
            new Option("prefetch.priors", "0", "when a new study arrives, fetch this many of the patient's most recent prior studies from the peer; 0: off"),
            new Option("prefetch.modalities", null, "only priors with one of these modalities (list; none: any)")),
            Stream.of(HttpSecurityOptions.ALL, ClusterConfig.OPTIONS, ClusterDataOptions.ALL, Hl7Options.ALL, WorkflowOptions.ALL).flatMap(List::stream)).toList();

    private ConfigOptions() {
    }

    public static Option find(String key) {
        for (Option o : ALL) {
            if (o.key().equals(key)) {
                return o;
            }
        }
        return null;
    }
}
