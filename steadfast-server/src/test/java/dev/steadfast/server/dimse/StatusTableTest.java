package dev.steadfast.server.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.net.dimse.Status;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one table from archive outcomes to DIMSE statuses, checked row by row against PS3.4 B.2.3 / PS3.7 C. */
class StatusTableTest {
    @Test
    void everyRefusalHasItsStatus() {
        Map<IngestException.Kind, Integer> expected = new EnumMap<>(IngestException.Kind.class);
        expected.put(IngestException.Kind.CANNOT_UNDERSTAND, 0xC000);
        expected.put(IngestException.Kind.MISSING_ATTRIBUTE, 0xA900);
        expected.put(IngestException.Kind.DUPLICATE_REJECTED, 0x0111);
        expected.put(IngestException.Kind.INSTANCE_REJECTED, 0x0124);
        expected.put(IngestException.Kind.SERIES_IN_OTHER_STUDY, 0xC409); // dcm4chee's code for it (CONFORMANCE.md)
        expected.put(IngestException.Kind.OUT_OF_RESOURCES, 0xA700);
        expected.put(IngestException.Kind.INDEX_FAILURE, 0xA700);
        expected.put(IngestException.Kind.INPUT_FAILURE, 0x0110);
        assertThat(expected.keySet()).containsExactlyInAnyOrder(IngestException.Kind.values());
        expected.forEach((kind, code) -> {
            Status s = StatusTable.of(kind);
            assertThat(s.code()).as(kind.name()).isEqualTo(code);
            assertThat(s.category()).as(kind.name()).isEqualTo(Status.Category.FAILURE);
        });
    }

    @Test
    void acceptedOutcomesAreSuccessOrAWarning() {
        assertThat(StatusTable.of(StoreResult.Outcome.STORED)).isEqualTo(Status.SUCCESS);
        assertThat(StatusTable.of(StoreResult.Outcome.IDENTICAL_DUPLICATE)).isEqualTo(Status.SUCCESS);
        assertThat(StatusTable.of(StoreResult.Outcome.REPLACED)).isEqualTo(Status.SUCCESS);
        Status kept = StatusTable.of(StoreResult.Outcome.KEPT_FIRST);
        assertThat(kept.code()).isEqualTo(0xB006);
        assertThat(kept.category()).isEqualTo(Status.Category.WARNING);
    }

    @Test
    void theErrorCommentAndOffendingElementTravel() {
        var e = new IngestException(IngestException.Kind.MISSING_ATTRIBUTE, "Study Instance UID (0020,000D) is missing", 0x0020000D, null);
        var d = StatusTable.toDimse(e);
        assertThat(d.status().code()).isEqualTo(0xA900);
        assertThat(d.errorComment()).isEqualTo("Study Instance UID (0020,000D) is missing");
        assertThat(d.offendingElement()).isEqualTo(0x0020000D);
        assertThat(StatusTable.toDimse(new IngestException(IngestException.Kind.CANNOT_UNDERSTAND, "x", null)).offendingElement()).isEqualTo(-1);
        assertThat(StatusTable.notAuthorized("X", "storage").status().code()).isEqualTo(0x0124);
    }

    /** Issues 13 and 14: an invalid key names its attribute; the archive's own query limits are A700. */
    @Test
    void queryRefusalsHaveTheirStatus() {
        var invalid = StatusTable.toDimse(new dev.steadfast.archive.query.InvalidQueryException(
                "StudyDate (0008,0020): invalid date (YYYYMMDD) 'abc'", 0x00080020));
        assertThat(invalid.status().code()).isEqualTo(0xA900);
        assertThat(invalid.offendingElement()).isEqualTo(0x00080020);
        assertThat(StatusTable.toDimse(new dev.steadfast.archive.query.InvalidQueryException("x")).offendingElement())
                .isEqualTo(-1);
        for (var kind : dev.steadfast.archive.query.QueryLimitException.Kind.values()) {
            var d = StatusTable.toDimse(new dev.steadfast.archive.query.QueryLimitException(kind, "query time limit reached"));
            assertThat(d.status().code()).as(kind.name()).isEqualTo(0xA700);
            assertThat(d.errorComment()).isEqualTo("query time limit reached");
        }
    }
}
