package dev.steadfast.archive.audit;

import dev.steadfast.testing.AuditSchema;
import dev.steadfast.testing.Rsyslog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local audit log shows tampering: a changed, removed or reordered record breaks the chain there (issue 14). */
class ChainedAuditLogTest {
    @TempDir
    Path dir;

    private Path logWith(int records) throws IOException {
        return logWith("audit/audit.log", records);
    }

    private Path logWith(String name, int records) throws IOException {
        Path file = dir.resolve(name);
        try (ChainedAuditLog log = ChainedAuditLog.open(file)) {
            for (int i = 1; i <= records; i++) {
                log.append(AuditXml.write(AuditEvents.applicationStarted("AE" + i, "1"), "node", null));
            }
        }
        return file;
    }

    @Test
    void anUntouchedLogVerifiesAndAReopenedLogContinuesItsChain() throws IOException {
        Path file = logWith(3);
        try (ChainedAuditLog log = ChainedAuditLog.open(file)) {
            log.append("<AuditMessage/>");
        }
        ChainedAuditLog.Verification v = ChainedAuditLog.verify(file);
        assertThat(v.intact()).isTrue();
        assertThat(v.records()).isEqualTo(4);
    }

    @Test
    void aChangedRecordBreaksTheChainAtThatRecord() throws IOException {
        Path file = logWith(5);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.set(2, lines.get(2).replace("AE3", "AE9"));
        Files.write(file, lines, StandardCharsets.UTF_8);
        ChainedAuditLog.Verification v = ChainedAuditLog.verify(file);
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenAt()).isEqualTo(3);
        assertThat(v.records()).isEqualTo(2);
    }

    @Test
    void aRemovedRecordOrARecomputedHashIsFound() throws IOException {
        Path file = logWith(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.remove(1);
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertThat(ChainedAuditLog.verify(file).brokenAt()).isEqualTo(2);

        // A forger who recomputes the changed record's own hash still breaks the next record's link.
        Path again = dir.resolve("again.log");
        Files.copy(logWith("second/audit.log", 4), again);
        List<String> l2 = new ArrayList<>(Files.readAllLines(again, StandardCharsets.UTF_8));
        String[] p0 = l2.get(0).split(" ", 3);
        String forged = p0[2].replace("AE1", "XX1");
        l2.set(0, "1 " + ChainedAuditLog.hash(ChainedAuditLog.GENESIS, 1, forged) + " " + forged);
        Files.write(again, l2, StandardCharsets.UTF_8);
        assertThat(ChainedAuditLog.verify(again).brokenAt()).isEqualTo(2);
    }

    @Test
    void aDamagedLogIsNotContinuedSilently() throws IOException {
        Path file = logWith(2);
        Files.writeString(file, "garbage\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ChainedAuditLog.open(file)).hasMessageContaining("damaged at record 3");
    }
}
