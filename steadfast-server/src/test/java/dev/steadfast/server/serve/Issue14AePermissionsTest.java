package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
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
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, per-AE permissions: any AE may store, but patient data (C-FIND, C-GET, C-MOVE, storage
 * commitment) goes only to AE titles under {@code remote-aes} and to peers on a trusted network.
 * On loopback every peer is local, so the test narrows {@code access.trusted-networks} to
 * 127.0.0.2: dcmtk's tools (which connect from 127.0.0.1) then stand for a peer on the hospital
 * network, and our own client bound to 127.0.0.2 for one on the trusted network. Before, any AE
 * from anywhere could query and retrieve everything.
 */
class Issue14AePermissionsTest {
    private static final String AET = "STEADFAST";
    /** How dcmtk 3.6.7 prints 0124 Refused: Not Authorized in C-STORE/C-FIND/C-GET/C-MOVE responses (it has no name for it there). */
    private static final String REFUSED = "Status: 0x124)";

    @TempDir
    Path tmp;

    private final List<Process> peers = new ArrayList<>();

    @AfterEach
    void stopPeers() {
        peers.forEach(Peers::stop);
    }

    @Test
    void patientDataGoesOnlyToKnownAesAndTrustedNetworksWhileAnyAeMayStore() throws Exception {
        int ws1Port = Peers.freePort();
        Path moved = Files.createDirectories(tmp.resolve("moved"));
        Process storescp = Peers.start(List.of(Peers.tool("storescp"), "-aet", "WS1", "-od", moved.toString(), String.valueOf(ws1Port)),
                tmp.resolve("storescp.log"));
        peers.add(storescp);
        Peers.awaitPort(ws1Port, storescp, 10_000);

        Path data = tmp.resolve("data");
        Map<String, String> flags = Map.of("http.enabled", "false", "access.trusted-networks", "127.0.0.2",
                "access.pin", "PINNED@127.0.0.2");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), flags,
                List.of("ws1=WS1@127.0.0.1:" + ws1Port))) {
            String port = String.valueOf(node.dicomPort());
            String study = Instances.uid();
            String sop = Instances.uid();
            Path file = tmp.resolve("image.dcm");
            try (OutputStream out = Files.newOutputStream(file)) {
                DicomWriter.writeFile(out, Instances.image(study, Instances.uid(), sop, 256), UID.ExplicitVRLittleEndian);
            }

            // A modality nobody configured stores out of the box.
            Peers.Result store = run(List.of(Peers.tool("storescu"), "-v", "-aec", AET, "-aet", "MODALITY", "127.0.0.1", port, file.toString()));
            assertThat(store.exitCode()).as(store.output()).isZero();

            // The same unknown AE from an untrusted address: associated (it may store), every patient-data request refused 0124.
            Peers.Result find = run(findscu("STRANGER", port, study));
            assertThat(find.output()).contains(REFUSED).doesNotContain(sop);
            Path got = Files.createDirectories(tmp.resolve("got"));
            Peers.Result get = run(List.of(Peers.tool("getscu"), "-S", "-v", "-aec", AET, "-aet", "STRANGER", "-od", got.toString(),
                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "127.0.0.1", port));
            assertThat(get.output()).contains(REFUSED);
            Peers.Result move = run(movescu("STRANGER", port, study));
            assertThat(move.output()).contains(REFUSED);
            assertThat(files(got)).isEmpty();
            assertThat(files(moved)).isEmpty();
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("STRANGER")
                    .calledAeTitle(AET).propose(UID.StorageCommitmentPushModel, UID.ImplicitVRLittleEndian))) {
                assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, commitRequest(sop))
                        .status()).isEqualTo(Status.NOT_AUTHORIZED);
            }

            // An AE configured under remote-aes gets its patient data, from wherever it calls.
            Peers.Result found = run(findscu("WS1", port, study));
            assertThat(found.exitCode()).as(found.output()).isZero();
            assertThat(found.output()).contains(study).doesNotContain(REFUSED);
            Peers.Result gotten = run(List.of(Peers.tool("getscu"), "-S", "-v", "-aec", AET, "-aet", "WS1", "-od", got.toString(),
                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "127.0.0.1", port));
            assertThat(gotten.exitCode()).as(gotten.output()).isZero();
            assertThat(files(got)).hasSize(1);
            Peers.Result movedOk = run(movescu("WS1", port, study));
            assertThat(movedOk.exitCode()).as(movedOk.output()).isZero();
            assertThat(files(moved)).hasSize(1);

            // Any AE title on a trusted network may query.
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("STRANGER")
                    .calledAeTitle(AET).localAddress(InetAddress.getByName("127.0.0.2"))
                    .propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ImplicitVRLittleEndian))) {
                List<String> matches = new ArrayList<>();
                DimseResponse r = c.find(UID.StudyRootQueryRetrieveInformationModelFind, new Dataset()
                        .setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY").setString(Tag.StudyInstanceUID, VR.UI, study), m -> {
                    matches.add(m.getString(Tag.StudyInstanceUID));
                    return true;
                });
                assertThat(r.status()).isEqualTo(Status.SUCCESS);
                assertThat(matches).containsExactly(study);
            }

            // A pinned AE title is not recognized from anywhere else, even for an echo; from its own address it is.
            Peers.Result echo = run(List.of(Peers.tool("echoscu"), "-aec", AET, "-aet", "PINNED", "127.0.0.1", port));
            assertThat(echo.exitCode()).as(echo.output()).isNotZero();
            assertThat(echo.output()).containsIgnoringCase("Calling AE Title Not Recognized");
            ClientOptions pinned = new ClientOptions().callingAeTitle("PINNED").calledAeTitle(AET).propose(UID.Verification, UID.ImplicitVRLittleEndian);
            assertThatThrownBy(() -> DimseClient.open("127.0.0.1", node.dicomPort(), pinned))
                    .isInstanceOfSatisfying(AssociationRejectedException.class, e -> {
                        assertThat(e.rejection().result()).isEqualTo(AAssociateRj.RESULT_PERMANENT);
                        assertThat(e.rejection().reason()).isEqualTo(AAssociateRj.CALLING_AE_TITLE_NOT_RECOGNIZED);
                    });
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), pinned.localAddress(InetAddress.getByName("127.0.0.2")))) {
                assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
            }
        }
        // Every refusal is in the audit trail: the rejected associations (node authentication) and the 0124s.
        String audit = java.nio.file.Files.readString(data.resolve("audit/access.log"));
        assertThat(audit).contains("UserID=\"PINNED\"", "association rejected: calling AE title not recognized",
                "originalText=\"Node Authentication\"", "C-FIND refused: AE not authorized");
    }

    @Test
    void explicitListsNameExactlyWhoMayDoWhat() throws Exception {
        Path data = tmp.resolve("data");
        Map<String, String> flags = Map.of("http.enabled", "false", "access.store", "CT1", "access.find", "*", "access.get", "none");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), flags, List.of())) {
            String port = String.valueOf(node.dicomPort());
            String study = Instances.uid();
            Path file = tmp.resolve("image.dcm");
            try (OutputStream out = Files.newOutputStream(file)) {
                DicomWriter.writeFile(out, Instances.image(study, Instances.uid(), Instances.uid(), 256), UID.ExplicitVRLittleEndian);
            }
            Peers.Result refused = run(List.of(Peers.tool("storescu"), "-v", "-aec", AET, "-aet", "MR1", "127.0.0.1", port, file.toString()));
            assertThat(refused.output()).contains(REFUSED);
            Peers.Result stored = run(List.of(Peers.tool("storescu"), "-v", "-aec", AET, "-aet", "CT1", "127.0.0.1", port, file.toString()));
            assertThat(stored.exitCode()).as(stored.output()).isZero();
            Peers.Result found = run(findscu("ANYONE", port, study));
            assertThat(found.output()).contains(study).doesNotContain(REFUSED);
            // access.get is none: nobody, not even loopback (an explicit list ignores trusted networks).
            Peers.Result get = run(List.of(Peers.tool("getscu"), "-S", "-v", "-aec", AET, "-aet", "CT1", "-od", tmp.toString(),
                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "127.0.0.1", port));
            assertThat(get.output()).contains(REFUSED);
        }
    }

    /**
     * The workflow services follow the same lists (docs/SECURITY.md): the modality worklist (C-FIND) is
     * {@code access.find}, MPPS (N-CREATE, N-SET) is {@code access.store}, a modality's service.
     */
    @Test
    void worklistFollowsFindAndMppsFollowsStore() throws Exception {
        Path data = tmp.resolve("data");
        Map<String, String> flags = Map.of("http.enabled", "false", "access.store", "CT1", "access.find", "RIS1");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), flags, List.of())) {
            String port = String.valueOf(node.dicomPort());
            Peers.Result allowed = run(List.of(Peers.tool("findscu"), "-W", "-v", "-aec", AET, "-aet", "RIS1",
                    "-k", "PatientID=X", "127.0.0.1", port));
            assertThat(allowed.output()).doesNotContain(REFUSED);
            assertThat(allowed.exitCode()).as(allowed.output()).isZero();
            Peers.Result refused = run(List.of(Peers.tool("findscu"), "-W", "-v", "-aec", AET, "-aet", "CT1",
                    "-k", "PatientID=X", "127.0.0.1", port));
            assertThat(refused.output()).contains(REFUSED);

            assertThat(mpps(node, "RIS1").status()).isEqualTo(Status.NOT_AUTHORIZED);
            assertThat(mpps(node, "CT1").status()).isEqualTo(Status.SUCCESS);
        }
    }

    /** An unscheduled MPPS N-CREATE (IN PROGRESS) from {@code callingAe}. */
    private static DimseResponse mpps(ArchiveNode node, String callingAe) throws Exception {
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle(callingAe)
                .calledAeTitle(AET).propose(UID.ModalityPerformedProcedureStep, ClientOptions.UNCOMPRESSED))) {
            return c.nCreate(UID.ModalityPerformedProcedureStep, Instances.uid(),
                    Issue18MppsTest.inProgress(Instances.uid(), null, null, null));
        }
    }

    private static List<String> findscu(String callingAe, String port, String study) {
        return List.of(Peers.tool("findscu"), "-S", "-v", "-aec", AET, "-aet", callingAe, "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID=" + study, "127.0.0.1", port);
    }

    private static List<String> movescu(String callingAe, String port, String study) {
        return List.of(Peers.tool("movescu"), "-S", "-v", "-aec", AET, "-aet", callingAe, "-aem", "WS1", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID=" + study, "127.0.0.1", port);
    }

    private static Dataset commitRequest(String sop) {
        Dataset info = new Dataset().setString(Tag.TransactionUID, VR.UI, Instances.uid());
        Sequence refs = info.newSequence(Tag.ReferencedSOPSequence);
        refs.addItem().setString(Tag.ReferencedSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage)
                .setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
        return info;
    }

    private static List<Path> files(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static Peers.Result run(List<String> command) throws Exception {
        return Peers.run(command, 60);
    }
}
