package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steadfast serve} in its own JVM, killed with SIGKILL in the middle of a multi-association
 * ingest, then restarted on the same data: every instance whose success the senders received is
 * there, intact and findable; nothing half-written is left. Iterations: {@code -Dsteadfast.crash.iterations}
 * (default 2; raise it for a soak). Then SIGTERM: in-flight associations finish, the node stops cleanly.
 */
class ServeCrashTest {
    private static final int SENDERS = 3;

    @TempDir
    Path tmp;

    @Test
    void sigkillDuringIngestLosesNothingAcknowledgedOnSqlite() throws Exception {
        Path data = tmp.resolve("data");
        crashLoop(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Integer.getInteger("steadfast.crash.iterations", 2));
    }

    @Test
    void sigkillDuringIngestLosesNothingAcknowledgedOnPostgres() throws Exception {
        Path data = tmp.resolve("data");
        crashLoop(data, TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, data), 1);
    }

    private void crashLoop(Path data, String indexUrl, int iterations) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < iterations; i++) {
            int port = Peers.freePort();
            Process server = fork(data, indexUrl, port, tmp.resolve("serve-" + i + ".log"));
            try {
                Peers.awaitPort(port, server, 60_000);
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> senders = new ArrayList<>();
                int before = acknowledged.size();
                for (int s = 0; s < SENDERS; s++) {
                    senders.add(Thread.ofVirtual().start(() -> send(port, acknowledged, stop)));
                }
                long deadline = System.currentTimeMillis() + 20_000;
                while (acknowledged.size() < before + 25 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                server.destroyForcibly(); // SIGKILL, mid-transfer
                server.waitFor(10, TimeUnit.SECONDS);
                stop.set(true);
                for (Thread t : senders) {
                    t.join(10_000);
                }
                assertThat(acknowledged.size()).as("acknowledged before the kill").isGreaterThan(before);
            } finally {
                Peers.stop(server);
            }
            checkAfterRestart(data, indexUrl, acknowledged);
        }
    }

    /** Stores fresh instances until told to stop or the server dies; records each success. */
    private static void send(int port, Set<String> acknowledged, AtomicBoolean stop) {
        ClientOptions o = new ClientOptions().callingAeTitle("CRASHER").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        String study = Instances.uid();
        try (DimseClient c = DimseClient.open("127.0.0.1", port, o)) {
            while (!stop.get()) {
                String sop = Instances.uid();
                var r = c.store(Instances.source(Instances.image(study, Instances.uid(), sop, 256 * 1024)), null, -1);
                if (r.status().isSuccess()) {
                    acknowledged.add(sop);
                } else {
                    System.err.println("store refused: " + r);
                }
            }
        } catch (Exception e) {
            if (!stop.get()) {
                System.err.println("sender ended: " + e); // expected once the server is killed
            }
        }
    }

    private static void checkAfterRestart(Path data, String indexUrl, Set<String> acknowledged) throws Exception {
        try (ArchiveNode node = TestNodes.start(data, indexUrl, Map.of(), List.of())) {
            try (Stream<Path> s = Files.walk(node.storage().root())) {
                assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()).as("temporary files after restart").isEmpty();
            }
            for (String sop : acknowledged) {
                Optional<StoredInstance> i = node.index().read(tx -> tx.instances().find(sop));
                assertThat(i).as("acknowledged " + sop).isPresent();
                Path file = node.storage().pathOf(new dev.steadfast.archive.storage.StorageKey(i.get().record().storageKey()));
                try (InputStream in = Files.newInputStream(file)) {
                    assertThat(Received.sha256(in)).as("checksum of " + sop).isEqualTo(i.get().record().sha256());
                }
            }
            // Findable through the DIMSE front door too.
            String some = acknowledged.iterator().next();
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("CHECK")
                    .calledAeTitle("STEADFAST").propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ImplicitVRLittleEndian))) {
                List<String> found = new ArrayList<>();
                c.find(UID.StudyRootQueryRetrieveInformationModelFind, new dev.steadfast.dicom.Dataset()
                        .setString(dev.steadfast.dicom.Tag.QueryRetrieveLevel, dev.steadfast.dicom.VR.CS, "IMAGE")
                        .setString(dev.steadfast.dicom.Tag.SOPInstanceUID, dev.steadfast.dicom.VR.UI, some), m -> found.add(m.toString()));
                assertThat(found).hasSize(1);
            }
        }
    }

    @Test
    void sigtermLetsRunningAssociationsFinishThenStops() throws Exception {
        Path data = tmp.resolve("data");
        int port = Peers.freePort();
        Path log = tmp.resolve("serve.log");
        Process server = fork(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), port, log);
        try {
            Peers.awaitPort(port, server, 60_000);
            ClientOptions o = new ClientOptions().callingAeTitle("LATE").calledAeTitle("STEADFAST")
                    .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
            try (DimseClient c = DimseClient.open("127.0.0.1", port, o)) {
                server.destroy(); // SIGTERM while our association is open
                Thread.sleep(300);
                // The open association is still served during the grace period...
                assertThat(c.store(Instances.source(Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 1024)), null, -1)
                        .status()).isEqualTo(Status.SUCCESS);
            } catch (IOException e) {
                throw new AssertionError("serve log:\n" + Files.readString(log), e);
            }
            // ...and once it is released the node stops by itself.
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log)).contains("stopped");
        } finally {
            Peers.stop(server);
        }
    }

    private static Process fork(Path data, String indexUrl, int port, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "dev.steadfast.server.Main", "serve", "--data", data.toString(),
                "--dicom-port", String.valueOf(port), "--http-port", "0", "--db", indexUrl));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("STEADFAST_DICOM_BIND", "127.0.0.1");
        pb.environment().put("STEADFAST_SHUTDOWN_GRACE_SECONDS", "10");
        if (indexUrl.startsWith("jdbc:postgresql:")) {
            pb.environment().put("STEADFAST_INDEX_USER", "postgres");
        }
        return pb.start();
    }
}
