package dev.steadfast.archive.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, rolling upgrade (docs/DEPLOYMENT.md): while a new release migrates the schema, nodes of
 * the previous release keep running on it, so a migration only expands. It adds tables, nullable
 * columns or columns with a default, and indexes; it never drops, renames or retypes what a running
 * node may read or write, nor adds a constraint that an old node's writes could break. That
 * contraction waits for a later release and says so in a {@code -- contract:} line naming the
 * release that stopped using what it removes.
 */
class Issue15MigrationsExpandOnlyTest {
    private static final List<Pattern> CONTRACTING = Stream.of(
            "\\bdrop\\s+table\\b", "\\bdrop\\s+column\\b", "\\brename\\b", "\\balter\\s+column\\s+\\S+\\s+(set\\s+data\\s+)?type\\b",
            "\\bset\\s+not\\s+null\\b", "\\badd\\s+constraint\\b", "\\bdrop\\s+view\\b",
            "\\badd\\s+column\\s+(?:(?!default)[^,;])*\\bnot\\s+null\\b(?:(?!default)[^,;])*[,;]")
            .map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE)).toList();

    @Test
    void everyMigrationOfBothDialectsOnlyExpandsTheSchema() throws IOException {
        Path root = Path.of("src/main/resources/db/migration");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(files).as("migrations found").hasSizeGreaterThanOrEqualTo(5);
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.startsWith("V1__")) {
                continue; // the first schema: nothing ran before it
            }
            assertThat(violations(Files.readString(f))).as(root.relativize(f).toString()).isEmpty();
        }
    }

    @Test
    void theCheckCatchesWhatWouldBreakANodeOfThePreviousRelease() {
        assertThat(violations("ALTER TABLE instance DROP COLUMN calling_ae;")).isNotEmpty();
        assertThat(violations("ALTER TABLE study RENAME COLUMN study_date TO performed_on;")).isNotEmpty();
        assertThat(violations("ALTER TABLE instance ALTER COLUMN size TYPE INTEGER;")).isNotEmpty();
        assertThat(violations("ALTER TABLE instance ADD COLUMN node_id TEXT NOT NULL;")).isNotEmpty();
        assertThat(violations("ALTER TABLE instance ALTER COLUMN calling_ae SET NOT NULL;")).isNotEmpty();
        assertThat(violations("DROP TABLE instance_replacement;")).isNotEmpty();
        assertThat(violations("ALTER TABLE instance ADD COLUMN node_id TEXT;\n"
                + "ALTER TABLE study ADD COLUMN archived_at BIGINT DEFAULT 0 NOT NULL;\n"
                + "CREATE TABLE node (id TEXT PRIMARY KEY);\nDROP INDEX a_idx;\nCREATE INDEX a_idx ON instance (id);")).isEmpty();
        assertThat(violations("-- contract: release 7 stopped reading calling_ae\nALTER TABLE instance DROP COLUMN calling_ae;"))
                .as("an announced contraction").isEmpty();
    }

    /** The statements of {@code sql} that contract the schema, unless the file announces its contraction. */
    static List<String> violations(String sql) {
        if (sql.lines().anyMatch(l -> l.strip().toLowerCase(Locale.ROOT).startsWith("-- contract:"))) {
            return List.of();
        }
        String code = sql.replaceAll("--[^\\n]*", " ");
        List<String> found = new ArrayList<>();
        for (String statement : code.split(";")) {
            String st = statement.strip() + ";";
            for (Pattern p : CONTRACTING) {
                if (p.matcher(st).find()) {
                    found.add(st);
                    break;
                }
            }
        }
        return found;
    }
}
