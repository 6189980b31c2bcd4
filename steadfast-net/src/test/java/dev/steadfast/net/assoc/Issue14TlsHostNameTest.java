package dev.steadfast.net.assoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.dicom.UID;
import dev.steadfast.testing.Peers;
import dev.steadfast.net.TestScp;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: outgoing TLS checks that the peer's certificate names the host we connected to
 * (HTTPS-style endpoint identification) and sends that name as SNI. Before, any certificate that
 * chained to the trust store was accepted, whatever host it belonged to. The SCP here is our own
 * TLS listener; its key manager records the server names each client asked for.
 */
class Issue14TlsHostNameTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path tmp;

    private final List<String> requestedNames = new CopyOnWriteArrayList<>();

    @Test
    void aCertificateForAnotherHostIsRefusedAndTheRightOneWorksWithSni() throws Exception {
        Path localhost = keyStore("localhost", "CN=localhost", "dns:localhost");
        Path elsewhere = keyStore("elsewhere", "CN=elsewhere.example", "dns:elsewhere.example");
        Path trustStore = tmp.resolve("truststore.p12");
        for (Path ks : List.of(localhost, elsewhere)) { // both certificates are trusted: only the name may tell them apart
            exportInto(ks, trustStore);
        }
        TlsConfig client = TlsConfig.bcp195(context(null, trustStore, false), false);

        try (TestScp right = new TestScp("SCP", AssociationConfig.DEFAULTS, 4, TlsConfig.bcp195(context(localhost, trustStore, true), false));
             TestScp wrong = new TestScp("SCP", AssociationConfig.DEFAULTS, 4, TlsConfig.bcp195(context(elsewhere, trustStore, true), false))) {
            try (DimseClient c = DimseClient.open("localhost", right.port(), echo().tls(client))) {
                assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
            }
            assertThat(requestedNames).as("SNI sent by the client").contains("localhost");

            // Trusted, but issued to elsewhere.example: refused in the handshake, nothing negotiated.
            assertThatThrownBy(() -> DimseClient.open("localhost", wrong.port(), echo().tls(client)))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("localhost");
            // The right certificate, but reached by an address it does not name (no IP SAN): refused too.
            assertThatThrownBy(() -> DimseClient.open("127.0.0.1", right.port(), echo().tls(client)))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("127.0.0.1");
        }
    }

    /** A hostile C-MOVE destination that drips its TLS handshake a byte at a time holds us no longer than the ARTIM time. */
    @Test
    void aHandshakeDrippedPastTheArtimTimeIsGivenUp() throws Exception {
        Path localhost = keyStore("localhost", "CN=localhost", "dns:localhost");
        Path trustStore = tmp.resolve("truststore.p12");
        exportInto(localhost, trustStore);
        TlsConfig client = TlsConfig.bcp195(context(null, trustStore, false), false);
        AssociationConfig artim1s = AssociationConfig.DEFAULTS.withTimeouts(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(5));
        try (java.net.ServerSocket hostile = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread dripper = Thread.ofVirtual().start(() -> {
                try (Socket s = hostile.accept()) {
                    // A handshake record header announcing 16 KiB, then its body a byte every 200 ms (about 55 minutes).
                    s.getOutputStream().write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00});
                    for (int i = 0; i < 16384; i++) {
                        Thread.sleep(200);
                        s.getOutputStream().write(0);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client gave up and closed
                }
            });
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () ->
                    assertThatThrownBy(() -> DimseClient.open("localhost", hostile.getLocalPort(), echo().tls(client).config(artim1s)))
                            .isInstanceOf(java.net.SocketTimeoutException.class)
                            .hasMessageContaining("TLS handshake not finished"));
            dripper.interrupt();
        }
    }

    private static ClientOptions echo() {
        return new ClientOptions().calledAeTitle("SCP").propose(UID.Verification, UID.ImplicitVRLittleEndian);
    }

    private Path keyStore(String alias, String dname, String san) throws Exception {
        Path ks = tmp.resolve(alias + ".p12");
        run(List.of(keytool(), "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-ext", "SAN=" + san, "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        return ks;
    }

    private void exportInto(Path keyStore, Path trustStore) throws Exception {
        String alias = keyStore.getFileName().toString().replace(".p12", "");
        Path crt = tmp.resolve(alias + ".crt");
        run(List.of(keytool(), "-exportcert", "-rfc", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", crt.toString()));
        run(List.of(keytool(), "-importcert", "-noprompt", "-alias", alias, "-file", crt.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", PASSWORD));
    }

    private SSLContext context(Path keyStore, Path trustStore, boolean recordSni) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore));
        javax.net.ssl.KeyManager[] kms = null;
        if (keyStore != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore), PASSWORD.toCharArray());
            X509ExtendedKeyManager km = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
            kms = new javax.net.ssl.KeyManager[] {recordSni ? new Recording(km) : km};
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kms, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Delegates, noting the SNI names the client sent when the server picks its certificate. */
    private final class Recording extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager km;

        Recording(X509ExtendedKeyManager km) {
            this.km = km;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            if (socket instanceof SSLSocket s && s.getHandshakeSession() instanceof ExtendedSSLSession session) {
                for (SNIServerName n : session.getRequestedServerNames()) {
                    if (n instanceof SNIHostName h) {
                        requestedNames.add(h.getAsciiName());
                    }
                }
            }
            return km.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return km.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return km.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return km.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return km.getServerAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return km.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return km.getPrivateKey(alias);
        }
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Peers.Result r = Peers.run(command, tmp, 60);
        assertThat(r.exitCode()).as(String.join(" ", command) + "\n" + r.output()).isZero();
    }
}
