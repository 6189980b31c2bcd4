package dev.steadfast.net.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.FileMeta;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import dev.steadfast.net.TestScp;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.dimse.CMoveService;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** dcmtk's SCU tools against our SCP (backed by the in-memory test handlers). */
class DcmtkScuTest {
    @TempDir
    Path tmp;

    @Test
    void echoscu() throws Exception {
        String echoscu = Peers.tool("echoscu");
        try (TestScp scp = new TestScp("OURSCP", AssociationConfig.DEFAULTS, 4, null)) {
            Peers.Result r = Peers.run(List.of(echoscu, "-aec", "OURSCP", "127.0.0.1", String.valueOf(scp.port())), null, 30);
            assertThat(r.exitCode()).as(r.output()).isZero();
            r = Peers.run(List.of(echoscu, "-aec", "WRONG", "127.0.0.1", String.valueOf(scp.port())), null, 30);
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.output()).contains("Called AE Title Not Recognized");
        }
    }

    /**
     * Every transfer syntax of the corpus, one presentation context per (SOP class, syntax) in one
     * association. dcmtk re-encodes what it sends (it drops trailing padding, for one), so the oracle
     * for "byte-identical" is the same storescu run into dcmtk's storescp in bit-preserving mode.
     */
    @ParameterizedTest(name = "our max PDU {0}, storescu max PDU {1}")
    @CsvSource({"16384, 16384", "1048576, 131072"})
    void storescuEveryTransferSyntax(int ourMaxPdu, int theirMaxPdu) throws Exception {
        String storescu = Peers.tool("storescu");
        String storescp = Peers.tool("storescp");
        List<String> files = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        List<String> syntaxes = new ArrayList<>();
        for (Corpus.Entry row : Corpus.wellFormed()) {
            if (row.transferSyntax().contains("no meta")) {
                continue; // storescu sends Part 10 files only
            }
            files.add(row.path().toString());
            if (!pairs.contains(row.sopClassUid() + "\\" + row.transferSyntaxUid())) {
                pairs.add(row.sopClassUid() + "\\" + row.transferSyntaxUid());
            }
            if (!syntaxes.contains(row.transferSyntaxUid())) {
                syntaxes.add(row.transferSyntaxUid());
            }
        }
        Path cfg = storescuConfig(pairs, syntaxes);
        List<String> sent = new ArrayList<>();
        Set<String> sentSyntaxes = new TreeSet<>();
        Path oracleDir = Files.createDirectories(tmp.resolve("oracle"));
        int oraclePort = Peers.freePort();
        Process oracle = Peers.start(List.of(storescp, "+B", "+uf", "+xa", "-od", oracleDir.toString(), String.valueOf(oraclePort)),
                tmp.resolve("storescp.log"));
        try {
            Peers.awaitPort(oraclePort, oracle, 10_000);
            storescu(storescu, cfg, theirMaxPdu, "ANY-SCP", oraclePort, files);
        } finally {
            Peers.stop(oracle);
        }
        try (Stream<Path> s = Files.list(oracleDir)) {
            for (Path p : s.toList()) {
                String ts = meta(p).transferSyntaxUid();
                sent.add(ts + " " + TestScp.sha256(TestScp.datasetBytes(p)));
                sentSyntaxes.add(ts);
            }
        }
        try (TestScp scp = new TestScp("OURSCP", AssociationConfig.DEFAULTS.withMaxPduLengthReceive(ourMaxPdu), 4, null)) {
            Peers.Result r = storescu(storescu, cfg, theirMaxPdu, "OURSCP", scp.port(), files);
            List<String> got = new ArrayList<>();
            Set<String> receivedSyntaxes = new TreeSet<>();
            for (TestScp.Received x : scp.all) {
                got.add(x.transferSyntaxUid() + " " + TestScp.sha256(x.dataset()));
                receivedSyntaxes.add(x.transferSyntaxUid());
            }
            assertThat(sent.size()).isGreaterThan(80);
            assertThat(got).as(r.output()).containsAll(sent);
            assertThat(receivedSyntaxes).containsAll(sentSyntaxes).hasSizeGreaterThanOrEqualTo(13); // dcmtk 3.6.7 knows neither HTJ2K nor JPEG XL
        }
    }

    /** A storescu profile with one presentation context per (SOP class, transfer syntax) pair. */
    private Path storescuConfig(List<String> pairs, List<String> syntaxes) throws Exception {
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
        return Files.writeString(tmp.resolve("storescu.cfg"), b);
    }

    private static Peers.Result storescu(String storescu, Path cfg, int maxPdu, String aec, int port, List<String> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(storescu, "-aet", "STORESCU", "-aec", aec, "-xf", cfg.toString(), "Corpus", "-nh",
                "--max-pdu", String.valueOf(maxPdu), "127.0.0.1", String.valueOf(port)));
        cmd.addAll(files);
        return Peers.run(cmd, null, 120);
    }

    private static boolean isStorage(Path f) throws Exception {
        String cuid = meta(f).mediaStorageSopClassUid();
        return cuid != null && dev.steadfast.dicom.dictionary.UidRegistry.storageSopClasses().contains(cuid);
    }

    private static FileMeta meta(Path f) throws Exception {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
            return DicomReader.readFileMeta(in);
        }
    }

    private static List<Path> someImages(int n) throws Exception {
        List<Path> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Corpus.Entry row : Corpus.wellFormed()) {
            Path p = row.path();
            // explicit VR LE: what getscu and storescp accept by default, so nothing is converted on the way
            if (row.sopClassUid().startsWith("1.2.840.10008.5.1.4.1.1.") && row.transferSyntaxUid().equals("1.2.840.10008.1.2.1") && !row.transferSyntax().contains("no meta") && out.size() < n
                    && seen.add(meta(p).mediaStorageSopInstanceUid())) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void findscuMovescuGetscu() throws Exception {
        String findscu = Peers.tool("findscu");
        String movescu = Peers.tool("movescu");
        String getscu = Peers.tool("getscu");
        String storescp = Peers.tool("storescp");
        List<Path> images = someImages(3);
        try (TestScp scp = new TestScp("OURSCP", AssociationConfig.DEFAULTS, 4, null)) {
            for (Path p : images) {
                scp.addToArchive(p);
            }
            String port = String.valueOf(scp.port());
            Peers.Result r = Peers.run(List.of(findscu, "-S", "-aec", "OURSCP", "-k", "QueryRetrieveLevel=IMAGE", "-k", "SOPInstanceUID",
                    "127.0.0.1", port), null, 30);
            assertThat(r.exitCode()).as(r.output()).isZero();
            for (Path p : images) {
                assertThat(r.output()).contains(meta(p).mediaStorageSopInstanceUid());
            }

            Path getDir = Files.createDirectories(tmp.resolve("get"));
            r = Peers.run(List.of(getscu, "-S", "+B", "-aec", "OURSCP", "-od", getDir.toString(), "-k", "QueryRetrieveLevel=STUDY",
                    "127.0.0.1", port), null, 60);
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertReceivedByteIdentical(getDir, images);

            int destPort = Peers.freePort();
            Path moveDir = Files.createDirectories(tmp.resolve("move"));
            Process dest = Peers.start(List.of(storescp, "+B", "-aet", "MOVEDEST", "-od", moveDir.toString(), String.valueOf(destPort)),
                    tmp.resolve("storescp.log"));
            try {
                Peers.awaitPort(destPort, dest, 10_000);
                scp.destinations.put("MOVEDEST", new CMoveService.MoveDestination("MOVEDEST", "127.0.0.1", destPort));
                r = Peers.run(List.of(movescu, "-S", "-aec", "OURSCP", "-aem", "MOVEDEST", "-k", "QueryRetrieveLevel=STUDY",
                        "127.0.0.1", port), null, 60);
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertReceivedByteIdentical(moveDir, images);
            } finally {
                Peers.stop(dest);
            }
        }
    }

    /** Files written by dcmtk hold the same data set bytes and transfer syntax as our originals. */
    static void assertReceivedByteIdentical(Path dir, List<Path> originals) throws Exception {
        List<Path> got;
        try (Stream<Path> s = Files.list(dir)) {
            got = s.filter(Files::isRegularFile).toList();
        }
        assertThat(got).hasSize(originals.size());
        for (Path o : originals) {
            FileMeta om = meta(o);
            Path match = null;
            for (Path g : got) {
                if (om.mediaStorageSopInstanceUid().equals(meta(g).mediaStorageSopInstanceUid())) {
                    match = g;
                }
            }
            assertThat(match).as("received " + o).isNotNull();
            assertThat(meta(match).transferSyntaxUid()).isEqualTo(om.transferSyntaxUid());
            assertThat(TestScp.sha256(TestScp.datasetBytes(match))).as(o.toString()).isEqualTo(TestScp.sha256(TestScp.datasetBytes(o)));
        }
        assertThat(Tag.SOPInstanceUID).isPositive();
    }
}
