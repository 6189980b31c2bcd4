package dev.steadfast.dicom.json;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.json.JsonParser.Obj;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Our JSON against pydicom 2.3.1's {@code to_json_dict()} for every corpus file that has one. */
class CorpusJsonOracleTest {

    static List<Corpus.Entry> files() {
        return Corpus.wellFormed().stream().filter(e -> Files.isRegularFile(e.oracleJson())).toList();
    }

    /** Over-limit values carry their length, to compare with the oracle's {@code omitted:bytes=N}. */
    static final BulkDataUris LENGTHS = (e, path) -> "test:bytes=" + switch (e.value()) {
        case Fragments f -> {
            long n = 0;
            for (Object frag : f) {
                n += 8 + Fragments.lengthOf(frag);
            }
            yield n;
        }
        case BulkData bd -> bd.length();
        default -> e.length();
    };

    private static final Map<String, Set<String>> USAGE = new ConcurrentHashMap<>();
    private static final AtomicInteger CHECKED = new AtomicInteger();

    /** Keeps the exception list honest: after a full run, every rule must still be needed. */
    @AfterAll
    static void everyExceptionIsStillNeeded() {
        USAGE.forEach((rule, where) -> System.out.println("[json-oracle] " + rule + ": " + where));
        if (CHECKED.get() == files().size()) {
            assertThat(USAGE.keySet()).as("rules no file needs any more")
                    .containsExactlyInAnyOrderElementsOf(OracleExceptions.RULES.stream().map(OracleExceptions.Rule::name).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void jsonMatchesPydicom(Corpus.Entry entry) throws Exception {
        DicomFile df = DicomReader.readFile(entry.path());
        String ours = DicomJsonWriter.toJson(df.dataset(), JsonOptions.DEFAULT.withUris(LENGTHS));
        String theirs = Files.readString(entry.oracleJson());
        var mismatches = OracleComparison.compare((Obj) Nodes.parse(ours), (Obj) Nodes.parse(theirs));
        Map<String, Integer> used = new TreeMap<>();
        var unexplained = OracleExceptions.unexplained(entry, df, mismatches, used);
        used.forEach((rule, n) -> USAGE.computeIfAbsent(rule, k -> new TreeSet<>()).add(entry.name() + " x" + n));
        CHECKED.incrementAndGet();
        assertThat(unexplained).as("mismatches with pydicom no documented exception explains").isEmpty();
    }
}
