package dev.steadfast.dicom.io;

import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.Tag;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.steadfast.dicom.io.ParseOutcome.budgetFor;
import static dev.steadfast.dicom.io.ParseOutcome.expectParseException;
import static dev.steadfast.dicom.io.ParseOutcome.outcome;
import static dev.steadfast.dicom.io.ParseOutcome.unknownLength;
import static org.assertj.core.api.Assertions.assertThat;

/** The damaged files of the corpus each end in a DicomParseException that names the problem and its offset. */
class CorruptFilesTest {

    /** What each message must name: the element or the length that is wrong, whether read from a path or a stream. */
    private static final Map<String, String> PROBLEM = Map.of(
            "corrupt/dcm4che__3gb-bulk-data-truncated.dcm", "3221225472",
            "corrupt/derived__CT1_truncated_in_pixeldata.dcm", "524288",
            "corrupt/derived__IM00001_jpeg_truncated_in_frames.dcm", "7088",
            "corrupt/derived__SiemensMR_truncated_in_header.dcm", "5342",
            "corrupt/fo-dicom__GH364.dcm", "unexpected (FFFE,E000)",
            "corrupt/fo-dicom__GH626.dcm", "337256453");

    /**
     * Its only defect a DICOM parser can see is the missing final sequence delimiter of the pixel
     * data, which the reader tolerates as in mr/fo-dicom__GH1339.dcm; the truncation is inside the
     * JPEG 2000 codestream (the Basic Offset Table is empty), so only a decoder can detect it.
     */
    private static final String CODESTREAM_ONLY = "corrupt/pydicom-data__emri_small_jpeg_2k_lossless_too_short.dcm";

    private static final Pattern DECLARED = Pattern.compile("declares (\\d+) bytes");

    static List<Corpus.Entry> damaged() {
        return Corpus.corrupt().stream().filter(e -> !e.name().equals(CODESTREAM_ONLY)).toList();
    }

    @Test
    void everyCorruptFileHasAnExpectation() {
        assertThat(damaged()).extracting(Corpus.Entry::name).containsExactlyInAnyOrderElementsOf(PROBLEM.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damaged")
    void readFromAPathEndsInAParseExceptionNamingTheProblem(Corpus.Entry entry) throws IOException {
        long size = Files.size(entry.path());
        DicomParseException e = expectParseException("path", budgetFor(size), () -> DicomReader.readFile(entry.path()));
        assertNamesProblem(entry, e, size);
        // With the size known, a declared length is refused before reading it: it exceeds what remains.
        Matcher m = DECLARED.matcher(e.getMessage());
        if (m.find()) {
            assertThat(Long.parseLong(m.group(1))).isGreaterThan(size - e.offset());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damaged")
    void readFromAStreamOfUnknownLengthEndsInAParseExceptionNamingTheProblem(Corpus.Entry entry) throws IOException {
        byte[] bytes = Files.readAllBytes(entry.path());
        DicomParseException e = expectParseException("stream", budgetFor(bytes.length),
                () -> DicomReader.read(unknownLength(bytes), ReadOptions.DEFAULT));
        assertNamesProblem(entry, e, bytes.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damaged")
    void bulkDataByReferenceEndsInTheSameParseException(Corpus.Entry entry) throws IOException {
        long size = Files.size(entry.path());
        assertNamesProblem(entry, expectParseException("bulk", budgetFor(size),
                () -> DicomReader.readFile(entry.path(), ReadOptions.DEFAULT.withBulkDataThreshold(1024))), size);
    }

    @Test
    void theThreeGigabyteFileIsRefusedWithoutReadingItsValue() throws IOException {
        Corpus.Entry entry = entry("corrupt/dcm4che__3gb-bulk-data-truncated.dcm");
        DicomParseException e = expectParseException("path", budgetFor(0), () -> DicomReader.readFile(entry.path()));
        assertThat(e).hasMessageContaining("(7FE0,0010)").hasMessageContaining("declares 3221225472 bytes");
        assertThat(3221225472L).isGreaterThan(Files.size(entry.path()) - e.offset());
    }

    /** Ingest reads the header only: damage confined to the pixel data must not stop it. */
    @Test
    void headersBeforeDamagedPixelDataStillRead() throws IOException {
        for (String name : List.of("corrupt/dcm4che__3gb-bulk-data-truncated.dcm",
                "corrupt/derived__CT1_truncated_in_pixeldata.dcm",
                "corrupt/derived__IM00001_jpeg_truncated_in_frames.dcm", "corrupt/fo-dicom__GH364.dcm")) {
            DicomFile df = DicomReader.readFile(entry(name).path(), ReadOptions.headerOnly());
            assertThat(df.dataset().getString(Tag.SOPInstanceUID)).as(name).isNotBlank();
            assertThat(df.dataset().contains(Tag.PixelData)).as(name).isFalse();
        }
    }

    @Test
    void aTruncatedCodestreamWithIntactFragmentItemsReadsAsFragments() throws IOException {
        Corpus.Entry entry = entry(CODESTREAM_ONLY);
        assertThat(DicomReader.readFile(entry.path()).dataset().getFragments(Tag.PixelData).size())
                .isEqualTo(11); // empty offset table + 10 frames
        try (InputStream in = unknownLength(Files.readAllBytes(entry.path()))) {
            assertThat(outcome("stream", budgetFor(Files.size(entry.path())),
                    () -> DicomReader.read(in, ReadOptions.DEFAULT))).isNull();
        }
    }

    private static void assertNamesProblem(Corpus.Entry entry, DicomParseException e, long size) {
        assertThat(e.offset()).as("offset of " + e.getMessage()).isBetween(0L, size);
        assertThat(e).hasMessageContaining(PROBLEM.get(entry.name()));
    }

    private static Corpus.Entry entry(String name) {
        return Corpus.corrupt().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }
}
