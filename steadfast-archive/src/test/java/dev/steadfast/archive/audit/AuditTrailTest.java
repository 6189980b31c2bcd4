package dev.steadfast.archive.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Records from many threads at once reach the local log whole and chained, written in batches by its writer. */
class AuditTrailTest {
    @TempDir
    Path dir;

    @Test
    void concurrentRecordsAllLandInOneIntactChain() throws Exception {
        Path file = dir.resolve("audit/access.log");
        AuditTrail trail = new AuditTrail(ChainedAuditLog.open(file), null, "node", null);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String ae = "AE" + t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 500; i++) {
                    trail.record(AuditEvents.applicationStarted(ae, String.valueOf(i)));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        trail.close(); // drains what waits
        ChainedAuditLog.Verification v = ChainedAuditLog.verify(file);
        assertThat(v.intact()).isTrue();
        assertThat(v.records()).isEqualTo(4000);
        assertThat(trail.recorded()).isEqualTo(4000);
        assertThat(trail.failures()).isZero();
    }
}
