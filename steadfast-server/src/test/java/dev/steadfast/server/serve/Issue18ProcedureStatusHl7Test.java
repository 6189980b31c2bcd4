package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.AcknowledgmentCode;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the ordering system hears each step of its order over HL7 (docs/HL7.md "Order status"):
 * an ORM order over HAPI's client, the modality's MPPS start and completion (our own SCU: no MPPS
 * SCU exists in dcmtk or Debian), its images through dcmtk storescu; HAPI's own MLLP server as the
 * RIS gets ORM^O01 SC with ORC-5 IP, CM and A (images available), in that order, carrying the
 * order's placer number, accession number and step id.
 */
class Issue18ProcedureStatusHl7Test {
    @TempDir
    Path tmp;

    @Test
    void theRisHearsStartedCompletedAndImagesAvailableForItsOrder() throws Exception {
        int risPort;
        try (ServerSocket s = new ServerSocket(0)) {
            risPort = s.getLocalPort();
        }
        Path yaml = tmp.resolve("steadfast.yaml");
        Files.writeString(yaml, """
                hl7:
                  destinations:
                    ris: {host: 127.0.0.1, port: %d, application: RIS, facility: HOSP}
                """.formatted(risPort));
        Map<String, String> flags = Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1", "hl7.status.destinations", "ris",
                "hl7.out.retry-initial-ms", "200", "hl7.out.retry-max-seconds", "1");
        try (HapiReceiver ris = new HapiReceiver(risPort, m -> AcknowledgmentCode.AA);
             ArchiveNode node = ArchiveNode.start(TestNodes.config(yaml, tmp.resolve("data"),
                     TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")), flags, List.of()));
             Hl7Client hl7 = new Hl7Client(node.hl7().port())) {
            Hl7Client.Ack ack = hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 3, "P18-STATUS^^^HOSP", 5, "DOE^JANE"),
                    seg("ORC", 1, "NW", 2, "ORD-ST-1"), seg("OBR", 1, "1", 2, "ORD-ST-1", 18, "ACC-ST-1", 19, "RP-ST-1",
                            20, "SPS-ST-1", 21, "CT18", 24, "CT", 27, "^^^202612080930"));
            assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
            String study = DimsePeer.strip(DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-W",
                    List.of("AccessionNumber=ACC-ST-1", "StudyInstanceUID")).getFirst().getString(Tag.StudyInstanceUID));
            String series = Instances.uid();
            String sop = Instances.uid();
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("CT18")
                    .calledAeTitle("STEADFAST").propose(UID.ModalityPerformedProcedureStep, ClientOptions.UNCOMPRESSED))) {
                String mpps = Instances.uid();
                assertThat(c.nCreate(UID.ModalityPerformedProcedureStep, mpps,
                        Issue18MppsTest.inProgress(study, "ACC-ST-1", "RP-ST-1", "SPS-ST-1")).status()).isEqualTo(Status.SUCCESS);
                assertThat(c.nSet(UID.ModalityPerformedProcedureStep, mpps,
                        Issue18MppsTest.finished("COMPLETED", series, List.of(sop))).status()).isEqualTo(Status.SUCCESS);
            }
            Dataset image = Instances.image(study, series, sop, 256);
            image.setString(Tag.PatientID, VR.LO, "P18-MPPS");
            DimsePeer.store(tmp, node.dicomPort(), image);

            long end = System.nanoTime() + 60_000_000_000L; // a bound for a loaded machine, not a measure
            while (ris.received.size() < 3) {
                assertThat(System.nanoTime()).as("three status messages at the RIS, got " + ris.received.size()).isLessThan(end);
                Thread.sleep(50);
            }
            Thread.sleep(500); // nothing more should follow
            assertThat(ris.received).hasSize(3);
            assertThat(ris.received.stream().map(m -> field(m, "ORC", 5)).toList()).containsExactly("IP", "CM", "A");
            for (String m : ris.received) {
                assertThat(field(m, "MSH", 9)).isEqualTo("ORM^O01^ORM_O01");
                assertThat(field(m, "MSH", 5)).isEqualTo("RIS");
                assertThat(field(m, "ORC", 1)).isEqualTo("SC");
                assertThat(field(m, "ORC", 2)).isEqualTo("ORD-ST-1");
                assertThat(field(m, "OBR", 18)).isEqualTo("ACC-ST-1");
                assertThat(field(m, "OBR", 20)).isEqualTo("SPS-ST-1");
            }
            assertThat(ris.controlIds()).doesNotHaveDuplicates();
        }
    }

    /** Field {@code n} of the first segment named {@code name} (MSH counted as HL7 does: MSH-1 is the separator). */
    private static String field(String message, String name, int n) {
        String seg = Arrays.stream(message.split("\r")).filter(s -> s.startsWith(name + "|")).findFirst().orElseThrow();
        String[] f = seg.split("\\|", -1);
        int i = name.equals("MSH") ? n - 1 : n;
        return i < f.length ? f[i] : "";
    }
}
