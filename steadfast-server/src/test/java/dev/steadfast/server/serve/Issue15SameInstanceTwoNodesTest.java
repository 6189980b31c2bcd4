package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.serve.Issue12IngestLockTest.Gate;
import dev.steadfast.server.serve.Issue12IngestLockTest.Stalling;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.SharedPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: two nodes on one PostgreSQL index and one shared storage folder receive the same SOP
 * Instance UID at the same moment, round after round: both senders have streamed half their data
 * set and wait, then both finish at once. Every round ends with one stored object and one index row
 * that describes it; with the same bytes both senders get 0000, with different bytes (policy
 * reject, the default) the first complete copy is kept and acknowledged and the other sender gets
 * 0111, exactly as two senders on one node. Neither node falls back to its journal.
 */
class Issue15SameInstanceTwoNodesTest {
    private static final int ROUNDS = 16;
    private static final int PIXEL_BYTES = 64 * 1024;

    @TempDir
    Path tmp;

    @Test
    void theSameInstanceArrivingAtTwoNodesAtOnceEndsAsOneObjectAndOneRow() throws Exception {
        String url = SharedPostgres.freshDatabase();
        Path storage = tmp.resolve("shared-storage");
        Map<String, String> shared = Map.of("storage.path", storage.toString());
        ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        try (ArchiveNode a = TestNodes.start(tmp.resolve("a"), url, shared, List.of());
             ArchiveNode b = TestNodes.start(tmp.resolve("b"), url, shared, List.of())) {
            for (int round = 0; round < ROUNDS; round++) {
                boolean sameBytes = round % 2 == 0;
                String study = Instances.uid();
                String series = Instances.uid();
                String sop = Instances.uid();
                byte[] toA = encode(study, series, sop, "A");
                byte[] toB = sameBytes ? toA : encode(study, series, sop, "B");
                Gate together = new Gate(2);
                Future<Integer> fromA = senders.submit(() -> send(a, new Stalling(sop, toA, PIXEL_BYTES / 2, together)));
                Future<Integer> fromB = senders.submit(() -> send(b, new Stalling(sop, toB, PIXEL_BYTES / 2, together)));
                if (!together.reached.await(Issue12IngestLockTest.HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
                    fail("round " + round + ": the senders did not both start");
                }
                together.release.countDown(); // both finish their data set at once
                int statusA = fromA.get(Issue12IngestLockTest.HANG_GUARD_SECONDS, TimeUnit.SECONDS);
                int statusB = fromB.get(Issue12IngestLockTest.HANG_GUARD_SECONDS, TimeUnit.SECONDS);

                StoredInstance row = a.index().read(tx -> tx.instances().find(sop)).orElseThrow();
                Path file = a.storage().pathOf(new StorageKey(row.record().storageKey()));
                String stored = Received.of(file).datasetSha256();
                assertThat(row.record().datasetSha256()).as("round %d: the row describes the stored object", round)
                        .isEqualTo(stored);
                assertThat(Issue14DuplicatePolicyTest.fileSha(file)).as("round %d: object digest", round)
                        .isEqualTo(row.record().sha256());
                assertThat(Files.size(file)).isEqualTo(row.record().size());
                if (sameBytes) {
                    assertThat(List.of(statusA, statusB)).as("round %d, same bytes", round).containsExactly(0x0000, 0x0000);
                } else {
                    boolean aWon = stored.equals(sha(toA));
                    assertThat(aWon || stored.equals(sha(toB))).as("round %d: one sender's bytes", round).isTrue();
                    assertThat(List.of(statusA, statusB)).as("round %d, different bytes (A's kept: %s)", round, aWon)
                            .containsExactly(aWon ? 0x0000 : 0x0111, aWon ? 0x0111 : 0x0000);
                }
            }
            assertThat(objects(storage)).as("one object per instance, no temporary file").isEqualTo(ROUNDS);
            assertThat(a.health().check().journalBacklog() + b.health().check().journalBacklog()).as("nothing journaled").isZero();
        } finally {
            senders.shutdownNow();
        }
    }

    private static int send(ArchiveNode node, Stalling source) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            return c.store(source, null, -1).status().code();
        }
    }

    private static byte[] encode(String study, String series, String sop, String version) throws IOException {
        Dataset ds = Instances.image(study, series, sop, PIXEL_BYTES);
        ds.setString(Tag.StudyDescription, VR.LO, "version " + version);
        return DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
    }

    private static String sha(byte[] b) throws IOException {
        return Received.sha256(new ByteArrayInputStream(b));
    }

    private static long objects(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
