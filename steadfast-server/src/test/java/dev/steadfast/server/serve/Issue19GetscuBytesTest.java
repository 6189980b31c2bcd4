package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, round three: a C-GET sub-operation sends the data set from the buffer it was read and
 * checked in, and the sender packs several whole P-DATA-TF PDUs into one socket write. What a user
 * checks: the files dcmtk's getscu (bit-preserving) writes hold exactly the stored data sets, for
 * data sets ending one fragment short of, exactly at, and one fragment past a PDU boundary and a
 * boundary of the sender's batch of PDUs, for a tiny one, one above the 4 MiB WADO buffer and one
 * above the 8 MiB held in memory (read again when sent); with getscu's default 16 KiB PDUs and its
 * largest, 128 KiB (one PDU per write), and on the first (SHA-256) read and later (CRC32C) ones.
 */
class Issue19GetscuBytesTest {
    @TempDir
    Path tmp;

    @Test
    void getscuReceivesTheStoredDataSetsAtEveryFragmentBoundary() throws Exception {
        String getscu = Peers.tool("getscu");
        Path data = tmp.resolve("data");
        String study = Instances.uid();
        String series = Instances.uid();
        // Data bytes per PDU: the peer's maximum length less the PDV item header (6); 7 PDUs of 16 KiB per write.
        int small = 16384 - 6;
        int large = 131072 - 6;
        List<Integer> targets = new ArrayList<>(List.of(512, 5 * 1024 * 1024 + 2, 9 * 1024 * 1024 + 6));
        for (int n : new int[] {1, 7, 8, 14}) {
            for (int d : new int[] {-2, 0, 2}) {
                targets.add(n * small + d);
            }
        }
        for (int n : new int[] {1, 2}) {
            for (int d : new int[] {-2, 0, 2}) {
                targets.add(n * large + d);
            }
        }
        ClientOptions o = new ClientOptions().callingAeTitle("WS").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(
                "storage.min-free-mb", "1"), List.of());
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            Map<String, byte[]> expected = new LinkedHashMap<>();
            for (int target : targets) {
                String sop = Instances.uid();
                int overhead = DicomWriter.encode(Instances.image(study, series, sop, 0), UID.ExplicitVRLittleEndian).length;
                Dataset ds = Instances.image(study, series, sop, target - overhead);
                byte[] encoded = DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
                assertThat(encoded).as("data set of %d bytes", target).hasSize(target);
                assertThat(c.store(Instances.source(ds), null, -1).status()).isEqualTo(Status.SUCCESS);
                expected.put(sop, encoded);
            }
            for (String pdu : List.of("16384", "131072", "16384")) { // the first read verifies by SHA-256, later ones by CRC32C
                Path out = Files.createDirectories(tmp.resolve("get-" + pdu + "-" + System.nanoTime()));
                Peers.Result r = Peers.run(List.of(getscu, "-S", "+B", "-pdu", pdu, "-aet", "GETSCU", "-aec", "STEADFAST",
                        "-od", out.toString(), "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study,
                        "127.0.0.1", String.valueOf(node.dicomPort())), null, 120);
                assertThat(r.exitCode()).as(r.output()).isZero();
                Map<String, byte[]> got = ReceivedDataSets.in(out);
                assertThat(got.keySet()).as("max PDU " + pdu).containsExactlyInAnyOrderElementsOf(expected.keySet());
                for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                    assertThat(Arrays.equals(got.get(e.getKey()), e.getValue()))
                            .as("max PDU %s: data set of %d bytes", pdu, e.getValue().length).isTrue();
                }
            }
        }
    }
}
