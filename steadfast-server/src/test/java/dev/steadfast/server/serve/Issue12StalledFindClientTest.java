package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: C-FIND answers used to be written to the association inside the index read, so a
 * requestor that stops reading held a transaction and a pooled connection for as long as it
 * liked. On SQLite and on PostgreSQL (one pool for reads and writes there, so ingest too), the
 * index has two connections per pool ({@code index.max-pool-size: 2}), and two real findscu ask
 * for 800 images with a 10 KB return key each (far more than the socket buffers hold) and are
 * stopped (SIGSTOP) after their first answer. Meanwhile an instance is stored and QIDO must find
 * it (it used to wait for a connection until it failed with 503); then both findscu resume and
 * receive every match.
 */
class Issue12StalledFindClientTest {
    private static final int IMAGES = 800;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(TestNodes.Db.class)
    void aFindClientThatStopsReadingBlocksNeitherIngestNorOtherQueries(TestNodes.Db db) throws Exception {
        Path data = tmp.resolve("data");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(db, data),
                Map.of("index.max-pool-size", "2"), List.of())) {
            String study = Instances.uid();
            String series = Instances.uid();
            try (DimseClient c = client(node)) {
                for (int i = 0; i < IMAGES; i++) {
                    Dataset ds = Instances.image(study, series, Instances.uid(), 16);
                    ds.setString(Tag.ImageComments, VR.LT, "c".repeat(10_000));
                    assertThat(c.store(Instances.source(ds), null, -1).status()).isEqualTo(Status.SUCCESS);
                }
            }
            // As many stalled clients as the pool has connections (PostgreSQL needs two to migrate).
            List<Path> answers = List.of(Files.createDirectories(tmp.resolve("answers-1")),
                    Files.createDirectories(tmp.resolve("answers-2")));
            List<Process> stalled = new java.util.ArrayList<>();
            try {
                for (Path dir : answers) {
                    Process findscu = Peers.start(List.of(Peers.tool("findscu"), "-S", "-aec", "STEADFAST", "-X", "-od",
                            dir.toString(), "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + study, "-k",
                            "SOPInstanceUID", "-k", "ImageComments", "127.0.0.1", String.valueOf(node.dicomPort())),
                            dir.resolveSibling(dir.getFileName() + ".log"));
                    stalled.add(findscu);
                    long guard = System.currentTimeMillis() + 60_000; // a hang guard only
                    while (count(dir) == 0 && findscu.isAlive() && System.currentTimeMillis() < guard) {
                        Thread.sleep(5);
                    }
                    assertThat(count(dir)).as("findscu received its first answer").isPositive();
                    signal("-STOP", findscu);
                    assertThat(findscu.isAlive()).isTrue();
                }

                // Ingest and another query go on while both findscu read nothing.
                String other = Instances.uid();
                try (DimseClient c = client(node)) {
                    assertThat(c.store(Instances.source(Instances.image(other, Instances.uid(), Instances.uid(), 16)), null, -1)
                            .status()).isEqualTo(Status.SUCCESS);
                }
                HttpResponse<String> qido = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies?StudyInstanceUID=" + other))
                        .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(qido.statusCode()).as(qido.body()).isEqualTo(200);
                assertThat(qido.body()).contains(other);
                for (Path dir : answers) {
                    assertThat(count(dir)).as("findscu really stopped short of all answers").isLessThan(IMAGES);
                }
            } finally {
                for (Process p : stalled) {
                    signal("-CONT", p);
                }
            }
            for (int i = 0; i < stalled.size(); i++) {
                Process findscu = stalled.get(i);
                assertThat(findscu.waitFor(120, TimeUnit.SECONDS)).as("findscu finished").isTrue();
                assertThat(findscu.exitValue()).as(Files.readString(tmp.resolve("answers-" + (i + 1) + ".log"))).isZero();
                assertThat(count(answers.get(i))).as("every match reached the client").isEqualTo(IMAGES);
            }
        }
    }

    private static DimseClient client(ArchiveNode node) throws Exception {
        return DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MOD")
                .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian));
    }

    /** Stops or resumes the findscu this test started, by its PID only. */
    private static void signal(String sig, Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", sig, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
