package dev.steadfast.server.viewer;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import dev.steadfast.web.multipart.MultipartReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DICOMweb a viewer such as OHIF relies on (issue 16), through serve, with studies sent by dcmtk's storescu:
 * QIDO {@code includefield}, {@code limit}/{@code offset} and {@code fuzzymatching}; metadata with bulk data
 * URIs that answer; several frames of a multi-frame image in one request; rendered and thumbnail images;
 * gzip; and ETags on rendered images and on metadata (a viewer re-opening a study gets a 304 until the
 * series changes).
 */
class Issue16DicomWebForViewersTest {
    @TempDir
    Path tmp;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CT = "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm";
    private static final String MR = "mr/pydicom-data__MR2_UNCR.dcm";
    private static final String NM = "nm_pt/dcm4che__NM-MONO2-16-13x-heart.dcm"; // 13 frames of 64x64, 16 bits

    private static HttpResponse<byte[]> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static int count(String json, String tag) {
        return json.split("\"" + tag + "\"", -1).length - 1;
    }

    private static void store(ArchiveNode node, Path... files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("storescu"), "-aec", "STEADFAST", "-aet", "MODALITY", "127.0.0.1",
                String.valueOf(node.dicomPort())));
        for (Path f : files) {
            cmd.add(f.toString());
        }
        Peers.Result r = Peers.run(cmd, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void whatAViewerAsksForIsAnswered() throws Exception {
        Path ct = Corpus.root().resolve(CT);
        Path mr = Corpus.root().resolve(MR);
        Path nm = Corpus.root().resolve(NM);
        Dataset nmHeader = DicomReader.readFile(nm).dataset();
        Dataset ctHeader = DicomReader.readFile(ct).dataset();
        String nmPath = "/studies/" + nmHeader.getString(Tag.StudyInstanceUID) + "/series/" + nmHeader.getString(Tag.SeriesInstanceUID);
        String nmInstance = nmPath + "/instances/" + nmHeader.getString(Tag.SOPInstanceUID);
        String ctSeries = "/studies/" + ctHeader.getString(Tag.StudyInstanceUID) + "/series/" + ctHeader.getString(Tag.SeriesInstanceUID);
        String ctInstance = ctSeries + "/instances/" + ctHeader.getString(Tag.SOPInstanceUID);
        Path data = tmp.resolve("data");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(), List.of())) {
            store(node, ct, mr, nm);
            String web = "http://127.0.0.1:" + node.httpPort() + "/dicom-web";
            String json = "application/dicom+json";

            // QIDO: includefield, limit/offset, fuzzymatching.
            String described = text(get(web + "/studies?includefield=00081030", "Accept", json));
            assertThat(described).contains("\"00081030\"", "SHOULDER");
            assertThat(count(text(get(web + "/studies?limit=10", "Accept", json)), "0020000D")).isEqualTo(3);
            String first = text(get(web + "/studies?limit=1&offset=0", "Accept", json));
            String second = text(get(web + "/studies?limit=1&offset=1", "Accept", json));
            assertThat(count(first, "0020000D")).isEqualTo(1);
            assertThat(count(second, "0020000D")).isEqualTo(1);
            assertThat(second).isNotEqualTo(first);
            assertThat(count(text(get(web + "/studies?PatientName=compressed", "Accept", json)), "0020000D"))
                    .as("without fuzzy matching a name matches exactly: none").isZero();
            assertThat(count(text(get(web + "/studies?PatientName=compressed&fuzzymatching=true", "Accept", json)), "0020000D"))
                    .as("fuzzy: CompressedSamples^CT1 and ^MR2 by the start of the name, any case").isEqualTo(2);

            // Metadata: pixel data by bulk data URI, which answers.
            HttpResponse<byte[]> meta = get(web + nmPath + "/metadata", "Accept", json);
            assertThat(meta.statusCode()).isEqualTo(200);
            Matcher uri = Pattern.compile("\"7FE00010\":\\{\"vr\":\"O[BW]\",\"BulkDataURI\":\"([^\"]+)\"").matcher(text(meta));
            assertThat(uri.find()).as(text(meta)).isTrue();
            HttpResponse<byte[]> bulk = get(uri.group(1), "Accept", "multipart/related; type=\"application/octet-stream\"");
            assertThat(bulk.statusCode()).isEqualTo(200);
            assertThat(parts(bulk)).hasSize(1).first().satisfies(p -> assertThat(p.length).isEqualTo(64 * 64 * 2 * 13));

            // Several frames of a multi-frame image in one request, each its own part.
            HttpResponse<byte[]> frames = get(web + nmInstance + "/frames/2,13",
                    "Accept", "multipart/related; type=\"application/octet-stream\"");
            assertThat(frames.statusCode()).isEqualTo(200);
            List<byte[]> fp = parts(frames);
            assertThat(fp).hasSize(2).allSatisfy(p -> assertThat(p.length).isEqualTo(64 * 64 * 2));
            assertThat(fp.get(0)).isNotEqualTo(fp.get(1));

            // Rendered and thumbnail: JPEGs, the rendered one with an ETag that makes the re-fetch a 304.
            HttpResponse<byte[]> thumb = get(web + ctSeries + "/thumbnail", "Accept", "image/jpeg");
            assertThat(thumb.statusCode()).isEqualTo(200);
            assertThat(ImageIO.read(new ByteArrayInputStream(thumb.body()))).isNotNull();
            HttpResponse<byte[]> rendered = get(web + ctInstance + "/rendered", "Accept", "image/jpeg");
            assertThat(rendered.statusCode()).isEqualTo(200);
            assertThat(ImageIO.read(new ByteArrayInputStream(rendered.body())).getWidth()).isEqualTo(512);
            String renderedTag = rendered.headers().firstValue("ETag").orElseThrow();
            assertThat(get(web + ctInstance + "/rendered", "Accept", "image/jpeg", "If-None-Match", renderedTag).statusCode())
                    .isEqualTo(304);

            // gzip: asked for, the metadata comes compressed and unpacks to the same JSON.
            HttpResponse<byte[]> zipped = get(web + nmPath + "/metadata", "Accept", json, "Accept-Encoding", "gzip");
            assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
            byte[] unpacked = new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes();
            assertThat(new String(unpacked, StandardCharsets.UTF_8)).isEqualTo(text(meta));
            assertThat(zipped.body().length).isLessThan(unpacked.length);

            // Metadata ETag: unchanged series, 304 and no body; another instance in the series, a new answer.
            String metaTag = meta.headers().firstValue("ETag").orElseThrow();
            assertThat(meta.headers().firstValue("Cache-Control")).hasValue("private, no-cache");
            HttpResponse<byte[]> again = get(web + nmPath + "/metadata", "Accept", json, "If-None-Match", metaTag);
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            Path copy = tmp.resolve("nm-second.dcm");
            Peers.Result made = Peers.run(List.of(Peers.tool("dcmodify"), "-nb", "-m", "(0008,0018)=" + nmHeader.getString(Tag.SOPInstanceUID)
                    + ".2", Files.copy(nm, copy).toString()), 60);
            assertThat(made.exitCode()).as(made.output()).isZero();
            store(node, copy);
            HttpResponse<byte[]> changed = get(web + nmPath + "/metadata", "Accept", json, "If-None-Match", metaTag);
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(count(text(changed), "00080018")).isEqualTo(2);
            assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(metaTag);
        }
    }

    private static List<byte[]> parts(HttpResponse<byte[]> r) throws Exception {
        String ct = r.headers().firstValue("Content-Type").orElseThrow();
        String boundary = ct.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(r.body()), boundary);
        List<byte[]> out = new ArrayList<>();
        for (MultipartReader.Part p = reader.next(); p != null; p = reader.next()) {
            out.add(p.body().readAllBytes());
        }
        return out;
    }
}
