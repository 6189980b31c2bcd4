package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: HTTP connections cost the server a file descriptor each, and nothing bounded them: 624 idle
 * connections from one unauthenticated client took every descriptor of a serve limited to 600 open files,
 * and then DICOM accepts failed ("Too many open files"), a C-STORE timed out and the storage target was
 * seen failing. Now {@code http.max-connections} (default a quarter of the open-file limit) bounds them:
 * beyond it the port stops accepting (new connections wait in the listen backlog). Here: 40 allowed, 70 idle
 * sockets held; the server holds at most 40 of them, and meanwhile a C-STORE is answered.
 */
class Issue14HttpConnectionLimitTest {
    private static final int LIMIT = 40;
    private static final int HELD = 70; // within the listen backlog (50) beyond the limit: connects do not wait

    @TempDir
    Path tmp;

    @Test
    void idleConnectionsBeyondTheLimitTakeNoDescriptorsAndOthersAreServed() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "counts descriptors through /proc (Linux)");
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                Map.of("http.max-connections", String.valueOf(LIMIT)), List.of())) {
            long before = count(fds);
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < HELD; i++) {
                    held.add(new Socket("127.0.0.1", node.httpPort())); // connects: the kernel's backlog takes it
                }
                // Our own 70 client sockets, and at most 40 the server accepted (a few more for the node's own work);
                // without the limit it accepts all 70.
                long grown = count(fds) - before;
                assertThat(grown).as("descriptors after %d idle connections", HELD).isLessThan(HELD + LIMIT + 15);

                DimsePeer.store(tmp, node.dicomPort(), Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 64));
                assertThat(count(fds) - before).isLessThan(HELD + LIMIT + 15);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private static long count(Path fds) throws Exception {
        try (var s = Files.list(fds)) {
            return s.count();
        }
    }
}
