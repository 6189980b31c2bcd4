package dev.steadfast.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server under test, started by the benchmark on loopback in its own process (and stopped by
 * it, by PID). {@link #storedFiles()} counts what reached its storage, to check a run.
 */
public final class Peer implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int dicomPort;
    private final String aeTitle;
    private final int httpPort;
    private final String qidoBase;
    private final Path storage;
    private final Runnable onClose;

    Peer(String name, Process process, int dicomPort, String aeTitle, int httpPort, String qidoBase, Path storage,
         Runnable onClose) {
        this.name = name;
        this.process = process;
        this.dicomPort = dicomPort;
        this.aeTitle = aeTitle;
        this.httpPort = httpPort;
        this.qidoBase = qidoBase;
        this.storage = storage;
        this.onClose = onClose;
    }

    public String name() { return name; }

    public int dicomPort() { return dicomPort; }

    public String aeTitle() { return aeTitle; }

    public int httpPort() { return httpPort; }

    /** The same process under another name (a variant of a peer kind). */
    Peer(String name, Peer p) {
        this(name, p.process, p.dicomPort, p.aeTitle, p.httpPort, p.qidoBase, p.storage, p.onClose);
    }

    /** e.g. {@code http://127.0.0.1:8042/dicom-web}; null when the peer has no QIDO-RS. */
    public String qidoBase() { return qidoBase; }

    public long pid() { return process.pid(); }

    /** Where the peer keeps what it stores (storescp: its output folder). */
    public Path storage() { return storage; }

    public double cpuSeconds() { return ProcStats.cpuSeconds(pid()); }

    public double peakRssMb() { return ProcStats.peakRssMb(pid()); }

    /** Regular, non-hidden files under the peer's storage directory. */
    public long storedFiles() throws IOException {
        if (storage == null || !Files.exists(storage)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(storage)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // BenchNode stops on end of input
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(300, TimeUnit.MILLISECONDS)) { // SIGTERM for the others (graceful stop)
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (onClose != null) {
            onClose.run();
        }
    }
}
