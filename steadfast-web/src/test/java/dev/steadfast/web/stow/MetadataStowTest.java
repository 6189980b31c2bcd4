package dev.steadfast.web.stow;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.json.BulkDataUris;
import dev.steadfast.dicom.json.DicomJsonWriter;
import dev.steadfast.dicom.json.JsonOptions;
import dev.steadfast.dicom.json.WebValues;
import dev.steadfast.testing.Corpus;
import dev.steadfast.web.testing.Http;
import dev.steadfast.web.testing.Synthetic;
import dev.steadfast.web.testing.TestArchive;
import dev.steadfast.web.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STOW-RS of application/dicom+json metadata with bulk data parts (PS3.18 10.5.1.2.2): stored,
 * then retrieved with WADO-RS as an equivalent instance (every attribute the same, pixel values
 * the same, read back by dcmtk and pydicom for the compressed case).
 */
class MetadataStowTest {
    static final String CT = "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm";
    static final String CT_JLS = "ct/dicomParser__CT1_UNC.fragmented_bot_jpeg_ls.80.dcm";
    static final JsonOptions ALL_INLINE = JsonOptions.DEFAULT.withInlineBinaryLimit(Long.MAX_VALUE);

    private static TestArchive archive;

    @BeforeAll
    static void open() throws Exception {
        archive = new TestArchive();
    }

    @AfterAll
    static void close() throws Exception {
        archive.close();
    }

    /** One bulk data part: its media type and bytes. */
    record Bulk(String type, byte[] body) {}

    @Test
    void nativeInstanceRoundTrips() throws Exception {
        Dataset original = DicomReader.readFile(Corpus.root().resolve(CT)).dataset();
        Map<String, List<Bulk>> bulk = new LinkedHashMap<>();
        String json = "[" + DicomJsonWriter.toJson(original, JsonOptions.DEFAULT.withUris((e, path) -> {
            String uri = "http://client.example/bulk/" + BulkDataUris.pathString(path);
            bulk.put(uri, List.of(new Bulk("application/octet-stream", WebValues.littleEndian(e))));
            return uri;
        })) + "]";
        assertThat(bulk).containsKey("http://client.example/bulk/7FE00010");

        HttpResponse<byte[]> r = post(json, bulk);
        assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
        assertThat(Http.text(r)).contains("00081199").contains(original.getString(Tag.SOPInstanceUID));

        DicomFile back = retrieve(original);
        assertThat(back.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(DicomJsonWriter.toJson(back.dataset(), ALL_INLINE)).isEqualTo(DicomJsonWriter.toJson(original, ALL_INLINE));
    }

    @Test
    void compressedFramesBecomeEncapsulatedPixelData(@TempDir Path tmp) throws Exception {
        DicomFile f = DicomReader.readFile(Corpus.root().resolve(CT_JLS));
        Dataset original = f.dataset();
        original.setString(Tag.SOPInstanceUID, VR.UI, Synthetic.uid()); // the CT above has the same UID
        Map<String, List<Bulk>> bulk = new LinkedHashMap<>();
        String json = "[" + DicomJsonWriter.toJson(original, JsonOptions.DEFAULT.withUris((e, path) -> {
            String uri = "bulk/" + BulkDataUris.pathString(path);
            if (e.value() instanceof Fragments frags) {
                // one frame, split over several fragments: the frame is their concatenation
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                for (int i = 1; i < frags.size(); i++) {
                    frame.writeBytes((byte[]) frags.get(i));
                }
                bulk.put(uri, List.of(new Bulk("image/jls; transfer-syntax=" + f.transferSyntaxUid(), frame.toByteArray())));
            } else {
                bulk.put(uri, List.of(new Bulk("application/octet-stream", WebValues.littleEndian(e))));
            }
            return uri;
        })) + "]";
        HttpResponse<byte[]> r = post(json, bulk);
        assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);

        DicomFile back = retrieve(original);
        assertThat(back.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.4.80");
        Path got = tmp.resolve("got.dcm");
        Path plain = tmp.resolve("plain.dcm");
        Files.write(got, retrieveBytes(original));
        Tools.Result d = Tools.run(List.of("/usr/bin/dcmdjpls", got.toString(), plain.toString()), 60);
        assertThat(d.exit()).as(d.output()).isZero();
        Tools.requirePython();
        Tools.Result eq = Tools.run(List.of(Tools.PYTHON.toString(), Tools.script("pixels_equal.py").toString(),
                plain.toString(), Corpus.root().resolve(CT).toString()), 120);
        assertThat(eq.output()).as(eq.output()).contains("EQUAL");
    }

    @Test
    void missingBulkDataFailsThatInstanceOnly() throws Exception {
        Dataset ds = Synthetic.instance("JSON1", "Json^Missing", Synthetic.uid(), Synthetic.uid(), Synthetic.uid());
        ds.setBytes(Tag.PixelData, VR.OW, new byte[2048]);
        String json = "[" + DicomJsonWriter.toJson(ds, JsonOptions.DEFAULT.withUris((e, p) -> "nowhere")) + "]";
        HttpResponse<byte[]> r = post(json, Map.of());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(Http.text(r)).contains("00081198").contains("49152"); // FailedSOPSequence, C000
        assertThat(post("[{\"00080018\": ", Map.of()).statusCode()).isEqualTo(400);
    }

    private static HttpResponse<byte[]> post(String json, Map<String, List<Bulk>> bulk) throws Exception {
        String boundary = "json-bulk-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "Content-Type: application/dicom+json", json.getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, List<Bulk>> e : bulk.entrySet()) {
            for (Bulk b : e.getValue()) {
                part(body, boundary, "Content-Type: " + b.type() + "\r\nContent-Location: " + e.getKey(), b.body());
            }
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return Http.post(URI.create(archive.base() + "/studies"),
                "multipart/related; type=\"application/dicom+json\"; boundary=" + boundary, body.toByteArray());
    }

    private static void part(ByteArrayOutputStream out, String boundary, String headers, byte[] body) {
        out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] retrieveBytes(Dataset ds) throws Exception {
        HttpResponse<byte[]> r = Http.get(URI.create(archive.base() + "/studies/" + ds.getString(Tag.StudyInstanceUID)
                + "/series/" + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID)),
                "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertThat(r.statusCode()).isEqualTo(200);
        return Http.parts(r).getFirst();
    }

    private static DicomFile retrieve(Dataset ds) throws Exception {
        return DicomReader.read(new ByteArrayInputStream(retrieveBytes(ds)), dev.steadfast.dicom.io.ReadOptions.DEFAULT);
    }

}
