package dev.steadfast.dicom.io;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every well-formed corpus file is read, then written in its own syntax, giving the same data set bytes. */
class CorpusRoundTripTest {

    static List<Corpus.Entry> files() {
        return Corpus.wellFormed();
    }

    /** Malformed files whose defect the reader repairs, so their bytes cannot come back unchanged. */
    private static final Set<String> REPAIRED = Set.of(
            "us/fo-dicom__DIRW0007.dcm",   // stray sequence delimiter after an item: dropped
            "mr/fo-dicom__GH1339.dcm");    // missing final pixel sequence delimiter: added

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void readThenWriteInTheSameSyntaxGivesIdenticalBytes(Corpus.Entry entry) throws Exception {
        byte[] file = Files.readAllBytes(entry.path());
        DicomFile df = DicomReader.readFile(entry.path());
        byte[] original = Arrays.copyOfRange(file, (int) df.meta().datasetOffset(), file.length);
        if (TransferSyntax.of(df.transferSyntaxUid()).deflated()) {
            try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(original), new Inflater(true))) {
                original = in.readAllBytes();
            }
            byte[] rewritten = DicomWriter.encode(df.dataset(), df.transferSyntaxUid());
            try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(rewritten), new Inflater(true))) {
                rewritten = in.readAllBytes();
            }
            assertThat(rewritten).isEqualTo(original);
            return;
        }
        byte[] rewritten = DicomWriter.encode(df.dataset(), df.transferSyntaxUid());
        if (REPAIRED.contains(entry.name())) {
            assertThat(Math.abs(rewritten.length - original.length)).as("only the 8-byte delimiter differs").isEqualTo(8);
            Dataset again = DicomReader.readDataset(new ByteArrayInputStream(rewritten), df.transferSyntaxUid());
            assertThat(again.size()).isEqualTo(df.dataset().size());
            return;
        }
        assertThat(rewritten.length).as("length").isEqualTo(original.length);
        assertThat(rewritten).isEqualTo(original);
    }
}
