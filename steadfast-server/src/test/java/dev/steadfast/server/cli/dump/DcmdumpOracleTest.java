package dev.steadfast.server.cli.dump;

import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.server.cli.DumpCommand;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our listing of every well-formed corpus file agrees with dcmtk's ({@code <file>.dcmdump.txt})
 * on tags, VRs, VMs and lengths everywhere, and on values of text and numeric VRs.
 * Whatever still differs is listed in {@link KnownDifferences}, with the reason.
 */
class DcmdumpOracleTest {

    @TestFactory
    Stream<DynamicTest> listingAgreesWithDcmdump() {
        return Corpus.wellFormed().stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            DicomFile f = DicomReader.readFile(e.path(),
                    ReadOptions.DEFAULT.withBulkDataThreshold(DumpCommand.LISTING_BULK_THRESHOLD));
            List<ListingRow> ours = ours(f);
            if (!Files.exists(e.oracleDump())) {
                assertThat(ours).as("a listing even where dcmdump has none").isNotEmpty();
                return;
            }
            List<String> differences = ListingComparison.compare(DcmdumpOracle.read(e.oracleDump()), ours);
            List<String> unexplained = KnownDifferences.unexplained(e.name(), differences);
            assertThat(unexplained).as("differences from dcmdump not in KnownDifferences").isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyKnownDifferenceStillOccurs() {
        return KnownDifferences.ALL.stream().flatMap(k -> k.files().stream().map(file ->
                DynamicTest.dynamicTest(file + " " + k.pattern(), () -> {
                    Corpus.Entry e = Corpus.all().stream().filter(x -> x.name().equals(file)).findFirst().orElseThrow();
                    DicomFile f = DicomReader.readFile(e.path(),
                            ReadOptions.DEFAULT.withBulkDataThreshold(DumpCommand.LISTING_BULK_THRESHOLD));
                    List<String> differences = ListingComparison.compare(DcmdumpOracle.read(e.oracleDump()), ours(f));
                    assertThat(differences).as("stale entry in KnownDifferences: " + k.reason()).anyMatch(k::explains);
                })));
    }

    static List<ListingRow> ours(DicomFile f) {
        List<ListingRow> rows = new ArrayList<>(ListingRow.of("meta", DumpLines.of(f.meta().attributes(), true)));
        boolean explicit = TransferSyntax.of(f.transferSyntaxUid()).explicitVR();
        rows.addAll(ListingRow.of("ds", DumpLines.of(f.dataset(), explicit)));
        return rows;
    }

    /** Compares two listings row by row, keyed by path. */
    static final class ListingComparison {
        private ListingComparison() {}

        static List<String> compare(List<ListingRow> oracle, List<ListingRow> ours) {
            Map<String, ListingRow> theirs = index(oracle);
            Map<String, ListingRow> mine = index(ours);
            List<String> out = new ArrayList<>();
            for (ListingRow o : theirs.values()) {
                ListingRow m = mine.get(o.path());
                if (m == null) {
                    out.add(o.path() + ": missing: dcmdump has " + o.vr() + " " + shown(o));
                } else {
                    compareRow(o, m, out);
                }
            }
            for (ListingRow m : mine.values()) {
                if (!theirs.containsKey(m.path())) {
                    out.add(m.path() + ": extra: we have " + m.vr() + " " + shown(m));
                }
            }
            return out;
        }

        private static Map<String, ListingRow> index(List<ListingRow> rows) {
            Map<String, ListingRow> map = new LinkedHashMap<>();
            for (ListingRow r : rows) {
                map.put(r.path(), r);
            }
            return map;
        }

        private static void compareRow(ListingRow o, ListingRow m, List<String> out) {
            String p = o.path();
            if (!ValueComparison.sameVr(o.vr(), m.vr())) {
                out.add(p + ": VR: dcmdump " + o.vr() + ", ours " + m.vr());
                return;
            }
            if (o.vm() != m.vm()) {
                out.add(p + ": VM: dcmdump " + o.vm() + ", ours " + m.vm());
            }
            if (!o.length().equals(m.length())) {
                out.add(p + ": length: dcmdump " + o.length() + ", ours " + m.length());
            }
            boolean notLoaded = DumpLine.NOT_LOADED.equals(o.note()) || DumpLine.NOT_LOADED.equals(m.note());
            if (notLoaded || !ValueComparison.compared(m.vr())) {
                return;
            }
            if (!ValueComparison.sameValues(m.vr(), o, m)) {
                out.add(p + ": value: dcmdump " + shown(o) + ", ours " + shown(m));
            }
        }

        private static String shown(ListingRow r) {
            String s = r.note() != null ? r.note() : "[" + String.join("\\", r.values()) + "]";
            return s.length() > 120 ? s.substring(0, 120) + "..." : s;
        }
    }
}
