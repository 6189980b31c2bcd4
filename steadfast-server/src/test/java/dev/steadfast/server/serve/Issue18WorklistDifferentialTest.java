package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, the modality worklist against dcmtk's own worklist SCP: the same orders, sent to serve
 * as OMI^O23 over MLLP and written for {@code wlmscpfs} as worklist files ({@code dump2dcm}, with the
 * mapping docs/HL7.md states), queried by {@code findscu -W} with keys a modality sends (station AE
 * title, modality, date and time ranges, patient name and ID, accession number): both answer the
 * same items with the same attributes, compared attribute by attribute, in any order.
 */
class Issue18WorklistDifferentialTest {
    @TempDir
    Path tmp;

    /** One order with one scheduled step. */
    record Order(String key, String patientId, String name, String birth, String sex, String accession, String station,
                 String modality, String date, String time, String description, String referring) {
        String studyUid() {
            return "1.2.826.0.1.3680043.18." + key.substring(key.length() - 1);
        }
    }

    private static final List<Order> ORDERS = List.of(
            new Order("ORD-D1", "P18-D1", "DOE^JANE", "19800101", "F", "ACC-D1", "CT01", "CT", "20261208", "0930", "CT Chest", "WELBY^MARCUS"),
            new Order("ORD-D2", "P18-D2", "DOE^JOHN", "19750505", "M", "ACC-D2", "CT01", "CT", "20261209", "1400", "CT Abdomen", "WELBY^MARCUS"),
            new Order("ORD-D3", "P18-D3", "ROE^RICHARD", "19610203", "M", "ACC-D3", "MR01", "MR", "20261208", "1100", "MR Head", "HOUSE^GREGORY"),
            new Order("ORD-D4", "P18-D4", "SMITH^ANNA", "19900909", "F", "ACC-D4", "MR01", "MR", "20261210", "0800", "MR Knee", "HOUSE^GREGORY"),
            new Order("ORD-D5", "P18-D5", "DOE^ALICE", "20010101", "F", "ACC-D5", "US01", "US", "20261207", "1630", "US Neck", "WELBY^MARCUS"));

    private static final String SPS = "ScheduledProcedureStepSequence[0].";

    /** Every query: its matching keys (key=value), beside the return keys; and how many items match. */
    private static final Map<List<String>, Integer> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put(List.of(), 5);
        QUERIES.put(List.of(SPS + "ScheduledStationAETitle=CT01"), 2);
        QUERIES.put(List.of(SPS + "Modality=MR"), 2);
        QUERIES.put(List.of(SPS + "ScheduledProcedureStepStartDate=20261208-20261209"), 3);
        QUERIES.put(List.of(SPS + "ScheduledProcedureStepStartDate=20261208", SPS + "ScheduledProcedureStepStartTime=0800-1000"), 1);
        QUERIES.put(List.of(SPS + "ScheduledProcedureStepStartDate=-20261208", SPS + "Modality=CT"), 1);
        QUERIES.put(List.of("PatientName=DOE*"), 3);
        QUERIES.put(List.of("PatientID=P18-D3"), 1);
        QUERIES.put(List.of("AccessionNumber=ACC-D2"), 1);
        QUERIES.put(List.of(SPS + "ScheduledStationAETitle=MR01", SPS + "ScheduledProcedureStepStartDate=20261210-"), 1);
        QUERIES.put(List.of(SPS + "ScheduledStationAETitle=XR01"), 0);
    }

    private static final List<String> RETURN_KEYS = List.of("PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate",
            "PatientSex", "AccessionNumber", "ReferringPhysicianName", "StudyInstanceUID", "RequestedProcedureID",
            "RequestedProcedureDescription", "PlacerOrderNumberImagingServiceRequest", SPS + "ScheduledStationAETitle",
            SPS + "ScheduledProcedureStepStartDate", SPS + "ScheduledProcedureStepStartTime", SPS + "Modality",
            SPS + "ScheduledProcedureStepDescription", SPS + "ScheduledProcedureStepID", SPS + "ScheduledProcedureStepStatus",
            SPS + "ScheduledPerformingPhysicianName");

    @Test
    void steadfastAndWlmscpfsAnswerTheSameWorklistQueriesTheSame() throws Exception {
        Path files = Files.createDirectories(tmp.resolve("worklists/WLAE"));
        Files.createFile(files.resolve("lockfile"));
        for (Order o : ORDERS) {
            Path dump = tmp.resolve(o.key() + ".dump");
            Files.writeString(dump, dump(o));
            Peers.Result r = Peers.run(List.of(Peers.tool("dump2dcm"), dump.toString(), files.resolve(o.key() + ".wl").toString()), 30);
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
        int wlPort = Peers.freePort();
        Process wlmscpfs = Peers.start(List.of(Peers.tool("wlmscpfs"), "-dfp", tmp.resolve("worklists").toString(),
                String.valueOf(wlPort)), tmp.resolve("wlmscpfs.log"));
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1"), List.of());
             Hl7Client hl7 = new Hl7Client(node.hl7().port())) {
            Peers.awaitPort(wlPort, wlmscpfs, 10_000);
            for (Order o : ORDERS) {
                Hl7Client.Ack ack = hl7.send(omi(o));
                assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
            }
            for (Map.Entry<List<String>, Integer> q : QUERIES.entrySet()) {
                List<String> keys = keys(q.getKey());
                List<String> ours = canonical(DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-W", keys));
                List<String> theirs = canonical(DimsePeer.find(tmp, "WLAE", wlPort, "-W", keys));
                assertThat(theirs).as("wlmscpfs, keys %s", q.getKey()).hasSize(q.getValue());
                assertThat(ours).as("keys %s", q.getKey()).isEqualTo(theirs);
            }
        } finally {
            Peers.stop(wlmscpfs);
        }
    }

    private static List<String> keys(List<String> matching) {
        Map<String, String> k = new LinkedHashMap<>();
        for (String r : RETURN_KEYS) {
            k.put(r, r);
        }
        for (String m : matching) {
            k.put(m.substring(0, m.indexOf('=')), m);
        }
        return new ArrayList<>(k.values());
    }

    private static String[] omi(Order o) {
        return new String[] {msh("OMI^O23^OMI_O23"),
            seg("PID", 1, "1", 3, o.patientId() + "^^^HOSP", 5, o.name(), 7, o.birth(), 8, o.sex()),
            seg("PV1", 1, "1", 2, "O", 8, "99^" + o.referring()),
            seg("ORC", 1, "NW", 2, o.key()),
            seg("TQ1", 1, "1", 7, o.date() + o.time()),
            seg("OBR", 1, "1", 2, o.key(), 4, "X^" + o.description() + "^L"),
            seg("IPC", 1, o.accession(), 2, "RP-" + o.key(), 3, o.studyUid(), 4, "SPS-" + o.key(), 5, o.modality(), 9, o.station())};
    }

    /** The worklist file of an order for wlmscpfs, in dcmtk's dump format, as docs/HL7.md maps OMI^O23 to DICOM. */
    private static String dump(Order o) {
        return String.join("\n",
                "(0008,0050) SH [" + o.accession() + "]",
                "(0008,0090) PN [" + o.referring() + "]",
                "(0010,0010) PN [" + o.name() + "]",
                "(0010,0020) LO [" + o.patientId() + "]",
                "(0010,0021) LO [HOSP]",
                "(0010,0030) DA [" + o.birth() + "]",
                "(0010,0040) CS [" + o.sex() + "]",
                "(0020,000d) UI [" + o.studyUid() + "]",
                "(0032,1060) LO [" + o.description() + "]",
                "(0040,0100) SQ (Sequence with undefined length)",
                "(fffe,e000) na (Item with undefined length)",
                "(0008,0060) CS [" + o.modality() + "]",
                "(0040,0001) AE [" + o.station() + "]",
                "(0040,0002) DA [" + o.date() + "]",
                "(0040,0003) TM [" + o.time() + "]",
                "(0040,0006) PN []",
                "(0040,0007) LO [" + o.description() + "]",
                "(0040,0009) SH [SPS-" + o.key() + "]",
                "(0040,0020) CS [SCHEDULED]",
                "(fffe,e00d) na (ItemDelimitationItem)",
                "(fffe,e0dd) na (SequenceDelimitationItem)",
                "(0040,1001) SH [RP-" + o.key() + "]",
                "(0040,2016) LO [" + o.key() + "]",
                "(0040,2017) LO []",
                "");
    }

    /**
     * Each answer as one line of its non-empty attributes (sequence items flattened as
     * {@code tag[i].tag}), the list sorted: an empty attribute and an absent one are the same
     * answer (type 2), and the character set and command groups are not the worklist's.
     */
    private static List<String> canonical(List<Dataset> answers) {
        List<String> out = new ArrayList<>();
        for (Dataset d : answers) {
            List<String> attrs = new ArrayList<>();
            flatten("", d, attrs);
            attrs.sort(null);
            out.add(String.join(" | ", attrs));
        }
        out.sort(null);
        return out;
    }

    private static void flatten(String prefix, Dataset d, List<String> into) {
        for (Element e : d) {
            int tag = e.tag();
            if (tag == Tag.SpecificCharacterSet || (tag >>> 16) <= 0x0002) {
                continue;
            }
            String name = prefix + String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
            if (e.value() instanceof Sequence s) {
                for (int i = 0; i < s.size(); i++) {
                    flatten(name + "[" + i + "].", s.get(i), into);
                }
            } else {
                String v = DimsePeer.strip(String.join("\\", d.getStrings(tag)));
                if (!v.isEmpty()) {
                    into.add(name + "=" + v);
                }
            }
        }
    }
}
