package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.dimse.StoreSource;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 moved the data set digest and the file's fsync off the thread that receives: what a user checks
 * through serve. Senders that break off in the middle of an object, many times (the stream failing, the
 * association aborted): no row, no temporary file, and no file descriptor or thread left behind by the write
 * that was abandoned. Then four associations sending the same SOP Instance UID at once, beside instances of
 * their own (the UID's lock is now held over the fsync, beside the group commit): every store answered
 * success, one row, and its bytes are the ones sent.
 */
class Issue19AbortedStoresLeaveNothingTest {
    private static final int ABORTS = 30;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void abandonedObjectsLeaveNothingAndOneUidFromFourAssociationsIsStoredOnce() throws Exception {
        Path data = tmp.resolve("data");
        try (ArchiveNode node = ArchiveNode.start(TestNodes.config(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of(), List.of()))) {
            String study = Instances.uid();
            String series = Instances.uid();
            // Warm: lazily opened files, pools and threads of a complete and of a broken store.
            assertThat(store(node, Instances.source(Instances.image(study, series, Instances.uid(), 300_000))))
                    .isEqualTo(Status.SUCCESS);
            List<String> abandoned = new ArrayList<>();
            abandoned.add(breakOff(node, study, series, 0));
            awaitSettled(node, data, Long.MAX_VALUE);
            long files = openFiles();
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();

            for (int i = 1; i <= ABORTS; i++) {
                abandoned.add(breakOff(node, study, series, i));
            }
            awaitSettled(node, data, files + 8);
            assertThat(temporaryFiles(data)).as("temporary files after " + ABORTS + " abandoned objects").isEmpty();
            assertThat(openFiles()).as("open file descriptors after " + ABORTS + " abandoned objects").isLessThan(files + 8);
            assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).as("platform threads").isLessThan(threads + 8);
            for (String sop : abandoned) {
                assertThat(row(node, sop)).as("row of abandoned " + sop).isEmpty();
            }

            // Four associations, the same SOP Instance UID at once, each also with instances of its own.
            String shared = Instances.uid();
            byte[] sharedBytes = DicomWriter.encode(Instances.image(study, series, shared, 200_000), UID.ExplicitVRLittleEndian);
            List<Future<List<Status>>> senders = new ArrayList<>();
            List<String> own = java.util.Collections.synchronizedList(new ArrayList<>());
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                for (int s = 0; s < 4; s++) {
                    senders.add(pool.submit(() -> {
                        List<Status> statuses = new ArrayList<>();
                        try (DimseClient c = client(node)) {
                            for (int k = 0; k < 6; k++) {
                                if (k % 2 == 0) {
                                    statuses.add(c.store(Instances.source(UID.SecondaryCaptureImageStorage, shared, sharedBytes),
                                            null, -1).status());
                                } else {
                                    String sop = Instances.uid();
                                    own.add(sop);
                                    statuses.add(c.store(Instances.source(Instances.image(study, series, sop, 60_000)),
                                            null, -1).status());
                                }
                            }
                        }
                        return statuses;
                    }));
                }
                for (Future<List<Status>> f : senders) {
                    assertThat(f.get()).as("statuses of one association").containsOnly(Status.SUCCESS);
                }
            }
            StoredInstance row = row(node, shared).orElseThrow();
            byte[] stored;
            try (InputStream in = node.targets().open(new StorageKey(row.record().storageKey()))) {
                stored = in.readAllBytes();
            }
            assertThat(sha256(stored)).isEqualTo(row.record().sha256());
            assertThat(row.record().datasetSha256()).isEqualTo(sha256(sharedBytes));
            assertThat(own).hasSize(12).allSatisfy(sop -> assertThat(row(node, sop)).as(sop).isPresent());
            assertThat(temporaryFiles(data)).isEmpty();
        }
    }

    /** One association that sends part of an object and breaks off: the stream fails, or (odd i) it aborts. */
    private static String breakOff(ArchiveNode node, String study, String series, int i) throws Exception {
        String sop = Instances.uid();
        byte[] bytes = DicomWriter.encode(Instances.image(study, series, sop, 300_000), UID.ExplicitVRLittleEndian);
        DimseClient c = client(node);
        try {
            c.store(Instances.secondaryCapture(sop, () ->
                    new FilterInputStream(new ByteArrayInputStream(bytes)) {
                        private int sent;

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            if (sent > 150_000 + 7_000 * (i % 5)) {
                                if (i % 2 == 1) {
                                    c.abort();
                                }
                                throw new IOException("the sender breaks off");
                            }
                            int n = super.read(b, off, len);
                            sent += Math.max(n, 0);
                            return n;
                        }
                    }), null, -1);
        } catch (IOException | RuntimeException e) {
            // expected: the object was not sent whole
        } finally {
            c.abort();
        }
        return sop;
    }

    /** Waits (bounded) until the node handled the broken associations: none active, no temporary file, files closed. */
    private static void awaitSettled(ArchiveNode node, Path data, long filesBelow) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline
                && (node.activeAssociations() > 0 || !temporaryFiles(data).isEmpty() || openFiles() >= filesBelow)) {
            Thread.sleep(50);
        }
    }

    private static Status store(ArchiveNode node, StoreSource source) throws Exception {
        try (DimseClient c = client(node)) {
            return c.store(source, null, -1).status();
        }
    }

    private static DimseClient client(ArchiveNode node) throws IOException {
        return DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MODALITY")
                .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian));
    }

    private static Optional<StoredInstance> row(ArchiveNode node, String sop) {
        return node.index().read(tx -> tx.instances().find(sop));
    }

    private static List<Path> temporaryFiles(Path data) throws IOException {
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".tmp"))
                    .toList();
        }
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
