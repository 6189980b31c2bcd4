package dev.steadfast.web.testing;

import dev.steadfast.web.WebConfig;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server in its own JVM over an archive directory, for tests that need a separate heap
 * (bounded memory) and for trying clients by hand. Writes its port to the given file, runs
 * until its standard input closes.
 *
 * <p>usage: ForkedServer DATA_DIR PORT_FILE
 */
public final class ForkedServer {
    private ForkedServer() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        try (TestArchive archive = new TestArchive(dir, WebConfig.on("127.0.0.1", 0)) {
            @Override
            public void close() throws Exception {
                server.stop();
                index.close(); // keep the data: it belongs to the caller
            }
        }) {
            Files.writeString(Path.of(args[1] + ".tmp"), Integer.toString(archive.server.port()));
            Files.move(Path.of(args[1] + ".tmp"), Path.of(args[1]));
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
