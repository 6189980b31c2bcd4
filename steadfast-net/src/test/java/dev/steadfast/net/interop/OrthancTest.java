package dev.steadfast.net.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.testing.Peers;
import dev.steadfast.net.TestScp;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.dimse.StoreSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our SCU against Orthanc (Debian package): echo, store, find, move to our SCP, get. */
class OrthancTest {
    @TempDir
    Path tmp;

    @Test
    void storeFindMoveGet() throws Exception {
        String orthanc = Peers.tool("/usr/sbin/Orthanc");
        List<StoreSource> sources = DcmtkScpTest.corpusSources(true).subList(0, 3);
        int dicomPort = Peers.freePort();
        int httpPort = Peers.freePort();
        try (TestScp dest = new TestScp("STEADFAST", AssociationConfig.DEFAULTS, 4, null)) {
            Path storage = Files.createDirectories(tmp.resolve("storage"));
            Path cfg = Files.writeString(tmp.resolve("config.json"), """
                    {
                      "Name": "steadfast-test",
                      "DicomAet": "ORTHANC",
                      "DicomPort": %d,
                      "HttpPort": %d,
                      "StorageDirectory": "%s",
                      "IndexDirectory": "%s",
                      "RemoteAccessAllowed": false,
                      "AuthenticationEnabled": false,
                      "DicomCheckCalledAet": true,
                      "Plugins": [],
                      "DicomModalities": { "steadfast": [ "STEADFAST", "127.0.0.1", %d ] }
                    }
                    """.formatted(dicomPort, httpPort, storage, storage, dest.port()));
            Process p = Peers.start(List.of(orthanc, cfg.toString()), tmp.resolve("orthanc.log"));
            try {
                Peers.awaitPort(dicomPort, p, 30_000);
                ClientOptions o = DcmtkScpTest.proposeEach(new ClientOptions().calledAeTitle("ORTHANC").callingAeTitle("STEADFAST"), sources)
                        .propose(UID.Verification, UID.ImplicitVRLittleEndian)
                        .propose(UID.StudyRootQueryRetrieveInformationModelFind, ClientOptions.UNCOMPRESSED)
                        .propose(UID.StudyRootQueryRetrieveInformationModelMove, ClientOptions.UNCOMPRESSED)
                        .propose(UID.StudyRootQueryRetrieveInformationModelGet, ClientOptions.UNCOMPRESSED);
                sources.forEach(s -> o.scpRole(s.sopClassUid()));
                try (DimseClient c = DimseClient.open("127.0.0.1", dicomPort, o)) {
                    assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
                    for (StoreSource s : sources) {
                        assertThat(c.store(s, null, -1).status()).isEqualTo(Status.SUCCESS);
                    }
                    Set<String> studies = new TreeSet<>();
                    for (StoreSource s : sources) {
                        studies.add(TestScp.headerOf(s).getString(Tag.StudyInstanceUID));
                    }
                    Set<String> found = new TreeSet<>();
                    DimseResponse r = c.find(UID.StudyRootQueryRetrieveInformationModelFind,
                            new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY").setString(Tag.StudyInstanceUID, VR.UI, ""),
                            m -> found.add(m.getString(Tag.StudyInstanceUID)));
                    assertThat(r.status()).isEqualTo(Status.SUCCESS);
                    assertThat(found).isEqualTo(studies);

                    Map<String, String> gotTs = new HashMap<>();
                    Map<String, byte[]> got = new HashMap<>();
                    for (String study : studies) {
                        Dataset keys = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY").setString(Tag.StudyInstanceUID, VR.UI, study);
                        r = c.move(UID.StudyRootQueryRetrieveInformationModelMove, "STEADFAST", keys, null);
                        assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUCCESS);
                        r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, keys, (rq, data) -> {
                            got.put(rq.sopInstanceUid(), data.readAllBytes());
                            gotTs.put(rq.sopInstanceUid(), rq.transferSyntaxUid());
                            return Status.SUCCESS;
                        }, null);
                        assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUCCESS);
                    }
                    for (StoreSource s : sources) {
                        List<Integer> want = DcmtkScpTest.tags(DcmtkScpTest.bytes(s), s.transferSyntaxUid());
                        TestScp.Received moved = dest.received.get(s.sopInstanceUid());
                        assertThat(moved).as("moved " + s).isNotNull();
                        assertThat(DcmtkScpTest.tags(moved.dataset(), moved.transferSyntaxUid())).isEqualTo(want);
                        assertThat(DcmtkScpTest.tags(got.get(s.sopInstanceUid()), gotTs.get(s.sopInstanceUid()))).isEqualTo(want);
                    }
                }
            } finally {
                Peers.stop(p);
            }
        }
    }
}
