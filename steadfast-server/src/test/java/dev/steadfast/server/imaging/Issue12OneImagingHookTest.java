package dev.steadfast.server.imaging;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Corpus;
import dev.steadfast.web.ArchiveServices;
import dev.steadfast.web.DicomWebServer;
import dev.steadfast.web.WebConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, one imaging hook: the DICOMweb server {@code serve} runs and the one the web tests and
 * benchmarks build ({@code new ArchiveServices(ingest, query, retrieve)}) convert and render alike.
 * Before, serve plugged in a second hook that could not convert frames at all.
 */
class Issue12OneImagingHookTest {
    private static final String JLS = "ct/dicomParser__CT1_UNC.fragmented_bot_jpeg_ls.80.dcm";

    @Test
    void serveAndTheTestedServerAnswerAlike(@TempDir Path tmp) throws Exception {
        Corpus.Entry entry = Corpus.wellFormed().stream().filter(e -> e.name().equals(JLS)).findFirst().orElseThrow();
        Index index = Index.open(IndexConfig.sqlite(tmp.resolve("tested.db")));
        FileSystemStorage storage = new FileSystemStorage(tmp.resolve("tested"));
        DicomWebServer tested = new DicomWebServer(WebConfig.on("127.0.0.1", 0), new ArchiveServices(
                new IngestService(storage, index, IngestConfig.DEFAULT), new QueryEngine(index, QueryConfig.DEFAULT),
                new RetrieveEngine(index, storage))).start();
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            ServedCorpus.Image img = ServedCorpus.store(node, entry, tmp);
            try (InputStream in = Files.newInputStream(img.file())) {
                new IngestService(storage, index, IngestConfig.DEFAULT).storePart10(in, "TEST");
            }
            HttpClient http = HttpClient.newHttpClient();
            for (String[] rq : List.of(
                    new String[] {"/frames/1", "multipart/related; type=\"application/octet-stream\""},
                    new String[] {"/frames/1", "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.70"},
                    new String[] {"/frames/1", "multipart/related; type=\"image/dicom-rle\""},
                    new String[] {"/rendered?window=40,400", "image/png"},
                    new String[] {"/thumbnail", "image/png"})) {
                HttpResponse<byte[]> fromServe = ServedCorpus.get(node, img.path() + rq[0], rq[1]);
                HttpResponse<byte[]> fromTested = http.send(HttpRequest.newBuilder(URI.create(tested.baseUri() + img.path() + rq[0]))
                        .header("Accept", rq[1]).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(fromServe.statusCode()).as("serve: %s as %s: %s", rq[0], rq[1], new String(fromServe.body())).isEqualTo(200);
                assertThat(fromTested.statusCode()).as("tested: %s as %s", rq[0], rq[1]).isEqualTo(200);
                byte[] a = rq[1].startsWith("multipart") ? ServedCorpus.parts(fromServe).getFirst().body() : fromServe.body();
                byte[] b = rq[1].startsWith("multipart") ? ServedCorpus.parts(fromTested).getFirst().body() : fromTested.body();
                assertThat(a).as("%s as %s: serve and the tested server agree", rq[0], rq[1]).isNotEmpty().isEqualTo(b);
            }
        } finally {
            tested.stop();
            index.close();
        }
    }
}
