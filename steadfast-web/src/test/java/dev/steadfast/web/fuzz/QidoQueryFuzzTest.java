package dev.steadfast.web.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.qido.QidoQuery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of QIDO-RS parameter parsing (PS3.18 8.3.4, issue 14): any query string
 * becomes a query or a 4xx {@link HttpError} naming what is wrong; any other exception, an Error or a
 * hang is a finding. Names are drawn partly from real attribute keywords and tags so the fuzzer reaches
 * the value parsers (dates, ranges, UID lists, sequences), not only the "unknown attribute" answer.
 */
class QidoQueryFuzzTest {
    private static final String[] NAMES = {
        "PatientName", "PatientID", "StudyDate", "StudyTime", "AccessionNumber", "ModalitiesInStudy",
        "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "0020000D", "00100010", "00080020",
        "ReferringPhysicianName", "StudyDescription", "Modality", "SeriesNumber", "InstanceNumber",
        "ScheduledProcedureStepSequence.Modality", "RequestAttributesSequence.AccessionNumber",
        "PatientBirthDate", "AcquisitionDateTime", "includefield", "limit", "offset", "fuzzymatching",
    };
    private static final QueryLevel[] LEVELS = {QueryLevel.STUDY, QueryLevel.SERIES, QueryLevel.IMAGE};

    @FuzzTest(maxDuration = "5m")
    void queryParameters(FuzzedDataProvider data) {
        QueryLevel level = data.pickValue(LEVELS);
        int n = data.consumeInt(0, 8);
        List<Map.Entry<String, String>> params = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(40);
            params.add(Map.entry(name, data.consumeString(200)));
        }
        String study = data.consumeBoolean() ? data.consumeString(64) : null;
        try {
            QidoQuery.parse(level, study, null, params);
        } catch (HttpError refused) {
            assertThat(refused.status()).as(refused.getMessage()).isBetween(400, 499);
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
