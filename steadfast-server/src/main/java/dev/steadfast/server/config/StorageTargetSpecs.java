package dev.steadfast.server.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code storage.targets} entries. A compact entry (environment, flags, or a YAML string) is
 * {@code fs:PATH} or {@code s3://BUCKET[/PREFIX]}, either followed by {@code ?key=value&...} with the
 * keys of the YAML form. The YAML form is a mapping: {@code {type: filesystem, path, immutable}} or
 * {@code {type: s3, bucket, prefix, endpoint, region, path-style, access-key-id, secret-access-key,
 * immutable, retention-days}}. Every error names {@code storage.targets} and the entry.
 */
final class StorageTargetSpecs {
    private static final String KEY = "storage.targets";
    private static final Set<String> FS_KEYS = Set.of("type", "path", "immutable");
    private static final Set<String> S3_KEYS = Set.of("type", "bucket", "prefix", "endpoint", "region", "path-style",
            "access-key-id", "secret-access-key", "immutable", "retention-days");

    private StorageTargetSpecs() {
    }

    /** A YAML list item: a compact string or a mapping. */
    static StorageTargetConfig fromYaml(Object item, int position) {
        if (item instanceof String s) {
            return compact(s);
        }
        if (!(item instanceof Map<?, ?> m)) {
            throw new ConfigException(KEY + "[" + position + "]", "must be fs:PATH, s3://BUCKET/PREFIX or a mapping with a type");
        }
        Map<String, String> v = new LinkedHashMap<>();
        m.forEach((k, val) -> v.put(String.valueOf(k), val == null ? null : String.valueOf(val)));
        return of(v.get("type"), v, KEY + "[" + position + "]");
    }

    /** {@code fs:PATH[?immutable=true]} or {@code s3://BUCKET[/PREFIX][?endpoint=...&...]}. */
    static StorageTargetConfig compact(String spec) {
        String s = spec.strip();
        int q = s.indexOf('?');
        String head = q < 0 ? s : s.substring(0, q);
        Map<String, String> v = new LinkedHashMap<>();
        if (q >= 0) {
            for (String kv : s.substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                v.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "true" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (head.startsWith("fs:")) {
            v.put("path", head.substring(3));
            return of("filesystem", v, KEY + " '" + head + "'");
        }
        if (head.startsWith("s3://")) {
            String rest = head.substring(5);
            int slash = rest.indexOf('/');
            v.put("bucket", slash < 0 ? rest : rest.substring(0, slash));
            v.put("prefix", slash < 0 ? "" : rest.substring(slash + 1));
            return of("s3", v, KEY + " '" + head + "'");
        }
        throw new ConfigException(KEY, "'" + head + "' must start with fs: or s3://");
    }

    private static StorageTargetConfig of(String type, Map<String, String> v, String where) {
        String t = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
        Set<String> allowed = switch (t) {
            case "filesystem", "fs" -> FS_KEYS;
            case "s3" -> S3_KEYS;
            default -> throw new ConfigException(where, "type must be filesystem or s3, not '" + type + "'");
        };
        for (String k : v.keySet()) {
            if (!allowed.contains(k)) {
                throw new ConfigException(where + "." + k, "unknown target option (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        boolean immutable = bool(where + ".immutable", v.getOrDefault("immutable", "false"));
        if (allowed == FS_KEYS) {
            String path = v.get("path");
            ConfigException.check(path != null && !path.isBlank(), where + ".path", "is required");
            return new StorageTargetConfig.FileSystem(Path.of(path.strip()), immutable);
        }
        URI endpoint = null;
        if (v.get("endpoint") != null) {
            try {
                endpoint = new URI(v.get("endpoint").strip());
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException(where + ".endpoint", "not a URL: " + e.getMessage());
            }
            ConfigException.check(endpoint.getScheme() != null && endpoint.getHost() != null, where + ".endpoint",
                    "must be a URL like http://host:9000, not '" + v.get("endpoint") + "'");
        }
        // Self-hosted stores (an endpoint given) nearly always need path style; AWS prefers virtual-host.
        boolean pathStyle = bool(where + ".path-style", v.getOrDefault("path-style", endpoint != null ? "true" : "false"));
        int retention;
        try {
            retention = Integer.parseInt(v.getOrDefault("retention-days", "0").strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(where + ".retention-days", "must be a whole number");
        }
        ConfigException.check(retention == 0 || immutable, where + ".retention-days", "needs immutable: true");
        return new StorageTargetConfig.S3(endpoint, v.get("region"), v.get("bucket"), v.get("prefix"), pathStyle,
                blankToNull(v.get("access-key-id")), blankToNull(v.get("secret-access-key")), immutable, retention);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static boolean bool(String key, String v) {
        return switch (v == null ? "" : v.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, "must be true or false: '" + v + "'");
        };
    }

    /** Two targets with the same name would be one target counted twice. */
    static void checkDistinct(List<StorageTargetConfig> targets) {
        Set<String> names = new java.util.HashSet<>();
        for (StorageTargetConfig t : targets) {
            ConfigException.check(names.add(t.name()), KEY, "target " + t.name() + " is listed twice");
        }
    }
}
