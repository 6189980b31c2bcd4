package dev.steadfast.server.config;

import java.nio.file.Path;

/**
 * DICOM over TLS (PS3.15 B.9, BCP 195) on its own port. Key and trust stores are PKCS#12 files.
 * The passwords are secrets: they are never printed (see {@link #toString()}).
 *
 * @param clientAuth require a client certificate signed by the trust store
 */
public record DicomTlsConfig(int port, Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
                             boolean clientAuth) {
    public DicomTlsConfig {
        ConfigException.check(port > 0 && port < 65536, "dicom.tls.port", "must be 1..65535: " + port);
        ConfigException.check(keyStore != null, "dicom.tls.key-store", "is required when dicom.tls.port is set");
        ConfigException.check(trustStore != null || !clientAuth, "dicom.tls.trust-store",
                "is required when dicom.tls.client-auth is true");
    }

    @Override
    public String toString() {
        return "DicomTlsConfig[port=" + port + ", keyStore=" + keyStore + ", trustStore=" + trustStore + ", clientAuth=" + clientAuth + "]";
    }
}
