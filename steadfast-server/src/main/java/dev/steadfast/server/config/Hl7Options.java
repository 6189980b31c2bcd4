package dev.steadfast.server.config;

import dev.steadfast.archive.forward.ForwardPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Reads the {@code hl7.*} options (issue 18). */
final class Hl7Options {
    static final List<ConfigOptions.Option> ALL = List.of(
            new ConfigOptions.Option("hl7.port", null, "HL7 v2 MLLP port (ADT, ORM^O01, OMI^O23; docs/HL7.md); none: no HL7 listener"),
            new ConfigOptions.Option("hl7.bind", "0.0.0.0", "address the HL7 port listens on"),
            new ConfigOptions.Option("hl7.tls", "false", "MLLP over TLS, with the key and trust stores of dicom.tls.*"),
            new ConfigOptions.Option("hl7.allowed-senders", "127.0.0.0/8,::1", "addresses, networks (CIDR) and host names that may connect to the HL7 port (list); a connection from elsewhere is closed unanswered"),
            new ConfigOptions.Option("hl7.max-message-bytes", "33554432", "longest HL7 message accepted; a longer one is answered AR and its connection closed"),
            new ConfigOptions.Option("hl7.message-timeout-seconds", "60", "a message must be complete this long after its first byte, else its connection is closed"),
            new ConfigOptions.Option("hl7.idle-timeout-seconds", "600", "an MLLP connection on which no message starts for this long is closed"),
            new ConfigOptions.Option("hl7.max-connections", "500", "open MLLP connections at most; one more is closed at once"),
            new ConfigOptions.Option("hl7.out.max-attempts", "10", "failed deliveries (no acknowledgement) before an outgoing HL7 message is a dead letter; AE/AR: at once"),
            new ConfigOptions.Option("hl7.out.retry-initial-ms", "5000", "wait after the first failed delivery; doubles per failure"),
            new ConfigOptions.Option("hl7.out.retry-max-seconds", "600", "longest wait between delivery attempts"),
            new ConfigOptions.Option("hl7.out.ack-timeout-seconds", "30", "how long an HL7 destination may take to acknowledge a message"),
            new ConfigOptions.Option("hl7.reports.destinations", null, "HL7 destinations that get an ORU^R01 for every report stored (SR, Encapsulated PDF; list)"),
            new ConfigOptions.Option("hl7.status.destinations", null, "HL7 destinations that get an ORM^O01 status update (ORC-1 SC) when a procedure's MPPS starts, completes or is discontinued and when its images are all stored (list)"));

    private Hl7Options() {
    }

    /**
     * @param get          an option's value (its default when unset) by key
     * @param destinations the YAML {@code hl7.destinations} section, or null
     * @param routes       the YAML {@code hl7.routes} section, or null
     */
    static Hl7Config read(Function<String, String> get, boolean dicomTls, Object destinations, Object routes) {
        String port = get.apply("hl7.port");
        String tls = get.apply("hl7.tls");
        boolean useTls = switch (tls == null ? "false" : tls.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("hl7.tls", "must be true or false: '" + tls + "'");
        };
        Hl7Limits limits;
        try {
            limits = new Hl7Limits(number(get, "hl7.max-message-bytes"), Duration.ofSeconds(number(get, "hl7.message-timeout-seconds")),
                    Duration.ofSeconds(number(get, "hl7.idle-timeout-seconds")), (int) number(get, "hl7.max-connections"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("hl7", e.getMessage());
        }
        Hl7OutConfig out = out(get, dicomTls, destinations, routes);
        java.util.List<HostPattern> senders = new java.util.ArrayList<>();
        String allowed = get.apply("hl7.allowed-senders");
        for (String a : (allowed == null ? "" : allowed).split(",")) {
            if (!a.isBlank()) {
                senders.add(HostPattern.parse("hl7.allowed-senders", a.strip()));
            }
        }
        if (port == null) {
            return new Hl7Config(null, get.apply("hl7.bind"), useTls, limits, out, senders);
        }
        int p;
        try {
            p = Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("hl7.port", "must be a whole number: '" + port + "'");
        }
        ConfigException.check(p >= 0 && p <= 65535, "hl7.port", "must be 0..65535");
        if (useTls && !dicomTls) {
            throw new ConfigException("hl7.tls", "needs dicom.tls.* (its key and trust stores) configured");
        }
        return new Hl7Config(p, get.apply("hl7.bind"), useTls, limits, out, senders);
    }

    private static Hl7OutConfig out(Function<String, String> get, boolean dicomTls, Object destinationsYaml, Object routesYaml) {
        Map<String, Hl7OutConfig.Destination> destinations = Hl7OutYaml.destinations(destinationsYaml, dicomTls);
        List<Hl7OutConfig.Route> routes = Hl7OutYaml.routes(routesYaml, destinations.keySet());
        List<String> reports = destinationList(get, "hl7.reports.destinations", destinations.keySet());
        List<String> status = destinationList(get, "hl7.status.destinations", destinations.keySet());
        ForwardPolicy d = Hl7OutConfig.DEFAULT_POLICY;
        ForwardPolicy policy;
        try {
            policy = new ForwardPolicy((int) number(get, "hl7.out.max-attempts"), Duration.ofMillis(number(get, "hl7.out.retry-initial-ms")),
                    Duration.ofSeconds(number(get, "hl7.out.retry-max-seconds")), d.lease(), d.batch(), d.poll());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("hl7.out", e.getMessage());
        }
        long ack = number(get, "hl7.out.ack-timeout-seconds");
        ConfigException.check(ack > 0, "hl7.out.ack-timeout-seconds", "must be positive");
        return new Hl7OutConfig(destinations, routes, reports, status, policy, Duration.ofSeconds(ack));
    }

    /** A comma-separated list of HL7 destination names, each one of {@code hl7.destinations}. */
    private static List<String> destinationList(Function<String, String> get, String key, java.util.Set<String> names) {
        String list = get.apply(key);
        List<String> out = list == null ? List.of()
                : Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String r : out) {
            ConfigException.check(names.contains(r), key, "'" + r + "' is not one of hl7.destinations " + names);
        }
        return out;
    }

    private static long number(Function<String, String> get, String key) {
        String v = get.apply(key);
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigException(key, "must be a whole number: '" + v + "'");
        }
    }
}
