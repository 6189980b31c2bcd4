package dev.steadfast.server.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Reads the {@code hl7.*} options (issue 18). */
final class Hl7Options {
    static final List<ConfigOptions.Option> ALL = List.of(
            new ConfigOptions.Option("hl7.port", null, "HL7 v2 MLLP port (ADT, ORM^O01, OMI^O23; docs/HL7.md); none: no HL7 listener"),
            new ConfigOptions.Option("hl7.bind", "0.0.0.0", "address the HL7 port listens on"),
            new ConfigOptions.Option("hl7.tls", "false", "MLLP over TLS, with the key and trust stores of dicom.tls.*"));

    private Hl7Options() {
    }

    /** @param get an option's value (null when unset) by key */
    static Hl7Config read(Function<String, String> get, boolean dicomTls) {
        String port = get.apply("hl7.port");
        String tls = get.apply("hl7.tls");
        boolean useTls = switch (tls == null ? "false" : tls.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("hl7.tls", "must be true or false: '" + tls + "'");
        };
        if (port == null) {
            return new Hl7Config(null, get.apply("hl7.bind"), useTls);
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
        return new Hl7Config(p, get.apply("hl7.bind"), useTls);
    }
}
