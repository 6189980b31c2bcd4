package dev.steadfast.web.wado;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.testing.Corpus;
import dev.steadfast.web.testing.Http;
import dev.steadfast.web.testing.TestArchive;
import dev.steadfast.web.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WADO-RS retrieve and frames in other transfer syntaxes, read back by others: dcmtk decompresses
 * (dcmdjpeg, dcmdjpls, dcmdrle) and dumps, pydicom compares pixel values with the original.
 * Lossless means equal values; lossy only when named; 406 when a syntax cannot be written.
 */
class TranscodedRetrieveTest {
    static final String CT_IMPLICIT = "ct/dicompyler__ct.0.dcm";
    static final String CT_JLS = "ct/dicomParser__CT1_UNC.fragmented_bot_jpeg_ls.80.dcm";
    static final String CT_EXPLICIT = "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"; // same pixels as CT_JLS
    static final String US_RGB = "us/pydicom-data__US1_UNCR.dcm";
    static final String US_JPEG = "us/dicomParser__IM00001.fragmented_no_bot_jpeg_baseline.50.dcm";
    static final String HTJ2K = "sc/pydicom-data__HTJ2KLossless_08_RGB.dcm";

    private static TestArchive archive;
    /** The HTJ2K sample lacks study and series UIDs; we give it some. */
    private static String htj2kUrl;

    @BeforeAll
    static void store() throws Exception {
        archive = new TestArchive();
        for (String f : List.of(CT_IMPLICIT, CT_JLS, US_RGB, US_JPEG)) {
            try (InputStream in = Files.newInputStream(Corpus.root().resolve(f))) {
                archive.ingest.storePart10(in, "TEST");
            }
        }
        dev.steadfast.dicom.io.DicomFile f = DicomReader.readFile(Corpus.root().resolve(HTJ2K));
        Dataset ds = f.dataset();
        ds.setString(Tag.StudyInstanceUID, dev.steadfast.dicom.VR.UI, dev.steadfast.web.testing.Synthetic.uid());
        ds.setString(Tag.SeriesInstanceUID, dev.steadfast.dicom.VR.UI, dev.steadfast.web.testing.Synthetic.uid());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        dev.steadfast.dicom.io.DicomWriter.writeFile(out, ds, f.transferSyntaxUid());
        archive.ingest.storePart10(new java.io.ByteArrayInputStream(out.toByteArray()), "TEST");
        htj2kUrl = url(ds);
    }

    @AfterAll
    static void close() throws Exception {
        archive.close();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
            CT_IMPLICIT + ", 1.2.840.10008.1.2.4.70, dcmdjpeg",
            CT_IMPLICIT + ", 1.2.840.10008.1.2.4.80, dcmdjpls",
            CT_IMPLICIT + ", 1.2.840.10008.1.2.5, dcmdrle",
            CT_IMPLICIT + ", 1.2.840.10008.1.2.4.90, ",
            US_RGB + ", 1.2.840.10008.1.2.4.70, dcmdjpeg",
            US_RGB + ", 1.2.840.10008.1.2.5, dcmdrle",
            CT_JLS + ", 1.2.840.10008.1.2.4.70, dcmdjpeg"})
    void losslessSyntaxKeepsEveryPixelValue(String file, String ts, String decompressor, @TempDir Path tmp)
            throws Exception {
        HttpResponse<byte[]> r = Http.get(URI.create(instanceUrl(file)),
                "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=" + ts);
        assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
        Path got = tmp.resolve("got.dcm");
        Files.write(got, single(r));
        assertThat(dcmdump(got)).contains("(0002,0010) UI =" + name(ts));
        Path readable = got;
        if (decompressor != null) {
            readable = tmp.resolve("decompressed.dcm");
            Tools.Result d = Tools.run(List.of("/usr/bin/" + decompressor, got.toString(), readable.toString()), 60);
            assertThat(d.exit()).as(decompressor + ": " + d.output()).isZero();
        }
        String original = file.equals(CT_JLS) ? CT_EXPLICIT : file;
        assertThat(pixelsEqual(readable, original)).endsWith("EQUAL");
    }

    @Test
    void withoutTransferSyntaxInstancesComeAsExplicitLittleEndian(@TempDir Path tmp) throws Exception {
        // JPEG-LS and implicit VR stored; PS3.18 8.7.3: the default is Explicit VR Little Endian
        for (String file : List.of(CT_JLS, CT_IMPLICIT)) {
            HttpResponse<byte[]> r = Http.get(URI.create(instanceUrl(file)), "Accept",
                    "multipart/related; type=\"application/dicom\"");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Warning")).isEmpty();
            Path got = tmp.resolve("default.dcm");
            Files.write(got, single(r));
            assertThat(dcmdump(got)).contains("(0002,0010) UI =LittleEndianExplicit");
            assertThat(pixelsEqual(got, file.equals(CT_JLS) ? CT_EXPLICIT : file)).endsWith("EQUAL");
        }
        // held only in lossy form, or in a syntax we cannot decode: as stored, said in a Warning
        for (String file : List.of(US_JPEG, HTJ2K)) {
            HttpResponse<byte[]> r = Http.get(URI.create(instanceUrl(file)));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Warning").orElse("")).contains("stored transfer syntax");
            byte[] stored = single(Http.get(URI.create(instanceUrl(file)), "Accept",
                    "multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
            assertThat(java.util.Arrays.equals(single(r), stored)).as("%s as stored", file).isTrue();
        }
    }

    @Test
    void lossyOnlyWhenNamed(@TempDir Path tmp) throws Exception {
        HttpResponse<byte[]> r = Http.get(URI.create(instanceUrl(US_RGB)), "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50");
        assertThat(r.statusCode()).isEqualTo(200);
        Path got = tmp.resolve("lossy.dcm");
        Files.write(got, single(r));
        assertThat(dcmdump(got)).contains("JPEGBaseline").contains("(0028,2110) CS [01]");
        Path plain = tmp.resolve("plain.dcm");
        assertThat(Tools.run(List.of("/usr/bin/dcmdjpeg", got.toString(), plain.toString()), 60).exit()).isZero();
        assertThat(pixelsClose(plain, US_RGB, 3)).contains("MEAN");

        // a media type without a syntax gets its lossless default (image/jpeg: JPEG lossless SV1, SOF3)
        HttpResponse<byte[]> f = Http.get(URI.create(instanceUrl(US_RGB) + "/frames/1"), "Accept",
                "multipart/related; type=\"image/jpeg\"");
        assertThat(f.statusCode()).isEqualTo(200);
        assertThat(f.headers().firstValue("Content-Type").orElseThrow()).contains("type=\"image/jpeg\"");
        assertThat(new String(f.body(), StandardCharsets.ISO_8859_1)).contains("transfer-syntax=1.2.840.10008.1.2.4.70");
        assertThat(indexOf(single(f), new byte[] {(byte) 0xFF, (byte) 0xC3})).isPositive();
    }

    @Test
    void framesDecodedOrReencoded() throws Exception {
        // JPEG-LS frames asked as application/octet-stream: decoded, the original's values
        HttpResponse<byte[]> r = Http.get(URI.create(instanceUrl(CT_JLS) + "/frames/1"), "Accept",
                "multipart/related; type=\"application/octet-stream\"");
        assertThat(r.statusCode()).isEqualTo(200);
        byte[] want = DicomReader.readFile(Corpus.root().resolve(CT_EXPLICIT)).dataset().getBytes(Tag.PixelData);
        assertThat(single(r)).isEqualTo(want);
        // as stored when the range takes it
        HttpResponse<byte[]> jls = Http.get(URI.create(instanceUrl(CT_JLS) + "/frames/1"), "Accept",
                "multipart/related; type=\"image/jls\"");
        assertThat(new String(jls.body(), StandardCharsets.ISO_8859_1))
                .contains("transfer-syntax=1.2.840.10008.1.2.4.80");
        // native frames as JPEG-LS: SOF55 marker
        HttpResponse<byte[]> enc = Http.get(URI.create(instanceUrl(CT_IMPLICIT) + "/frames/1"), "Accept",
                "multipart/related; type=\"image/jls\"");
        assertThat(enc.statusCode()).isEqualTo(200);
        assertThat(indexOf(single(enc), new byte[] {(byte) 0xFF, (byte) 0xF7})).isPositive();
    }

    @Test
    void notAcceptable() throws Exception {
        String ct = instanceUrl(CT_IMPLICIT);
        // HTJ2K is never encoded here, implicit VR is not for the web, frames as HTJ2K neither
        for (String ts : List.of("1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2", "1.2.840.10008.1.2.4.100")) {
            HttpResponse<byte[]> r = Http.get(URI.create(ct), "Accept",
                    "multipart/related; type=\"application/dicom\"; transfer-syntax=" + ts);
            assertThat(r.statusCode()).as(ts).isEqualTo(406);
            assertThat(Http.text(r)).contains("\"status\":406");
        }
        assertThat(Http.get(URI.create(ct + "/frames/1"), "Accept", "multipart/related; type=\"image/jphc\"")
                .statusCode()).isEqualTo(406);
        // HTJ2K stored: cannot be decoded for octet-stream frames, nor transcoded
        assertThat(Http.get(URI.create(instanceUrl(HTJ2K) + "/frames/1"), "Accept",
                "multipart/related; type=\"application/octet-stream\"").statusCode()).isEqualTo(406);
        assertThat(Http.get(URI.create(instanceUrl(HTJ2K)), "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1").statusCode())
                .isEqualTo(406);
        // a second range that works wins over a first that does not
        assertThat(Http.get(URI.create(ct), "Accept", "multipart/related; type=\"application/dicom\"; "
                + "transfer-syntax=1.2.840.10008.1.2.4.201, multipart/related; type=\"application/dicom\"; "
                + "transfer-syntax=1.2.840.10008.1.2.5;q=0.5").statusCode()).isEqualTo(200);
    }

    static byte[] single(HttpResponse<byte[]> r) {
        List<byte[]> parts = Http.parts(r);
        assertThat(parts).hasSize(1);
        return parts.getFirst();
    }

    static String dcmdump(Path file) {
        Tools.require("/usr/bin/dcmdump");
        Tools.Result r = Tools.run(List.of("/usr/bin/dcmdump", "+P", "0002,0010", "+P", "0028,2110", file.toString()), 60);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output();
    }

    static String pixelsEqual(Path got, String original) {
        Tools.requirePython();
        Tools.Result r = Tools.run(List.of(Tools.PYTHON.toString(), Tools.script("pixels_equal.py").toString(),
                got.toString(), Corpus.root().resolve(original).toString()), 120);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output().strip();
    }

    static String pixelsClose(Path got, String original, double maxMean) {
        Tools.requirePython();
        Tools.Result r = Tools.run(List.of(Tools.PYTHON.toString(), Tools.script("pixels_equal.py").toString(),
                got.toString(), Corpus.root().resolve(original).toString(), Double.toString(maxMean)), 120);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output().strip();
    }

    static String name(String ts) {
        return switch (ts) {
            case "1.2.840.10008.1.2.4.70" -> "JPEGLossless:Non-hierarchical-1stOrderPrediction";
            case "1.2.840.10008.1.2.4.80" -> "JPEGLSLossless";
            case "1.2.840.10008.1.2.5" -> "RLELossless";
            case "1.2.840.10008.1.2.4.90" -> "JPEG2000LosslessOnly";
            default -> ts;
        };
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String instanceUrl(String file) throws Exception {
        return file.equals(HTJ2K) ? htj2kUrl
                : url(DicomReader.readFile(Corpus.root().resolve(file), ReadOptions.headerOnly()).dataset());
    }

    static String url(Dataset ds) {
        return archive.base() + "/studies/" + ds.getString(Tag.StudyInstanceUID) + "/series/"
                + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID);
    }
}
