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
import dev.steadfast.testing.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary files that are not instances (a large header's spill file, issue 14; a verified read of a
 * large copy, issue 15) live under the data folder, in a folder private to the process, not in
 * java.io.tmpdir where a kill -9 left them for good. A starting node removes the folders of processes
 * that are gone (nobody holds their lock) and never one whose process still runs: nodes may share a
 * data folder (the rule of the storage targets' sweep, Issue15SharedStorageSweepTest).
 */
class Issue15TemporaryFilesUnderDataTest {
    @TempDir
    Path tmp;

    @Test
    void spillFilesGoUnderTheDataFolderAndAStartRemovesOnlyItsDeadProcessesLeftovers() throws Exception {
        Path data = tmp.resolve("data");
        Path scratch = data.resolve("tmp");
        // What a process killed -9 left: its folder, its unlocked lock file, a spill file.
        Path dead = Files.createDirectories(scratch.resolve("4242-deadbeef"));
        Files.write(dead.resolve(".lock"), new byte[0]);
        Files.write(dead.resolve("steadfast-header123.spill"), new byte[1000]);
        // Another process that still runs (another node sharing the folder) holds its lock: python's lockf is fcntl,
        // the same lock Java's FileChannel takes.
        Path live = Files.createDirectories(scratch.resolve("4343-cafebabe"));
        Files.write(live.resolve("steadfast-verified-1.tmp"), new byte[10]);
        Process holder;
        try {
            holder = new ProcessBuilder("python3", "-c", "import fcntl,sys;f=open(sys.argv[1],'w');fcntl.lockf(f,fcntl.LOCK_EX);"
                    + "print('locked',flush=True);sys.stdin.read()", live.resolve(".lock").toString()).start();
        } catch (IOException e) {
            Corpus.requireOrSkip(false, "python3 not installed");
            return;
        }
        try {
            assertThat(new String(holder.getInputStream().readNBytes(6))).isEqualTo("locked");
            Dataset ds = Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 1024);
            // 3 MiB before Pixel Data: the header parser records more than its 1 MiB on the heap and spills.
            ds.setBytes(Tag.EncapsulatedDocument, VR.OB, new byte[3 << 20]);
            byte[] bytes = DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
            CountDownLatch release = new CountDownLatch(1);
            try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(), List.of())) {
                assertThat(dead).as("a dead process's leftovers are removed at start").doesNotExist();
                assertThat(live.resolve("steadfast-verified-1.tmp")).as("a running process's files stay").exists();
                List<Path> own = folders(scratch).stream().filter(p -> p.getFileName().toString()
                        .startsWith(ProcessHandle.current().pid() + "-")).toList();
                assertThat(own).as("this node's own folder").hasSize(1);

                ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                        .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
                CompletableFuture<DimseResponse> store = CompletableFuture.supplyAsync(() -> {
                    try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
                        return c.store(Instances.stalling(ds.getString(Tag.SOPInstanceUID), bytes, 2 << 20, release), null, -1);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                try {
                    Path spill = await(own.getFirst(), "steadfast-header", store);
                    assertThat(spill.getParent()).isEqualTo(own.getFirst());
                } finally {
                    release.countDown();
                }
                DimseResponse r = store.get(120, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUCCESS);
                assertThat(files(own.getFirst())).as("the spill file goes once the instance is stored").containsExactly(".lock");
            }
            assertThat(folders(scratch)).as("a node that stops removes its folder; the running process's stays")
                    .containsExactly(live);
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A copy larger than the 32 MiB verified in memory is checked through a temporary file: in the node's folder too. */
    @Test
    void aLargeCopyIsVerifiedThroughATemporaryFileInTheNodesFolder() throws Exception {
        Path data = tmp.resolve("data");
        String sop = Instances.uid();
        ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("storage.targets", "fs:" + tmp.resolve("a") + ",fs:" + tmp.resolve("b")), List.of())) {
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
                assertThat(c.store(Instances.source(Instances.image(Instances.uid(), Instances.uid(), sop, 33 << 20)), null, -1)
                        .status()).isEqualTo(Status.SUCCESS);
            }
            String key = node.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().storageKey();
            List<Path> own = folders(data.resolve("tmp"));
            assertThat(own).hasSize(1);
            // The storage C-MOVE, C-GET and commitment read through (two targets: the replicated one, verified).
            try (InputStream in = node.targets().open(new dev.steadfast.archive.storage.StorageKey(key))) {
                assertThat(in.read()).isNotNegative(); // verified before its first byte
                assertThat(files(own.getFirst())).as("the verified copy lies in the node's own folder")
                        .anyMatch(n -> n.startsWith("steadfast-verified-"));
            }
            assertThat(files(own.getFirst())).as("gone once read").containsExactly(".lock");
        }
    }

    /** A STOW-RS of metadata and bulk data spools each bulk part to a file: in the node's folder too, gone after. */
    @Test
    void stowRsBulkDataPartsAreSpooledInTheNodesFolder() throws Exception {
        Path data = tmp.resolve("data");
        String study = Instances.uid();
        String json = "[{\"00080016\":{\"vr\":\"UI\",\"Value\":[\"" + UID.SecondaryCaptureImageStorage + "\"]},"
                + "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"" + Instances.uid() + "\"]},"
                + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" + study + "\"]},"
                + "\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"" + Instances.uid() + "\"]},"
                + "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"TMP1\"]},"
                + "\"00280002\":{\"vr\":\"US\",\"Value\":[1]},\"00280004\":{\"vr\":\"CS\",\"Value\":[\"MONOCHROME2\"]},"
                + "\"00280010\":{\"vr\":\"US\",\"Value\":[64]},\"00280011\":{\"vr\":\"US\",\"Value\":[64]},"
                + "\"00280100\":{\"vr\":\"US\",\"Value\":[8]},\"00280101\":{\"vr\":\"US\",\"Value\":[8]},"
                + "\"00280102\":{\"vr\":\"US\",\"Value\":[7]},\"00280103\":{\"vr\":\"US\",\"Value\":[0]},"
                + "\"7FE00010\":{\"vr\":\"OB\",\"BulkDataURI\":\"http://example.invalid/pixels\"}}]";
        byte[] head = ("--B\r\nContent-Type: application/dicom+json\r\n\r\n" + json
                + "\r\n--B\r\nContent-Type: application/octet-stream\r\nContent-Location: http://example.invalid/pixels\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] pixels = new byte[64 * 64];
        byte[] tail = "\r\n--B--\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(), List.of());
             java.net.Socket s = new java.net.Socket("127.0.0.1", node.httpPort())) {
            Path own = folders(data.resolve("tmp")).getFirst();
            var out = s.getOutputStream();
            out.write(("POST /dicom-web/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: multipart/related; type=\"application/dicom+json\"; boundary=B\r\nAccept: application/dicom+json\r\n"
                    + "Content-Length: " + (head.length + pixels.length + tail.length) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(head);
            out.write(pixels, 0, 1000); // the bulk part begun, not ended: the server is spooling it
            out.flush();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Path spooled = await(own, "steadfast-stow", answer);
            assertThat(spooled.getParent()).isEqualTo(own);
            out.write(pixels, 1000, pixels.length - 1000);
            out.write(tail);
            out.flush();
            String response = answer.get(60, TimeUnit.SECONDS);
            assertThat(response).startsWith("HTTP/1.1 200").contains(study);
            assertThat(files(own)).as("the spooled parts go once the instance is stored").containsExactly(".lock");
        }
    }

    private static List<Path> folders(Path scratch) throws IOException {
        try (Stream<Path> s = Files.list(scratch)) {
            return s.filter(Files::isDirectory).toList();
        }
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static Path await(Path folder, String prefix, CompletableFuture<?> store) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a guard, not a measurement
        while (System.nanoTime() < deadline) {
            assertThat(store).as("the store ended before its spill file was seen").isNotDone();
            try (Stream<Path> s = Files.list(folder)) {
                var found = s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + prefix + " file in " + folder + " while the store is in progress");
    }

}
