package dev.steadfast.server.config;

/**
 * HL7 v2 (issue 18, docs/HL7.md): the MLLP listener, its limits against hostile clients, and
 * outgoing messages.
 *
 * @param port   the MLLP port; null: no listener (the default)
 * @param bind   the address it listens on
 * @param tls    MLLP over TLS with the DICOM TLS key and trust stores (dicom.tls.*)
 * @param limits what one client may cost the listener
 * @param out    HL7 destinations, routes and report messages (works without the listener too)
 */
public record Hl7Config(Integer port, String bind, boolean tls, Hl7Limits limits, Hl7OutConfig out) {
    public static final Hl7Config OFF = new Hl7Config(null, "0.0.0.0", false);

    public Hl7Config(Integer port, String bind, boolean tls) {
        this(port, bind, tls, Hl7Limits.DEFAULTS, Hl7OutConfig.NONE);
    }

    public boolean enabled() {
        return port != null;
    }
}
