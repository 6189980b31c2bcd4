package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** dcmtk's storescu and findscu (also {@code -W}, the modality worklist) against a port, for the issue 18 tests. */
final class DimsePeer {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private DimsePeer() {
    }

    static void store(Path tmp, int port, Dataset ds) throws Exception {
        Path f = tmp.resolve("send-" + RUNS.incrementAndGet() + ".dcm");
        try (var out = Files.newOutputStream(f)) {
            DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian);
        }
        Peers.Result r = Peers.run(List.of(Peers.tool("storescu"), "-aec", "STEADFAST", "127.0.0.1", String.valueOf(port),
                f.toString()), 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    /** findscu with {@code model} (-S study root, -P patient root, -W worklist) and the keys; the answers. */
    static List<Dataset> find(Path tmp, String aet, int port, String model, List<String> keys) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("responses-" + RUNS.incrementAndGet()));
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("findscu"), model, "-aec", aet, "-X", "-od", dir.toString()));
        for (String k : keys) {
            cmd.add("-k");
            cmd.add(k);
        }
        cmd.add("127.0.0.1");
        cmd.add(String.valueOf(port));
        Peers.Result r = Peers.run(cmd, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<Dataset> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                out.add(DicomReader.readFile(f).dataset());
            }
        }
        return out;
    }

    static String strip(String v) {
        return v == null ? "" : v.replace("\0", "").strip();
    }
}
