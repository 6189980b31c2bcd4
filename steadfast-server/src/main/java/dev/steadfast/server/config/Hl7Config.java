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
 * @param allowedSenders the addresses and networks that may connect (HL7 carries no identity: a message renames
 *               or merges patients); a connection from elsewhere is closed unanswered. Default: loopback
 */
public record Hl7Config(Integer port, String bind, boolean tls, Hl7Limits limits, Hl7OutConfig out,
                        java.util.List<HostPattern> allowedSenders) {
    /** The default of {@code hl7.allowed-senders}: this machine only. */
    public static final java.util.List<HostPattern> LOOPBACK = java.util.List.of(
            HostPattern.parse("hl7.allowed-senders", "127.0.0.0/8"), HostPattern.parse("hl7.allowed-senders", "::1"));
    public static final Hl7Config OFF = new Hl7Config(null, "0.0.0.0", false);

    public Hl7Config {
        allowedSenders = java.util.List.copyOf(allowedSenders);
    }

    public Hl7Config(Integer port, String bind, boolean tls, Hl7Limits limits, Hl7OutConfig out) {
        this(port, bind, tls, limits, out, LOOPBACK);
    }

    public Hl7Config(Integer port, String bind, boolean tls) {
        this(port, bind, tls, Hl7Limits.DEFAULTS, Hl7OutConfig.NONE);
    }

    /** Whether a connection from {@code peer} may send messages. */
    public boolean allows(java.net.InetAddress peer) {
        return allowedSenders.stream().anyMatch(h -> h.matches(peer));
    }

    public boolean enabled() {
        return port != null;
    }
}
