package dev.steadfast.server.config;

import java.time.Duration;

/**
 * The DICOM listener.
 *
 * @param aeTitle         the called AE title we answer to (others are rejected)
 * @param bind            address to listen on
 * @param port            DICOM port (0: any free port, for tests)
 * @param maxAssociations associations served at once; more are rejected as transient
 * @param maxAssociationsPerHost associations from one peer address at once; more are rejected as transient
 * @param artimTimeout    the time a peer has, from connecting, to send its whole A-ASSOCIATE-RQ (and to close after a rejection)
 * @param maxPduLength    largest P-DATA PDU we accept
 * @param idleTimeout     an association silent this long is aborted
 * @param responseTimeout how long a C-MOVE destination may take to answer one C-STORE
 * @param tls             the TLS listener, or null when off
 * @param commitmentReport where storage commitment results go
 */
public record DicomConfig(String aeTitle, String bind, int port, int maxAssociations, int maxAssociationsPerHost, int maxPduLength,
                          Duration artimTimeout, Duration idleTimeout, Duration responseTimeout, DicomTlsConfig tls, CommitmentReport commitmentReport) {
    /** Where the storage commitment N-EVENT-REPORT goes (PS3.4 J.3.3). */
    public enum CommitmentReport {
        /** On the requestor's association while it is still open, else on a new one to its configured address. */
        SAME_ASSOCIATION,
        /** Always on a new association to the requestor's configured address. */
        NEW_ASSOCIATION;

        public static CommitmentReport parse(String v) {
            return switch (v == null ? "" : v.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "same-association" -> SAME_ASSOCIATION;
                case "new-association" -> NEW_ASSOCIATION;
                default -> throw new ConfigException("dicom.commitment-report", "must be same-association or new-association: '" + v + "'");
            };
        }
    }

    public DicomConfig {
        java.util.Objects.requireNonNull(commitmentReport, "commitmentReport");
        ConfigException.check(validAeTitle(aeTitle), "dicom.ae-title",
                "must be 1 to 16 characters without backslash or control characters: '" + aeTitle + "'");
        ConfigException.check(port >= 0 && port < 65536, "dicom.port", "must be 0..65535: " + port);
        ConfigException.check(maxAssociations >= 1, "dicom.max-associations", "must be at least 1: " + maxAssociations);
        ConfigException.check(maxAssociationsPerHost >= 1 && maxAssociationsPerHost <= maxAssociations, "dicom.max-associations-per-host",
                "must be 1..dicom.max-associations (" + maxAssociations + "): " + maxAssociationsPerHost);
        ConfigException.check(!artimTimeout.isNegative() && !artimTimeout.isZero(), "dicom.artim-timeout-seconds", "must be positive");
        ConfigException.check(maxPduLength >= 4096 && maxPduLength <= (64 << 20), "dicom.max-pdu-length",
                "must be 4096..67108864: " + maxPduLength);
        ConfigException.check(!idleTimeout.isNegative() && !idleTimeout.isZero(), "dicom.idle-timeout-seconds", "must be positive");
        ConfigException.check(!responseTimeout.isNegative() && !responseTimeout.isZero(), "dicom.response-timeout-seconds",
                "must be positive");
    }

    static boolean validAeTitle(String ae) {
        if (ae == null || ae.isBlank() || ae.length() > 16) {
            return false;
        }
        for (char c : ae.toCharArray()) {
            if (c == '\\' || c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
