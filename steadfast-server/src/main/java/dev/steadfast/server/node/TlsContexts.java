package dev.steadfast.server.node;

import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.server.config.ConfigException;
import dev.steadfast.server.config.DicomTlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS context of the DICOM TLS port from PKCS#12 key and trust stores. */
final class TlsContexts {
    private TlsContexts() {
    }

    static TlsConfig of(DicomTlsConfig c) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(c.keyStore(), c.keyStorePassword()), chars(c.keyStorePassword()));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(c.trustStore() == null ? null : load(c.trustStore(), c.trustStorePassword()));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return TlsConfig.bcp195(ctx, c.clientAuth());
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("dicom.tls", "cannot load the key or trust store: " + e.getMessage());
        }
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, chars(password));
        }
        return ks;
    }

    private static char[] chars(String s) {
        return s == null ? new char[0] : s.toCharArray();
    }
}
