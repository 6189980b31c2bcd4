package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Issues 12 and 14 on each index database: a hostile wildcard on an attribute outside the index
 * is answered (no exponential backtracking), a query past its time limit stops with
 * {@link QueryLimitException}, oversized identifiers are refused, and results longer than one
 * page (each page its own short transaction) come out complete, in order, with offset and limit
 * across page boundaries. One patient, one study, 450 images (more than two pages), each with an
 * Institution Name of 60 'a's, the worst case for a backtracking matcher.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Issue14QueryLimitsContract {
    private static final int IMAGES = 2 * QueryEngine.PAGE + 50;
    private static final String HOSTILE = "*a*a*a*a*a*a*a*a*a*a*a*b";

    private Path dir;
    private Index index;
    private QueryEngine query;
    private String pid;
    private final List<String> sops = new ArrayList<>();

    protected abstract IndexConfig indexConfig(Path dir);

    @BeforeAll
    void open() throws Exception {
        dir = Files.createTempDirectory("steadfast-issue14");
        index = Index.open(indexConfig(dir));
        IngestService ingest = new IngestService(new FileSystemStorage(dir.resolve("storage")), index, IngestConfig.DEFAULT);
        query = new QueryEngine(index, QueryConfig.DEFAULT);
        pid = "I14-" + Synthetic.uid();
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        for (int i = 0; i < IMAGES; i++) {
            String sop = Synthetic.uid();
            Dataset ds = Synthetic.instance(pid, "Doe^John", study, series, sop);
            ds.setString(Tag.InstitutionName, VR.LO, "a".repeat(60));
            ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
            ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "I14");
            sops.add(sop);
        }
    }

    @AfterAll
    void close() throws IOException {
        if (index != null) {
            index.close();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aHostileWildcardOnAStoredAttributeIsAnswered() {
        // A hang guard only: a backtracking matcher takes minutes per instance here.
        List<Dataset> none = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> query.queryAll(images(k ->
                k.setString(Tag.InstitutionName, VR.LO, HOSTILE))));
        assertThat(none).isEmpty();
        List<Dataset> all = query.queryAll(images(k -> k.setString(Tag.InstitutionName, VR.LO, "*a*a*a*a*a*a*a*a*a*a*a*a")));
        assertThat(all).hasSize(IMAGES);
        assertThat(query.queryAll(images(k -> k.setString(Tag.InstitutionName, VR.LO, "a?a*" + "a".repeat(50) + "*"))))
                .hasSize(IMAGES);
        assertThat(query.queryAll(images(k -> k.setString(Tag.InstitutionName, VR.LO, "?" + "a".repeat(60))))).isEmpty();
    }

    @Test
    void resultsLongerThanAPageComeOutWholeAndInOrder() {
        // Matched in SQL only (the database pages) and with a key on the stored metadata (Java pages).
        for (boolean residual : new boolean[] {false, true}) {
            List<String> got = new ArrayList<>();
            query.query(images(k -> {
                if (residual) {
                    k.setString(Tag.InstitutionName, VR.LO, "a*");
                }
            }), d -> got.add(d.getString(Tag.SOPInstanceUID)));
            assertThat(got).as("residual " + residual).containsExactlyElementsOf(sops);
            List<String> page = new ArrayList<>();
            query.query(images(k -> {
                if (residual) {
                    k.setString(Tag.InstitutionName, VR.LO, "a*");
                }
            }).withPage(QueryEngine.PAGE - 10, QueryEngine.PAGE + 20), d -> page.add(d.getString(Tag.SOPInstanceUID)));
            assertThat(page).as("residual " + residual).containsExactlyElementsOf(
                    sops.subList(QueryEngine.PAGE - 10, 2 * QueryEngine.PAGE + 10));
        }
    }

    @Test
    void aQueryPastItsTimeLimitStopsWithQueryLimitException() {
        QueryEngine hurried = new QueryEngine(index, QueryConfig.DEFAULT.withTimeout(Duration.ofNanos(1)));
        assertThatThrownBy(() -> hurried.queryAll(images(k -> k.setString(Tag.InstitutionName, VR.LO, "a*"))))
                .isInstanceOf(QueryLimitException.class).hasMessageContaining("time limit")
                .satisfies(e -> assertThat(((QueryLimitException) e).kind()).isEqualTo(QueryLimitException.Kind.TIMED_OUT));
        // No limit at all: the same query answers everything.
        QueryEngine unlimited = new QueryEngine(index, QueryConfig.DEFAULT.withTimeout(Duration.ZERO));
        assertThat(unlimited.queryAll(images(k -> k.setString(Tag.InstitutionName, VR.LO, "a*")))).hasSize(IMAGES);
    }

    @Test
    void oversizedIdentifiersAreRefused() {
        QueryConfig few = new QueryConfig(true, 0, QueryConfig.DEFAULT_TIMEOUT, 3, 1);
        QueryEngine strict = new QueryEngine(index, few);
        assertThatThrownBy(() -> strict.queryAll(images(k -> {
            k.setString(Tag.InstitutionName, VR.LO, "a*");
            k.setString(Tag.StationName, VR.SH, "X");
            k.setString(Tag.Manufacturer, VR.LO, "Y");
        }))).isInstanceOf(InvalidQueryException.class).hasMessageContaining("too many matching keys");
        assertThatThrownBy(() -> query.queryAll(images(k -> k.setString(Tag.ImageComments, VR.LT, "*" + "a".repeat(2000)))))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("longer than")
                .satisfies(e -> assertThat(((InvalidQueryException) e).offendingTag()).isEqualTo(Tag.ImageComments));
    }

    private QueryRequest images(java.util.function.Consumer<Dataset> more) {
        Dataset k = new Dataset();
        k.setString(Tag.PatientID, VR.LO, pid);
        k.setNull(Tag.SOPInstanceUID, VR.UI);
        more.accept(k);
        return QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.IMAGE, k);
    }
}
