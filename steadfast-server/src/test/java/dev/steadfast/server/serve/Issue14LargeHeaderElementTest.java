package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.testing.Peers;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "dies with OutOfMemoryError on the association thread, with no DIMSE status, when a
 * 300 MB element precedes Pixel Data under a 256 MB heap": the real {@code serve} in a child JVM
 * with -Xmx256m receives, from storescu, an instance whose 300 MB private OB element comes before
 * Pixel Data. It answers 0000 and stores the data set as received, the large value whole; the
 * heap does not hold it (it goes through a temporary file to storage).
 */
class Issue14LargeHeaderElementTest {
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    private static final Pattern STATUS = Pattern.compile("DIMSE Status\\s*:\\s*0x([0-9a-fA-F]{4})");
    private static final long BIG = 300L << 20;

    @TempDir
    Path tmp;

    @Test
    void a300MbElementBeforePixelDataIsStoredUnderA256MbHeap() throws Exception {
        String storescu = Peers.tool("storescu");
        String study = Instances.uid();
        String series = Instances.uid();
        String sop = Instances.uid();
        Path file = tmp.resolve("big-header.dcm");
        String sentSha = writeInstance(file, study, series, sop);
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("serve.log");
        Process server = fork(data, log);
        try {
            int port = awaitListening(server, log);
            Peers.Result r = Peers.run(List.of(storescu, "-d", "-aet", "MODALITY", "-aec", "STEADFAST", "127.0.0.1",
                    String.valueOf(port), file.toString()), 600);
            Matcher m = STATUS.matcher(r.output());
            String serveLog = Files.readString(log);
            assertThat(serveLog).as("serve log").doesNotContain("OutOfMemoryError");
            if (!m.find()) {
                fail("no C-STORE response:\n" + tail(r.output()) + "\nserve:\n" + tail(serveLog));
            }
            assertThat(Integer.parseInt(m.group(1), 16)).as("C-STORE status; serve:\n" + tail(serveLog)).isEqualTo(0x0000);
            List<Path> stored;
            try (Stream<Path> s = Files.walk(data.resolve("storage"))) {
                stored = s.filter(Files::isRegularFile).toList();
            }
            assertThat(stored).as("one stored object, no temporary file").hasSize(1);
            // Bit for bit as received: the stored data set is the one whose digest ingest recorded while it streamed...
            Received got = Received.of(stored.getFirst());
            assertThat(got.sopInstanceUid()).isEqualTo(sop);
            try (Index index = Index.open(IndexConfig.sqlite(data.resolve("index.db")))) {
                assertThat(index.read(tx -> tx.instances().find(sop)).orElseThrow().record().datasetSha256())
                        .isEqualTo(got.datasetSha256());
            }
            // ...and it holds the whole 300 MB value (storescu may re-encode the rest: padding, syntax).
            DicomFile parsed = DicomReader.readFile(stored.getFirst(), ReadOptions.DEFAULT.withBulkDataThreshold(1024));
            BulkData big = (BulkData) parsed.dataset().get(0x00291010).value();
            assertThat(big.length()).isEqualTo(BIG);
            try (InputStream in = big.openStream()) {
                assertThat(Received.sha256(in)).as("the 300 MB value").isEqualTo(sentSha);
            }
            assertThat(parsed.dataset().getInt(Tag.Rows, 0)).as("what follows it, too").isEqualTo(16);
        } finally {
            Peers.stop(server);
        }
    }

    /** Writes a Part 10 file (explicit VR LE) with a 300 MB private OB before Pixel Data; returns that value's SHA-256. */
    private static String writeInstance(Path file, String study, String series, String sop) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(new byte[128]);
            out.write("DICM".getBytes(StandardCharsets.US_ASCII));
            List<byte[]> meta = new ArrayList<>();
            meta.add(element(0x00020001, "OB", new byte[] {0, 1}));
            meta.add(element(0x00020002, "UI", ui(UID.SecondaryCaptureImageStorage)));
            meta.add(element(0x00020003, "UI", ui(sop)));
            meta.add(element(0x00020010, "UI", ui(UID.ExplicitVRLittleEndian)));
            int metaLength = meta.stream().mapToInt(b -> b.length).sum();
            out.write(element(0x00020000, "UL", le32(metaLength)));
            for (byte[] b : meta) {
                out.write(b);
            }
            List<byte[]> ds = new ArrayList<>();
            ds.add(element(Tag.SOPClassUID, "UI", ui(UID.SecondaryCaptureImageStorage)));
            ds.add(element(Tag.SOPInstanceUID, "UI", ui(sop)));
            ds.add(element(Tag.Modality, "CS", "OT".getBytes(StandardCharsets.US_ASCII)));
            ds.add(element(Tag.PatientID, "LO", "ISSUE14OOM".getBytes(StandardCharsets.US_ASCII)));
            ds.add(element(Tag.StudyInstanceUID, "UI", ui(study)));
            ds.add(element(Tag.SeriesInstanceUID, "UI", ui(series)));
            for (byte[] b : ds) {
                out.write(b);
            }
            // (0029,0010) LO private creator, then (0029,1010) OB of 300 MB.
            byte[] creator = element(0x00290010, "LO", "STEADFAST TEST  ".getBytes(StandardCharsets.US_ASCII));
            out.write(creator);
            out.write(longHeader(0x00291010, "OB", BIG));
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) (i * 31);
            }
            for (long left = BIG; left > 0; left -= chunk.length) {
                out.write(chunk);
                sha.update(chunk);
            }
            List<byte[]> image = new ArrayList<>();
            image.add(element(Tag.SamplesPerPixel, "US", le16(1)));
            image.add(element(Tag.PhotometricInterpretation, "CS", "MONOCHROME2 ".getBytes(StandardCharsets.US_ASCII)));
            image.add(element(Tag.Rows, "US", le16(16)));
            image.add(element(Tag.Columns, "US", le16(16)));
            image.add(element(Tag.BitsAllocated, "US", le16(8)));
            image.add(element(Tag.BitsStored, "US", le16(8)));
            image.add(element(Tag.HighBit, "US", le16(7)));
            image.add(element(Tag.PixelRepresentation, "US", le16(0)));
            byte[] pixels = longHeader(Tag.PixelData, "OB", 256);
            image.add(pixels);
            image.add(new byte[256]);
            for (byte[] b : image) {
                out.write(b);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static byte[] ui(String uid) {
        String v = uid.length() % 2 == 0 ? uid : uid + "\0";
        return v.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] element(int tag, String vr, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(8 + value.length).order(ByteOrder.LITTLE_ENDIAN);
        if (vr.equals("OB")) {
            return concat(longHeader(tag, vr, value.length), value);
        }
        b.putShort((short) (tag >>> 16)).putShort((short) tag).put(vr.getBytes(StandardCharsets.US_ASCII))
                .putShort((short) value.length).put(value);
        return b.array();
    }

    private static byte[] longHeader(int tag, String vr, long length) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (tag >>> 16)).putShort((short) tag).put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) 0)
                .putInt((int) length);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    private static int awaitListening(Process server, Path log) throws Exception {
        for (int i = 0; i < 3000; i++) { // a hang guard: serve says it listens within seconds
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!server.isAlive()) {
                throw new AssertionError("serve exited with " + server.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("serve did not say it listens:\n" + Files.readString(log));
    }

    /** The real serve, as ServeCrashTest starts it, with a 256 MB heap. */
    private static Process fork(Path data, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "dev.steadfast.server.Main", "serve", "--data", data.toString(),
                "--dicom-port", "0", "--http-port", "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("STEADFAST_DICOM_BIND", "127.0.0.1");
        pb.environment().put("STEADFAST_SHUTDOWN_GRACE_SECONDS", "10");
        return pb.start();
    }
}
