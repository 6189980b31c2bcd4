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
import dev.steadfast.net.dimse.StoreSource;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, no network I/O under the ingest lock: a running serve receives the same SOP Instance
 * UID from several associations at once. A sender that stalls in the middle of its data set
 * delays no other sender, neither of another instance sharing its lock stripe nor of the same
 * instance; however the arrivals interleave, the archive ends with one stored object and one
 * index row that describes it, and every sender got the answer its policy gives for its bytes
 * against the bytes that were stored first. Stalls are made with latches, never with sleeps;
 * the waits on futures only guard against a hang (the defect itself). SQLite here, PostgreSQL in
 * the subclass.
 */
class Issue12IngestLockTest {
    private static final int PIXEL_BYTES = 256 * 1024;
    /** Generous: only a hang (an ingest lock held across a stalled sender) ever reaches it. */
    static final long HANG_GUARD_SECONDS = 120;

    @TempDir
    Path tmp;

    /** The index database; the PostgreSQL subclass overrides it. */
    TestNodes.Db db() {
        return TestNodes.Db.SQLITE;
    }

    private ArchiveNode node(String policy) throws IOException {
        Path data = tmp.resolve("data-" + policy);
        return TestNodes.start(data, TestNodes.indexUrl(db(), data), Map.of("ingest.duplicates", policy), List.of());
    }

    private static ClientOptions options() {
        return new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
    }

    @Test
    void aStalledSenderDelaysNoSenderOfTheSameInstanceNorOfAnotherOnTheSameLock() throws Exception {
        String study = Instances.uid();
        String series = Instances.uid();
        String x = Instances.uid();
        String y = sameLockStripeAs(x);
        byte[] a = encode(study, series, x, "A");
        byte[] b = encode(study, series, x, "B");
        byte[] other = encode(study, series, y, "Y");
        ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        Gate stall = new Gate(1);
        try (ArchiveNode node = node("reject")) {
            Future<Integer> slow = senders.submit(() -> send(node, new Stalling(x, a, PIXEL_BYTES / 2, stall)));
            awaitStaging(node, slow);
            // The slow sender's header is parsed and its bytes are going to storage; it now stalls.
            int fast = guarded(senders.submit(() -> send(node, new Stalling(x, b, -1, null))),
                    "a sender of the same instance, while another sender of it stalls");
            assertThat(fast).as("first complete copy of the instance").isEqualTo(0x0000);
            int neighbour = guarded(senders.submit(() -> send(node, new Stalling(y, other, -1, null))),
                    "a sender of another instance on the same lock stripe");
            assertThat(neighbour).isEqualTo(0x0000);
            stall.release.countDown();
            assertThat(guarded(slow, "the stalled sender, released")).as("different bytes after the first, reject")
                    .isEqualTo(0x0111);
            assertConsistent(node, x, b);
            assertConsistent(node, y, other);
            assertThat(regularFiles(node)).as("two instances, no temporary file").isEqualTo(2);
        } finally {
            stall.release.countDown();
            senders.shutdownNow();
        }
    }

    @Test
    void concurrentSendersOfOneInstanceLeaveOneObjectAndOneConsistentRowUnderEveryPolicy() throws Exception {
        for (String policy : List.of("reject", "keep-first", "replace")) {
            String study = Instances.uid();
            String series = Instances.uid();
            String sop = Instances.uid();
            byte[] a = encode(study, series, sop, "A");
            byte[] b = encode(study, series, sop, "B");
            int n = 6;
            Gate together = new Gate(n);
            ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
            try (ArchiveNode node = node(policy)) {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    byte[] content = i % 2 == 0 ? a : b;
                    answers.add(senders.submit(() -> send(node, new Stalling(sop, content, PIXEL_BYTES / 2, together))));
                }
                // Every sender has sent half its pixel data and waits: then all finish at once.
                if (!together.reached.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
                    fail("the senders did not all start");
                }
                together.release.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : answers) {
                    statuses.add(guarded(f, "a concurrent sender (" + policy + ")"));
                }
                StoredInstance row = node.index().read(tx -> tx.instances().find(sop)).orElseThrow();
                Path file = node.storage().pathOf(new StorageKey(row.record().storageKey()));
                String storedSha = Received.of(file).datasetSha256();
                byte[] winner = storedSha.equals(sha(a)) ? a : b;
                assertConsistent(node, sop, winner);
                assertThat(regularFiles(node)).as(policy + ": one object, no temporary file").isEqualTo(1);
                for (int i = 0; i < n; i++) {
                    boolean same = (i % 2 == 0 ? a : b) == winner;
                    int expected = switch (policy) {
                        case "reject" -> same ? 0x0000 : 0x0111;
                        case "keep-first" -> same ? 0x0000 : 0xB006;
                        default -> 0x0000;
                    };
                    assertThat(statuses.get(i)).as(policy + ", sender " + i + " of " + statuses).isEqualTo(expected);
                }
            } finally {
                together.release.countDown();
                senders.shutdownNow();
            }
        }
    }

    // ---- helpers ----

    /** One row for the instance, describing the stored object, which holds {@code dataset}. */
    private static void assertConsistent(ArchiveNode node, String sop, byte[] dataset) throws Exception {
        StoredInstance row = node.index().read(tx -> tx.instances().find(sop)).orElseThrow();
        Path file = node.storage().pathOf(new StorageKey(row.record().storageKey()));
        assertThat(Received.of(file).datasetSha256()).as("stored data set of " + sop).isEqualTo(sha(dataset));
        assertThat(row.record().datasetSha256()).as("index row's data set digest").isEqualTo(sha(dataset));
        assertThat(Issue14DuplicatePolicyTest.fileSha(file)).as("index row's object digest").isEqualTo(row.record().sha256());
        assertThat(Files.size(file)).isEqualTo(row.record().size());
    }

    private static long regularFiles(ArchiveNode node) throws IOException {
        try (Stream<Path> s = Files.walk(node.storage().root())) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    /** Waits until the server stages an object (a temporary file exists): the sender's header is parsed. */
    private static void awaitStaging(ArchiveNode node, Future<Integer> sender) throws Exception {
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (System.nanoTime() < guard) {
            if (sender.isDone()) {
                fail("the stalling sender finished early: " + sender.get());
            }
            if (Files.exists(node.storage().root())) {
                try (Stream<Path> s = Files.walk(node.storage().root())) {
                    if (s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"))) {
                        return;
                    }
                }
            }
            Thread.onSpinWait();
            Thread.sleep(10); // polling a state, not measuring time
        }
        fail("the server never started to stage the stalling sender's instance");
    }

    private static int guarded(Future<Integer> f, String who) throws Exception {
        try {
            return f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail(who + " did not get an answer: blocked by the stalled sender");
            return -1;
        }
    }

    private static int send(ArchiveNode node, StoreSource source) throws Exception {
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), options())) {
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

    /** Another instance UID that falls on the same ingest lock stripe (hash modulo 64) as {@code uid}. */
    private static String sameLockStripeAs(String uid) {
        for (int i = 0; ; i++) {
            String other = Instances.uid();
            if (Math.floorMod(other.hashCode(), 64) == Math.floorMod(uid.hashCode(), 64)) {
                return other;
            }
        }
    }

    /** Senders that reach the stall point count down {@code reached}, then wait for {@code release}. */
    static final class Gate {
        final CountDownLatch reached;
        final CountDownLatch release = new CountDownLatch(1);

        Gate(int senders) {
            reached = new CountDownLatch(senders);
        }
    }

    /** A data set that stalls after {@code stallAt} bytes until its gate opens (-1: never stalls). */
    record Stalling(String sop, byte[] dataset, int stallAt, Gate gate) implements StoreSource {
        public String sopClassUid() {
            return UID.SecondaryCaptureImageStorage;
        }

        public String sopInstanceUid() {
            return sop;
        }

        public String transferSyntaxUid() {
            return UID.ExplicitVRLittleEndian;
        }

        public InputStream openDataset() {
            return new InputStream() {
                int pos;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    if (pos >= dataset.length) {
                        return -1;
                    }
                    if (pos == stallAt) {
                        gate.reached.countDown();
                        try {
                            if (!gate.release.await(HANG_GUARD_SECONDS * 2, TimeUnit.SECONDS)) {
                                throw new IOException("never released");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                    int end = stallAt > pos ? stallAt : dataset.length;
                    int n = Math.min(len, end - pos);
                    System.arraycopy(dataset, pos, buf, off, n);
                    pos += n;
                    return n;
                }
            };
        }
    }
}
