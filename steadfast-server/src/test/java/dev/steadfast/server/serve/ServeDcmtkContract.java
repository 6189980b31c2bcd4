package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running archive node against dcmtk: storescu sends the whole corpus over three associations at
 * once, then findscu, movescu (to dcmtk's storescp) and getscu check what comes back. Run on
 * SQLite and on PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServeDcmtkContract {
    private Path tmp;
    private ArchiveNode node;
    private Process dest;
    private int destPort;
    private Path destDir;
    private List<Received> sent;
    /** Oracle files the archive must hold (the others lack a required UID). */
    private List<Received> expected;

    abstract TestNodes.Db db();

    @BeforeAll
    void startAndStoreCorpus(@TempDir Path dir) throws Exception {
        tmp = dir;
        sent = DcmtkCorpus.oracle(Files.createDirectories(tmp.resolve("shared")));
        destPort = Peers.freePort();
        destDir = Files.createDirectories(tmp.resolve("dest"));
        Path data = tmp.resolve("data");
        // replace: the corpus holds some instances in several encodings, and the oracle (storescp, files named
        // by SOP Instance UID) keeps the last one received; the default, reject, would keep the first.
        node = TestNodes.start(data, TestNodes.indexUrl(db(), data), Map.of("ingest.duplicates", "replace"),
                List.of("DEST=MOVEDEST@127.0.0.1:" + destPort));
        List<Path> files = DcmtkCorpus.files();
        Path profile = DcmtkCorpus.profile(tmp);
        List<Process> senders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Path> part = new ArrayList<>();
            for (int j = i; j < files.size(); j += 3) {
                part.add(files.get(j));
            }
            senders.add(DcmtkCorpus.storescu(profile, "STEADFAST", node.dicomPort(), part, tmp.resolve("storescu" + i + ".log")));
        }
        for (Process p : senders) {
            p.waitFor();
        }
        expected = new ArrayList<>();
        for (Received r : sent) {
            if (!DcmtkCorpus.lacksUids(r)) {
                expected.add(r);
            }
        }
        dest = Peers.start(List.of(Peers.tool("storescp"), "+B", "+uf", "+xa", "-aet", "MOVEDEST", "-od", destDir.toString(),
                String.valueOf(destPort)), tmp.resolve("dest.log"));
        Peers.awaitPort(destPort, dest, 10_000);
    }

    @AfterAll
    void stop() {
        Peers.stop(dest);
        if (node != null) {
            node.close();
        }
    }

    private Optional<StoredInstance> stored(String sopUid) {
        return node.index().read(tx -> tx.instances().find(sopUid));
    }

    @Test
    void everyInstanceIsStoredBitForBitAsStorescuSentIt() throws Exception {
        assertThat(expected.size()).isGreaterThan(80);
        // The corpus holds some instances in several encodings (same SOP Instance UID): the last one
        // received replaced the others (policy replace, set above), so ours must equal one of the encodings sent.
        Map<String, Set<String>> sentShas = new HashMap<>();
        for (Received r : expected) {
            sentShas.computeIfAbsent(r.sopInstanceUid(), k -> new HashSet<>()).add(r.transferSyntaxUid() + " " + r.datasetSha256());
        }
        Set<String> syntaxes = new TreeSet<>();
        for (Map.Entry<String, Set<String>> e : sentShas.entrySet()) {
            Optional<StoredInstance> s = stored(e.getKey());
            assertThat(s).as("stored " + e.getKey()).isPresent();
            String got = s.get().record().transferSyntax() + " " + s.get().record().datasetSha256();
            assertThat(e.getValue()).as(e.getKey()).contains(got);
            syntaxes.add(s.get().record().transferSyntax());
        }
        assertThat(syntaxes).hasSizeGreaterThanOrEqualTo(10);
        long lacking = sent.size() - expected.size();
        assertThat(lacking).as("corpus files without a required UID").isPositive();
        assertThat(node.metrics().storeFailures()).containsKey(0xA900);
    }

    private static Set<String> values(String findscuOutput, String tag) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\(" + tag + "\\) \\w\\w \\[([^\\]]*)\\]").matcher(findscuOutput);
        while (m.find()) {
            out.add(m.group(1).replace("\0", "").strip()); // UI values keep their NUL padding
        }
        return out;
    }

    private Peers.Result findscu(String model, String... keys) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("findscu"), model, "-aec", "STEADFAST"));
        for (String k : keys) {
            cmd.add("-k");
            cmd.add(k);
        }
        cmd.add("127.0.0.1");
        cmd.add(String.valueOf(node.dicomPort()));
        Peers.Result r = Peers.run(cmd, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r;
    }

    @Test
    void findscuAtEveryLevelFindsWhatWasSent() throws Exception {
        Peers.Result r = findscu("-P", "QueryRetrieveLevel=PATIENT", "PatientID", "NumberOfPatientRelatedStudies");
        assertThat(values(r.output(), "0010,0020")).containsExactlyInAnyOrderElementsOf(trimmed(DcmtkCorpus.values(expected, Tag.PatientID)));
        r = findscu("-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "ModalitiesInStudy", "NumberOfStudyRelatedInstances");
        assertThat(values(r.output(), "0020,000d")).containsExactlyInAnyOrderElementsOf(DcmtkCorpus.values(expected, Tag.StudyInstanceUID));
        r = findscu("-S", "QueryRetrieveLevel=SERIES", "SeriesInstanceUID", "Modality");
        assertThat(values(r.output(), "0020,000e")).containsExactlyInAnyOrderElementsOf(DcmtkCorpus.values(expected, Tag.SeriesInstanceUID));
        r = findscu("-S", "QueryRetrieveLevel=IMAGE", "SOPInstanceUID");
        assertThat(values(r.output(), "0008,0018")).containsExactlyInAnyOrderElementsOf(DcmtkCorpus.values(expected, Tag.SOPInstanceUID));

        // One study through the Patient Root model, down to its images, with a wildcard name match.
        Received one = expected.getFirst();
        String study = DcmtkCorpus.header(one).getString(Tag.StudyInstanceUID);
        String patient = DcmtkCorpus.header(one).getString(Tag.PatientID);
        r = findscu("-P", "QueryRetrieveLevel=IMAGE", "PatientID=" + (patient == null ? "" : patient), "StudyInstanceUID=" + study,
                "SeriesInstanceUID", "SOPInstanceUID", "SpecificCharacterSet");
        assertThat(values(r.output(), "0008,0018")).contains(one.sopInstanceUid());
    }

    /** Patient IDs as dcmtk prints them (values trimmed); an empty ID still counts as one patient. */
    private static Set<String> trimmed(Set<String> ids) {
        Set<String> out = new TreeSet<>();
        ids.forEach(i -> out.add(i.strip()));
        return out;
    }

    @Test
    void findscuAnswersInTheStoredCharacterSet() throws Exception {
        Peers.Result r = findscu("-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientName", "SpecificCharacterSet");
        Set<String> charsets = values(r.output(), "0008,0005");
        assertThat(charsets).as(r.output()).contains("ISO_IR 100").anyMatch(c -> c.contains("ISO 2022") || c.contains("ISO_IR 192"));
    }

    @Test
    void movescuDeliversByteIdenticalInstancesAtEveryLevel() throws Exception {
        Map<String, Received> byStudy = new HashMap<>();
        for (Received r : expected) {
            byStudy.putIfAbsent(DcmtkCorpus.header(r).getString(Tag.StudyInstanceUID), r);
        }
        List<String> studies = new ArrayList<>(byStudy.keySet()).subList(0, 6);
        for (String study : studies) {
            movescu("QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + study);
        }
        Received one = expected.get(expected.size() / 2);
        movescu("QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + DcmtkCorpus.header(one).getString(Tag.StudyInstanceUID),
                "SeriesInstanceUID=" + DcmtkCorpus.header(one).getString(Tag.SeriesInstanceUID));
        movescu("QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + DcmtkCorpus.header(one).getString(Tag.StudyInstanceUID),
                "SeriesInstanceUID=" + DcmtkCorpus.header(one).getString(Tag.SeriesInstanceUID), "SOPInstanceUID=" + one.sopInstanceUid());
        List<Received> got = Received.all(destDir);
        assertThat(got.size()).isGreaterThanOrEqualTo(studies.size());
        Set<String> delivered = new HashSet<>();
        for (Received r : got) {
            StoredInstance s = stored(r.sopInstanceUid()).orElseThrow();
            assertThat(r.transferSyntaxUid()).isEqualTo(s.record().transferSyntax());
            assertThat(r.datasetSha256()).as(r.sopInstanceUid()).isEqualTo(s.record().datasetSha256());
            delivered.add(s.studyUid());
        }
        assertThat(delivered).containsAll(studies);
        assertThat(got).anyMatch(r -> r.sopInstanceUid().equals(one.sopInstanceUid()));
    }

    private void movescu(String... keys) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("movescu"), "-S", "-aec", "STEADFAST", "-aem", "MOVEDEST"));
        for (String k : keys) {
            cmd.add("-k");
            cmd.add(k);
        }
        cmd.add("127.0.0.1");
        cmd.add(String.valueOf(node.dicomPort()));
        Peers.Result r = Peers.run(cmd, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("Failed");
    }

    @Test
    void movescuToAnUnknownDestinationIsRefused() throws Exception {
        Peers.Result r = Peers.run(List.of(Peers.tool("movescu"), "-S", "-aec", "STEADFAST", "-aem", "NOBODY", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID=" + DcmtkCorpus.header(expected.getFirst()).getString(Tag.StudyInstanceUID),
                "127.0.0.1", String.valueOf(node.dicomPort())), 60);
        assertThat(r.output()).contains("MoveDestinationUnknown");
    }

    @Test
    void getscuReceivesStoredBytesOrAnUncompressedConversion() throws Exception {
        // Explicit VR little endian instances: getscu takes them as they are.
        Received plain = expected.stream().filter(r -> r.transferSyntaxUid().equals("1.2.840.10008.1.2.1")).findFirst().orElseThrow();
        Path asIs = Files.createDirectories(tmp.resolve("get-as-is"));
        getscu(asIs, List.of(), "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + DcmtkCorpus.header(plain).getString(Tag.StudyInstanceUID),
                "SeriesInstanceUID=" + DcmtkCorpus.header(plain).getString(Tag.SeriesInstanceUID), "SOPInstanceUID=" + plain.sopInstanceUid());
        Received got = Received.all(asIs).getFirst();
        StoredInstance s = stored(plain.sopInstanceUid()).orElseThrow();
        assertThat(got.datasetSha256()).isEqualTo(s.record().datasetSha256());

        // A receiver that takes implicit VR only (getscu always offers explicit VR too): the core converts on the way.
        ClientOptions o = new ClientOptions().callingAeTitle("GETTER").calledAeTitle("STEADFAST")
                .propose(UID.StudyRootQueryRetrieveInformationModelGet, UID.ImplicitVRLittleEndian)
                .propose(s.record().sopClassUid(), UID.ImplicitVRLittleEndian).scpRole(s.record().sopClassUid());
        Map<String, String> syntaxes = new HashMap<>();
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            Dataset keys = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE")
                    .setString(Tag.StudyInstanceUID, VR.UI, s.studyUid()).setString(Tag.SeriesInstanceUID, VR.UI, s.seriesUid())
                    .setString(Tag.SOPInstanceUID, VR.UI, plain.sopInstanceUid());
            DimseResponse r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, keys, (rq, data) -> {
                DicomReader.readDataset(data, rq.transferSyntaxUid());
                syntaxes.put(rq.sopInstanceUid(), rq.transferSyntaxUid());
                return Status.SUCCESS;
            }, null);
            assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUCCESS);
        }
        assertThat(syntaxes).containsEntry(plain.sopInstanceUid(), UID.ImplicitVRLittleEndian);
    }

    @Test
    void compressedInstancesAreDecompressedForAReceiverThatTakesOnlyUncompressed() throws Exception {
        // getscu proposes uncompressed syntaxes only: the imaging module converts on the way.
        for (String ts : List.of("1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.5")) {
            Received compressed = expected.stream().filter(r -> r.transferSyntaxUid().equals(ts))
                    .filter(r -> stored(r.sopInstanceUid()).map(s -> s.record().transferSyntax().equals(ts)).orElse(false))
                    .findFirst().orElseThrow();
            Path dir = Files.createDirectories(tmp.resolve("get-" + ts));
            getscu(dir, List.of(), "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + DcmtkCorpus.header(compressed).getString(Tag.StudyInstanceUID),
                    "SeriesInstanceUID=" + DcmtkCorpus.header(compressed).getString(Tag.SeriesInstanceUID),
                    "SOPInstanceUID=" + compressed.sopInstanceUid());
            List<Received> got = Received.all(dir);
            assertThat(got).as(ts).hasSize(1);
            assertThat(got.getFirst().transferSyntaxUid()).isIn(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);
            Dataset pixels = DicomReader.readFile(got.getFirst().file()).dataset();
            int frameBytes = pixels.getInt(Tag.Rows, 0) * pixels.getInt(Tag.Columns, 0) * pixels.getInt(Tag.SamplesPerPixel, 1)
                    * pixels.getInt(Tag.BitsAllocated, 8) / 8 * pixels.getInt(Tag.NumberOfFrames, 1);
            // Native pixel data of the full size (the transcoder may leave a pad of up to 2 bytes: reported to imaging).
            assertThat(pixels.getBytes(Tag.PixelData).length).as(ts).isBetween(frameBytes, frameBytes + 2);
        }
    }

    private void getscu(Path dir, List<String> options, String... keys) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("getscu"), "-S", "+B", "-aec", "STEADFAST", "-od", dir.toString()));
        cmd.addAll(options);
        for (String k : keys) {
            cmd.add("-k");
            cmd.add(k);
        }
        cmd.add("127.0.0.1");
        cmd.add(String.valueOf(node.dicomPort()));
        Peers.Result r = Peers.run(cmd, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
