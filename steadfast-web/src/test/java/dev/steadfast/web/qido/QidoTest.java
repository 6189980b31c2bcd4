package dev.steadfast.web.qido;

import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.json.DicomJsonReader;
import dev.steadfast.web.WebConfig;
import dev.steadfast.web.testing.Corpus;
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

    @BeforeAll
    void start() throws Exception {
        archive = new TestArchive(WebConfig.on("127.0.0.1", 0).withQidoMaxResults(CAP));
        for (Corpus.Entry e : Corpus.wellFormed()) {
            try (InputStream in = Files.newInputStream(e.path())) {
                archive.ingest.storePart10(in, "TEST");
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
}
