package dev.steadfast.server.cli.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.io.FileMeta;
import dev.steadfast.dicom.io.FileMetaBuilder;
import dev.steadfast.dicom.json.DicomJsonWriter;
import dev.steadfast.server.testing.CliRun;
import dev.steadfast.testing.Peers;
import dev.steadfast.testing.Corpus;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, {@code steadfast send} against dcmtk's storescp (bit-preserving, every syntax):
 * (1) the C-STORE request carried the File Meta Information's SOP Instance UID, so a file whose
 * meta disagrees with its data set was refused with A900; the data set's UIDs are used now, as
 * storescu does, with a warning. (2) A deflated data set of odd length went out in an odd P-DATA
 * fragment and storescp aborted ("Odd Fragment Length"); it is padded to even (PS3.5 A.5).
 */
class Issue13SendToStorescpTest {
    @TempDir
    Path tmp;
    private Path received;
    private Process storescp;
    private int port;
    private String out;
    private String err;

    @BeforeEach
    void startStorescp() throws Exception {
        received = Files.createDirectories(tmp.resolve("received"));
        port = Peers.freePort();
        storescp = Peers.start(List.of(Peers.tool("storescp"), "+B", "+xa", "-aet", "STORESCP", "-od", received.toString(),
                String.valueOf(port)), tmp.resolve("storescp.log"));
        Peers.awaitPort(port, storescp, 10_000);
    }

    @AfterEach
    void stopStorescp() {
        Peers.stop(storescp);
    }

    private int steadfast(String... args) {
        CliRun run = CliRun.of(args);
        out = run.out();
        err = run.err();
        return run.exitCode();
    }

    private Path receivedFile(String sopInstanceUid) throws Exception {
        List<Path> all;
        try (Stream<Path> s = Files.list(received)) {
            all = s.toList();
        }
        List<Path> files = all.stream().filter(p -> p.getFileName().toString().endsWith(sopInstanceUid)).toList();
        assertThat(files).as("storescp stored %s; it has %s; its log: %s", sopInstanceUid, all,
                Files.readString(tmp.resolve("storescp.log"))).hasSize(1);
        return files.getFirst();
    }

    @Test
    void aFileWhoseMetaInformationDisagreesGoesUnderItsDataSetsUidsWithAWarning() throws Exception {
        Dataset ds = new Dataset().setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage)
                .setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.13.1")
                .setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.13.2")
                .setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.13.3");
        Dataset other = ds.copy().setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.13.999");
        Path f = tmp.resolve("renamed.dcm");
        try (OutputStream os = Files.newOutputStream(f)) {
            DicomWriter.writeFile(os, FileMetaBuilder.build(other, UID.ExplicitVRLittleEndian, null), ds, UID.ExplicitVRLittleEndian);
        }
        assertThat(steadfast("send", "STORESCP@127.0.0.1:" + port, f.toString())).as(out + err).isZero();
        assertThat(out).startsWith("sent 1 of 1 to STORESCP@127.0.0.1:" + port + ", 0 failed");
        assertThat(err.strip()).isEqualTo("warning: " + f + ": the File Meta Information's (0002,0003) 1.2.826.0.1.3680043.10.13.999 "
                + "differs from the data set's SOP Instance UID 1.2.826.0.1.3680043.10.13.1; the data set's is used");
        Path got = receivedFile("1.2.826.0.1.3680043.10.13.1");
        assertThat(DicomReader.readFile(got).dataset().getString(Tag.SOPInstanceUID)).isEqualTo("1.2.826.0.1.3680043.10.13.1");
    }

    @Test
    void aDeflatedDataSetOfOddLengthIsSentPaddedAndStorescpKeepsIt() throws Exception {
        Path corpus = Corpus.root().resolve("waveform/dicomParser__wave_dfl.dcm");
        Corpus.requireOrSkip(Files.exists(corpus), "corpus file " + corpus);
        FileMeta meta;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(corpus))) {
            meta = DicomReader.readFileMeta(in);
        }
        byte[] file = Files.readAllBytes(corpus);
        byte[] deflated = Arrays.copyOfRange(file, (int) meta.datasetOffset(), file.length);
        assertThat(meta.transferSyntaxUid()).isEqualTo(UID.DeflatedExplicitVRLittleEndian);
        assertThat(deflated.length % 2).as("the corpus file's deflated data set has odd length").isOne();
        // Its meta information names another instance than its data set; a fresh one that agrees
        // keeps this test about the odd length alone. The deflated bytes are the corpus file's.
        Dataset ids = DicomReader.readFile(corpus).dataset();
        Path f = tmp.resolve("wave_dfl.dcm");
        try (OutputStream os = Files.newOutputStream(f)) {
            DicomWriter.writeFile(os, FileMetaBuilder.build(ids, UID.DeflatedExplicitVRLittleEndian, null), new Dataset(),
                    UID.ExplicitVRLittleEndian);
            os.write(deflated);
        }

        // The older --to form, still accepted.
        assertThat(steadfast("send", "--to", "STORESCP@127.0.0.1:" + port, f.toString())).as(out + err).isZero();
        assertThat(out).startsWith("sent 1 of 1");
        assertThat(err).isEmpty();
        Path got = receivedFile(ids.getString(Tag.SOPInstanceUID));
        FileMeta gotMeta;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(got))) {
            gotMeta = DicomReader.readFileMeta(in);
        }
        assertThat(gotMeta.transferSyntaxUid()).isEqualTo(UID.DeflatedExplicitVRLittleEndian);
        byte[] gotFile = Files.readAllBytes(got);
        byte[] gotData = Arrays.copyOfRange(gotFile, (int) gotMeta.datasetOffset(), gotFile.length);
        assertThat(gotData).as("the deflated bytes unchanged, plus one pad byte").isEqualTo(Arrays.copyOf(deflated, deflated.length + 1));
        assertThat(DicomJsonWriter.toJson(DicomReader.readFile(got).dataset())).isEqualTo(DicomJsonWriter.toJson(ids));
    }
}
