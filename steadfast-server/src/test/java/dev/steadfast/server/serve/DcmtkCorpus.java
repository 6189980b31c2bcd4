package dev.steadfast.server.serve;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole corpus as storescu sends it: one presentation context per (SOP class, syntax), so
 * nothing is converted. dcmtk re-encodes a little on the way (padding), so what storescu really
 * sends is captured once per JVM by dcmtk's own storescp in bit-preserving mode: the oracle.
 */
final class DcmtkCorpus {
    private static List<Received> oracle;
    private static final Map<String, Dataset> HEADERS = new HashMap<>();

    private DcmtkCorpus() {
    }

    /** Corpus files storescu can send (Part 10, not the corrupt ones). */
    static List<Path> files() {
        return entries().stream().map(Corpus.Entry::path).toList();
    }

    private static List<Corpus.Entry> entries() {
        List<Corpus.Entry> out = new ArrayList<>();
        for (Corpus.Entry e : Corpus.wellFormed()) {
            if (!Character.isDigit(e.sopClass().charAt(0))) {
                continue;
            }
            String n = e.notes().toLowerCase(java.util.Locale.ROOT);
            if (!n.contains("no meta") && !n.contains("no file meta") && !n.contains("without preamble")) {
                out.add(e);
            }
        }
        return out;
    }

    static Path profile(Path dir) throws IOException {
        List<String> pairs = new ArrayList<>();
        List<String> syntaxes = new ArrayList<>();
        for (Corpus.Entry e : entries()) {
            String pair = e.sopClass().split(" ")[0] + "\\" + e.transferSyntaxUid();
            if (!pairs.contains(pair)) {
                pairs.add(pair);
            }
            if (!syntaxes.contains(e.transferSyntaxUid())) {
                syntaxes.add(e.transferSyntaxUid());
            }
        }
        StringBuilder b = new StringBuilder("[[TransferSyntaxes]]\n");
        for (int i = 0; i < syntaxes.size(); i++) {
            b.append("[TS").append(i).append("]\nTransferSyntax1 = ").append(syntaxes.get(i)).append('\n');
        }
        b.append("\n[[PresentationContexts]]\n[PCS]\n");
        for (int i = 0; i < pairs.size(); i++) {
            String[] p = pairs.get(i).split("\\\\");
            b.append("PresentationContext").append(i + 1).append(" = ").append(p[0]).append("\\TS").append(syntaxes.indexOf(p[1])).append('\n');
        }
        b.append("\n[[Profiles]]\n[Corpus]\nPresentationContexts = PCS\n");
        return Files.writeString(dir.resolve("storescu.cfg"), b);
    }

    /** storescu with the corpus profile, sending {@code files} over one association. */
    static Process storescu(Path profile, String aec, int port, List<Path> files, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("storescu"), "-aet", "STORESCU", "-aec", aec, "-xf", profile.toString(),
                "Corpus", "-nh", "127.0.0.1", String.valueOf(port)));
        files.forEach(f -> cmd.add(f.toString()));
        return Peers.start(cmd, log);
    }

    /** What storescu sends, as dcmtk's bit-preserving storescp receives it. */
    static synchronized List<Received> oracle(Path ignoredTestDir) throws Exception {
        if (oracle == null) {
            // Cached for the whole JVM, so it must not live in one test class's @TempDir, which is
            // deleted when that class ends while later classes still read the files.
            Path tmp = Files.createTempDirectory("steadfast-dcmtk-oracle");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(tmp)));
            Path dir = Files.createDirectories(tmp.resolve("oracle"));
            int port = Peers.freePort();
            Process scp = Peers.start(List.of(Peers.tool("storescp"), "+B", "+uf", "+xa", "-od", dir.toString(), String.valueOf(port)),
                    tmp.resolve("oracle-storescp.log"));
            try {
                Peers.awaitPort(port, scp, 10_000);
                Process scu = storescu(profile(tmp), "ANY-SCP", port, files(), tmp.resolve("oracle-storescu.log"));
                scu.waitFor();
            } finally {
                Peers.stop(scp);
            }
            oracle = List.copyOf(Received.all(dir));
            if (oracle.isEmpty()) {
                throw new AssertionError("storescu sent nothing to the oracle:\n" + Files.readString(tmp.resolve("oracle-storescu.log"))
                        + Files.readString(tmp.resolve("oracle-storescp.log")));
            }
        }
        return oracle;
    }

    /** The header of a received file (up to Pixel Data). */
    static synchronized Dataset header(Received r) throws IOException {
        Dataset h = HEADERS.get(r.file().toString());
        if (h == null) {
            h = DicomReader.readFile(r.file(), ReadOptions.headerOnly()).dataset();
            HEADERS.put(r.file().toString(), h);
        }
        return h;
    }

    /** Whether the archive must refuse it: a UID it needs is missing. */
    static boolean lacksUids(Received r) throws IOException {
        Dataset h = header(r);
        for (int tag : new int[] {Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID}) {
            String v = h.getString(tag);
            if (v == null || v.isBlank()) {
                return true;
            }
        }
        return false;
    }

    static Set<String> values(List<Received> rs, int tag) throws IOException {
        Set<String> out = new HashSet<>();
        for (Received r : rs) {
            if (!lacksUids(r)) {
                String v = header(r).getString(tag);
                if (v != null) {
                    out.add(v.strip());
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
