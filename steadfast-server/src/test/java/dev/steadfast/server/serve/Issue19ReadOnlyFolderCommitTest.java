package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.dimse.StoreSource;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 moved the file's fsync and rename into the storage commit, which runs beside the index statements.
 * The instance's folder turns read-only (as a file system remounted read-only after an error) while a
 * replacement (duplicate policy replace) streams in, after its temporary file was created: the commit cannot
 * rename, the replacing row's statements already ran. What a user checks through serve: the sender gets "out of
 * resources" (A700), the previous row and its file are intact, and once the folder is writable again the
 * replacement goes through and the failed commit's temporary file (which the read-only folder kept) is gone:
 * before, it stayed until the next start's sweep. Needs an immutable-folder attribute ({@code chattr +i}, root on ext4): skipped
 * without one.
 */
class Issue19ReadOnlyFolderCommitTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aReplacementWhoseFolderTurnsReadOnlyFailsAndKeepsThePreviousCopy() throws Exception {
        assumeTrue(immutableFoldersWork(tmp.resolve("probe")), "chattr +i does not stop writes here");
        Path data = tmp.resolve("data");
        try (ArchiveNode node = ArchiveNode.start(TestNodes.config(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("ingest.duplicates", "replace"), List.of()))) {
            String study = Instances.uid();
            String series = Instances.uid();
            String sop = Instances.uid();
            byte[] first = DicomWriter.encode(Instances.image(study, series, sop, 200_000), UID.ExplicitVRLittleEndian);
            byte[] second = DicomWriter.encode(Instances.image(study, series, sop, 300_000), UID.ExplicitVRLittleEndian);
            try (DimseClient c = client(node)) {
                assertThat(c.store(Instances.source(UID.SecondaryCaptureImageStorage, sop, first), null, -1).status())
                        .isEqualTo(Status.SUCCESS);
            }
            StoredInstance before = row(node, sop).orElseThrow();
            Path folder = fileOf(data, sop).getParent();

            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Status> replacing = CompletableFuture.supplyAsync(() -> {
                try (DimseClient c = client(node)) {
                    return c.store(Instances.stalling(sop, second, 100_000, release), null, -1).status();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                awaitTemporaryFile(folder);
                chattr("+i", folder); // read-only now: the temporary file is open, its rename will be refused
                release.countDown();
                assertThat(replacing.get(60, TimeUnit.SECONDS)).as("status of the replacement").isEqualTo(Status.OUT_OF_RESOURCES);
                // A new instance into the read-only folder: refused too, no row.
                String other = Instances.uid();
                try (DimseClient c = client(node)) {
                    assertThat(c.store(Instances.source(Instances.image(study, series, other, 50_000)), null, -1).status())
                            .isEqualTo(Status.OUT_OF_RESOURCES);
                }
                assertThat(row(node, other)).isEmpty();
            } finally {
                release.countDown();
                chattr("-i", folder);
            }
            StoredInstance after = row(node, sop).orElseThrow();
            assertThat(after.record().sha256()).as("the row of the previous copy").isEqualTo(before.record().sha256());
            assertThat(sha256(node, after)).as("the previous copy's bytes").isEqualTo(before.record().sha256());

            // Writable again: the replacement goes through.
            try (DimseClient c = client(node)) {
                assertThat(c.store(Instances.source(UID.SecondaryCaptureImageStorage, sop, second), null, -1).status())
                        .isEqualTo(Status.SUCCESS);
            }
            StoredInstance replaced = row(node, sop).orElseThrow();
            assertThat(replaced.record().sha256()).isNotEqualTo(before.record().sha256());
            assertThat(sha256(node, replaced)).isEqualTo(replaced.record().sha256());
            // The failed commit's temporary file could not be removed while the folder refused: it goes once
            // a commit succeeds again, not only at the next start's sweep.
            try (Stream<Path> s = Files.list(folder)) {
                assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList())
                        .as("temporary files once the folder is writable again").isEmpty();
            }
        }
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
            } catch (IOException refused) {
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

    private static void awaitTemporaryFile(Path folder) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(folder)) {
                if (s.anyMatch(p -> p.getFileName().toString().startsWith("."))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no temporary file appeared in " + folder);
    }

    private static Path fileOf(Path data, String sop) throws IOException {
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(p -> p.getFileName().toString().equals(sop + ".dcm")).findFirst().orElseThrow();
        }
    }

    private static DimseClient client(ArchiveNode node) throws IOException {
        return DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MODALITY")
                .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian));
    }

    private static Optional<StoredInstance> row(ArchiveNode node, String sop) {
        return node.index().read(tx -> tx.instances().find(sop));
    }

    private static String sha256(ArchiveNode node, StoredInstance row) throws Exception {
        try (InputStream in = node.targets().open(new StorageKey(row.record().storageKey()))) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
