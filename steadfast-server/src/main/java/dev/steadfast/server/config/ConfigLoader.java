package dev.steadfast.server.config;

import dev.steadfast.archive.config.DuplicatePolicy;
import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.config.RetrieveConfig;
import dev.steadfast.archive.storage.replica.WritePolicy;
import dev.steadfast.web.imaging.ImagingLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Builds the {@link ServeConfig} from, in rising precedence: defaults, the YAML file, environment
 * variables ({@code STEADFAST_DICOM_PORT}, ...), command-line flags. Unknown keys and unknown
 * {@code STEADFAST_*} variables ({@link EnvironmentVariables}) are errors, so a typo never silently
 * leaves a default in force.
 */
public final class ConfigLoader {
    /** Environment variable for remote AEs: {@code NAME=AETITLE@host:port}, comma-separated. */
    public static final String REMOTE_AES_ENV = "STEADFAST_REMOTE_AES";

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, RemoteAeConfig> remoteAes = new LinkedHashMap<>();
    /** storage.targets from the YAML file as a list of mappings; a compact value in {@link #values} wins. */
    private List<StorageTargetConfig> yamlTargets;
    /** The YAML file's forwarding section as read (issue 17), parsed once remote-aes are all known. */
    private Object forwardingYaml;
    private Object hl7DestinationsYaml;
    private Object hl7RoutesYaml;
    private Map<String, String> env = Map.of();

    private ConfigLoader() {
    }

    /**
     * @param yaml  the configuration file, or null
     * @param env   the environment (only {@code STEADFAST_*} entries are read; an unknown one is an error)
     * @param flags option key -> value from the command line; {@code remote-aes} entries as NAME=AETITLE@host:port
     */
    public static ServeConfig load(Path yaml, Map<String, String> env, Map<String, String> flags, List<String> remoteAeFlags) {
        EnvironmentVariables.check(env); // a misspelt variable must not leave a default in force
        ConfigLoader l = new ConfigLoader();
        l.env = env;
        if (yaml != null) {
            l.readYaml(yaml);
        }
        for (ConfigOptions.Option o : ConfigOptions.ALL) {
            String v = env.get(o.environmentVariable());
            if (v != null) {
                l.values.put(o.key(), v);
            }
        }
        String envAes = env.get(REMOTE_AES_ENV);
        if (envAes != null && !envAes.isBlank()) {
            for (String spec : envAes.split(",")) {
                l.remoteAeSpec(spec.strip(), REMOTE_AES_ENV);
            }
        }
        flags.forEach((k, v) -> {
            if (ConfigOptions.find(k) == null) {
                throw new ConfigException(k, "unknown option");
            }
            l.values.put(k, v);
        });
        for (String spec : remoteAeFlags) {
            l.remoteAeSpec(spec, "--remote-ae");
        }
        return l.build();
    }

    private void remoteAeSpec(String spec, String where) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(where, "expected NAME=AETITLE@host:port, got '" + spec + "'");
        }
        String name = spec.substring(0, eq).strip();
        remoteAes.put(name, RemoteAeConfig.parse(name, spec.substring(eq + 1).strip()));
    }

    private void readYaml(Path file) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(unreadable(file, e));
        } catch (YamlEngineException e) {
            throw new ConfigException("configuration file " + file + " is not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            return; // empty file: all defaults
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException("configuration file " + file + " must be a mapping of options");
        }
        flatten("", map);
    }

    /** What is wrong with a configuration file that cannot be read, and what to do. */
    private static String unreadable(Path file, IOException e) {
        String where = "configuration file " + file.toAbsolutePath();
        return switch (e) {
            case java.nio.file.NoSuchFileException x -> where + " does not exist; check the path given to --config";
            case java.nio.file.AccessDeniedException x -> where + " cannot be read (permission denied); "
                    + "give the user running steadfast read access to it";
            case java.nio.charset.CharacterCodingException x -> where + " is not UTF-8 text; save it as UTF-8";
            default -> Files.isDirectory(file) ? where + " is a folder; --config takes a YAML file"
                    : "cannot read " + where + ": " + e.getMessage();
        };
    }

    private void flatten(String prefix, Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (key.equals("remote-aes")) {
                remoteAesYaml(v);
            } else if (key.equals("forwarding")) {
                forwardingYaml = v;
            } else if (key.equals("hl7.destinations")) {
                hl7DestinationsYaml = v;
            } else if (key.equals("hl7.routes")) {
                hl7RoutesYaml = v;
            } else if (key.equals("storage.targets") && v instanceof List<?> list) {
                List<StorageTargetConfig> t = new java.util.ArrayList<>();
                for (Object item : list) {
                    t.add(StorageTargetSpecs.fromYaml(item, t.size()));
                }
                yamlTargets = t;
                values.remove(key);
            } else if (v instanceof Map<?, ?> m) {
                flatten(key + ".", m);
            } else if (ConfigOptions.find(key) == null) {
                throw new ConfigException(key, "unknown option (see docs/DEPLOYMENT.md)");
            } else if (v instanceof List<?> list) {
                values.put(key, String.join(",", list.stream().map(String::valueOf).toList()));
            } else {
                values.put(key, v == null ? null : String.valueOf(v));
            }
        }
    }

    private void remoteAesYaml(Object v) {
        if (v == null) {
            return;
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new ConfigException("remote-aes", "must map names to AETITLE@host:port or {ae-title, host, port, tls}");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (e.getValue() instanceof String spec) {
                remoteAes.put(name, RemoteAeConfig.parse(name, spec));
            } else if (e.getValue() instanceof Map<?, ?> m) {
                for (Object k : m.keySet()) {
                    if (!Set.of("ae-title", "host", "port", "tls", "associations").contains(String.valueOf(k))) {
                        throw new ConfigException("remote-aes." + name + "." + k, "unknown option (ae-title, host, port, tls, associations)");
                    }
                }
                Object port = m.get("port");
                int p;
                try {
                    p = Integer.parseInt(String.valueOf(port));
                } catch (NumberFormatException ex) {
                    throw new ConfigException("remote-aes." + name + ".port", "must be a number: " + port);
                }
                Object tls = m.get("tls");
                Object associations = m.get("associations") == null ? "1" : m.get("associations");
                int n;
                try {
                    n = Integer.parseInt(String.valueOf(associations));
                } catch (NumberFormatException ex) {
                    throw new ConfigException("remote-aes." + name + ".associations", "must be a number: " + associations);
                }
                remoteAes.put(name, new RemoteAeConfig(name, m.get("ae-title") == null ? null : String.valueOf(m.get("ae-title")),
                        m.get("host") == null ? null : String.valueOf(m.get("host")), p, tls != null && bool("remote-aes." + name + ".tls",
                        String.valueOf(tls)), n));
            } else {
                throw new ConfigException("remote-aes." + name, "must be AETITLE@host:port or {ae-title, host, port, tls}");
            }
        }
    }

    private String get(String key) {
        if (values.containsKey(key)) {
            String v = values.get(key);
            return v == null || v.isBlank() ? null : v.strip();
        }
        return ConfigOptions.find(key).defaultValue();
    }

    private int integer(String key) {
        String v = get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number: '" + v + "'");
        }
    }

    private static boolean bool(String key, String v) {
        return switch (v == null ? "" : v.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, "must be true or false: '" + v + "'");
        };
    }

    private Set<String> list(String key) {
        String v = get(key);
        Set<String> out = new LinkedHashSet<>();
        if (v != null) {
            Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private ServeConfig build() {
        Path data = Path.of(get("data"));
        String tlsPort = get("dicom.tls.port");
        DicomTlsConfig tls = tlsPort == null ? null : new DicomTlsConfig(integer("dicom.tls.port"),
                path(get("dicom.tls.key-store")), get("dicom.tls.key-store-password"), path(get("dicom.tls.trust-store")),
                get("dicom.tls.trust-store-password"), bool("dicom.tls.client-auth", get("dicom.tls.client-auth")));
        int maxAssociations = integer("dicom.max-associations");
        DicomConfig dicom = new DicomConfig(get("dicom.ae-title"), get("dicom.bind"), integer("dicom.port"),
                maxAssociations, get("dicom.max-associations-per-host") == null ? Math.max(1, maxAssociations / 4)
                        : integer("dicom.max-associations-per-host"), integer("dicom.max-pdu-length"),
                Duration.ofSeconds(integer("dicom.artim-timeout-seconds")), Duration.ofSeconds(integer("dicom.idle-timeout-seconds")), Duration.ofSeconds(integer("dicom.response-timeout-seconds")), tls,
                DicomConfig.CommitmentReport.parse(get("dicom.commitment-report")));
        HttpConfig http = new HttpConfig(bool("http.enabled", get("http.enabled")), get("http.bind"), integer("http.port"),
                bool("api.delete-enabled", get("api.delete-enabled")), HttpSecurityOptions.read(this::get), viewerDir(),
                get("viewer.oidc-client-id"), get("viewer.oidc-scope"), integer("http.max-connections"));
        StorageConfig storage = storage(data);
        String url = get("index.url");
        if (url == null || url.equals("jdbc:sqlite:<data>/index.db")) {
            url = "jdbc:sqlite:" + data.resolve("index.db").toAbsolutePath();
        }
        IndexConfig index;
        try {
            index = new IndexConfig(url, get("index.user"), get("index.password"), integer("index.max-pool-size"),
                    integer("index.max-retries"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("index.url", e.getMessage());
        }
        DuplicatePolicy dup = switch (get("ingest.duplicates").toLowerCase(Locale.ROOT)) {
            case "replace" -> DuplicatePolicy.REPLACE;
            case "keep-first" -> DuplicatePolicy.KEEP_FIRST;
            case "reject" -> DuplicatePolicy.REJECT;
            default -> throw new ConfigException("ingest.duplicates", "must be replace, keep-first or reject: '" + get("ingest.duplicates") + "'");
        };
        QueryConfig query;
        try {
            query = new QueryConfig(bool("query.case-insensitive-names", get("query.case-insensitive-names")), integer("query.max-results"),
                    Duration.ofSeconds(integer("query.timeout-seconds")), integer("query.max-matching-keys"),
                    integer("query.threads") == 0 ? QueryConfig.defaultThreads() : integer("query.threads"));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new ConfigException(m.startsWith("timeout") ? "query.timeout-seconds" : m.startsWith("maxMatchingKeys")
                    ? "query.max-matching-keys" : m.startsWith("threads") ? "query.threads" : "query.max-results", m);
        }
        RetrieveConfig retrieve;
        try {
            retrieve = new RetrieveConfig(RetrieveConfig.Verify.parse(get("retrieve.verify")), integer("retrieve.verify-remembered"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage().startsWith("must be always") ? "retrieve.verify" : "retrieve.verify-remembered",
                    e.getMessage());
        }
        AccessConfig access = AccessOptions.read(this::get, this::list);
        if (tls == null) {
            remoteAes.values().stream().filter(RemoteAeConfig::tls).findFirst().ifPresent(r -> {
                throw new ConfigException("remote-aes." + r.name() + ".tls", "needs dicom.tls (its trust store) configured");
            });
        }
        ClusterDataConfig clusterData = ClusterDataOptions.read(this::get);
        if (clusterData.journalDir() != null && index.isSqlite()) { // another node would drain into its own index
            throw new ConfigException("cluster.journal-dir", "a journal shared by several nodes needs their shared PostgreSQL"
                    + " index (index.url); with SQLite each node keeps its own <data>/journal");
        }
        Hl7Config hl7 = Hl7Options.read(this::get, tls != null, hl7DestinationsYaml, hl7RoutesYaml);
        ForwardingConfig forwarding = ForwardingYaml.parse(forwardingYaml, remoteAes, env);
        for (String name : hl7.out().destinations().keySet()) { // both kinds share the forwarding queues, by name
            ConfigException.check(!forwarding.destinations().containsKey(name), "hl7.destinations." + name,
                    "a forwarding destination has the same name; the queues are named by destination");
        }
        return new ServeConfig(data, dicom, http, storage, index, new IngestConfig(dup), query, retrieve, access, remoteAes,
                Duration.ofSeconds(integer("shutdown.grace-seconds")), imaging(), audit(data, dicom.aeTitle()), clusterData,
                hl7, forwarding, cluster(), sites(),
                WorkflowOptions.read(this::get, remoteAes));
    }

    /** {@code sites.commitment}: true for upstream, false for local (the default). */
    private static boolean commitment(String v) {
        return switch (v == null ? "local" : v.strip().toLowerCase(Locale.ROOT)) {
            case "local" -> false;
            case "upstream" -> true;
            default -> throw new ConfigException("sites.commitment", "must be local or upstream: '" + v + "'");
        };
    }

    private SitesConfig sites() {
        String url = get("sites.peer.url");
        URI peer = null;
        if (url != null) {
            try {
                peer = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException("sites.peer.url", "must be an http(s) URL such as http://site-b:8080: '" + url + "'");
            }
            ConfigException.check(("http".equals(peer.getScheme()) || "https".equals(peer.getScheme())) && peer.getHost() != null,
                    "sites.peer.url", "must be an http(s) URL such as http://site-b:8080: '" + url + "'");
        }
        return new SitesConfig(peer, get("sites.peer.user"), get("sites.peer.password"),
                Duration.ofSeconds(integer("sites.peer.timeout-seconds")), Duration.ofMinutes(integer("sites.reconcile-interval-minutes")),
                bool("sites.reconcile-fill", get("sites.reconcile-fill")), bool("sites.fallback-retrieve", get("sites.fallback-retrieve")),
                Duration.ofDays(integer("cache.max-age-days")), bytes("cache.max-bytes"),
                Duration.ofMinutes(integer("cache.check-interval-minutes")), integer("prefetch.priors"),
                list("prefetch.modalities").stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet()),
                bool("sites.query-peer", get("sites.query-peer")), Duration.ofSeconds(integer("sites.query-peer-timeout-seconds")),
                commitment(get("sites.commitment")), Duration.ofHours(integer("sites.commitment-max-wait-hours")),
                get("sites.fallback-dicom"));
    }

    /** A size: a whole number of bytes, or with a unit KB, MB, GB, TB (powers of 1024). */
    private long bytes(String key) {
        String v = get(key).toUpperCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        for (String[] u : new String[][]{{"TB", "40"}, {"GB", "30"}, {"MB", "20"}, {"KB", "10"}, {"B", "0"}}) {
            if (v.endsWith(u[0])) {
                unit = 1L << Integer.parseInt(u[1]);
                v = v.substring(0, v.length() - u[0].length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(v), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(key, "must be a size such as 500GB or 1073741824: '" + get(key) + "'");
        }
    }

    private ImagingLimits imaging() {
        int threads = integer("imaging.threads");
        double upscale;
        try {
            upscale = Double.parseDouble(get("imaging.max-upscale"));
        } catch (NumberFormatException e) {
            throw new ConfigException("imaging.max-upscale", "must be a number: '" + get("imaging.max-upscale") + "'");
        }
        try {
            return new ImagingLimits(threads == 0 ? ImagingLimits.DEFAULT.threads() : threads, integer("imaging.queue"),
                    integer("imaging.max-render-size"), upscale,
                    bool("imaging.warm-up", get("imaging.warm-up")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("imaging", e.getMessage());
        }
    }

    private ClusterConfig cluster() {
        String id = values.get("cluster.node-id");
        return new ClusterConfig(id == null || id.isBlank() ? null : id.strip(), Duration.ofSeconds(integer("cluster.heartbeat-seconds")),
                Duration.ofSeconds(integer("cluster.node-timeout-seconds")), integer("cluster.job-threads"),
                list("dicom.proxy-protocol.trusted").stream().map(n -> HostPattern.parse("dicom.proxy-protocol.trusted", n)).toList(),
                list("http.forwarded-for.trusted").stream().map(n -> HostPattern.parse("http.forwarded-for.trusted", n)).toList());
    }

    private AuditConfig audit(Path data, String aeTitle) {
        String log = get("audit.log");
        Path logPath = log == null || log.equalsIgnoreCase("off") ? null
                : log.startsWith("<data>") ? data.resolve("audit/access.log") : Path.of(log);
        String syslog = get("audit.syslog");
        URI target;
        try {
            target = syslog == null ? null : new URI(syslog);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException("audit.syslog", "must be udp://host:port or tls://host:port: '" + syslog + "'");
        }
        String ca = get("audit.syslog-ca");
        if (ca != null) {
            ConfigException.check(Files.isReadable(Path.of(ca)), "audit.syslog-ca", "cannot be read: " + ca);
        }
        String source = get("audit.source-id");
        if (source == null || source.startsWith("<")) {
            source = aeTitle + "@" + localHostName();
        }
        return new AuditConfig(logPath, target, ca == null ? null : Path.of(ca), source, get("audit.site-id"));
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private StorageConfig storage(Path data) {
        List<StorageTargetConfig> targets;
        if (values.get("storage.targets") != null && !values.get("storage.targets").isBlank()) {
            targets = Arrays.stream(get("storage.targets").split(",")).map(String::strip).filter(x -> !x.isEmpty())
                    .map(StorageTargetSpecs::compact).toList(); // not a set: a target listed twice is an error
        } else if (yamlTargets != null && !yamlTargets.isEmpty()) {
            targets = yamlTargets;
        } else {
            String storagePath = get("storage.path");
            targets = List.of(new StorageTargetConfig.FileSystem(storagePath == null || storagePath.equals("<data>/storage")
                    ? data.resolve("storage") : Path.of(storagePath), bool("storage.immutable", get("storage.immutable"))));
        }
        StorageTargetSpecs.checkDistinct(targets);
        WritePolicy policy;
        try {
            policy = WritePolicy.parse(get("storage.write-policy"), targets.size());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("storage.write-policy", e.getMessage());
        }
        double objectsPerSecond;
        try {
            objectsPerSecond = Double.parseDouble(get("storage.scrub-objects-per-second"));
        } catch (NumberFormatException e) {
            throw new ConfigException("storage.scrub-objects-per-second", "must be a number: '" + get("storage.scrub-objects-per-second") + "'");
        }
        return new StorageConfig(targets, policy, (long) integer("storage.min-free-mb") << 20,
                Duration.ofSeconds(integer("storage.health-interval-seconds")), Duration.ofSeconds(integer("storage.repair-interval-seconds")),
                Duration.ofHours(integer("storage.scrub-interval-hours")), objectsPerSecond, (long) integer("storage.scrub-mb-per-second") << 20);
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }

    /**
     * The viewer's build: {@code viewer.dir}, or the one the build unpacked beside the jar; null when the viewer is
     * off, or on by default but not built (serve then runs without it and says so).
     */
    private Path viewerDir() {
        if (!bool("viewer.enabled", get("viewer.enabled"))) {
            return null;
        }
        String dir = get("viewer.dir");
        if (dir != null && !dir.startsWith("<")) {
            Path p = Path.of(dir);
            ConfigException.check(Files.isRegularFile(p.resolve("index.html")), "viewer.dir",
                    "has no index.html (the OHIF build's dist folder): " + p);
            return p;
        }
        return ViewerLocation.besideTheJar();
    }
}
