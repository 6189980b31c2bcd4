package dev.steadfast.net.assoc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * DICOM secure transport (PS3.15 B.9 "BCP 195" profile): TLS 1.2 or 1.3 with the BCP 195
 * recommended AEAD cipher suites only, and optionally a required client certificate.
 */
public record TlsConfig(SSLContext context, boolean clientCertificateRequired, List<String> protocols, List<String> cipherSuites) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public static final List<String> BCP195_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> BCP195_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");

    public TlsConfig {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }

    public static TlsConfig bcp195(SSLContext context, boolean clientCertificateRequired) {
        return new TlsConfig(context, clientCertificateRequired, BCP195_PROTOCOLS, BCP195_CIPHER_SUITES);
    }

    /** Parameters restricted to what both this config and the JDK support. */
    SSLParameters parameters() {
        SSLParameters p = context.getDefaultSSLParameters();
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        List<String> suites = new ArrayList<>(cipherSuites);
        suites.retainAll(supported);
        p.setProtocols(protocols.toArray(String[]::new));
        p.setCipherSuites(suites.toArray(String[]::new));
        p.setNeedClientAuth(clientCertificateRequired);
        return p;
    }

    /**
     * Parameters of a connection we open to {@code host}: its certificate must name that host (a DNS
     * name, or an IP address in its subject alternative names), and a host name is sent as SNI (an
     * IP literal cannot be, RFC 6066 3).
     */
    public SSLParameters clientParameters(String host) {
        SSLParameters p = parameters();
        p.setNeedClientAuth(false);
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!IPV4.matcher(host).matches() && !host.contains(":")) {
            try {
                p.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException notAHostName) {
                // not a valid SNI name (an underscore, say): the certificate is still checked against it
            }
        }
        return p;
    }
}
