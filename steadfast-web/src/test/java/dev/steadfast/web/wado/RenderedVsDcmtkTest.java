package dev.steadfast.web.wado;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.testing.Corpus;
import dev.steadfast.web.testing.Http;
import dev.steadfast.web.testing.Images;
import dev.steadfast.web.testing.TestArchive;
import dev.steadfast.web.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WADO-RS rendered and thumbnail, and WADO-URI images, against dcmtk's dcmj2pnm with the same
 * window and frame, both decoded from PNG (or our JPEG). Tolerances, per 8-bit sample:
 * <ul>
 * <li>rendered PNG: at most {@value #PNG_MAX} grey level (rounding of the window formula and of
 *     YBR/palette conversion; the imaging module's own test holds the same bound);</li>
 * <li>thumbnail and WADO-URI with rows/columns: mean at most {@value #SCALED_MEAN_MILLI}/1000,
 *     since our resampling (halving + bilinear) and dcmtk's interpolation differ at edges (observed: CT 128 px under 3, detailed colour US and palette about 4);</li>
 * <li>WADO-URI JPEG (quality 90): mean at most {@value #JPEG_MEAN_MILLI}/1000.</li>
 * </ul>
 */
class RenderedVsDcmtkTest {
    static final int PNG_MAX = 1;
    static final int SCALED_MEAN_MILLI = 5000;
    static final int JPEG_MEAN_MILLI = 2000;

    private static TestArchive archive;

    @BeforeAll
    static void store() throws Exception {
        archive = new TestArchive();
        for (String f : List.of("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm", "mr/pydicom-data__MR2_UNCR.dcm",
                "xray/fo-dicom__CR-MONO1-10-chest.dcm", "us/pydicom-data__US1_UNCR.dcm",
                "sc/pydicom-data__OT-PAL-8-face.dcm", "mr/dcm_qa_enh__6_1.dcm")) {
            try (InputStream in = Files.newInputStream(Corpus.root().resolve(f))) {
                archive.ingest.storePart10(in, "TEST");
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        archive.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm | /rendered?window=40,400 | +Ww 40 400",
            "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm | /rendered?window=40,400,sigmoid | +Ww 40 400 +Wfs",
            "mr/pydicom-data__MR2_UNCR.dcm                       | /rendered                | +Wi 1",
            "xray/fo-dicom__CR-MONO1-10-chest.dcm                | /rendered                | +Wi 1",
            "us/pydicom-data__US1_UNCR.dcm                       | /rendered                | ",
            "sc/pydicom-data__OT-PAL-8-face.dcm                  | /rendered                | ",
            "mr/dcm_qa_enh__6_1.dcm                              | /frames/4/rendered?window=600,1200 | +F 4 +Ww 600 1200"})
    void renderedPngEqualsDcmj2pnm(String file, String resource, String dcmtkArgs, @TempDir Path tmp) throws Exception {
        BufferedImage ours = get(file, resource, "image/png", "image/png");
        BufferedImage theirs = dcmj2pnm(file, dcmtkArgs, tmp);
        long[] d = Images.diff(ours, theirs);
        assertThat(d[0]).as("max |diff| (mean %d/1000)", d[1]).isLessThanOrEqualTo(PNG_MAX);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm | +Ww 40 400 +Sxv 128 | ?window=40,400",
            "us/pydicom-data__US1_UNCR.dcm                       | +Sxv 128            | ''",
            "sc/pydicom-data__OT-PAL-8-face.dcm                  | +Sxv 128            | ''"})
    void thumbnailIsTheRenderedImageFittedTo128(String file, String dcmtkArgs, String query, @TempDir Path tmp)
            throws Exception {
        BufferedImage ours = get(file, "/thumbnail" + query, "image/png", "image/png");
        assertThat(Math.max(ours.getWidth(), ours.getHeight())).isEqualTo(128);
        long[] d = Images.diff(ours, dcmj2pnm(file, dcmtkArgs, tmp));
        assertThat(d[1]).as("mean |diff| x1000 (max %d)", d[0]).isLessThanOrEqualTo(SCALED_MEAN_MILLI);
    }

    @Test
    void wadoUriJpegWithWindowAndSize(@TempDir Path tmp) throws Exception {
        String file = "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm";
        Dataset ds = dataset(file);
        String query = "/wado?requestType=WADO&studyUID=" + ds.getString(Tag.StudyInstanceUID) + "&seriesUID="
                + ds.getString(Tag.SeriesInstanceUID) + "&objectUID=" + ds.getString(Tag.SOPInstanceUID)
                + "&contentType=image/jpeg&windowCenter=40&windowWidth=400";
        HttpResponse<byte[]> full = Http.get(URI.create(archive.base() + query));
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        long[] d = Images.diff(Images.decode(full.body()), dcmj2pnm(file, "+Ww 40 400", tmp));
        assertThat(d[1]).as("mean |diff| x1000 (max %d)", d[0]).isLessThanOrEqualTo(JPEG_MEAN_MILLI);

        HttpResponse<byte[]> small = Http.get(URI.create(archive.base() + query + "&rows=256&columns=256"));
        BufferedImage img = Images.decode(small.body());
        assertThat(img.getWidth()).isEqualTo(256);
        assertThat(img.getHeight()).isEqualTo(256);
        d = Images.diff(img, dcmj2pnm(file, "+Ww 40 400 +Sxv 256", tmp));
        assertThat(d[1]).as("mean |diff| x1000 (max %d)", d[0]).isLessThanOrEqualTo(SCALED_MEAN_MILLI);

        assertThat(Http.get(URI.create(archive.base() + query + "&frameNumber=2")).statusCode()).isEqualTo(404);
        assertThat(Http.get(URI.create(archive.base() + query + "&windowCenter=40")).statusCode()).isEqualTo(200);
        assertThat(Http.get(URI.create(archive.base() + query.replace("&windowWidth=400", ""))).statusCode())
                .isEqualTo(400);
    }

    @Test
    void acceptNegotiationAndFrameLists() throws Exception {
        String file = "mr/dcm_qa_enh__6_1.dcm";
        String instance = instanceUrl(dataset(file));
        // JPEG by default, PNG when asked, 406 for what cannot be made
        HttpResponse<byte[]> jpeg = Http.get(URI.create(instance + "/rendered"));
        assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(Images.decode(jpeg.body()).getWidth()).isEqualTo(64);
        assertThat(Http.get(URI.create(instance + "/rendered"), "Accept", "image/webp").statusCode()).isEqualTo(406);
        assertThat(Http.get(URI.create(instance + "/rendered"), "Accept", "image/webp, image/png;q=0.5")
                .headers().firstValue("Content-Type")).hasValue("image/png");
        // several frames, one image each, when multipart is accepted
        HttpResponse<byte[]> frames = Http.get(URI.create(instance + "/frames/1,3,6/rendered"),
                "Accept", "multipart/related; type=\"image/png\"");
        assertThat(frames.statusCode()).isEqualTo(200);
        List<byte[]> parts = Http.parts(frames);
        assertThat(parts).hasSize(3);
        for (byte[] p : parts) {
            assertThat(Images.decode(p).getWidth()).isEqualTo(64);
        }
        assertThat(Http.get(URI.create(instance + "/frames/7/rendered")).statusCode()).isEqualTo(404);
        assertThat(Http.get(URI.create(instance + "/rendered?window=1,0")).statusCode()).isEqualTo(400);
        assertThat(Http.get(URI.create(instance + "/rendered?quality=0")).statusCode()).isEqualTo(400);
    }

    @Test
    void renderedImagesCarryAnETagAndAnswer304WhenItMatches() throws Exception {
        String instance = instanceUrl(dataset("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"));
        URI frame = URI.create(instance + "/frames/1/rendered?window=40,400");
        HttpResponse<byte[]> first = Http.get(frame, "Accept", "image/jpeg");
        assertThat(first.statusCode()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("private, max-age=3600");
        assertThat(first.headers().allValues("Vary")).anyMatch(v -> v.contains("Accept"));

        // the same request again: 304, no body, no Content-Type that a cache would copy over its own
        HttpResponse<byte[]> again = Http.get(frame, "Accept", "image/jpeg", "If-None-Match", "\"other\", W/" + etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        assertThat(again.headers().firstValue("Content-Type")).isEmpty();

        // anything that changes the image changes the tag, and an old tag then gets the image
        for (HttpResponse<byte[]> other : List.of(
                Http.get(URI.create(instance + "/frames/1/rendered?window=40,401"), "Accept", "image/jpeg", "If-None-Match", etag),
                Http.get(frame, "Accept", "image/png", "If-None-Match", etag),
                Http.get(URI.create(instance + "/thumbnail?window=40,400"), "Accept", "image/jpeg", "If-None-Match", etag),
                Http.get(URI.create(instance + "/rendered?window=40,400&quality=50"), "Accept", "image/jpeg", "If-None-Match", etag))) {
            assertThat(other.statusCode()).as(other.uri().toString()).isEqualTo(200);
            assertThat(other.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
            assertThat(Images.decode(other.body()).getWidth()).isPositive();
        }
        // the whole-instance resource is frame 1 with the same parameters: same image, same tag
        HttpResponse<byte[]> whole = Http.get(URI.create(instance + "/rendered?window=40,400"), "Accept", "image/jpeg");
        assertThat(whole.headers().firstValue("ETag")).hasValue(etag);
        assertThat(whole.body()).isEqualTo(first.body());
        // "*" is no match (the frame's existence is known only after reading), and errors carry no tag
        assertThat(Http.get(frame, "Accept", "image/jpeg", "If-None-Match", "*").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> missing = Http.get(URI.create(instance + "/frames/2/rendered"), "Accept", "image/jpeg");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("ETag")).isEmpty();
        assertThat(missing.headers().firstValue("Cache-Control")).isEmpty();
    }

    private static BufferedImage get(String file, String resource, String accept, String expectType) throws Exception {
        HttpResponse<byte[]> r = Http.get(URI.create(instanceUrl(dataset(file)) + resource), "Accept", accept);
        assertThat(r.statusCode()).as(new String(r.body(), 0, Math.min(300, r.body().length))).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(expectType);
        return Images.decode(r.body());
    }

    static BufferedImage dcmj2pnm(String file, String args, Path tmp) throws Exception {
        Tools.require("/usr/bin/dcmj2pnm");
        Path out = tmp.resolve("dcmtk-" + System.nanoTime() + ".png");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/dcmj2pnm", "+on"));
        if (args != null && !args.isBlank()) {
            cmd.addAll(List.of(args.strip().split("\\s+")));
        }
        cmd.add(Corpus.root().resolve(file).toString());
        cmd.add(out.toString());
        Tools.Result r = Tools.run(cmd, 60);
        assertThat(r.exit()).as("dcmj2pnm: " + r.output()).isZero();
        return Images.read(out);
    }

    static Dataset dataset(String file) throws Exception {
        return DicomReader.readFile(Corpus.root().resolve(file), dev.steadfast.dicom.io.ReadOptions.headerOnly()).dataset();
    }

    static String instanceUrl(Dataset ds) {
        return archive.base() + "/studies/" + ds.getString(Tag.StudyInstanceUID) + "/series/"
                + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID);
    }
}
