package dev.steadfast.server.config;

import java.util.Objects;

/**
 * A peer we open associations to: a C-MOVE destination, or the storage commitment requestor
 * that receives its result on a new association.
 *
 * @param name    the key under {@code remote-aes} (for people; the AE title is what DICOM uses)
 * @param aeTitle its AE title (1..16 characters, no backslash)
 * @param tls     whether to connect with TLS (needs {@code dicom.tls} configured)
 * @param associations how many associations at once a C-MOVE to this destination may use for its
 *                     sub-operations (1, the default, to 8; issue 19); only for destinations known
 *                     to accept that many at once
 */
public record RemoteAeConfig(String name, String aeTitle, String host, int port, boolean tls, int associations) {
    /** Upper bound of {@code associations}. */
    public static final int MAX_ASSOCIATIONS = 8;

    public RemoteAeConfig(String name, String aeTitle, String host, int port, boolean tls) {
        this(name, aeTitle, host, port, tls, 1);
    }

    public RemoteAeConfig {
        ConfigException.check(associations >= 1 && associations <= MAX_ASSOCIATIONS, "remote-aes." + name + ".associations",
                "must be 1.." + MAX_ASSOCIATIONS + ": " + associations);
        Objects.requireNonNull(name, "name");
        ConfigException.check(DicomConfig.validAeTitle(aeTitle), "remote-aes." + name + ".ae-title",
                "must be 1 to 16 characters without backslash or control characters: '" + aeTitle + "'");
        ConfigException.check(host != null && !host.isBlank(), "remote-aes." + name + ".host", "is required");
        ConfigException.check(port > 0 && port < 65536, "remote-aes." + name + ".port", "must be 1..65535: " + port);
    }

    /** {@code AETITLE@host:port}, the form of {@code --remote-ae NAME=AETITLE@host:port}. */
    public static RemoteAeConfig parse(String name, String spec) {
        int at = spec.indexOf('@');
        int colon = spec.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == spec.length() - 1) {
            throw new ConfigException("remote-aes." + name, "expected AETITLE@host:port, got '" + spec + "'");
        }
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("remote-aes." + name, "bad port in '" + spec + "'");
        }
        return new RemoteAeConfig(name, spec.substring(0, at).strip(), spec.substring(at + 1, colon).strip(), port, false);
    }

    @Override
    public String toString() {
        return name + "=" + aeTitle + "@" + host + ":" + port + (tls ? " (TLS)" : "")
                + (associations > 1 ? " (" + associations + " associations)" : "");
    }
}
