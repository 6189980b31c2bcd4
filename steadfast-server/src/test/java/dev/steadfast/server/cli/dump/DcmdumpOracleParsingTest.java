package dev.steadfast.server.cli.dump;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The oracle reader and the comparison themselves: a test that cannot fail proves nothing. */
class DcmdumpOracleParsingTest {
    @TempDir
    Path dir;

    private static final String ORACLE = """

            # Dicom-File-Format

            # Dicom-Meta-Information-Header
            # Used TransferSyntax: Little Endian Explicit
            (0002,0010) UI [1.2.840.10008.1.2.1]                    #  20, 1 TransferSyntaxUID

            # Dicom-Data-Set
            # Used TransferSyntax: Little Endian Explicit
            (0008,0005) CS [ISO_IR 100]                             #  10, 1 SpecificCharacterSet
            (0009,1001) LO [GE]                                     #   2, 1 Unknown Tag & Data
            (0010,0010) PN [M\u00fcller^J\u00f6rg]                            #  12, 1 PatientName
            (0010,4000) LT [line one\r
            line two]                                               #  18, 1 PatientComments
            (0018,602e) FD 0.027239000000000004                     #   8, 1 PhysicalDeltaX
            (0032,1064) SQ (Sequence with explicit length #=1)      #  30, 1 RequestedProcedureCodeSequence
              (fffe,e000) na (Item with explicit length #=1)          #  22, 1 Item
                (0008,0100) SH [A\\B]                                   #   4, 2 CodeValue
              (fffe,e00d) na (ItemDelimitationItem for re-encoding)   #   0, 0 ItemDelimitationItem
            (fffe,e0dd) na (SequenceDelimitationItem for re-encod.) #   0, 0 SequenceDelimitationItem
            (7fe0,0010) OW (not loaded)                             # 524288,1 PixelData
            """;

    private List<ListingRow> oracle() throws IOException {
        Path file = dir.resolve("x.dcmdump.txt");
        Files.writeString(file, ORACLE, StandardCharsets.ISO_8859_1); // dcmdump writes the file's bytes
        return DcmdumpOracle.read(file);
    }

    @Test
    void readsPathsValuesAndMultiLineText() throws IOException {
        List<ListingRow> rows = oracle();
        assertThat(rows).extracting(ListingRow::path).containsExactly(
                "meta/(0002,0010)", "ds/(0008,0005)", "ds/(0009,1001)", "ds/(0010,0010)", "ds/(0010,4000)",
                "ds/(0018,602e)", "ds/(0032,1064)", "ds/(0032,1064)/#0", "ds/(0032,1064)/#0/(0008,0100)",
                "ds/(7fe0,0010)");
        assertThat(rows.get(3).values()).containsExactly("Müller^Jörg"); // decoded with ISO_IR 100
        assertThat(rows.get(4).values()).containsExactly("line one\r\nline two");
        assertThat(rows.get(8).values()).containsExactly("A", "B");
        assertThat(rows.get(9).note()).isEqualTo(DumpLine.NOT_LOADED);
        assertThat(rows.get(9).length()).isEqualTo("524288");
    }

    @Test
    void comparisonReportsEachKindOfDifference() throws IOException {
        List<ListingRow> theirs = oracle();
        List<ListingRow> ours = new java.util.ArrayList<>(theirs);
        ours.set(3, new ListingRow("ds/(0010,0010)", "PN", List.of("Mueller^Joerg"), null, "12", 1));
        ours.set(5, new ListingRow("ds/(0018,602e)", "FD", List.of("0.027239"), null, "8", 1)); // same double, see ValueComparison
        ours.set(8, new ListingRow("ds/(0032,1064)/#0/(0008,0100)", "LO", List.of("A", "B"), null, "4", 2));
        ours.remove(2);
        ours.add(new ListingRow("ds/(7fe0,0011)", "OB", List.of(), DumpLine.NO_VALUE, "0", 1));
        assertThat(DcmdumpOracleTest.ListingComparison.compare(theirs, ours)).containsExactly(
                "ds/(0009,1001): missing: dcmdump has LO [GE]",
                "ds/(0010,0010): value: dcmdump [Müller^Jörg], ours [Mueller^Joerg]",
                "ds/(0032,1064)/#0/(0008,0100): VR: dcmdump SH, ours LO",
                "ds/(7fe0,0011): extra: we have OB (no value available)");
    }
}
