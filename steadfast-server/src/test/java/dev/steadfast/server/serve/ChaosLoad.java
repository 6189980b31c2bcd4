package dev.steadfast.server.serve;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.testing.Haproxy;
import dev.steadfast.testing.Peers;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The chaos run's clients, all through HAProxy as real ones would come: senders that run dcmtk
 * storescu once per instance and re-send what was not acknowledged (as a modality does), and
 * loops of findscu, QIDO-RS, WADO-RS and movescu (to a dcmtk storescp) on studies already
 * acknowledged. Each client's requests, failures and outages (first failure to next success)
 * go to {@link ChaosStats}.
 */
final class ChaosLoad implements AutoCloseable {
    /** An acknowledged instance: its study and the SHA-256 of the data set sent. */
    record Sent(String study, String datasetSha256, String client, long atMillis) {
    }

    private static final int PER_STUDY = 15;

    final Map<String, Sent> acknowledged = new ConcurrentHashMap<>(); // SOP Instance UID -> what was sent
    final ChaosStats stats = new ChaosStats();
    private final Haproxy lb;
    private final Path dir;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final String storescu = Peers.tool("storescu");
    private final String findscu = Peers.tool("findscu");
    private final String movescu = Peers.tool("movescu");

    ChaosLoad(Haproxy lb, Path dir) {
        this.lb = lb;
        this.dir = dir;
    }

    void start(int senders) {
        for (int i = 0; i < senders; i++) {
            int n = i;
            threads.add(Thread.ofPlatform().name("chaos-sender-" + n).start(() -> send("store-" + n)));
        }
        threads.add(Thread.ofPlatform().name("chaos-find").start(() -> loop("C-FIND", this::find)));
        threads.add(Thread.ofPlatform().name("chaos-qido").start(() -> loop("QIDO-RS", this::qido)));
        threads.add(Thread.ofPlatform().name("chaos-wado").start(() -> loop("WADO-RS", this::wado)));
        threads.add(Thread.ofPlatform().name("chaos-move").start(() -> loop("C-MOVE", this::move)));
    }

    /** Stops the clients and waits for them. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }

    private void send(String client) {
        try {
            Path files = Files.createDirectories(dir.resolve(client));
            String study = null;
            String series = null;
            for (int i = 0; !stop.get(); i++) {
                if (i % PER_STUDY == 0) {
                    study = Instances.uid();
                    series = Instances.uid();
                }
                String sop = Instances.uid();
                Dataset ds = Instances.image(study, series, sop, 16 * 1024);
                byte[] pixels = new byte[16 * 1024];
                ThreadLocalRandom.current().nextBytes(pixels);
                ds.setBytes(Tag.PixelData, VR.OB, pixels);
                Path f = files.resolve(sop + ".dcm");
                try (OutputStream out = Files.newOutputStream(f)) {
                    DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian);
                }
                String sha = Received.sha256(new java.io.ByteArrayInputStream(DicomWriter.encode(ds, UID.ExplicitVRLittleEndian)));
                // Re-sent until acknowledged, as a modality does (its queue survives our failures).
                while (!stop.get()) {
                    if (stats.record(client, storeOnce(f))) {
                        acknowledged.put(sop, new Sent(study, sha, client, stats.nowMillis()));
                        break;
                    }
                    Thread.sleep(200);
                }
                Files.deleteIfExists(f);
            }
        } catch (Exception e) {
            stats.crashed(client, e);
        }
    }

    private boolean storeOnce(Path f) {
        return dcmtk(List.of(storescu, "-v", "-aec", "STEADFAST", "-to", "10", "-ta", "10", "-td", "20",
                "127.0.0.1", String.valueOf(lb.dicomPort()), f.toString()), "Received Store Response (Success)");
    }

    private interface Request {
        boolean run(String study) throws Exception;
    }

    private void loop(String client, Request request) {
        try {
            while (!stop.get()) {
                String study = randomStudy();
                if (study == null) {
                    Thread.sleep(100);
                    continue;
                }
                boolean ok;
                try {
                    ok = request.run(study);
                } catch (Exception e) {
                    ok = false;
                }
                stats.record(client, ok);
                Thread.sleep(ok ? 100 : 200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String randomStudy() {
        List<Sent> all = List.copyOf(acknowledged.values());
        return all.isEmpty() ? null : all.get(ThreadLocalRandom.current().nextInt(all.size())).study();
    }

    private boolean find(String study) {
        return dcmtk(List.of(findscu, "-v", "-S", "-aec", "STEADFAST", "-to", "10", "-ta", "10", "-td", "20",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "-k", "NumberOfStudyRelatedInstances",
                "127.0.0.1", String.valueOf(lb.dicomPort())), "Received Final Find Response (Success)");
    }

    private boolean move(String study) {
        return dcmtk(List.of(movescu, "-v", "-S", "-aec", "STEADFAST", "-aem", ChaosCluster.MOVE_DESTINATION,
                "-to", "10", "-ta", "10", "-td", "30", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study,
                "127.0.0.1", String.valueOf(lb.dicomPort())), "Received Final Move Response (Success)");
    }

    private boolean qido(String study) throws Exception {
        return http("/dicom-web/studies?StudyInstanceUID=" + study, "application/dicom+json").statusCode() == 200;
    }

    private boolean wado(String study) throws Exception {
        HttpResponse<byte[]> r = http("/dicom-web/studies/" + study, "multipart/related; type=\"application/dicom\"");
        return r.statusCode() == 200 && Multipart.parts(r).size() > 0;
    }

    HttpResponse<byte[]> http(String path, String accept) throws Exception {
        try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lb.httpPort() + path))
                    .timeout(Duration.ofSeconds(60)).header("Accept", accept).build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    /** Runs a dcmtk tool; success when it exits 0 and says {@code success}. */
    private static boolean dcmtk(List<String> command, String success) {
        try {
            Peers.Result r = Peers.run(command, 60);
            return r.exitCode() == 0 && r.output().contains(success);
        } catch (Exception | AssertionError e) { // Peers.run fails a hung tool: a failed request here
            return false;
        }
    }
}
