package dev.steadfast.dicom.json;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.json.JsonParser.Node;
import dev.steadfast.dicom.json.JsonParser.Obj;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Data set to JSON to data set to JSON gives the same JSON for every corpus file, bulk data aside. */
class CorpusJsonRoundTripTest {

    static List<Corpus.Entry> files() {
        return Corpus.wellFormed();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void jsonSurvivesReadingBack(Corpus.Entry entry) throws Exception {
        Dataset original = DicomReader.readFile(entry.path()).dataset();
        String first = DicomJsonWriter.toJson(original, JsonOptions.DEFAULT);
        Dataset back = DicomJsonReader.read(new StringReader(first));
        String second = DicomJsonWriter.toJson(back, JsonOptions.DEFAULT);
        // Bulk data is left to the caller to fetch, so it comes back empty.
        assertThat(Nodes.canonical(second)).isEqualTo(Nodes.canonical(withoutBulkData(Nodes.parse(first))));
    }

    static Node withoutBulkData(Node n) {
        return switch (n) {
            case Obj o -> {
                Map<String, Node> m = new LinkedHashMap<>();
                o.members().forEach((k, v) -> {
                    if (!k.equals("BulkDataURI")) {
                        m.put(k, withoutBulkData(v));
                    }
                });
                yield new Obj(m, o.pos());
            }
            case JsonParser.Arr a -> new JsonParser.Arr(a.items().stream().map(CorpusJsonRoundTripTest::withoutBulkData).toList(), a.pos());
            default -> n;
        };
    }
}
