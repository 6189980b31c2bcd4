package dev.steadfast.server.imaging;

import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.imaging.codec.Codecs;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: against the node {@code serve} runs, every corpus image's frame 1 asked for the way
 * viewers ask (uncompressed by default, the stored syntax, any syntax, or a compressed one) is
 * either sent in the syntax asked for, decoded and re-encoded as needed, or refused with 406;
 * never a 200 without it. Big-endian frames go out little endian. A representative subset is
 * checked against frames dcmtk and gdcm decode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Issue16FramesInEverySyntaxTest {
    private static final String LE = "1.2.840.10008.1.2.1";
    private static final String OCTET = "multipart/related; type=\"application/octet-stream\"";

    /** Accept header -> the transfer syntaxes a 200 may carry (null: decided per image below). */
    private static final Map<String, Set<String>> COMPRESSED = new LinkedHashMap<>();

    static {
        COMPRESSED.put("multipart/related; type=\"image/jls\"", Set.of("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"));
        COMPRESSED.put("multipart/related; type=\"image/jp2\"", Set.of("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"));
        COMPRESSED.put("multipart/related; type=\"image/jpeg\"", Set.of("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
                "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"));
        COMPRESSED.put("multipart/related; type=\"image/dicom-rle\"", Set.of("1.2.840.10008.1.2.5"));
        COMPRESSED.put("multipart/related; type=\"image/jls\"; transfer-syntax=1.2.840.10008.1.2.4.80", Set.of("1.2.840.10008.1.2.4.80"));
        COMPRESSED.put("multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90", Set.of("1.2.840.10008.1.2.4.90"));
        COMPRESSED.put("multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.70", Set.of("1.2.840.10008.1.2.4.70"));
        COMPRESSED.put("multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50", Set.of("1.2.840.10008.1.2.4.50"));
    }

    private ArchiveNode node;
    private final Map<String, ServedCorpus.Image> stored = new LinkedHashMap<>();
    private Path tmp;

    @BeforeAll
    void start() throws Exception {
        tmp = Files.createTempDirectory("issue16");
        node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of());
        for (Corpus.Entry e : ServedCorpus.images()) {
            stored.put(e.name(), ServedCorpus.store(node, e, tmp));
        }
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
        try (var walk = Files.walk(tmp)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    List<Corpus.Entry> images() {
        return ServedCorpus.images();
    }

    private static boolean decodable(String ts) {
        return TransferSyntax.of(ts).isNative() || Codecs.standard().supports(ts);
    }

    /** The media type a frame in this syntax takes (PS3.18 Table 8.7.3-2); native frames are octet-stream. */
    private static String mediaOf(String ts) {
        return dev.steadfast.web.wado.FrameMediaTypes.of(ts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void frameOneComesInTheSyntaxAskedForOr406(Corpus.Entry entry) throws Exception {
        ServedCorpus.Image img = stored.get(entry.name());
        org.junit.jupiter.api.Assumptions.assumeTrue(img != null, "the archive does not accept its SOP class " + entry.sopClass());
        String ts = img.transferSyntax();
        boolean nativeData = TransferSyntax.of(ts).isNative();
        String storedMedia = mediaOf(ts);
        String storedSyntax = nativeData ? LE : ts;
        String frames = img.path() + "/frames/1";
        if (!img.hasPixels()) {
            // Rows and Columns but an empty or absent Pixel Data: there is no frame to send (400, as for any
            // instance that is not an image with frames; Issue16NoPixelDataMetadataTest).
            assertThat(ServedCorpus.get(node, frames, OCTET).statusCode()).as("%s without pixel data", entry).isEqualTo(400);
            return;
        }

        // Uncompressed, as viewers ask by default, with or without the syntax named.
        for (String accept : List.of(OCTET, OCTET + "; transfer-syntax=" + LE)) {
            HttpResponse<byte[]> r = ServedCorpus.get(node, frames, accept);
            if (!decodable(ts)) {
                assertThat(r.statusCode()).as("%s as %s (cannot be decoded here)", entry, accept).isEqualTo(406);
                continue;
            }
            assertThat(r.statusCode()).as("%s as %s: %s", entry, accept, new String(r.body())).isEqualTo(200);
            ServedCorpus.Part p = single(r, entry, accept);
            assertThat(p.contentType()).as("%s as %s", entry, accept)
                    .startsWith("application/octet-stream").contains("transfer-syntax=" + LE);
            assertThat(uncompressedLengths(img)).as("%s frame bytes as %s", entry, accept).contains(p.body().length);
        }
        // The stored syntax, and any syntax: always served, as stored (big endian made little).
        for (String accept : List.of("multipart/related; type=\"" + storedMedia + "\"; transfer-syntax=" + storedSyntax,
                OCTET + "; transfer-syntax=*", "*/*")) {
            HttpResponse<byte[]> r = ServedCorpus.get(node, frames, accept);
            assertThat(r.statusCode()).as("%s as %s: %s", entry, accept, new String(r.body())).isEqualTo(200);
            ServedCorpus.Part p = single(r, entry, accept);
            assertThat(p.contentType()).as("%s as %s", entry, accept).startsWith(storedMedia)
                    .contains("transfer-syntax=" + storedSyntax);
            assertThat(p.body()).as("%s as %s", entry, accept).isNotEmpty();
            if (nativeData) {
                assertThat(uncompressedLengths(img)).as("%s frame bytes as %s", entry, accept).contains(p.body().length);
            }
        }
        // Compressed syntaxes: the frame in a syntax of that media type, or 406.
        for (Map.Entry<String, Set<String>> c : COMPRESSED.entrySet()) {
            HttpResponse<byte[]> r = ServedCorpus.get(node, frames, c.getKey());
            assertThat(r.statusCode()).as("%s as %s: %s", entry, c.getKey(), new String(r.body())).isIn(200, 406);
            if (r.statusCode() == 406) {
                continue;
            }
            ServedCorpus.Part p = single(r, entry, c.getKey());
            String partTs = p.contentType().replaceAll(".*transfer-syntax=([0-9.]+).*", "$1");
            assertThat(c.getValue()).as("%s as %s: part %s", entry, c.getKey(), p.contentType()).contains(partTs);
            assertThat(p.contentType()).startsWith(mediaOf(partTs));
            assertBitstream(p.body(), partTs, entry + " as " + c.getKey());
        }
    }

    /** Stored layout or decoded layout (4:2:2 upsampled, 1-bit packed), little endian. */
    private static Set<Integer> uncompressedLengths(ServedCorpus.Image img) {
        var h = img.header();
        int rows = h.getInt(dev.steadfast.dicom.Tag.Rows, 0);
        int cols = h.getInt(dev.steadfast.dicom.Tag.Columns, 0);
        int spp = h.getInt(dev.steadfast.dicom.Tag.SamplesPerPixel, 1);
        int bits = h.getInt(dev.steadfast.dicom.Tag.BitsAllocated, 8);
        long pixels = (long) rows * cols;
        return new java.util.HashSet<>(List.of((int) (pixels * spp * bits / 8), (int) (pixels * 2 * bits / 8),
                (int) ((pixels * spp * bits + 7) / 8)));
    }

    private static ServedCorpus.Part single(HttpResponse<byte[]> r, Corpus.Entry entry, String accept) throws Exception {
        List<ServedCorpus.Part> parts = ServedCorpus.parts(r);
        assertThat(parts).as("%s as %s: parts", entry, accept).hasSize(1);
        return parts.getFirst();
    }

    /** The first bytes say which codec wrote it. */
    private static void assertBitstream(byte[] b, String ts, String what) {
        assertThat(b.length).as(what).isGreaterThan(8);
        if (ts.equals("1.2.840.10008.1.2.5")) {
            int segments = (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
            assertThat(segments).as(what + ": RLE segment count").isBetween(1, 15);
            assertThat((b[4] & 0xFF) | (b[5] & 0xFF) << 8).as(what + ": first RLE segment offset").isEqualTo(64);
        } else if (ts.startsWith("1.2.840.10008.1.2.4.9")) {
            boolean codestream = (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0x4F;
            boolean jp2 = b[4] == 'j' && b[5] == 'P';
            assertThat(codestream || jp2).as(what + ": JPEG 2000 codestream or JP2 box").isTrue();
        } else {
            assertThat(b[0] & 0xFF).as(what + ": SOI").isEqualTo(0xFF);
            assertThat(b[1] & 0xFF).as(what + ": SOI").isEqualTo(0xD8);
        }
    }

    /**
     * The subset checked value by value: frame 1 served uncompressed equals what dcmtk or gdcm
     * decode from the stored file; re-encoded losslessly, dcmtk or gdcm decode the served frame
     * to the same values.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ct/dicomParser__CT1_UNC.fragmented_bot_jpeg_ls.80.dcm",
            "ct/fo-dicom__D_CLUNIE_CT1_RLE_FRAGS.dcm",
            "ct/pydicom-data__693_J2KR.dcm",
            "ct/dcm4che__CT-JPEGLosslessSV1.dcm",
            "ct/dicomParser__CT0012.fragmented_no_bot_jpeg_lossless.57.dcm",
            "ct/dicomParser__CT1_UNC.explicit_big_endian.dcm",
            "ct/dicomParser__CT1_UNC.implicit_little_endian.dcm",
            "mr/pydicom-data__emri_small_big_endian.dcm",
            "mr/pydicom-data__emri_small_jpeg_ls_lossless.dcm",
            "sc/pydicom-data__SC_rgb_expb_16bit.dcm",
            "sc/pydicom-data__JLSL_RGB_ILV0.dcm",
            "us/pydicom-data__US1_J2KR.dcm"})
    void decodedAndReencodedFramesMatchTheOracle(String name, @TempDir Path dir) throws Exception {
        ServedCorpus.Image img = stored.get(name);
        String frames = img.path() + "/frames/1";
        byte[] oracle = FrameOracle.frame(img.entry().path(), img.transferSyntax(), 1, dir);

        HttpResponse<byte[]> r = ServedCorpus.get(node, frames, OCTET);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(single(r, img.entry(), OCTET).body()).as("%s frame 1 decoded by us vs the oracle", name).isEqualTo(oracle);
        if (TransferSyntax.of(img.transferSyntax()).isNative()) {
            // Any syntax: as stored, but big endian made little endian.
            String any = OCTET + "; transfer-syntax=*";
            assertThat(single(ServedCorpus.get(node, frames, any), img.entry(), any).body()).as("%s frame 1 as *", name)
                    .isEqualTo(oracle);
        }

        for (String ts : List.of("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.70",
                "1.2.840.10008.1.2.5")) {
            String accept = "multipart/related; type=\"" + mediaOf(ts) + "\"; transfer-syntax=" + ts;
            HttpResponse<byte[]> c = ServedCorpus.get(node, frames, accept);
            assertThat(c.statusCode()).as("%s as %s: %s", name, ts, new String(c.body())).isEqualTo(200);
            byte[] served = single(c, img.entry(), accept).body();
            Path wrapped = FrameOracle.wrap(img.header(), served, ts, dir);
            assertThat(FrameOracle.frame(wrapped, ts, 1, dir)).as("%s re-encoded as %s, decoded by the oracle", name, ts)
                    .isEqualTo(oracle);
        }
    }
}
