package dev.steadfast.web;

import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.testing.Corpus;
import dev.steadfast.web.testing.MiniJson;
import dev.steadfast.web.testing.TestArchive;
import dev.steadfast.web.testing.Tools;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The npm package {@code dicomweb-client} (the library OHIF and other browser viewers call) in
 * Node against our server: src/test/node/dicomweb_roundtrip.mjs stores corpus files with STOW-RS,
 * finds them with QIDO-RS, and retrieves instances (as stored and in the default syntax),
 * metadata, frames, bulk data, rendered images, thumbnails and whole studies, printing one JSON
 * line per call. This test holds those lines against the original files and pydicom's reading
 * of them (the corpus' oracle JSON).
 *
 * <p>Needs {@code node} and the script's pinned packages ({@code npm ci --prefix
 * steadfast-web/src/test/node}, as .ci/run does); skips without them, fails under CI=true.
 */
class DicomwebClientJsTest {
    private static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();

    /** Native and compressed, single and multi-frame, grey and colour, CT, MR and US. */
    private static final List<String> FILES = List.of(
            "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm",               // native, 1 frame
            "ct/dicompyler__ct.0.dcm",                                          // implicit VR LE
            "mr/pydicom-data__emri_small_jpeg_2k_lossless.dcm",                 // J2K lossless, 10 frames
            "us/dicomParser__IM00001.fragmented_no_bot_jpeg_baseline.50.dcm",   // JPEG baseline RGB, 8 frames
            "us/pydicom-data__OBXXXX1A_rle_2frame.dcm",                         // RLE, 2 frames
            "ct/dicomParser__CT0012.fragmented_no_bot_jpeg_ls.81.dcm");         // JPEG-LS near-lossless, 2 frames

    /** Held only in lossy form: the default retrieval sends them as they are (README). */
    private static final Set<String> LOSSY = Set.of("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
            "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91");

    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    /** What the test knows about one file, from pydicom's JSON of it. */
    record Planned(Path path, String study, String series, String sop, String syntax, int rows, int columns,
                   int frames, int frameBytes) {
        String json() {
            return "{\"path\":\"%s\",\"study\":\"%s\",\"series\":\"%s\",\"sop\":\"%s\",\"frames\":%d}"
                    .formatted(path.toString().replace("\\", "\\\\"), study, series, sop, frames);
        }
    }

    @Test
    void dicomwebClientStoresFindsAndRetrieves() throws Exception {
        Path node = requireNode();
        Path root = Corpus.root();
        List<Planned> plan = new ArrayList<>();
        for (String f : FILES) {
            plan.add(planned(root.resolve(f)));
        }
        Path planFile = Files.createTempFile("dicomweb-client-plan", ".json");
        try (TestArchive archive = new TestArchive()) {
            Files.writeString(planFile, "[" + String.join(",", plan.stream().map(Planned::json).toList()) + "]");
            Tools.Result r = Tools.run(List.of(node.toString(), NODE_DIR.resolve("dicomweb_roundtrip.mjs").toString(),
                    archive.base().toString(), planFile.toString()), 180);
            List<Map<String, Object>> lines = r.output().lines().filter(l -> l.startsWith("{"))
                    .map(MiniJson::object).toList();
            String out = r.output();

            Map<String, Object> store = one(lines, "storeInstances", null, out);
            assertThat(strings(store.get("referenced"))).as(out)
                    .containsExactlyInAnyOrderElementsOf(plan.stream().map(Planned::sop).toList());
            assertThat(store.get("failed")).isEqualTo(false);
            assertThat(archive.instanceCount()).isEqualTo(plan.size());

            assertThat(strings(one(lines, "searchForStudies", null, out).get("studies")))
                    .containsAll(plan.stream().map(Planned::study).toList());
            for (Planned p : plan) {
                String why = p.path.getFileName() + "\n" + out;
                Map<String, Object> study = one(lines, "searchForStudies?StudyInstanceUID", p.study, why);
                assertThat(strings(study.get("studies"))).as(why).containsExactly(p.study);
                assertThat(study.get("instances")).as(why).isEqualTo(List.of(1.0));
                assertThat(strings(one(lines, "searchForSeries", p.study, why).get("series"))).as(why)
                        .containsExactly(p.series);
                assertThat(strings(one(lines, "searchForInstances", p.sop, why).get("instances"))).as(why)
                        .containsExactly(p.sop);

                // As stored: the stored file byte for byte; its data set is the original's (ingest
                // rewrites only the File Meta Information: implementation UID, source AE).
                byte[] stored = Files.readAllBytes(archive.storage.pathOf(new StorageKey(
                        archive.index.read(tx -> tx.instances().find(p.sop)).orElseThrow().record().storageKey())));
                Map<String, Object> asStored = one(lines, "retrieveInstance*", p.sop, why);
                assertThat(asStored.get("sha256")).as(why).isEqualTo(sha256(stored, 0));
                assertThat(asStored.get("datasetSha256")).as(why)
                        .isEqualTo(sha256(Files.readAllBytes(p.path), afterMeta(Files.readAllBytes(p.path))));
                assertThat(strings(one(lines, "retrieveStudy*", p.study, why).get("sha256"))).as(why)
                        .containsExactly(sha256(stored, 0));
                assertThat(one(lines, "retrieveStudy*", p.study, why).get("defaultParts")).isEqualTo(1.0);

                // Default: Explicit VR Little Endian unless held only in lossy form.
                assertThat(one(lines, "retrieveInstance", p.sop, why).get("transferSyntax")).as(why)
                        .isEqualTo(LOSSY.contains(p.syntax) ? p.syntax : EXPLICIT_LE);

                Map<String, Object> meta = one(lines, "retrieveInstanceMetadata", p.sop, why);
                assertThat(meta.get("sopInstanceUID")).isEqualTo(p.sop);
                assertThat(meta.get("rows")).isEqualTo((double) p.rows);
                assertThat(meta.get("columns")).isEqualTo((double) p.columns);
                assertThat((String) meta.get("pixelDataBulkDataURI")).as(why)
                        .startsWith(archive.base().toString()).endsWith("/bulkdata/7FE00010");

                // Frames decoded (first and last), and the first as stored.
                int asked = p.frames > 1 ? 2 : 1;
                Map<String, Object> frames = one(lines, "retrieveInstanceFrames", p.sop, why);
                assertThat(frames.get("lengths")).as(why).isEqualTo(java.util.Collections.nCopies(asked, (double) p.frameBytes));
                Map<String, Object> raw = one(lines, "retrieveInstanceFrames*", p.sop, why);
                assertThat(raw.get("frames")).isEqualTo(1.0);
                double rawLength = (Double) ((List<?>) raw.get("lengths")).getFirst();
                if (p.syntax.equals(EXPLICIT_LE) || p.syntax.equals("1.2.840.10008.1.2")) {
                    assertThat(rawLength).as(why).isEqualTo(p.frameBytes);
                } else {
                    assertThat(rawLength).as(why).isPositive().isLessThan(p.frameBytes);
                    assertThat((String) raw.get("magic")).as(why).startsWith(switch (p.syntax) {
                        case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91" -> "ff4fff51"; // J2K codestream SOC SIZ
                        case "1.2.840.10008.1.2.5" -> "0";                                    // RLE header: segment count
                        default -> "ffd8ff";                                                  // JPEG / JPEG-LS SOI
                    });
                }
                assertThat(one(lines, "retrieveBulkData", p.sop, why).get("bytes")).as(why)
                        .isEqualTo((double) p.frameBytes * p.frames);

                Map<String, Object> rendered = one(lines, "retrieveInstanceRendered", p.sop, why);
                assertThat((String) rendered.get("jpeg")).as(why).startsWith("ffd8ff");
                assertThat(rendered.get("png")).as(why).isEqualTo("89504e47");
                assertThat(rendered.get("pngWidth")).as(why).isEqualTo(64.0);
                assertThat((String) one(lines, "retrieveInstanceThumbnail", p.sop, why).get("jpeg")).startsWith("ffd8ff");
            }
            assertThat(one(lines, "done", null, out).get("failures")).as(out).isEqualTo(0.0);
            assertThat(r.exit()).as(out).isZero();
        } finally {
            Files.deleteIfExists(planFile);
        }
    }

    /** node on the PATH, and the packages of package-lock.json installed beside the script. */
    private static Path requireNode() {
        Path node = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, "node")).filter(Files::isExecutable).findFirst().orElse(null);
        Corpus.requireOrSkip(node != null, "node (Node.js 18+) not on the PATH");
        Corpus.requireOrSkip(Files.isRegularFile(NODE_DIR.resolve("node_modules/dicomweb-client/package.json"))
                        && Files.isRegularFile(NODE_DIR.resolve("node_modules/xhr2/package.json")),
                "dicomweb-client not installed: npm ci --prefix steadfast-web/src/test/node");
        return node;
    }

    private static Planned planned(Path file) throws Exception {
        String json = Files.readString(file.resolveSibling(file.getFileName() + ".json"));
        int rows = Integer.parseInt(tag(json, "00280010"));
        int columns = Integer.parseInt(tag(json, "00280011"));
        String frames = tagOrNull(json, "00280008");
        int spp = Integer.parseInt(tag(json, "00280002"));
        int bits = Integer.parseInt(tag(json, "00280100"));
        String syntax = Files.readString(Corpus.root().resolve("MANIFEST.tsv")).lines()
                .filter(l -> l.startsWith(Corpus.root().relativize(file).toString().replace('\\', '/') + "\t"))
                .findFirst().orElseThrow().split("\t")[5].split(" ")[0];
        return new Planned(file, tag(json, "0020000D"), tag(json, "0020000E"), tag(json, "00080018"), syntax,
                rows, columns, frames == null ? 1 : Integer.parseInt(frames), rows * columns * spp * (bits / 8));
    }

    private static String tag(String json, String tag) {
        String v = tagOrNull(json, tag);
        assertThat(v).as(tag).isNotNull();
        return v;
    }

    private static String tagOrNull(String json, String tag) {
        Matcher m = Pattern.compile("\"" + tag + "\":\\{\"Value\":\\[\"?([^\",\\]]*)\"?").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static Map<String, Object> one(List<Map<String, Object>> lines, String check, String key, String why) {
        List<Map<String, Object>> found = lines.stream()
                .filter(l -> check.equals(l.get("check")) && java.util.Objects.equals(key, l.get("sop"))).toList();
        assertThat(found).as("one result of %s for %s in\n%s", check, key, why).hasSize(1);
        assertThat(found.getFirst().get("error")).as("%s for %s: %s", check, key, found.getFirst()).isNull();
        return found.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return (List<String>) o;
    }

    /** Where the data set starts in a Part 10 file: after the preamble, DICM and the meta group. */
    private static int afterMeta(byte[] file) {
        return 132 + 12 + ByteBuffer.wrap(file, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static String sha256(byte[] b, int from) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(b, from, b.length - from);
        return HexFormat.of().formatHex(md.digest());
    }
}
