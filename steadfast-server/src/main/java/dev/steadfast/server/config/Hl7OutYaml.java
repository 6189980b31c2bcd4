package dev.steadfast.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code hl7.destinations} and {@code hl7.routes} of the YAML file (docs/HL7.md, "Outgoing"). */
final class Hl7OutYaml {
    private static final Set<String> DESTINATION = Set.of("host", "port", "tls", "application", "facility");
    private static final Set<String> ROUTE = Set.of("message-type", "trigger-event", "receiving-application",
            "receiving-facility", "destination");

    private Hl7OutYaml() {
    }

    static Map<String, Hl7OutConfig.Destination> destinations(Object section, boolean tlsConfigured) {
        Map<String, Hl7OutConfig.Destination> out = new LinkedHashMap<>();
        if (section == null) {
            return out;
        }
        for (Map.Entry<?, ?> e : ForwardingYaml.map(section, "hl7.destinations").entrySet()) {
            String name = String.valueOf(e.getKey());
            String where = "hl7.destinations." + name;
            Map<?, ?> m = ForwardingYaml.map(e.getValue(), where);
            ForwardingYaml.keys(m, DESTINATION, where);
            String host = ForwardingYaml.text(m, "host");
            ConfigException.check(host != null, where + ".host", "is required");
            String portText = ForwardingYaml.text(m, "port");
            int port;
            try {
                port = Integer.parseInt(String.valueOf(portText));
            } catch (NumberFormatException x) {
                throw new ConfigException(where + ".port", "must be a whole number: '" + portText + "'");
            }
            ConfigException.check(port > 0 && port <= 65535, where + ".port", "must be 1..65535");
            String tlsText = ForwardingYaml.text(m, "tls");
            boolean tls = switch (tlsText == null ? "false" : tlsText.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException(where + ".tls", "must be true or false: '" + tlsText + "'");
            };
            if (tls && !tlsConfigured) {
                throw new ConfigException(where + ".tls", "needs dicom.tls.* (its trust store) configured");
            }
            out.put(name, new Hl7OutConfig.Destination(name, host, port, tls, ForwardingYaml.text(m, "application"),
                    ForwardingYaml.text(m, "facility")));
        }
        return out;
    }

    static List<Hl7OutConfig.Route> routes(Object section, Set<String> destinations) {
        List<Hl7OutConfig.Route> out = new ArrayList<>();
        if (section == null) {
            return out;
        }
        if (!(section instanceof List<?> list)) {
            throw new ConfigException("hl7.routes", "must be a list of routes");
        }
        for (Object r : list) {
            String where = "hl7.routes[" + out.size() + "]";
            Map<?, ?> m = ForwardingYaml.map(r, where);
            ForwardingYaml.keys(m, ROUTE, where);
            String to = ForwardingYaml.text(m, "destination");
            ConfigException.check(to != null, where + ".destination", "is required");
            ConfigException.check(destinations.contains(to), where + ".destination",
                    "'" + to + "' is not one of hl7.destinations " + destinations);
            out.add(new Hl7OutConfig.Route(ForwardingYaml.text(m, "message-type"), ForwardingYaml.text(m, "trigger-event"),
                    ForwardingYaml.text(m, "receiving-application"), ForwardingYaml.text(m, "receiving-facility"), to));
        }
        return out;
    }
}
