package dev.steadfast.web.qido;

import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.json.DicomJsonReader;
import dev.steadfast.web.WebConfig;
import dev.steadfast.testing.Corpus;
import dev.steadfast.web.testing.Http;
import dev.steadfast.web.testing.TestArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** QIDO-RS over the corpus: the same matches and values as the C-FIND the query engine answers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QidoTest {
    private static final int CAP = 25;
    private TestArchive archive;
    /** The header of each stored corpus file: what the matching keys are checked against. */
    private final List<Dataset> stored = new java.util.ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        archive = new TestArchive(WebConfig.on("127.0.0.1", 0).withQidoMaxResults(CAP));
        for (Corpus.Entry e : Corpus.wellFormed()) {
            try (InputStream in = Files.newInputStream(e.path())) {
                archive.ingest.storePart10(in, "TEST");
                stored.add(dev.steadfast.dicom.io.DicomReader.readFile(e.path(),
                        dev.steadfast.dicom.io.ReadOptions.headerOnly()).dataset());
            } catch (dev.steadfast.archive.ingest.IngestException ignored) {
                // files without UIDs are not storable; the STOW tests cover that
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        archive.close();
    }

    /** One query both ways: C-FIND keys (as a DIMSE SCP hands them over) and the QIDO parameters saying the same. */
    private void sameAsCFind(QueryLevel level, String qidoPath, Map<String, String> params, int... returnKeys)
            throws Exception {
        Dataset keys = new Dataset();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, level.name());
        for (int tag : returnKeys) {
            keys.setNull(tag, dev.steadfast.dicom.dictionary.ElementDictionary.vrOf(tag));
        }
        StringBuilder query = new StringBuilder("?includefield=");
        for (int tag : returnKeys) {
            query.append(String.format("%08X,", tag));
        }
        params.forEach((k, v) -> {
            keys.setString(dev.steadfast.dicom.dictionary.ElementDictionary.tagOf(k), v);
            query.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        List<Dataset> cfind = archive.query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, level, keys));

        // Paged by the server's cap, as a client following the Warning would.
        List<Dataset> qido = new java.util.ArrayList<>();
        for (int offset = 0; ; offset += CAP) {
            HttpResponse<byte[]> r = Http.get(URI.create(archive.base() + qidoPath + query + "&offset=" + offset),
                    "Accept", "application/dicom+json");
            assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
            List<Dataset> page = DicomJsonReader.readArray(new StringReader(Http.text(r)));
            qido.addAll(page);
            if (r.headers().firstValue("Warning").isEmpty()) {
                break;
            }
        }
        assertThat(qido).hasSameSizeAs(cfind);
        assertThat(values(qido, returnKeys)).isEqualTo(values(cfind, returnKeys));
        assertThat(cfind).as("the query should match something").isNotEmpty();
    }

    private static Map<String, String> values(List<Dataset> matches, int[] tags) {
        Map<String, String> out = new TreeMap<>();
        for (Dataset d : matches) {
            StringBuilder sb = new StringBuilder();
            for (int tag : tags) {
                String[] v = d.getStrings(tag);
                // DICOM JSON has no place for trailing empty PN component groups ("A=B=" is "A=B" there).
                String value = v == null ? "" : String.join("\\", v).replaceAll("[=^]+$", "");
                sb.append(Tag.toString(tag)).append('=').append(value).append(' ');
            }
            String key = d.getString(Tag.SOPInstanceUID, d.getString(Tag.SeriesInstanceUID, d.getString(Tag.StudyInstanceUID)));
            out.put(key, sb.toString());
        }
        return out;
    }

    @Test
    void studyQueriesMatchCFind() throws Exception {
        int[] ret = {Tag.StudyInstanceUID, Tag.PatientName, Tag.PatientID, Tag.StudyDate, Tag.ModalitiesInStudy,
                Tag.NumberOfStudyRelatedInstances, Tag.AccessionNumber};
        sameAsCFind(QueryLevel.STUDY, "/studies", Map.of("ModalitiesInStudy", "CT"), ret);
        sameAsCFind(QueryLevel.STUDY, "/studies", Map.of("StudyDate", "19000101-20091231"), ret);
        sameAsCFind(QueryLevel.STUDY, "/studies", Map.of("PatientName", "*a*"), ret);
    }

    @Test
    void seriesAndInstanceQueriesMatchCFind() throws Exception {
        int[] series = {Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.Modality, Tag.SeriesNumber,
                Tag.NumberOfSeriesRelatedInstances};
        sameAsCFind(QueryLevel.SERIES, "/series", Map.of("Modality", "MR"), series);
        int[] inst = {Tag.SOPInstanceUID, Tag.SOPClassUID, Tag.InstanceNumber, Tag.Rows};
        sameAsCFind(QueryLevel.IMAGE, "/instances", Map.of("SOPClassUID", "1.2.840.10008.5.1.4.1.1.2"), inst);
    }

    @Test
    void qidoParametersBecomeTheCFindKeys() {
        QidoQuery q = QidoQuery.parse(QueryLevel.SERIES, "1.2.3", null, List.of(
                Map.entry("00080060", "CT"), Map.entry("PatientName", "doe"), Map.entry("fuzzymatching", "true"),
                Map.entry("includefield", "StudyDescription,00081030"), Map.entry("limit", "5"),
                Map.entry("offset", "10"), Map.entry("SOPClassUID", "1.2,1.3")));
        QueryRequest r = q.request();
        assertThat(r.model()).isEqualTo(InformationModel.STUDY_ROOT);
        assertThat(r.level()).isEqualTo(QueryLevel.SERIES);
        assertThat(r.keys().getString(Tag.StudyInstanceUID)).isEqualTo("1.2.3");
        assertThat(r.keys().getString(Tag.Modality)).isEqualTo("CT");
        assertThat(r.keys().getString(Tag.PatientName)).isEqualTo("doe*");
        assertThat(r.keys().getStrings(Tag.SOPClassUID)).containsExactly("1.2", "1.3");
        assertThat(r.keys().contains(Tag.StudyDescription)).isTrue();
        assertThat(r.keys().contains(Tag.NumberOfSeriesRelatedInstances)).isTrue();
        assertThat(r.limit()).isEqualTo(5);
        assertThat(r.offset()).isEqualTo(10);
        assertThat(q.fuzzy()).isTrue();
    }

    @Test
    void unboundedQueriesAreCappedWithTheWarningOfPs318AndPageOn() throws Exception {
        HttpResponse<byte[]> r = Http.get(URI.create(archive.base() + "/instances"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(DicomJsonReader.readArray(new StringReader(Http.text(r)))).hasSize(CAP);
        assertThat(r.headers().firstValue("Warning").orElseThrow()).startsWith("299 ")
                .contains("exceeded the maximum supported by the server");
        HttpResponse<byte[]> next = Http.get(URI.create(archive.base() + "/instances?offset=" + CAP + "&limit=3"));
        assertThat(DicomJsonReader.readArray(new StringReader(Http.text(next)))).hasSize(3);
        assertThat(next.headers().firstValue("Warning")).isEmpty();
    }

    @Test
    void badParametersAre400AndUnknownMediaTypes406() throws Exception {
        assertThat(Http.get(URI.create(archive.base() + "/studies?NoSuchKeyword=1")).statusCode()).isEqualTo(400);
        assertThat(Http.get(URI.create(archive.base() + "/studies?limit=-1")).statusCode()).isEqualTo(400);
        HttpResponse<byte[]> r = Http.get(URI.create(archive.base() + "/studies"), "Accept", "image/png");
        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(Http.text(r)).contains("\"status\":406");
    }

    @Test
    void includefieldAllAndXmlAndRetrieveUrl() throws Exception {
        HttpResponse<byte[]> r = Http.get(URI.create(archive.base() + "/studies?includefield=all&limit=1"));
        Dataset d = DicomJsonReader.readArray(new StringReader(Http.text(r))).getFirst();
        assertThat(d.getString(Tag.RetrieveURL)).isEqualTo(archive.base() + "/studies/" + d.getString(Tag.StudyInstanceUID));
        assertThat(d.getString(Tag.InstanceAvailability)).isEqualTo("ONLINE");
        assertThat(d.size()).isGreaterThan(15);
        HttpResponse<byte[]> xml = Http.get(URI.create(archive.base() + "/studies?limit=2"),
                "Accept", "multipart/related; type=\"application/dicom+xml\"");
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(Http.parts(xml)).hasSize(2);
        assertThat(new String(Http.parts(xml).getFirst(), StandardCharsets.UTF_8)).contains("NativeDicomModel");
    }

    // ---- keys that are not index columns, and sequence keys (PS3.18 8.3.4: dotted tag paths) ----

    @Test
    void sequenceKeysAsDottedPathsMatchTheInstancesWhoseFilesHaveAMatchingItem() throws Exception {
        String code = mostCommon(d -> {
            dev.steadfast.dicom.Sequence s = d.getSequence(Tag.DerivationCodeSequence);
            return s == null || s.isEmpty() ? null : s.get(0).getString(Tag.CodeValue);
        });
        java.util.function.Predicate<Dataset> holds = d -> {
            dev.steadfast.dicom.Sequence s = d.getSequence(Tag.DerivationCodeSequence);
            return s != null && s.items().stream().anyMatch(i -> code.equals(i.getString(Tag.CodeValue)));
        };
        List<Dataset> answers = qido("/instances?00089215.00080100=" + code + "&includefield=00089215.00080102");
        assertSameEntities(answers, Tag.SOPInstanceUID, holds);
        for (Dataset a : answers) {
            for (Dataset item : a.getSequence(Tag.DerivationCodeSequence)) {
                assertThat(item.getString(Tag.CodeValue)).isEqualTo(code);
                assertThat(item.contains(Tag.CodingSchemeDesignator)).isTrue();
                assertThat(item.contains(Tag.CodeMeaning)).as("only the requested attributes").isFalse();
            }
        }
        assertThat(qido("/instances?DerivationCodeSequence.CodeValue=NO-SUCH-CODE")).isEmpty();
    }

    @Test
    void attributesThatAreNotIndexColumnsMatchWhatTheFilesHold() throws Exception {
        String institution = mostCommon(d -> d.getString(Tag.InstitutionName));
        assertSameEntities(qido("/studies?InstitutionName=" + URLEncoder.encode(institution, StandardCharsets.UTF_8)),
                Tag.StudyInstanceUID, d -> institution.equals(d.getString(Tag.InstitutionName)));
        String station = mostCommon(d -> d.getString(Tag.StationName));
        String prefix = station.substring(0, 2);
        assertSameEntities(qido("/series?StationName=" + URLEncoder.encode(prefix + "*", StandardCharsets.UTF_8)),
                Tag.SeriesInstanceUID, d -> d.getString(Tag.StationName, "").startsWith(prefix));
    }

    private List<Dataset> qido(String pathAndQuery) throws Exception {
        List<Dataset> all = new java.util.ArrayList<>();
        String sep = pathAndQuery.contains("?") ? "&" : "?";
        for (int offset = 0; ; offset += CAP) {
            HttpResponse<byte[]> r = Http.get(URI.create(archive.base() + pathAndQuery + sep + "offset=" + offset),
                    "Accept", "application/dicom+json");
            assertThat(r.statusCode()).as(Http.text(r)).isIn(200, 204);
            if (r.statusCode() == 204 || Http.text(r).isBlank()) {
                break;
            }
            all.addAll(DicomJsonReader.readArray(new StringReader(Http.text(r))));
            if (r.headers().firstValue("Warning").isEmpty()) {
                break;
            }
        }
        return all;
    }

    private String mostCommon(java.util.function.Function<Dataset, String> value) {
        Map<String, Integer> n = new TreeMap<>();
        for (Dataset d : stored) {
            String v = value.apply(d);
            if (v != null && !v.isBlank() && v.chars().allMatch(c -> c >= ' ' && c < 127)) {
                n.merge(v.strip(), 1, Integer::sum);
            }
        }
        assertThat(n).as("the corpus has values for the key").isNotEmpty();
        return n.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** The answered entities are those a stored file puts under the value (instances stored in disagreeing versions left out). */
    private void assertSameEntities(List<Dataset> answers, int uniqueTag, java.util.function.Predicate<Dataset> holds) {
        Map<String, java.util.Set<Boolean>> perSop = new java.util.HashMap<>();
        for (Dataset d : stored) {
            perSop.computeIfAbsent(d.getString(Tag.SOPInstanceUID, ""), k -> new java.util.HashSet<>()).add(holds.test(d));
        }
        java.util.Set<String> expected = new java.util.TreeSet<>();
        java.util.Set<String> ambiguous = new java.util.HashSet<>();
        for (Dataset d : stored) {
            String entity = d.getString(uniqueTag, "");
            if (perSop.get(d.getString(Tag.SOPInstanceUID, "")).size() > 1) {
                ambiguous.add(entity);
            } else if (holds.test(d)) {
                expected.add(entity);
            }
        }
        expected.removeAll(ambiguous);
        java.util.Set<String> ours = new java.util.TreeSet<>();
        answers.forEach(a -> ours.add(a.getString(uniqueTag)));
        ours.removeAll(ambiguous);
        assertThat(expected).as("the query should match something").isNotEmpty();
        assertThat(ours).isEqualTo(expected);
    }
}
