package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: two nodes share one storage folder. A node that starts removes only the temporary files
 * of writers that are gone (nobody holds their lock), never the half-written file of a store in
 * progress on the other node, however old, which then completes and is kept intact.
 */
class Issue15SharedStorageSweepTest {
    @TempDir
    Path tmp;

    @Test
    void aSlowStoreOnNodeASurvivesNodeBStartingOnTheSameStorageFolder() throws Exception {
        Path shared = tmp.resolve("shared-storage");
        Path dataA = tmp.resolve("a");
        Path dataB = tmp.resolve("b");
        Map<String, String> onShared = Map.of("storage.path", shared.toString());
        String study = Instances.uid();
        String sop = Instances.uid();
        Dataset ds = Instances.image(study, Instances.uid(), sop, 4 << 20);
        byte[] bytes = DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
        CountDownLatch release = new CountDownLatch(1);
        ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        try (ArchiveNode a = TestNodes.start(dataA, TestNodes.indexUrl(TestNodes.Db.SQLITE, dataA), onShared, List.of())) {
            CompletableFuture<DimseResponse> store = CompletableFuture.supplyAsync(() -> {
                try (DimseClient c = DimseClient.open("127.0.0.1", a.dicomPort(), o)) {
                    return c.store(Instances.stalling(sop, bytes, bytes.length / 2, release), null, -1);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Path inFlight = awaitTemporaryFile(shared, sop, store);
            // What a crashed writer left behind (nobody holds its lock); the live one made to look old.
            Path crashed = shared.resolve("1.2.3/4.5.6/.7.8.9.dcm.00000000-0000-0000-0000-000000000000.tmp");
            Files.createDirectories(crashed.getParent());
            Files.write(crashed, new byte[10]);
            Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minusSeconds(60)));
            Files.setLastModifiedTime(inFlight, FileTime.from(Instant.now().minusSeconds(3600)));

            try (ArchiveNode b = TestNodes.start(dataB, TestNodes.indexUrl(TestNodes.Db.SQLITE, dataB), onShared, List.of())) {
                assertThat(Files.exists(inFlight)).as("node B's start left node A's store in progress alone").isTrue();
                assertThat(Files.exists(crashed)).as("a crashed writer's file is removed").isFalse();
                release.countDown();
                DimseResponse r = store.get(120, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUCCESS);
            } finally {
                release.countDown();
            }
            Path stored;
            try (Stream<Path> s = Files.walk(shared)) {
                stored = s.filter(p -> p.getFileName().toString().equals(sop + ".dcm")).findFirst().orElseThrow();
            }
            assertThat(datasetSha256(Files.readAllBytes(stored))).isEqualTo(sha256(bytes));
            java.util.Optional<?> indexed = a.index().read(tx -> tx.instances().find(sop));
            assertThat(indexed).isPresent();
        }
    }

    private static Path awaitTemporaryFile(Path root, String sop, CompletableFuture<?> store) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // a guard, not a measurement
        while (System.nanoTime() < deadline) {
            assertThat(store).as("the store ended before its temporary file was seen").isNotDone();
            try (Stream<Path> s = Files.walk(root)) {
                var found = s.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith("." + sop + ".dcm") && n.endsWith(".tmp");
                }).findFirst();
                if (found.isPresent() && Files.size(found.get()) > 0) {
                    return found.get();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no temporary file for the store in progress");
    }

    /** SHA-256 of the data set after the File Meta Information (what the sender sent). */
    private static String datasetSha256(byte[] part10) throws Exception {
        int groupLength = (part10[140] & 0xFF) | (part10[141] & 0xFF) << 8 | (part10[142] & 0xFF) << 16 | (part10[143] & 0xFF) << 24;
        int start = 144 + groupLength;
        return sha256(java.util.Arrays.copyOfRange(part10, start, part10.length));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
