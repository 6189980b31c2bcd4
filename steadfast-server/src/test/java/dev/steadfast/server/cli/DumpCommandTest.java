package dev.steadfast.server.cli;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.json.DicomJsonReader;
import dev.steadfast.server.Main;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DumpCommandTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
        List<String> errLines() { return err.lines().toList(); }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path sample() throws IOException {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4");
        ds.setString(Tag.PatientName, VR.PN, "Müller^Jörg");
        ds.setString(Tag.ImageComments, VR.LT, "first line\r\nsecond line " + "x".repeat(200));
        ds.setInt(Tag.Rows, VR.US, 512);
        Sequence seq = ds.newSequence(Tag.ReferencedStudySequence);
        seq.addItem().setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.5");
        ds.setBytes(Tag.PixelData, VR.OW, new byte[8192]);
        Path file = dir.resolve("sample.dcm");
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian);
        }
        return file;
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("dump", "help");
    }

    @Test
    void noCommandIsAUsageError() {
        Run r = run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("steadfast: a command is required");
    }

    @Test
    void unknownOptionAndMissingFileArgumentAreUsageErrors() {
        assertThat(run("dump", "--bogus", "x").exitCode()).isEqualTo(2);
        Run r = run("dump");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines().getFirst()).startsWith("steadfast dump: Missing required parameter");
    }

    @Test
    void listsMetaFirstThenTheDataSetWithDecodedTextAndIndentedItems() throws IOException {
        Path file = sample();
        Run r = run("dump", file.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("# File: " + file);
        assertThat(lines.get(1)).isEqualTo("# File Meta Information");
        assertThat(lines).anyMatch(l -> l.startsWith("(0002,0010) UI [1.2.840.10008.1.2.1]"))
                .anyMatch(l -> l.startsWith("(0010,0010) PN [Müller^Jörg]") && l.endsWith("#  14, 1 PatientName"))
                .anyMatch(l -> l.startsWith("(0028,0010) US 512 "))
                .anyMatch(l -> l.startsWith("(0008,1110) SQ (Sequence with undefined length #=1)"))
                .anyMatch(l -> l.startsWith("  (fffe,e000) na (Item with undefined length #=1)"))
                .anyMatch(l -> l.startsWith("    (0008,1155) UI [1.2.3.5]"))
                .anyMatch(l -> l.startsWith("(7fe0,0010) OW (not loaded)") && l.endsWith("# 8192, 1 PixelData"));
        assertThat(lines.indexOf(lines.stream().filter(l -> l.startsWith("# Data Set")).findFirst().orElseThrow()))
                .isGreaterThan(lines.indexOf(lines.stream().filter(l -> l.startsWith("(0002,0010)")).findFirst().orElseThrow()));
        String comment = lines.stream().filter(l -> l.startsWith("(0020,4000)")).findFirst().orElseThrow();
        assertThat(comment).contains("[first line\\r\\nsecond line xxx").contains("...]");
    }

    @Test
    void jsonIsPs318WithBulkDataAboveTheInlineLimit() throws IOException {
        Path file = sample();
        Run r = run("dump", "--json", "--inline-limit", "100", file.toString());
        assertThat(r.exitCode()).isZero();
        Dataset back = DicomJsonReader.fromJson(r.out());
        assertThat(back.getString(Tag.PatientName)).isEqualTo("Müller^Jörg");
        assertThat(back.getSequence(Tag.ReferencedStudySequence).get(0).getString(Tag.ReferencedSOPInstanceUID))
                .isEqualTo("1.2.3.5");
        assertThat(r.out()).contains("\"BulkDataURI\": \"" + file.toUri() + "?offset=");
    }

    @Test
    void jsonOfSeveralFilesIsAnArrayAndSkipsFilesThatCannotBeRead() throws IOException {
        Path file = sample();
        Run r = run("dump", "--json", file.toString(), dir.resolve("missing.dcm").toString(), file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(DicomJsonReader.readArray(new StringReader(r.out()))).hasSize(2);
    }

    @Test
    void widthZeroShowsValuesInFull() throws IOException {
        Run r = run("dump", "--width", "0", sample().toString());
        assertThat(r.out()).contains("x".repeat(200) + "]");
    }

    @Test
    void aFileThatCannotBeReadGivesOneLineAndTheOthersAreStillListed() throws IOException {
        Path good = sample();
        Path truncated = dir.resolve("truncated.dcm");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(good), 400));
        Path missing = dir.resolve("missing.dcm");
        Run r = run("dump", missing.toString(), truncated.toString(), good.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(2);
        assertThat(r.errLines().get(0)).isEqualTo("steadfast dump: " + missing + ": no such file");
        assertThat(r.errLines().get(1)).startsWith("steadfast dump: " + truncated + ": ").contains("byte offset");
        assertThat(r.out()).startsWith("# File: " + good).doesNotContain("# File: " + truncated);
    }

    @Test
    void everyCorruptCorpusFileGivesOneClearLine() {
        List<String> args = new ArrayList<>(List.of("dump"));
        Corpus.corrupt().forEach(e -> args.add(e.path().toString()));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).allSatisfy(l -> assertThat(l).startsWith("steadfast dump: ").doesNotContain("a bug"));
        // Each line names its file; a file that parses (the reader is lenient) is listed instead.
        for (Corpus.Entry e : Corpus.corrupt()) {
            long errors = r.errLines().stream().filter(l -> l.startsWith("steadfast dump: " + e.path() + ": ")).count();
            boolean listed = r.out().contains("# File: " + e.path() + "\n");
            assertThat(errors + (listed ? 1 : 0)).as(e.name()).isEqualTo(1);
        }
    }

    @Test
    void everyWellFormedCorpusFileIsListed() {
        List<String> args = new ArrayList<>(List.of("dump"));
        Corpus.wellFormed().forEach(e -> args.add(e.path().toString()));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("# File: "))).hasSize(Corpus.wellFormed().size());
    }
}
