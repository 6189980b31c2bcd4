package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.assoc.AssociationRejectedException;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.pdu.AAssociateRj;
import dev.steadfast.net.pdu.UserIdentityRq;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, User Identity negotiation (PS3.7 D.3.3.7): a user who proves a passcode from
 * {@code access.users} gets what the access lists grant to {@code user:NAME}, and what unset lists
 * grant to known callers, whatever its AE title or address. A wrong passcode rejects the
 * association. No network is trusted here, so without an identity the caller gets nothing.
 */
class Issue14UserIdentityTest {
    @TempDir
    Path tmp;

    @Test
    void aVerifiedUserGetsItsPermissionsAndAWrongPasscodeIsRejected() throws Exception {
        Path data = tmp.resolve("data");
        Map<String, String> flags = Map.of("http.enabled", "false", "access.trusted-networks", "none", "access.users", "alice:s3cret",
                "access.store", "user:alice");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), flags, List.of())) {
            assertThat(node.config().access().toString()).doesNotContain("s3cret");
            String port = String.valueOf(node.dicomPort());
            String study = Instances.uid();
            Path file = tmp.resolve("image.dcm");
            try (OutputStream out = Files.newOutputStream(file)) {
                DicomWriter.writeFile(out, Instances.image(study, Instances.uid(), Instances.uid(), 256), UID.ExplicitVRLittleEndian);
            }
            Peers.Result stored = Peers.run(List.of(Peers.tool("storescu"), "-v", "-aec", "STEADFAST", "-aet", "ANYWS", "--user", "alice",
                    "--password", "s3cret", "127.0.0.1", port, file.toString()), 60);
            assertThat(stored.exitCode()).as(stored.output()).isZero();
            assertThat(stored.output()).contains("Association Accepted").doesNotContain("0x124");
            Peers.Result wrong = Peers.run(List.of(Peers.tool("storescu"), "-v", "-aec", "STEADFAST", "-aet", "ANYWS", "--user", "alice",
                    "--password", "guess", "127.0.0.1", port, file.toString()), 60);
            assertThat(wrong.exitCode()).as(wrong.output()).isNotZero();
            assertThat(wrong.output()).containsIgnoringCase("Association Rejected");
            Peers.Result anonymous = Peers.run(List.of(Peers.tool("storescu"), "-v", "-aec", "STEADFAST", "-aet", "ANYWS", "127.0.0.1",
                    port, file.toString()), 60);
            assertThat(anonymous.exitCode()).as(anonymous.output()).isNotZero();
            assertThat(anonymous.output()).containsIgnoringCase("Calling AE Title Not Recognized");

            ClientOptions find = new ClientOptions().callingAeTitle("ANYWS").calledAeTitle("STEADFAST")
                    .propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ImplicitVRLittleEndian);
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), find.userIdentity(UserIdentityRq.usernamePasscode("alice", "s3cret", true)))) {
                assertThat(c.association().associateAc().userInformation().userIdentityAc()).isNotNull();
                List<String> matches = new ArrayList<>();
                DimseResponse r = c.find(UID.StudyRootQueryRetrieveInformationModelFind, new Dataset()
                        .setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY").setString(Tag.StudyInstanceUID, VR.UI, study), m -> {
                    matches.add(m.getString(Tag.StudyInstanceUID));
                    return true;
                });
                assertThat(r.status()).isEqualTo(Status.SUCCESS);
                assertThat(matches).containsExactly(study);
            }
            ClientOptions asBob = new ClientOptions().callingAeTitle("ANYWS").calledAeTitle("STEADFAST")
                    .propose(UID.Verification, UID.ImplicitVRLittleEndian).userIdentity(UserIdentityRq.usernamePasscode("bob", "s3cret", false));
            assertThatThrownBy(() -> DimseClient.open("127.0.0.1", node.dicomPort(), asBob))
                    .isInstanceOfSatisfying(AssociationRejectedException.class,
                            e -> assertThat(e.rejection().source()).isEqualTo(AAssociateRj.SOURCE_SERVICE_USER));
        }
    }
}
