package dev.steadfast.server.imaging;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: WADO-RS metadata describes what the stored object holds. Corpus headers with Rows and
 * Columns but no Pixel Data (none at all, or a (7FE0,0010) of no value after a group length) get no
 * Pixel Data BulkDataURI in instance or series metadata, so a viewer asks for no frame; their frames
 * answer 400 (PS3.18 9.5.2: not an image with frames), their pixel data 404, rendered and thumbnail
 * 406 like any non-image, never 500. An image beside them keeps its BulkDataURI and frames. The same
 * holds for instances indexed by a release that did not record it (the column NULL): the object is read.
 */
class Issue16NoPixelDataMetadataTest {
    /**
     * The corpus headers with Rows but no Pixel Data (the viewer test's "no-pixels" files; its fourth,
     * misc/dcm4che__no_preamble_dicm_in_data.dcm, has no Rows, so its metadata never pointed at pixel data).
     */
    static final List<String> NO_PIXELS = List.of("mr/fo-dicom__GH1146.dcm", "charset/fo-dicom__chrJapMulti.dcm",
            "charset/fo-dicom__chrKoreanMulti.dcm");
    /** Images whose Pixel Data follows a group length (7FE0,0000): native 13 frames of 64x64x16 bits, and JPEG 2000. */
    static final List<String> IMAGES = List.of("nm_pt/dcm4che__NM-MONO2-16-13x-heart.dcm", "ct/pydicom-data__693_J2KR.dcm");
    private static final String JSON = "application/dicom+json";
    private static final String OCTET = "multipart/related; type=\"application/octet-stream\"";

    @Test
    void metadataPointsAtPixelDataOnlyWhenTheObjectHoldsSome(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        String index = TestNodes.indexUrl(TestNodes.Db.SQLITE, data);
        List<ServedCorpus.Image> without = new ArrayList<>();
        List<ServedCorpus.Image> images = new ArrayList<>();
        try (ArchiveNode node = TestNodes.start(data, index, Map.of(), List.of())) {
            for (String name : NO_PIXELS) {
                ServedCorpus.Image stored = ServedCorpus.store(node, entry(name), tmp);
                assertThat(stored).as(name).isNotNull();
                assertThat(stored.hasPixels()).as("%s holds no pixel data", name).isFalse();
                assertThat(stored.header().getInt(dev.steadfast.dicom.Tag.Rows, 0)).as("%s has Rows", name).isPositive();
                without.add(stored);
            }
            for (String name : IMAGES) {
                ServedCorpus.Image stored = ServedCorpus.store(node, entry(name), tmp);
                assertThat(stored.hasPixels()).as(name).isTrue();
                images.add(stored);
            }
            checkServed(node, without, images);
        }
        // As an older release left them: nothing recorded about pixel data. Restarted, the answers are the same.
        try (Connection c = DriverManager.getConnection(index); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE instance SET pixel_data = NULL")).isEqualTo(NO_PIXELS.size() + IMAGES.size());
        }
        try (ArchiveNode node = TestNodes.start(data, index, Map.of(), List.of())) {
            checkServed(node, without, images);
        }
    }

    private static void checkServed(ArchiveNode node, List<ServedCorpus.Image> without, List<ServedCorpus.Image> images)
            throws Exception {
        for (ServedCorpus.Image i : without) {
            String name = i.entry().name();
            String series = i.path().substring(0, i.path().indexOf("/instances/"));
            for (String path : List.of(i.path() + "/metadata", series + "/metadata")) {
                HttpResponse<byte[]> meta = ServedCorpus.get(node, path, JSON);
                assertThat(meta.statusCode()).as(path).isEqualTo(200);
                String json = new String(meta.body(), StandardCharsets.UTF_8);
                assertThat(json).as("%s metadata of %s", path, name).contains("\"00280010\"").doesNotContain("7FE00010");
            }
            HttpResponse<byte[]> frames = ServedCorpus.get(node, i.path() + "/frames/1", OCTET);
            assertThat(frames.statusCode()).as("frame 1 of %s", name).isEqualTo(400);
            assertThat(new String(frames.body(), StandardCharsets.UTF_8)).as(name).contains("no Pixel Data");
            assertThat(ServedCorpus.get(node, i.path() + "/bulkdata/7FE00010", OCTET).statusCode()).as(name).isEqualTo(404);
            assertThat(ServedCorpus.get(node, i.path() + "/rendered", "image/jpeg").statusCode()).as(name).isEqualTo(406);
            assertThat(ServedCorpus.get(node, i.path() + "/thumbnail", "image/jpeg").statusCode()).as(name).isEqualTo(406);
        }
        for (ServedCorpus.Image i : images) {
            String name = i.entry().name();
            String json = new String(ServedCorpus.get(node, i.path() + "/metadata", JSON).body(), StandardCharsets.UTF_8);
            assertThat(json).as("metadata of %s", name).containsPattern("\"7FE00010\"\\s*:\\s*\\{[^}]*\"BulkDataURI\"");
            HttpResponse<byte[]> frame = ServedCorpus.get(node, i.path() + "/frames/1", OCTET + "; transfer-syntax=*");
            assertThat(frame.statusCode()).as("frame 1 of %s", name).isEqualTo(200);
            assertThat(ServedCorpus.parts(frame)).as(name).singleElement().satisfies(p -> assertThat(p.body()).isNotEmpty());
        }
    }

    private static Corpus.Entry entry(String name) {
        return Corpus.wellFormed().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError(name + " is not in the shared corpus"));
    }
}
