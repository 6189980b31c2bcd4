package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.scrub.ScrubReport;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import dev.steadfast.testing.S3Proxy;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 (duplicate policy): with the duplicate policy {@code replace}, a re-send with other bytes replaces the stored copy in
 * place. A crash (kill -9) between the storage replacement and the index commit used to leave the new,
 * never-acknowledged bytes under the old row's checksum, the acknowledged copy gone (on both targets of a
 * replicated pair); an index failure there (with no journal to take the instance) lost it too. What a user
 * checks after the restart, or after the failure: the previous version is served by WADO-RS and by dcmtk's
 * getscu (C-GET) with the data set that was sent, its file matches its row on every target, a scrub finds
 * nothing damaged, and no kept copy or temporary file is left.
 *
 * <p>The crash point is chosen with the test-support seam {@code -Dsteadfast.test.replacement-fault} (see
 * {@code ReplacementFaults}): the child serve halts as kill -9 would, right after the new bytes are in place.
 */
class Issue14ReplacementCrashTest {
    private static final String FAULT = "steadfast.test.replacement-fault";

    @TempDir
    Path tmp;

    /** One SOP Instance UID in two versions, and the SHA-256 of each data set as sent. */
    private record Versions(String study, String series, String sop, byte[] first, byte[] second, String firstSha,
                            String secondSha) {}

    private static Versions versions() throws Exception {
        String study = Instances.uid();
        String series = Instances.uid();
        String sop = Instances.uid();
        Dataset ds = Instances.image(study, series, sop, 64 * 1024);
        byte[] first = DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
        ds.setString(Tag.StudyDescription, VR.LO, "CORRECTED");
        byte[] second = DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
        return new Versions(study, series, sop, first, second, sha256(first), sha256(second));
    }

    @Test
    void killedBetweenTheReplacementAndTheIndexCommitTheRestartServesThePreviousVersion() throws Exception {
        Path data = tmp.resolve("data");
        Versions v = crashDuringReplacement(data, Map.of(), "halt-after-storage");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("ingest.duplicates", "replace"), List.of())) {
            assertServesFirst(node, v, List.of(node.storage().root()));
        }
    }

    /** The same on PostgreSQL: the start settles the replacement under the instance's cluster-wide claim. */
    @Test
    void killedBetweenTheReplacementAndTheIndexCommitOnPostgresqlTheRestartServesThePreviousVersion() throws Exception {
        Path data = tmp.resolve("data");
        String indexUrl = TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, data);
        Versions v = crashDuringReplacement(data, indexUrl, Map.of(), "halt-after-storage");
        try (ArchiveNode node = TestNodes.start(data, indexUrl, Map.of("ingest.duplicates", "replace"), List.of())) {
            assertServesFirst(node, v, List.of(node.storage().root()));
        }
    }

    /** Killed after the index recorded the replacement, before the kept copy was dropped: the new version stands. */
    @Test
    void killedAfterTheIndexRecordedTheReplacementTheRestartServesTheNewVersion() throws Exception {
        Path data = tmp.resolve("data");
        Versions v = crashDuringReplacement(data, Map.of(), "halt-after-record");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("ingest.duplicates", "replace"), List.of())) {
            assertServes(node, v, v.secondSha(), List.of(node.storage().root()));
        }
    }

    /** A folder and an S3 store (s3proxy) as a replicated pair: both had been replaced when the node died. */
    @Test
    void killedWithAFolderAndS3ReplicatedBothKeepThePreviousVersion() throws Exception {
        try (S3Proxy s3 = S3Proxy.started(tmp.resolve("s3"))) {
            s3.createBucket("pacs");
            Path data = tmp.resolve("data");
            Path folder = tmp.resolve("fs");
            String targets = "fs:" + folder + ",s3://pacs/archive?endpoint=" + s3.endpoint() + "&access-key-id="
                    + S3Proxy.IDENTITY + "&secret-access-key=" + S3Proxy.CREDENTIAL;
            Versions v = crashDuringReplacement(data, Map.of("STEADFAST_STORAGE_TARGETS", targets), "halt-after-storage");
            try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                    Map.of("ingest.duplicates", "replace", "storage.targets", targets), List.of())) {
                assertThat(node.targets().targets()).hasSize(2);
                assertServesFirst(node, v, List.of(folder));
            }
        }
    }

    /**
     * The index fails after the replacement is in place and the journal cannot take the instance either (its
     * folder made immutable, {@code chattr +i}): the store fails, and the previous version is served at once.
     */
    @Test
    void anIndexFailureAfterTheReplacementLeavesThePreviousVersionServed() throws Exception {
        Path data = tmp.resolve("data");
        Path journal = data.resolve("journal");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("ingest.duplicates", "replace"), List.of())) {
            assumeTrue(immutableFoldersWork(tmp.resolve("probe")), "chattr +i does not stop writes here");
            Versions v = versions();
            try (DimseClient c = client(node.dicomPort())) {
                assertThat(store(c, v.sop(), v.first())).isEqualTo(Status.SUCCESS);
                System.setProperty(FAULT, "index-fails");
                chattr("+i", journal);
                try {
                    assertThat(store(c, v.sop(), v.second()).isSuccess()).as("the replacement neither indexed nor journaled")
                            .isFalse();
                } finally {
                    System.clearProperty(FAULT);
                    chattr("-i", journal);
                }
            }
            assertServesFirst(node, v, List.of(node.storage().root()));
        }
    }

    /** Stores the first version in a child serve, then the second, during which the child halts at {@code fault}. */
    private Versions crashDuringReplacement(Path data, Map<String, String> env, String fault) throws Exception {
        return crashDuringReplacement(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), env, fault);
    }

    private Versions crashDuringReplacement(Path data, String indexUrl, Map<String, String> env, String fault)
            throws Exception {
        Versions v = versions();
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("STEADFAST_INGEST_DUPLICATES", "replace");
        Path log = tmp.resolve("serve.log");
        Process server = ServeCrashTest.fork(data, indexUrl, log, all,
                List.of("-D" + FAULT + "=" + fault));
        try {
            int port = ServeCrashTest.awaitListening(server, log);
            try (DimseClient c = client(port)) {
                assertThat(store(c, v.sop(), v.first())).as("first version").isEqualTo(Status.SUCCESS);
                try {
                    Status s = store(c, v.sop(), v.second());
                    assertThat(s.isSuccess()).as("the replacement, answered by a halted server").isFalse();
                } catch (Exception expected) {
                    // the association broke off: the server halted
                }
            }
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("serve halted at the fault point").isTrue();
            assertThat(server.exitValue()).as("halted by the test seam:\n" + Files.readString(log)).isEqualTo(137);
        } finally {
            Peers.stop(server);
        }
        return v;
    }

    /** @param folders the folder targets, searched for files left behind */
    private void assertServesFirst(ArchiveNode node, Versions v, List<Path> folders) throws Exception {
        assertServes(node, v, v.firstSha(), folders);
    }

    /** @param expected the data set SHA-256 of the version every way of reading must give */
    private void assertServes(ArchiveNode node, Versions v, String expected, List<Path> folders) throws Exception {
        StoredInstance row = node.index().read(tx -> tx.instances().find(v.sop())).orElseThrow();
        assertThat(row.record().datasetSha256()).as("the row's version").isEqualTo(expected);
        StorageKey key = new StorageKey(row.record().storageKey());
        for (Target t : node.targets().targets()) {
            try (InputStream in = t.storage().open(key)) {
                assertThat(Received.sha256(in)).as("copy on " + t + " matches its row").isEqualTo(row.record().sha256());
            }
            assertThat(t.storage().keysWithPreviousCopies()).as("kept copies left on " + t).isEmpty();
        }
        // WADO-RS
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + node.httpPort() + "/dicom-web/studies/" + v.study() + "/series/" + v.series() + "/instances/" + v.sop()))
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        List<byte[]> parts = Multipart.parts(r);
        assertThat(parts).hasSize(1);
        assertThat(datasetSha256(parts.getFirst())).as("WADO-RS serves the version of the row").isEqualTo(expected);
        // C-GET with dcmtk's getscu (bit-preserving)
        String getscu = Peers.tool("getscu");
        Path out = Files.createDirectories(tmp.resolve("get-" + System.nanoTime()));
        Peers.Result g = Peers.run(List.of(getscu, "-S", "+B", "-aet", "GETSCU", "-aec", "STEADFAST", "-od", out.toString(),
                "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + v.study(), "-k", "SeriesInstanceUID=" + v.series(),
                "-k", "SOPInstanceUID=" + v.sop(), "127.0.0.1", String.valueOf(node.dicomPort())), null, 60);
        assertThat(g.exitCode()).as(g.output()).isZero();
        Map<String, byte[]> got = ReceivedDataSets.in(out);
        assertThat(got).containsOnlyKeys(v.sop());
        assertThat(sha256(got.get(v.sop()))).as("C-GET serves the version of the row").isEqualTo(expected);
        // Scrub: nothing damaged, nothing unrepairable
        ScrubReport scrub = new Scrubber(node.targets(), new IndexChecksums(node.index()), Pace.UNLIMITED).scrub(Progress.NONE);
        assertThat(scrub.damagedRepaired()).as(scrub.render()).isZero();
        assertThat(scrub.unrepairable()).as(scrub.render()).isEmpty();
        for (Path folder : folders) {
            try (Stream<Path> s = Files.walk(folder)) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".prev") || n.endsWith(".tmp")
                        && !n.startsWith(".health")).toList()).as("kept copies and temporary files left in " + folder).isEmpty();
            }
        }
    }

    private static DimseClient client(int port) throws Exception {
        return DimseClient.open("127.0.0.1", port, new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian));
    }

    private static Status store(DimseClient c, String sop, byte[] dataset) throws Exception {
        return c.store(Instances.source(UID.SecondaryCaptureImageStorage, sop, dataset), null, -1).status();
    }

    private static String datasetSha256(byte[] part10) throws Exception {
        int groupLength = (part10[140] & 0xFF) | (part10[141] & 0xFF) << 8 | (part10[142] & 0xFF) << 16 | (part10[143] & 0xFF) << 24;
        return sha256(java.util.Arrays.copyOfRange(part10, 144 + groupLength, part10.length));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static boolean immutableFoldersWork(Path probe) {
        try {
            Files.createDirectories(probe);
            if (chattrExit("+i", probe) != 0) {
                return false;
            }
            try {
                Files.createFile(probe.resolve("x"));
                return false;
            } catch (java.io.IOException refused) {
                return true;
            } finally {
                chattrExit("-i", probe);
            }
        } catch (Exception e) {
            return false;
        }
    }

    private static void chattr(String flag, Path folder) throws Exception {
        assertThat(chattrExit(flag, folder)).as("chattr " + flag + " " + folder).isZero();
    }

    private static int chattrExit(String flag, Path folder) throws Exception {
        Process p = new ProcessBuilder("chattr", flag, folder.toString()).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
