package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: a study deletion whose storage cleanup fails part-way (a file the filesystem refuses
 * to delete: {@code chattr +i}) hands the leftover copy to a durable cluster job, which deletes it
 * once the filesystem allows. On SQLite: the single node runs the same job code as a cluster.
 */
class Issue15DeletionCleanupJobTest {
    @TempDir
    Path tmp;

    @Test
    void aCopyTheDeletionCouldNotRemoveIsRemovedByTheJobLater() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp),
                Map.of("api.delete-enabled", "true", "cluster.heartbeat-seconds", "1", "cluster.node-timeout-seconds", "4"), List.of())) {
            String study = Instances.uid();
            String series = Instances.uid();
            List<String> sops = List.of(Instances.uid(), Instances.uid());
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MODALITY")
                    .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian))) {
                for (String sop : sops) {
                    assertThat(c.store(Instances.source(Instances.image(study, series, sop, 1024)), null, -1).status())
                            .isEqualTo(Status.SUCCESS);
                }
            }
            Path stuck = node.storage().root().resolve(node.index().read(tx -> tx.instances().find(sops.get(0))).orElseThrow()
                    .record().storageKey());
            Path other = node.storage().root().resolve(node.index().read(tx -> tx.instances().find(sops.get(1))).orElseThrow()
                    .record().storageKey());
            assumeThat(chattr("+i", stuck)).as("chattr +i (ext4) to make a file undeletable").isTrue();
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + node.httpPort() + "/api/studies/" + study + "?reason=issue15")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"copiesLeftForScrub\":1");
                assertThat(other).doesNotExist();
                assertThat(stuck).exists();
                assertThat(jobs(tmp.resolve("index.db"))).as("the leftover, queued as a durable job").isEqualTo(1);
            } finally {
                chattr("-i", stuck); // the filesystem lets go: the job's next attempt deletes it
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (Files.exists(stuck) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(stuck).as("the copy the deletion left").doesNotExist();
            while (jobs(tmp.resolve("index.db")) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(jobs(tmp.resolve("index.db"))).as("the job, done").isZero();
        }
    }

    private static boolean chattr(String flag, Path file) throws Exception {
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false; // no chattr here
        }
    }

    private static int jobs(Path sqlite) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM cluster_job WHERE task_name = 'study-deletion-cleanup'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
