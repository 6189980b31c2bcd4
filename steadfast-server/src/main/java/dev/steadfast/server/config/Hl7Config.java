package dev.steadfast.server.config;

/**
 * The HL7 v2 MLLP listener (issue 18, docs/HL7.md).
 *
 * @param port the MLLP port; null: no listener (the default)
 * @param bind the address it listens on
 * @param tls  MLLP over TLS with the DICOM TLS key and trust stores (dicom.tls.*)
 */
public record Hl7Config(Integer port, String bind, boolean tls) {
    public static final Hl7Config OFF = new Hl7Config(null, "0.0.0.0", false);

    public boolean enabled() {
        return port != null;
    }
}
