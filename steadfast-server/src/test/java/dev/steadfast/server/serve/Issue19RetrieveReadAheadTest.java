package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, round four: a C-MOVE/C-GET reads and checks the next object while the receiver handles
 * the current one, and the previous pending response goes out meanwhile. What a user checks, through
 * serve with dcmtk's storescp, movescu and getscu: with damaged copies first, last, in the middle and
 * two in a row, every intact instance arrives exactly as stored and no damaged one arrives at all;
 * the final response counts and names exactly the damaged ones; every pending response is sent, in
 * order, with counts that add up to the study.
 */
class Issue19RetrieveReadAheadTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void damagedCopiesAnywhereInTheStudyAreLeftOutAndTheRestArrivesWhole() throws Exception {
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        int destPort = Peers.freePort();
        Process storescp = Peers.start(List.of(Peers.tool("storescp"), "+B", "-aet", "MOVEDEST", "-od", dest.toString(),
                String.valueOf(destPort)), tmp.resolve("storescp.log"));
        Path data = tmp.resolve("data");
        String study = Instances.uid();
        String series = Instances.uid();
        ClientOptions o = new ClientOptions().callingAeTitle("WS").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                .propose(UID.StudyRootQueryRetrieveInformationModelMove, UID.ExplicitVRLittleEndian);
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(),
                List.of("DEST=MOVEDEST@127.0.0.1:" + destPort));
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            Peers.awaitPort(destPort, storescp, 10_000);
            Map<String, byte[]> intact = new LinkedHashMap<>();
            List<String> damaged = new ArrayList<>();
            for (int i = 1; i <= 7; i++) { // stored in this order: damage the 1st, 2nd, 4th and 7th
                String sop = Instances.uid();
                Dataset ds = Instances.image(study, series, sop, 100_000 + 4096 * i);
                ds.setInt(Tag.InstanceNumber, VR.IS, i);
                assertThat(c.store(Instances.source(ds), null, -1).status()).isEqualTo(Status.SUCCESS);
                if (i == 1 || i == 2 || i == 4 || i == 7) {
                    damaged.add(sop);
                } else {
                    intact.put(sop, DicomWriter.encode(ds, UID.ExplicitVRLittleEndian));
                }
            }
            for (String sop : damaged) {
                corrupt(node.storage().root(), sop);
            }

            // Our requestor sees every pending response: remaining 6..1, counts adding up to 7.
            List<DimseResponse> pending = new ArrayList<>();
            DimseResponse r = c.move(UID.StudyRootQueryRetrieveInformationModelMove, "MOVEDEST", new Dataset()
                    .setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY").setString(Tag.StudyInstanceUID, VR.UI, study), pending::add);
            assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES);
            assertThat(r.completed()).isEqualTo(3);
            assertThat(r.failed()).isEqualTo(4);
            assertThat(r.dataset().getStrings(Tag.FailedSOPInstanceUIDList)).containsExactlyInAnyOrderElementsOf(damaged);
            assertThat(pending).extracting(p -> p.command().getInt(Tag.NumberOfRemainingSuboperations, -1))
                    .containsExactly(6, 5, 4, 3, 2, 1);
            for (DimseResponse p : pending) {
                assertThat(p.status()).isEqualTo(Status.PENDING);
                assertThat(p.command().getInt(Tag.NumberOfRemainingSuboperations, -1) + p.completed() + p.failed()
                        + p.command().getInt(Tag.NumberOfWarningSuboperations, 0)).isEqualTo(7);
            }
            assertThat(ReceivedDataSets.in(dest)).as("C-MOVE by our requestor").containsOnlyKeys(intact.keySet());
            ReceivedDataSets.assertSame(ReceivedDataSets.in(dest), intact, "C-MOVE by our requestor");

            // dcmtk's movescu and getscu: the same, the failures reported, the data sets as stored.
            clear(dest);
            Peers.Result moved = Peers.run(List.of(Peers.tool("movescu"), "-S", "-aec", "STEADFAST", "-aem", "MOVEDEST",
                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "127.0.0.1", String.valueOf(node.dicomPort())), 60);
            assertThat(moved.output()).contains("SubOperationsCompleteOneOrMoreFailures");
            ReceivedDataSets.assertSame(ReceivedDataSets.in(dest), intact, "movescu");
            Path got = Files.createDirectories(tmp.resolve("got"));
            Peers.Result gotten = Peers.run(List.of(Peers.tool("getscu"), "-S", "+B", "-aec", "STEADFAST", "-od", got.toString(),
                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "127.0.0.1", String.valueOf(node.dicomPort())), 60);
            assertThat(gotten.output()).contains("OneOrMoreFailures");
            ReceivedDataSets.assertSame(ReceivedDataSets.in(got), intact, "getscu");
        } finally {
            Peers.stop(storescp);
        }
    }

    private static void clear(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                Files.delete(f);
            }
        }
    }

    /** Flips the last byte (pixel data): the file still parses, only the checksum tells. */
    private static void corrupt(Path root, String sop) throws Exception {
        Path file;
        try (Stream<Path> s = Files.walk(root)) {
            file = s.filter(p -> p.getFileName().toString().equals(sop + ".dcm")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 1);
            int b = f.read();
            f.seek(f.length() - 1);
            f.write(b ^ 0xFF);
        }
    }
}
