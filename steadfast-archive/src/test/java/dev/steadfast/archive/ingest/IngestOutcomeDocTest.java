package dev.steadfast.archive.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, one outcome table: the conformance statement lists exactly the rows of
 * {@link IngestOutcome}, each with the C-STORE status, STOW-RS HTTP status and STOW-RS reason the
 * code gives; and every accepted or refused ingest result has its row.
 */
class IngestOutcomeDocTest {
    private static final Path DOC = Path.of("..", "docs", "CONFORMANCE.md");

    @Test
    void theConformanceStatementListsEveryOutcomeWithTheCodesTheFrontDoorsUse() throws IOException {
        Map<IngestOutcome, String[]> rows = new EnumMap<>(IngestOutcome.class);
        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String name = cells[1].strip().replace("`", "");
            IngestOutcome outcome = IngestOutcome.valueOf(name);
            assertThat(rows.put(outcome, cells)).as("row " + name + " listed once").isNull();
        }
        assertThat(rows.keySet()).as("rows of the outcome table in " + DOC).containsExactlyInAnyOrder(IngestOutcome.values());
        rows.forEach((outcome, cells) -> {
            String code = hex(outcome.dimseStatus());
            assertThat(cells[3].strip()).as(outcome + " C-STORE status").startsWith(code + " ");
            assertThat(cells[4].strip()).as(outcome + " STOW-RS HTTP status").isEqualTo(String.valueOf(outcome.httpStatus()));
            String reason = switch (outcome.stowReason()) {
                case NONE -> "–";
                case WARNING -> "Warning Reason " + hex(outcome.stowReasonCode());
                case FAILURE -> "Failure Reason " + hex(outcome.stowReasonCode());
            };
            assertThat(cells[5].strip()).as(outcome + " STOW-RS reason").isEqualTo(reason);
        });
    }

    @Test
    void everyResultHasItsRowAndSuccessWarningAndFailureAgreeAcrossColumns() {
        for (StoreResult.Outcome o : StoreResult.Outcome.values()) {
            IngestOutcome row = IngestOutcome.of(o);
            assertThat(row.isFailure()).as(o.name()).isFalse();
            assertThat(row.isWarning()).as(o.name()).isEqualTo(o.isWarning());
            assertThat(row.httpStatus()).as(o.name()).isEqualTo(row.isWarning() ? 202 : 200);
            assertThat(row.dimseStatus() == 0).as(o.name()).isEqualTo(!row.isWarning());
        }
        for (IngestException.Kind k : IngestException.Kind.values()) {
            IngestOutcome row = IngestOutcome.of(k);
            assertThat(row.isFailure()).as(k.name()).isTrue();
            assertThat(row.httpStatus()).as(k.name()).isBetween(400, 599);
            assertThat(row.dimseStatus() & 0xF000).as(k.name() + " is not a warning (Bxxx)").isNotEqualTo(0xB000);
        }
    }

    private static String hex(int code) {
        return HexFormat.of().withUpperCase().toHexDigits((short) code).toUpperCase(Locale.ROOT);
    }
}
