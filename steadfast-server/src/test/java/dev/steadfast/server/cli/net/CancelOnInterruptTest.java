package dev.steadfast.server.cli.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.StoreSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steadfast get} in its own JVM, stopped with SIGTERM (what Ctrl-C's SIGINT does too: the
 * shutdown hook) while the first instance is on its way and the SCP reads the second ahead: it sends
 * C-CANCEL, prints the peer's final answer (FE00, two instances never sent) and keeps the instance
 * it received. (The SCP checks for a C-CANCEL between reading an object and sending it.)
 */
class CancelOnInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void getStoppedWithASignalCancelsAndPrintsTheFinalAnswer() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        List<StoreSource> archive = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            archive.add(instance("1.2.840.99.7." + i, i == 1 ? () -> { // the second, read while the first's response is awaited
                started.countDown();
                try {
                    proceed.await(60, TimeUnit.SECONDS); // held until the client has sent its C-CANCEL
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            } : () -> { }));
        }
        ServiceRegistry registry = ServiceRegistry.builder().get(UID.StudyRootQueryRetrieveInformationModelGet, (rq, keys) -> archive).build();
        Path out = Files.createDirectories(tmp.resolve("got"));
        Path log = tmp.resolve("get.log");
        Process p = null;
        try (AssociationListener scp = DimseServer.start(InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(registry, "SCP").build(), registry, 4, null)) {
            String java = ProcessHandle.current().info().command().orElse("java");
            p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), "dev.steadfast.server.Main",
                    "get", "SCP@127.0.0.1:" + scp.port(), "-k", "StudyInstanceUID=1.2.840.99.7", "-o", out.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(started.await(60, TimeUnit.SECONDS)).as("the C-GET reached the SCP").isTrue();
            p.destroy(); // SIGTERM, by this process's handle
            awaitLine(log, "C-CANCEL sent", p);
            proceed.countDown();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log);
            assertThat(output).contains("C-GET: FE00 (cancel); 1 received").contains("2 not sent (cancelled)");
            assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM: the JVM ends as signalled once the hook is done
            try (var files = Files.list(out)) {
                assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("1.2.840.99.7.0.dcm");
            }
        } finally {
            proceed.countDown();
            if (p != null && p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits for the hook's line (an event, not a time): the C-CANCEL has been written once it is printed. */
    private static void awaitLine(Path log, String text, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                fail("the command ended without cancelling:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        fail("no '" + text + "' from the command:\n" + Files.readString(log));
    }

    @FunctionalInterface
    private interface Check {
        void run() throws IOException;
    }

    private static StoreSource instance(String iuid, Check verify) throws IOException {
        Dataset ds = new Dataset().setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage)
                .setString(Tag.SOPInstanceUID, VR.UI, iuid).setBytes(Tag.PixelData, VR.OB, new byte[1000]);
        byte[] bytes = DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
        return new StoreSource() {
            public String sopClassUid() {
                return UID.SecondaryCaptureImageStorage;
            }

            public String sopInstanceUid() {
                return iuid;
            }

            public String transferSyntaxUid() {
                return UID.ExplicitVRLittleEndian;
            }

            public InputStream openDataset() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public void verify() throws IOException {
                verify.run();
            }
        };
    }
}
