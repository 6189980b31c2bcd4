package dev.steadfast.dicom.io;

import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: the header read that ingest does (streamed, up to Pixel Data) tells whether Pixel Data
 * with a value follows, as dcmdump sees the file: every well-formed corpus file with meta information,
 * in every syntax it holds (explicit and implicit, big endian, deflated, encapsulated).
 */
class Issue16PixelDataFollowsTest {
    /**
     * A top-level Pixel Data, Float or Double Float Pixel Data line of dcmdump, and its value length ("u/l"
     * for encapsulated).
     */
    private static final Pattern PIXEL_DATA = Pattern.compile("(?m)^\\(7fe0,00(?:10|08|09)\\) \\w\\w .*#\\s*(\\S+?),");

    static List<Corpus.Entry> files() {
        return Corpus.wellFormed();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void headerReadTellsWhetherPixelDataFollows(Corpus.Entry entry) throws Exception {
        Path dump = entry.path().resolveSibling(entry.path().getFileName() + ".dcmdump.txt");
        Assumptions.assumeTrue(Files.exists(dump), "no dcmdump oracle");
        var m = PIXEL_DATA.matcher(Files.readString(dump, java.nio.charset.StandardCharsets.ISO_8859_1));
        boolean expected = m.find() && !m.group(1).equals("0");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(entry.path()), 64 * 1024)) {
            FileMeta meta = DicomReader.readFileMeta(in);
            String ts = meta.transferSyntaxUid();
            Assumptions.assumeTrue(ts != null && !ts.isBlank(), "no File Meta Information");
            DicomReader.Header h = DicomReader.readHeader(in, ts.strip().replace("\0", ""),
                    ReadOptions.headerOnly().withBulkDataThreshold(1025));
            assertThat(h.pixelDataFollows()).as("Pixel Data (or float pixel data) with a value").isEqualTo(expected);
        }
    }
}
