package dev.steadfast.server.config;

import dev.steadfast.archive.forward.ForwardPolicy;
import dev.steadfast.archive.forward.ForwardRule;
import dev.steadfast.dicom.dictionary.ElementDictionary;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code forwarding} section of the YAML file (docs/DEPLOYMENT.md, "Forwarding"). */
final class ForwardingYaml {
    private static final Set<String> SECTION = Set.of("max-attempts", "retry-initial-ms", "retry-max-seconds",
            "lease-seconds", "batch", "poll-ms", "destinations", "rules");
    private static final Set<String> DESTINATION = Set.of("type", "remote-ae", "url", "bearer-token", "username",
            "password", "ordered");
    private static final Set<String> RULE = Set.of("destination", "calling-ae", "modality", "sop-class", "attributes");
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private ForwardingYaml() {
    }

    /**
     * @param remoteAes the configured peers, which DICOM destinations name
     * @param env       for {@code ${NAME}} in secrets (tokens, passwords stay out of the file)
     */
    static ForwardingConfig parse(Object section, Map<String, RemoteAeConfig> remoteAes, Map<String, String> env) {
        if (section == null) {
            return ForwardingConfig.NONE;
        }
        Map<?, ?> m = map(section, "forwarding");
        keys(m, SECTION, "forwarding");
        ForwardPolicy d = ForwardPolicy.DEFAULTS;
        ForwardPolicy policy;
        try {
            policy = new ForwardPolicy(integer(m, "max-attempts", d.maxAttempts()),
                    Duration.ofMillis(integer(m, "retry-initial-ms", (int) d.initialBackoff().toMillis())),
                    Duration.ofSeconds(integer(m, "retry-max-seconds", (int) d.maxBackoff().toSeconds())),
                    Duration.ofSeconds(integer(m, "lease-seconds", (int) d.lease().toSeconds())),
                    integer(m, "batch", d.batch()), Duration.ofMillis(integer(m, "poll-ms", (int) d.poll().toMillis())));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("forwarding", e.getMessage());
        }
        Map<String, ForwardingConfig.Destination> destinations = new LinkedHashMap<>();
        Object ds = m.get("destinations");
        if (ds != null) {
            for (Map.Entry<?, ?> e : map(ds, "forwarding.destinations").entrySet()) {
                String name = String.valueOf(e.getKey());
                destinations.put(name, destination(name, map(e.getValue(), "forwarding.destinations." + name), remoteAes, env));
            }
        }
        List<ForwardRule> rules = new ArrayList<>();
        Object rs = m.get("rules");
        if (rs != null) {
            if (!(rs instanceof List<?> list)) {
                throw new ConfigException("forwarding.rules", "must be a list of rules");
            }
            for (Object r : list) {
                rules.add(rule(map(r, "forwarding.rules[" + rules.size() + "]"), rules.size(), destinations.keySet()));
            }
        }
        return new ForwardingConfig(policy, destinations, rules);
    }

    private static ForwardingConfig.Destination destination(String name, Map<?, ?> m, Map<String, RemoteAeConfig> remoteAes,
                                                            Map<String, String> env) {
        String where = "forwarding.destinations." + name;
        keys(m, DESTINATION, where);
        String typeText = text(m, "type");
        ForwardingConfig.Type type;
        try {
            type = ForwardingConfig.Type.valueOf(String.valueOf(typeText).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ".type", "must be dicom, dicomweb or steadfast: '" + typeText + "'");
        }
        boolean ordered = m.get("ordered") == null || bool(where + ".ordered", String.valueOf(m.get("ordered")));
        if (type == ForwardingConfig.Type.DICOM) {
            String ae = text(m, "remote-ae");
            ConfigException.check(ae != null, where + ".remote-ae", "is required for a dicom destination (a name under remote-aes)");
            RemoteAeConfig peer = remoteAes.get(ae);
            ConfigException.check(peer != null, where + ".remote-ae", "names no remote-aes entry: '" + ae + "'");
            for (String k : List.of("url", "bearer-token", "username", "password")) {
                ConfigException.check(m.get(k) == null, where + "." + k, "is for dicomweb and steadfast destinations");
            }
            return new ForwardingConfig.Destination(name, type, peer, null, null, null, null, ordered);
        }
        ConfigException.check(m.get("remote-ae") == null, where + ".remote-ae", "is for dicom destinations");
        String url = text(m, "url");
        URI uri;
        try {
            uri = url == null ? null : new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        ConfigException.check(uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                && uri.getHost() != null, where + ".url", "must be an http:// or https:// URL: '" + url + "'");
        String token = secret(text(m, "bearer-token"), env, where + ".bearer-token");
        String user = text(m, "username");
        String password = secret(text(m, "password"), env, where + ".password");
        ConfigException.check((user == null) == (password == null), where + ".username",
                "username and password go together (HTTP basic authentication)");
        ConfigException.check(token == null || user == null, where + ".bearer-token", "give a bearer token or a username, not both");
        return new ForwardingConfig.Destination(name, type, null, uri, token, user, password, ordered);
    }

    private static ForwardRule rule(Map<?, ?> m, int i, Set<String> destinations) {
        String where = "forwarding.rules[" + i + "]";
        keys(m, RULE, where);
        String destination = text(m, "destination");
        ConfigException.check(destination != null && destinations.contains(destination), where + ".destination",
                "must name one of forwarding.destinations " + destinations + ": '" + destination + "'");
        Map<Integer, String> attributes = new LinkedHashMap<>();
        Object a = m.get("attributes");
        if (a != null) {
            for (Map.Entry<?, ?> e : map(a, where + ".attributes").entrySet()) {
                String keyword = String.valueOf(e.getKey());
                int tag = ElementDictionary.tagOf(keyword);
                ConfigException.check(tag != -1, where + ".attributes." + keyword, "is not a DICOM attribute keyword");
                attributes.put(tag, String.valueOf(e.getValue()));
            }
        }
        return new ForwardRule(destination, text(m, "calling-ae"), text(m, "modality"), text(m, "sop-class"), attributes);
    }

    /** {@code ${NAME}} from the environment, so a secret need not be written in the file. */
    private static String secret(String value, Map<String, String> env, String where) {
        if (value == null) {
            return null;
        }
        Matcher mt = ENV.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (mt.find()) {
            String v = env.get(mt.group(1));
            ConfigException.check(v != null, where, "environment variable " + mt.group(1) + " is not set");
            mt.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        mt.appendTail(sb);
        return sb.toString();
    }

    static Map<?, ?> map(Object v, String where) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new ConfigException(where, "must be a mapping");
        }
        return m;
    }

    static void keys(Map<?, ?> m, Set<String> allowed, String where) {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw new ConfigException(where + "." + k, "unknown option (" + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    static String text(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v).strip();
    }

    private static int integer(Map<?, ?> m, String key, int dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("forwarding." + key, "must be a whole number: '" + v + "'");
        }
    }

    private static boolean bool(String key, String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, "must be true or false: '" + v + "'");
        };
    }
}
