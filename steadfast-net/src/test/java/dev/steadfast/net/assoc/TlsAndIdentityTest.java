package dev.steadfast.net.assoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.dicom.UID;
import dev.steadfast.testing.Peers;
import dev.steadfast.net.TestScp;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.pdu.AAssociateRj;
import dev.steadfast.net.pdu.UserIdentityRq;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsAndIdentityTest {
    @TempDir
    Path tmp;

    private SSLContext context(boolean withKey) throws Exception {
        Path ks = tmp.resolve("ks.p12");
        if (!Files.exists(ks)) {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Peers.Result r = Peers.run(List.of(keytool, "-genkeypair", "-alias", "dicom", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                    "-storepass", "changeit", "-keypass", "changeit"), tmp, 60);
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(withKey ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static ClientOptions echo() {
        return new ClientOptions().calledAeTitle("SCP").propose(UID.Verification, UID.ImplicitVRLittleEndian);
    }

    @Test
    void tlsWithRequiredClientCertificate() throws Exception {
        try (TestScp scp = new TestScp("SCP", AssociationConfig.DEFAULTS, 4, TlsConfig.bcp195(context(true), true))) {
            try (DimseClient c = DimseClient.open("localhost", scp.port(), echo().tls(TlsConfig.bcp195(context(true), false)))) {
                assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
            }
            // no client certificate: the handshake fails, nothing is negotiated
            assertThatThrownBy(() -> DimseClient.open("localhost", scp.port(), echo().tls(TlsConfig.bcp195(context(false), false))).echo())
                    .isInstanceOf(java.io.IOException.class);
            // plain DICOM on the TLS port gets nowhere either
            assertThatThrownBy(() -> DimseClient.open("127.0.0.1", scp.port(), echo()))
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThat(TlsConfig.BCP195_CIPHER_SUITES).allMatch(s -> s.contains("GCM") || s.contains("CHACHA20"));
    }

    @Test
    void userIdentityIsCheckedAndAnsweredWhenAsked() throws Exception {
        UserIdentityVerifier verifier = (id, ae) -> id.identityType() == UserIdentityRq.USERNAME_AND_PASSCODE
                && id.primaryFieldAsString().equals("alice") && id.secondaryFieldAsString().equals("s3cret") ? new byte[0]
                : id.identityType() == UserIdentityRq.JWT && id.primaryFieldAsString().startsWith("eyJ") ? "ok".getBytes() : null;
        try (TestScp scp = new TestScp("SCP", AssociationConfig.DEFAULTS, 4, null, b -> b.userIdentity(verifier, true))) {
            try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), echo().userIdentity(UserIdentityRq.usernamePasscode("alice", "s3cret", true)))) {
                assertThat(c.association().associateAc().userInformation().userIdentityAc()).isNotNull();
                assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
            }
            try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), echo().userIdentity(UserIdentityRq.jwt("eyJhbGciOi", true)))) {
                assertThat(Arrays.equals(c.association().associateAc().userInformation().userIdentityAc().serverResponse(), "ok".getBytes())).isTrue();
            }
            for (ClientOptions bad : List.of(echo().userIdentity(UserIdentityRq.usernamePasscode("alice", "wrong", false)), echo())) {
                assertThatThrownBy(() -> DimseClient.open("127.0.0.1", scp.port(), bad))
                        .isInstanceOfSatisfying(AssociationRejectedException.class,
                                e -> assertThat(e.rejection().source()).isEqualTo(AAssociateRj.SOURCE_SERVICE_USER));
            }
        }
    }
}
