package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.DimsePeer.strip;
import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: nothing accepted over HL7 is lost while the index is down. serve runs with its
 * PostgreSQL unreachable (nothing listens on the configured port); orders are placed, changed and
 * cancelled over MLLP and each is answered AA (journaled, fsync'd). serve stops with them still
 * journaled and starts again on the same data folder with a PostgreSQL that answers (the shared
 * test server, so no cluster is started for this test alone): it applies them in the order they
 * were accepted: the changed order is on its new date, the cancelled one is not in the worklist.
 */
class Issue18Hl7IndexDownTest {
    @TempDir
    Path tmp;

    @Test
    void messagesAcceptedWhileTheIndexIsDownAreAppliedInOrderOnceItIsBack() throws Exception {
        int pgPort = Peers.freePort(); // nothing listens there yet
        Path data = tmp.resolve("data");
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        Map<String, String> hl7 = Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1");
        String pid = seg("PID", 1, "1", 3, "P18-J1^^^HOSP", 5, "JOURNAL^JO", 7, "19700101", 8, "F");
        try (ArchiveNode node = TestNodes.start(data, url, hl7, List.of()); Hl7Client client = new Hl7Client(node.hl7().port())) {
            List<String[]> messages = List.of(
                    order(pid, "NW", "ORD-J1", "202612080900"),
                    order(pid, "XO", "ORD-J1", "202612091000"), // only valid after the NW: proves the order of replay
                    order(pid, "NW", "ORD-J2", "202612080900"),
                    order(pid, "CA", "ORD-J2", "202612080900"),
                    new String[] {msh("ADT^A08^ADT_A01"), seg("EVN", 1, "A08"), seg("PID", 1, "1", 3, "P18-J1^^^HOSP", 5, "JOURNAL^JOANNA")});
            for (String[] m : messages) {
                Hl7Client.Ack ack = client.send(m);
                assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
            }
            assertThat(node.hl7().pending()).isEqualTo(messages.size());
        }

        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, data), hl7, List.of())) {
            long deadline = System.nanoTime() + 60_000_000_000L; // a bound on waiting, not a measured result
            while (node.hl7().pending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(node.hl7().pending()).isZero();
            List<Dataset> items = DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-W", List.of("PatientName", "PatientID",
                    "PlacerOrderNumberImagingServiceRequest", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate"));
            assertThat(items).hasSize(1);
            assertThat(strip(items.getFirst().getString(Tag.PlacerOrderNumberImagingServiceRequest))).isEqualTo("ORD-J1");
            assertThat(strip(items.getFirst().getSequence(Tag.ScheduledProcedureStepSequence).get(0)
                    .getString(Tag.ScheduledProcedureStepStartDate))).isEqualTo("20261209");
            assertThat(strip(items.getFirst().getString(Tag.PatientName))).isEqualTo("JOURNAL^JOANNA");

            // With PostgreSQL up, an A40 merge moves a stored study (the merge's SQL on PostgreSQL).
            Dataset ct = Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 256);
            ct.setString(Tag.PatientID, dev.steadfast.dicom.VR.LO, "P18-J0");
            DimsePeer.store(tmp, node.dicomPort(), ct);
            try (Hl7Client client = new Hl7Client(node.hl7().port())) {
                Hl7Client.Ack ack = client.send(msh("ADT^A40^ADT_A39"), seg("EVN", 1, "A40"), seg("PID", 1, "1", 3, "P18-J1^^^HOSP",
                        5, "JOURNAL^JOANNA"), seg("MRG", 1, "P18-J0"));
                assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
            }
            List<Dataset> studies = DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-S", List.of("QueryRetrieveLevel=STUDY",
                    "PatientID=P18-J1", "StudyInstanceUID", "PatientName"));
            assertThat(studies).extracting(d -> strip(d.getString(Tag.StudyInstanceUID))).containsExactly(ct.getString(Tag.StudyInstanceUID));
            assertThat(strip(studies.getFirst().getString(Tag.PatientName))).isEqualTo("JOURNAL^JOANNA");
        }
    }

    private static String[] order(String pid, String control, String key, String when) {
        return new String[] {msh("ORM^O01^ORM_O01"), pid, seg("ORC", 1, control, 2, key),
            seg("OBR", 1, "1", 2, key, 4, "CT^CT Chest^L", 18, "ACC-" + key, 21, "CT01", 24, "CT", 27, "^^^" + when)};
    }
}
