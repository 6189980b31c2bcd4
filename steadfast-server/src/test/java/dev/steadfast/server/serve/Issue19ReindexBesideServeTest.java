package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.Main;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: {@code steadfast reindex} runs while serve is up on the same data folder (its index lost,
 * only the storage left); serve answers QIDO from the rebuilt index at once and /health says how many
 * instances are unverified since the reindex; an identical re-send of a reindexed instance is
 * recognised as identical (not refused as a changed version) and verifies its row.
 */
class Issue19ReindexBesideServeTest {
    @TempDir
    Path tmp;

    @Test
    void reindexBesideServeAnswersQueriesAndHealthShowsTheUnverified() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        // Ingest into an index that is then lost: the storage folder is all serve and reindex find.
        try (Index lost = Index.open(IndexConfig.sqlite(tmp.resolve("lost.db")))) {
            IngestService ingest = new IngestService(new FileSystemStorage(data.resolve("storage")), lost, IngestConfig.DEFAULT);
            for (int i = 0; i < 4; i++) {
                ingest.store(new ByteArrayInputStream(DicomWriter.encode(instance(i), UID.ExplicitVRLittleEndian)),
                        UID.ExplicitVRLittleEndian, "CLI");
            }
        }
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("storage.min-free-mb", "1"), List.of())) {
            assertThat(get(node, "/dicom-web/studies?PatientID=I19SERVE").body()).doesNotContain("1.2.826.0.1.3680043.10.1919");

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "reindex", "--data", data.toString(),
                    "--threads", "2");
            assertThat(code).as(out + "\n" + err).isZero();
            assertThat(out.toString()).contains("indexed:            4").contains("of which unverified: 4");

            HttpResponse<String> studies = get(node, "/dicom-web/studies?PatientID=I19SERVE");
            assertThat(studies.statusCode()).isEqualTo(200);
            assertThat(studies.body()).contains("1.2.826.0.1.3680043.10.1919");
            HttpResponse<String> health = get(node, "/health");
            assertThat(health.body()).contains("\"verification\":{\"unverifiedSinceReindex\":4}");

            // A modality re-sends one of them, the same data set from another AE (so another File Meta
            // Information and file checksum), before any scrub: it is identical, so the default
            // policy (reject different bytes) accepts it, and the row is verified on the way.
            String storescu = Peers.tool("storescu");
            Path resent = tmp.resolve("resent.dcm");
            try (var file = Files.newOutputStream(resent)) {
                DicomWriter.writeFile(file, instance(2), UID.ExplicitVRLittleEndian);
            }
            Peers.Result r = Peers.run(List.of(storescu, "-d", "-aet", "MODALITY", "-aec", "STEADFAST", "127.0.0.1",
                    String.valueOf(node.dicomPort()), resent.toString()), 60);
            Matcher status = Pattern.compile("DIMSE Status\\s*:\\s*0x([0-9a-fA-F]{4})").matcher(r.output());
            assertThat(status.find()).as(r.output()).isTrue();
            assertThat(status.group(1)).as("identical re-send of a reindexed instance").isEqualTo("0000");
            // (/health recounts once a minute; the index says it at once)
            assertThat(dev.steadfast.archive.reindex.Unverified.count(node.index())).isEqualTo(3);
            assertThat(node.index().read(tx -> tx.instances().find("1.2.826.0.1.3680043.10.1919.2"))
                    .orElseThrow().record().datasetSha256()).isEqualTo(sha256(DicomWriter.encode(instance(2),
                    UID.ExplicitVRLittleEndian)));
        }
    }

    private static Dataset instance(int i) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1919." + i);
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1919");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1919.100");
        ds.setString(Tag.PatientID, VR.LO, "I19SERVE");
        ds.setBytes(Tag.PixelData, VR.OW, new byte[4096]);
        return ds;
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static HttpResponse<String> get(ArchiveNode node, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
