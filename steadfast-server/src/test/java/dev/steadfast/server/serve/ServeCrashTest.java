package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steadfast serve} in its own JVM, killed with SIGKILL in the middle of a multi-association
 * ingest, then restarted on the same data, in a loop: after each restart every instance whose
 * success the senders received is there, intact (its data set bytes hash to what was sent) and
 * findable with C-FIND; everything C-FIND shows is intact; no temporary file is left. Then SIGTERM:
 * in-flight associations finish, the node stops cleanly. SQLite here, PostgreSQL in the subclass.
 *
 * <p>Iterations: {@code -Dsteadfast.crash.iterations} (default 3); a soak also sets
 * {@code -Dsteadfast.crash.minutes} to stop starting new iterations after that long
 * ({@code bench/crash-soak.sh}, docs/RESILIENCE.md).
 */
class ServeCrashTest {
    private static final int SENDERS = 3;
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

    @TempDir
    Path tmp;

    TestNodes.Db db() {
        return TestNodes.Db.SQLITE;
    }

    @Test
    void sigkillDuringIngestLosesNothingAcknowledged() throws Exception {
        Path data = tmp.resolve("data");
        int iterations = Integer.getInteger("steadfast.crash.iterations", 3);
        long minutes = Long.getLong("steadfast.crash.minutes", 0);
        long stopAt = minutes > 0 ? System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes) : Long.MAX_VALUE;
        String indexUrl = TestNodes.indexUrl(db(), data);
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // SOP Instance UID -> SHA-256 of the data set sent
        Set<String> studies = ConcurrentHashMap.newKeySet();
        int done = 0;
        for (int i = 0; i < iterations && (i == 0 || System.nanoTime() - stopAt < 0); i++) {
            killDuringIngest(data, indexUrl, i, acknowledged, studies);
            checkAfterRestart(data, indexUrl, acknowledged, studies);
            done++;
            System.out.printf("crash iteration %d (%s): %d acknowledged so far, all present, intact and findable%n",
                    done, db(), acknowledged.size());
        }
        // One line the soak script reports.
        System.out.printf("crash loop (%s): %d iterations, %d acknowledged instances all present, intact and findable%n",
                db(), done, acknowledged.size());
    }

    private void killDuringIngest(Path data, String indexUrl, int i, Map<String, String> acknowledged, Set<String> studies)
            throws Exception {
        Path log = tmp.resolve("serve-" + i + ".log");
        Process server = fork(data, indexUrl, log);
        try {
            int port = awaitListening(server, log);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> senders = new ArrayList<>();
            int before = acknowledged.size();
            for (int s = 0; s < SENDERS; s++) {
                senders.add(Thread.ofVirtual().start(() -> send(port, acknowledged, studies, stop)));
            }
            // Kill after a varying number of successes so the kill lands at different points of a transfer.
            int target = before + 15 + ThreadLocalRandom.current().nextInt(20);
            long deadline = System.currentTimeMillis() + 20_000;
            while (acknowledged.size() < target && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            server.destroyForcibly(); // SIGKILL, mid-transfer
            server.waitFor(10, TimeUnit.SECONDS);
            stop.set(true);
            for (Thread t : senders) {
                t.join(10_000);
            }
            assertThat(acknowledged.size()).as("acknowledged before the kill (serve log " + tmp.resolve("serve-" + i + ".log") + ")")
                    .isGreaterThan(before);
        } finally {
            Peers.stop(server);
        }
    }

    /** Stores fresh instances (random pixels) until told to stop or the server dies; records each success. */
    private static void send(int port, Map<String, String> acknowledged, Set<String> studies, AtomicBoolean stop) {
        ClientOptions o = new ClientOptions().callingAeTitle("CRASHER").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        String study = Instances.uid();
        studies.add(study);
        String series = Instances.uid();
        try (DimseClient c = DimseClient.open("127.0.0.1", port, o)) {
            while (!stop.get()) {
                String sop = Instances.uid();
                Dataset ds = Instances.image(study, series, sop, 256 * 1024);
                byte[] pixels = new byte[256 * 1024];
                ThreadLocalRandom.current().nextBytes(pixels);
                ds.setBytes(Tag.PixelData, VR.OB, pixels);
                byte[] encoded = DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
                var r = c.store(Instances.source(UID.SecondaryCaptureImageStorage, sop, encoded), null, -1);
                if (r.status().isSuccess()) {
                    acknowledged.put(sop, Received.sha256(new ByteArrayInputStream(encoded)));
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

    private static List<Path> temporaryFiles(Path root) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private void checkAfterRestart(Path data, String indexUrl, Map<String, String> acknowledged, Set<String> studies) throws Exception {
        try (ArchiveNode node = TestNodes.start(data, indexUrl, Map.of(), List.of())) {
            // The restarted node's own health probe writes and removes a .health-*.tmp every few seconds: a file
            // that is gone a moment later was that probe, not a leftover of the killed node.
            List<Path> leftovers = temporaryFiles(node.storage().root());
            if (!leftovers.isEmpty()) {
                Thread.sleep(1500);
                List<Path> still = temporaryFiles(node.storage().root());
                leftovers = leftovers.stream().filter(still::contains).toList();
            }
            assertThat(leftovers).as("temporary files after restart").isEmpty();
            // Everything C-FIND shows (acknowledged or not: the kill may land after the commit, before
            // the response) is whole: nothing half-written is visible.
            Set<String> visible = new HashSet<>();
            for (String study : studies) {
                visible.addAll(findInstances(node.dicomPort(), study));
            }
            assertThat(visible).as("findable with C-FIND").containsAll(acknowledged.keySet());
            for (String sop : visible) {
                Optional<StoredInstance> i = node.index().read(tx -> tx.instances().find(sop));
                assertThat(i).as("indexed " + sop).isPresent();
                Path file = node.storage().pathOf(new StorageKey(i.get().record().storageKey()));
                Received r = Received.of(file);
                assertThat(r.datasetSha256()).as("data set of " + sop).isEqualTo(i.get().record().datasetSha256());
                try (var in = Files.newInputStream(file)) {
                    assertThat(Received.sha256(in)).as("file checksum of " + sop).isEqualTo(i.get().record().sha256());
                }
                String sent = acknowledged.get(sop);
                if (sent != null) {
                    assertThat(r.datasetSha256()).as("acknowledged " + sop + " as sent").isEqualTo(sent);
                }
            }
        }
    }

    private static List<String> findInstances(int port, String study) throws Exception {
        try (DimseClient c = DimseClient.open("127.0.0.1", port, new ClientOptions().callingAeTitle("CHECK")
                .calledAeTitle("STEADFAST").propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ImplicitVRLittleEndian))) {
            List<String> found = new ArrayList<>();
            Status s = c.find(UID.StudyRootQueryRetrieveInformationModelFind, new Dataset()
                    .setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE")
                    .setString(Tag.StudyInstanceUID, VR.UI, study)
                    .setString(Tag.SOPInstanceUID, VR.UI, ""), m -> found.add(m.getString(Tag.SOPInstanceUID).strip())).status();
            assertThat(s).isEqualTo(Status.SUCCESS);
            return found;
        }
    }

    @Test
    void sigtermLetsRunningAssociationsFinishThenStops() throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("serve.log");
        Process server = fork(data, TestNodes.indexUrl(db(), data), log);
        try {
            int port = awaitListening(server, log);
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

    /**
     * The DICOM port serve says it listens on. It binds port 0 itself: a port chosen here and
     * passed in could be taken meanwhile by another process on a busy machine, and the senders
     * would then be acknowledged by that stranger (the likely cause of one soak failure).
     */
    static int awaitListening(Process server, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!server.isAlive()) {
                throw new AssertionError("serve exited with " + server.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("serve did not say it listens within 60 s:\n" + Files.readString(log));
    }

    private static Process fork(Path data, String indexUrl, Path log) throws IOException {
        return fork(data, indexUrl, log, Map.of());
    }

    /** {@code steadfast serve} in its own JVM, with {@code env} (STEADFAST_* options) added to its environment. */
    static Process fork(Path data, String indexUrl, Path log, Map<String, String> env) throws IOException {
        return fork(data, indexUrl, log, env, List.of());
    }

    /** As above, with {@code jvmOptions} (e.g. a test seam's {@code -D} property) before the main class. */
    static Process fork(Path data, String indexUrl, Path log, Map<String, String> env, List<String> jvmOptions)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.steadfast.server.Main", "serve", "--data",
                data.toString(), "--dicom-port", "0", "--http-port", "0", "--db", indexUrl));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("STEADFAST_DICOM_BIND", "127.0.0.1");
        pb.environment().put("STEADFAST_SHUTDOWN_GRACE_SECONDS", "10");
        if (indexUrl.startsWith("jdbc:postgresql:")) {
            pb.environment().put("STEADFAST_INDEX_USER", "postgres");
        }
        pb.environment().putAll(env);
        return pb.start();
    }
}
