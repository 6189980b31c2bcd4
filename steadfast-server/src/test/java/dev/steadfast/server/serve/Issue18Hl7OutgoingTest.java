package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.AcknowledgmentCode;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.server.hl7.Hl7Outbox;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, outgoing HL7, through serve's wiring with HAPI's own MLLP server as the receiving
 * systems: received messages routed (store and forward) to a laboratory system that is down reach
 * it, all and in order, once it starts; acknowledgements are checked (AE: a dead letter with the
 * reason in /api/hl7/destinations, the next message still delivered; no answer: sent again); the
 * Hl7Outbox queues status updates; every stored report (SR, Encapsulated PDF) becomes an ORU^R01
 * with the order's numbers; queue depth and age are in /metrics.
 */
class Issue18Hl7OutgoingTest {
    @TempDir
    Path tmp;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String get(ArchiveNode node, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + node.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L; // a generous bound on a loaded machine, not a measure
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(50);
        }
    }

    @Test
    void routedOrdersReachALaboratoryThatStartsLaterAllInOrderAndAcknowledgementsAreChecked() throws Exception {
        int lab = freePort();
        int ris = freePort();
        Path yaml = tmp.resolve("steadfast.yaml");
        Files.writeString(yaml, """
                hl7:
                  destinations:
                    lab: {host: 127.0.0.1, port: %d}
                    ris: {host: 127.0.0.1, port: %d, application: RIS, facility: HOSP}
                  routes:
                    - {message-type: ORM, receiving-application: LAB, destination: lab}
                    - {message-type: OML, destination: lab}
                """.formatted(lab, ris));
        Map<String, String> flags = Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1", "hl7.out.retry-initial-ms", "200",
                "hl7.out.retry-max-seconds", "1", "hl7.out.ack-timeout-seconds", "3", "hl7.reports.destinations", "ris");
        try (ArchiveNode node = ArchiveNode.start(TestNodes.config(yaml, tmp.resolve("data"),
                TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")), flags, List.of()));
             Hl7Client hl7 = new Hl7Client(node.hl7().port())) {
            // The laboratory is down: every message is still acknowledged at once, and queued in order.
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String head = msh("ORM^O01^ORM_O01").replace("|STEADFAST|HOSP|", "|LAB|HOSP|");
                sent.add(head.split("\\|")[9]);
                Hl7Client.Ack ack = hl7.send(head, seg("PID", 1, "1", 3, "P18-LAB^^^HOSP", 5, "LAB^PAT"),
                        seg("ORC", 1, "NW", 2, "ORD-LAB-" + i), seg("OBR", 1, "1", 2, "ORD-LAB-" + i, 4, "GLU^Glucose^L"));
                assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
            }
            // A type this archive does not process, routed: accepted (AA, not AR) and forwarded.
            String oml = msh("OML^O21^OML_O21");
            sent.add(oml.split("\\|")[9]);
            assertThat(hl7.send(oml, seg("PID", 1, "1", 3, "P18-LAB^^^HOSP"), seg("ORC", 1, "NW", 2, "ORD-LAB-6"),
                    seg("OBR", 1, "1", 2, "ORD-LAB-6", 4, "K^Potassium^L")).code()).isEqualTo("AA");
            // An order for this archive's own worklist (MSH-5 STEADFAST) matches no route: not sent to the lab.
            assertThat(hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 3, "P18-LAB^^^HOSP"), seg("ORC", 1, "NW", 2,
                    "ORD-RAD-1"), seg("OBR", 1, "1", 2, "ORD-RAD-1", 24, "CT")).code()).isEqualTo("AA");

            String queued = get(node, "/api/hl7/destinations/lab");
            assertThat(queued).contains("\"depth\":6").contains("ORM^O01 " + sent.getFirst());
            await("a failed attempt to reach the laboratory", () -> {
                try {
                    return get(node, "/api/hl7/destinations/lab").contains("destination unreachable");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(get(node, "/api/hl7/destinations/lab")).contains("\"depth\":6"); // nothing lost, nothing dead
            assertThat(get(node, "/metrics")).contains("steadfast_hl7_queue_depth{destination=\"lab\"} 6")
                    .contains("steadfast_hl7_oldest_age_seconds{destination=\"lab\"}");

            try (HapiReceiver laboratory = new HapiReceiver(lab, t -> AcknowledgmentCode.AA)) {
                await("the laboratory to get the backlog", () -> laboratory.received.size() >= sent.size());
                await("the queue to empty", () -> {
                    try {
                        return get(node, "/api/hl7/destinations/lab").contains("\"depth\":0");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                assertThat(laboratory.controlIds()).as("all, in the order received, once each").isEqualTo(sent);
                assertThat(laboratory.received.get(2)).contains("ORD-LAB-3").contains("GLU^Glucose^L");
                assertThat(laboratory.received.getLast()).contains("OML^O21");
            }
            assertThat(get(node, "/metrics")).contains("steadfast_hl7_queue_depth{destination=\"lab\"} 0")
                    .contains("steadfast_hl7_sent_total{destination=\"lab\"} 6");

            // Status updates through the outbox; the receiver answers AE to one and is slow to answer another once.
            Hl7Outbox outbox = node.hl7Out().outbox();
            java.util.Set<String> slowOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
            try (HapiReceiver risSystem = new HapiReceiver(ris, t -> t.contains("|SC-BAD|") ? AcknowledgmentCode.AE
                    : t.contains("|SC-SLOW|") && slowOnce.add("x") ? null : AcknowledgmentCode.AA)) {
                for (String id : List.of("SC-1", "SC-BAD", "SC-SLOW", "SC-2")) {
                    outbox.enqueue("ris", "MSH|^~\\&|STEADFAST|HOSP|RIS|HOSP|20261207100000||ORM^O01^ORM_O01|" + id + "|P|2.5.1\r"
                            + "PID|1||P18-LAB^^^HOSP\rORC|SC|ORD-LAB-1||||IP\rOBR|1|ORD-LAB-1\r");
                }
                await("the status updates", () -> risSystem.controlIds().contains("SC-2"));
                await("the last acknowledgement recorded", () -> {
                    try {
                        return get(node, "/api/hl7/destinations/ris").contains("\"depth\":0");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                // In order; the refused one is not sent again; the unanswered one is sent again and then delivered.
                assertThat(risSystem.controlIds()).containsExactly("SC-1", "SC-BAD", "SC-SLOW", "SC-SLOW", "SC-2");
                String ris1 = get(node, "/api/hl7/destinations/ris");
                assertThat(ris1).contains("\"depth\":0").contains("\"deadLetters\":1").contains("ORM^O01 SC-BAD")
                        .contains("answered AE").contains("refused by the test receiver");

                // Reports: an SR and a PDF stored in an ordered study each become an ORU^R01.
                assertThat(hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 3, "P18-REP^^^HOSP", 5, "REPORT^RITA"),
                        seg("ORC", 1, "NW", 2, "ORD-REP-1", 3, "FIL-REP-1"),
                        seg("OBR", 1, "1", 2, "ORD-REP-1", 18, "ACC-REP-1", 24, "CT", 27, "^^^202612081000")).code()).isEqualTo("AA");
                String study = Instances.uid();
                DimsePeer.store(tmp, node.dicomPort(), sr(study));
                byte[] pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
                DimsePeer.store(tmp, node.dicomPort(), pdf(study, pdf));
                await("two ORU^R01", () -> risSystem.received.stream().filter(t -> t.contains("ORU^R01")).count() >= 2);
                List<String> orus = risSystem.received.stream().filter(t -> t.contains("ORU^R01")).toList();
                String text = orus.getFirst();
                assertThat(text).contains("|RIS|HOSP|").contains("|2.5.1")
                        .contains("PID|1||P18-REP^^^HOSP||REPORT^RITA")
                        .contains("ORC|RE|ORD-REP-1|FIL-REP-1")
                        .contains("|ACC-REP-1|")
                        .contains("OBX|1|TX|18748-4^Diagnostic Imaging Report^LN||Diagnostic Imaging Report")
                        .contains("Findings: No acute abnormality \\F\\ lungs clear")
                        .contains("Impression: Normal chest CT");
                assertThat(text.split("\r")).anyMatch(s -> s.startsWith("OBR|1|ORD-REP-1|FIL-REP-1|") && s.endsWith("|F"));
                String ed = orus.get(1);
                assertThat(ed).contains("ORC|RE|ORD-REP-1|FIL-REP-1").contains("OBX|1|ED|")
                        .contains("^AP^PDF^Base64^" + Base64.getEncoder().encodeToString(pdf) + "|");
            }
        }
    }

    /** A Basic Text SR: title, then a findings and an impression TEXT item. */
    private static Dataset sr(String study) {
        Dataset ds = base(study, "1.2.840.10008.5.1.4.1.1.88.11", "SR");
        ds.setString(Tag.ValueType, VR.CS, "CONTAINER");
        code(ds.newSequence(Tag.ConceptNameCodeSequence).addItem(), "18748-4", "LN", "Diagnostic Imaging Report");
        ds.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        ds.setString(Tag.CompletionFlag, VR.CS, "COMPLETE");
        ds.setString(Tag.VerificationFlag, VR.CS, "VERIFIED");
        Sequence content = ds.newSequence(Tag.ContentSequence);
        text(content.addItem(), "121071", "Findings", "No acute abnormality | lungs clear");
        text(content.addItem(), "121073", "Impression", "Normal chest CT");
        return ds;
    }

    private static Dataset pdf(String study, byte[] pdf) {
        Dataset ds = base(study, "1.2.840.10008.5.1.4.1.1.104.1", "DOC");
        ds.setString(Tag.DocumentTitle, VR.ST, "Radiology report");
        ds.setString(Tag.MIMETypeOfEncapsulatedDocument, VR.LO, "application/pdf");
        ds.setBytes(Tag.EncapsulatedDocument, VR.OB, pdf);
        return ds;
    }

    private static Dataset base(String study, String sopClass, String modality) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        ds.setString(Tag.SOPInstanceUID, VR.UI, Instances.uid());
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, Instances.uid());
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.PatientID, VR.LO, "P18-REP");
        ds.setString(Tag.IssuerOfPatientID, VR.LO, "HOSP");
        ds.setString(Tag.PatientName, VR.PN, "REPORT^RITA");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC-REP-1");
        ds.setString(Tag.ContentDate, VR.DA, "20261208");
        ds.setString(Tag.ContentTime, VR.TM, "101500");
        return ds;
    }

    private static void code(Dataset item, String value, String scheme, String meaning) {
        item.setString(Tag.CodeValue, VR.SH, value);
        item.setString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        item.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    private static void text(Dataset item, String code, String meaning, String value) {
        item.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        item.setString(Tag.ValueType, VR.CS, "TEXT");
        code(item.newSequence(Tag.ConceptNameCodeSequence).addItem(), code, "DCM", meaning);
        item.setString(Tag.TextValue, VR.UT, value);
    }
}
