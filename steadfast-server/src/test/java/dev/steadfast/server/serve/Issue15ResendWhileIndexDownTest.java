package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 (found by the chaos run): a modality re-sends an instance whose bytes another node had
 * already written to the shared storage before dying, without indexing it. The node that gets the
 * re-send finds its index database down: it used to acknowledge the identical bytes and record
 * them nowhere, so the instance stayed unfindable for good. Now it journals them: once the
 * database is back, the instance is findable.
 */
class Issue15ResendWhileIndexDownTest {
    @TempDir
    Path tmp;

    @Test
    void aReSendOfBytesAlreadyInSharedStorageIsIndexedOnceTheDatabaseIsBack() throws Exception {
        Path shared = tmp.resolve("shared-storage");
        Map<String, String> onShared = Map.of("storage.path", shared.toString());
        String study = Instances.uid();
        Dataset instance = Instances.image(study, Instances.uid(), Instances.uid(), 4096);
        String sop = instance.getString(Tag.SOPInstanceUID);

        // The bytes in shared storage, indexed nowhere this cluster looks: written by a node (its own
        // SQLite index here) that is then gone.
        try (ArchiveNode gone = TestNodes.start(tmp.resolve("gone"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("gone")),
                onShared, List.of())) {
            assertThat(ModalityLoop.store(gone.dicomPort(), instance)).isEqualTo(Status.SUCCESS);
        }

        int pgPort = Peers.freePort(); // the cluster's PostgreSQL: down for now
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        EmbeddedPostgres pg = null;
        try (ArchiveNode node = TestNodes.start(tmp.resolve("node"), url, onShared, List.of())) {
            assertThat(ModalityLoop.store(node.dicomPort(), instance)).as("the re-send, acknowledged").isEqualTo(Status.SUCCESS);

            pg = EmbeddedPostgres.builder().setPort(pgPort).setDataDirectory(tmp.resolve("pg")).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a guard, not a measurement
            List<String> found = List.of();
            while (System.nanoTime() < end && !found.contains(sop)) {
                Thread.sleep(200);
                try {
                    found = ModalityLoop.instancesOf(node.dicomPort(), study);
                } catch (IllegalStateException e) {
                    // the index is still coming back
                }
            }
            assertThat(found).as("the acknowledged instance, findable once the database is back").contains(sop);
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }
}
