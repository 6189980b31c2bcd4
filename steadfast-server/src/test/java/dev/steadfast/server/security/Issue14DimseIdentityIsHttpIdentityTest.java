package dev.steadfast.server.security;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.pdu.UserIdentityRq;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One set of users and roles for both front doors (issue 14): a DIMSE User Identity (PS3.7 D.3.3.7) that is a
 * JWT is checked against the OIDC issuer HTTP trusts, and the token's roles decide what the association may do
 * (read: query and retrieve). The caller's address is not trusted here (trusted networks: 127.0.0.2 only), so
 * without an identity its query is refused with 0124.
 */
class Issue14DimseIdentityIsHttpIdentityTest {
    @TempDir
    Path tmp;

    private static final Dataset STUDY_KEYS = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY")
            .setNull(Tag.StudyInstanceUID, VR.UI);

    @Test
    void aJwtIdentityGrantsTheServicesOfItsRoles() throws Exception {
        try (OidcProvider idp = new OidcProvider();
             ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(
                     "http.auth.oidc.issuer", idp.issuer(), "http.auth.oidc.audience", OidcProvider.AUDIENCE,
                     "access.trusted-networks", "127.0.0.2"), List.of())) {
            assertThat(find(node, null).status()).isEqualTo(Status.NOT_AUTHORIZED);
            assertThat(find(node, UserIdentityRq.jwt(idp.token("read"), false)).status()).isEqualTo(Status.SUCCESS);
            // A token without the read role proves who it is, but grants no query.
            assertThat(find(node, UserIdentityRq.jwt(idp.token("write"), false)).status()).isEqualTo(Status.NOT_AUTHORIZED);
            // A token the issuer did not sign (or expired, or for another audience) rejects the association.
            String forged = idp.token("read");
            String tampered = forged.substring(0, forged.length() - 4) + (forged.endsWith("AAAA") ? "BBBB" : "AAAA");
            assertThatThrownBy(() -> find(node, UserIdentityRq.jwt(tampered, false))).isInstanceOf(Exception.class);
            assertThatThrownBy(() -> find(node, UserIdentityRq.jwt(idp.token(OidcProvider.ISSUER_ID, "another-audience",
                    3600, Map.of("roles", List.of("read"))), false))).isInstanceOf(Exception.class);
        }
    }

    @Test
    void aBuiltInUsersPasscodeGrantsTheServicesOfItsRoles() throws Exception {
        Path users = tmp.resolve("users");
        String password = "correct horse battery";
        addUser(users, "alice", "read", password);
        addUser(users, "bob", "write", password);
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(
                "http.auth.users-file", users.toString(), "access.trusted-networks", "127.0.0.2"), List.of())) {
            assertThat(find(node, null).status()).isEqualTo(Status.NOT_AUTHORIZED);
            assertThat(find(node, UserIdentityRq.usernamePasscode("alice", password, false)).status()).isEqualTo(Status.SUCCESS);
            assertThat(find(node, UserIdentityRq.usernamePasscode("bob", password, false)).status())
                    .isEqualTo(Status.NOT_AUTHORIZED);
            assertThatThrownBy(() -> find(node, UserIdentityRq.usernamePasscode("alice", "wrong password!", false)))
                    .isInstanceOf(Exception.class);
        }
        // The refused identity is a failed User Authentication in the audit trail.
        String audit = java.nio.file.Files.readString(tmp.resolve("data/audit/access.log"));
        assertThat(audit).contains("DICOM User Identity refused (calling AE WS9)", "UserID=\"alice\"");
    }

    private static void addUser(Path file, String name, String roles, String password) {
        java.io.InputStream stdin = System.in;
        System.setIn(new java.io.ByteArrayInputStream((password + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            java.io.StringWriter out = new java.io.StringWriter();
            int code = dev.steadfast.server.Main.execute(new java.io.PrintWriter(out), new java.io.PrintWriter(out, true),
                    new String[] {"user", "add", "--users-file", file.toString(), "--roles", roles, name, "--password-stdin"});
            assertThat(code).as(out.toString()).isZero();
        } finally {
            System.setIn(stdin);
        }
    }

    private static DimseResponse find(ArchiveNode node, UserIdentityRq identity) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("WS9").calledAeTitle("STEADFAST")
                .propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ImplicitVRLittleEndian);
        if (identity != null) {
            o.userIdentity(identity);
        }
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            return c.find(UID.StudyRootQueryRetrieveInformationModelFind, STUDY_KEYS, m -> true);
        }
    }
}
