package dev.steadfast.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.testing.CliRun;
import dev.steadfast.testing.Peers;
import dev.steadfast.testing.Corpus;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, {@code steadfast dump}: (1) elements of group 0001 (and the other odd groups below
 * 0008) that a file holds were missing from the JSON: the reader took them for File Meta
 * Information, because it read the meta group up to tag (0003,0000) instead of while the group is
 * 0002. (2) An element stored as UN whose VR is "US or SS" was shown as US when Pixel
 * Representation is 1 (signed); it is SS. pydicom, the corpus's JSON oracle, is the reference.
 */
class Issue13DumpJsonTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** Keys, VRs and values as pydicom's to_json_dict gives them, sorted, one per line. */
    private static final String PYDICOM_KEYS = """
            import sys, pydicom
            d = pydicom.dcmread(sys.argv[1]).to_json_dict()
            for k in sorted(d):
                vr = d[k]['vr']
                print(k, getattr(vr, 'value', vr), d[k].get('Value'))  # pydicom may give a VR enum
            """;

    @TempDir
    Path tmp;

    private String out;
    private String err;

    private int steadfast(String... args) {
        CliRun run = CliRun.of(args);
        out = run.out();
        err = run.err();
        return run.exitCode();
    }

    private Path write(String name, Dataset ds) throws Exception {
        Path f = tmp.resolve(name);
        try (OutputStream os = Files.newOutputStream(f)) {
            DicomWriter.writeFile(os, ds, UID.ExplicitVRLittleEndian);
        }
        return f;
    }

    private static Dataset secondaryCapture() {
        return new Dataset().setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage)
                .setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1.13");
    }

    @Test
    void elementsOfGroupsBelow0008AreInTheJsonAsInPydicoms() throws Exception {
        Dataset ds = secondaryCapture();
        for (int group : List.of(0x0001, 0x0003, 0x0005, 0x0007)) {
            ds.setString(group << 16 | 0x0010, VR.LO, "odd group " + group);
        }
        Path f = write("odd-groups.dcm", ds);
        assertThat(steadfast("dump", "--json", f.toString())).as(err).isZero();
        for (String key : List.of("00010010", "00030010", "00050010", "00070010")) {
            assertThat(out).contains("\"" + key + "\"");
        }
        assertThat(out).contains("\"odd group 1\"");
        // The listing puts them in the data set, after the meta information, as dcmdump does.
        assertThat(steadfast("dump", f.toString())).isZero();
        assertThat(out.substring(out.indexOf("# Data Set"))).contains("(0001,0010) LO [odd group 1]");
        assertThat(out.substring(0, out.indexOf("# Data Set"))).doesNotContain("(0001,0010)");

        assertThat(keys(f)).isEqualTo(pydicom(f));
    }

    @Test
    void anUnknownVrUsOrSsElementIsSignedWhenPixelRepresentationSaysSo() throws Exception {
        byte[] minus100 = {(byte) 0x9C, (byte) 0xFF}; // -100 as a 16-bit little endian value
        Dataset ds = secondaryCapture().setInt(Tag.PixelRepresentation, VR.US, 1)
                .setBytes(Tag.SmallestImagePixelValue, VR.UN, minus100)
                .setBytes(Tag.PixelPaddingValue, VR.UN, minus100);
        Path signed = write("signed.dcm", ds);
        assertThat(steadfast("dump", "--json", signed.toString())).as(err).isZero();
        assertThat(out.replaceAll("\\s", "")).contains("\"00280106\":{\"vr\":\"SS\",\"Value\":[-100]}")
                .contains("\"00280120\":{\"vr\":\"SS\",\"Value\":[-100]}");
        assertThat(keys(signed)).isEqualTo(pydicom(signed));

        Path unsigned = write("unsigned.dcm", ds.setInt(Tag.PixelRepresentation, VR.US, 0));
        assertThat(steadfast("dump", "--json", unsigned.toString())).as(err).isZero();
        assertThat(out.replaceAll("\\s", "")).contains("\"00280106\":{\"vr\":\"US\",\"Value\":[65436]}");
        assertThat(keys(unsigned)).isEqualTo(pydicom(unsigned));
    }

    /** Our JSON of a file in the oracle's form: key, VR and values per line. */
    private String keys(Path f) throws Exception {
        assertThat(steadfast("dump", "--json", f.toString())).isZero();
        Path json = Files.writeString(tmp.resolve(f.getFileName() + ".json"), out);
        Peers.Result r = Peers.run(List.of(PYTHON.toString(), "-c", """
                import sys, json
                d = json.load(open(sys.argv[1]))
                for k in sorted(d):
                    print(k, d[k]['vr'], d[k].get('Value'))
                """, json.toString()), 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }

    private static String pydicom(Path f) throws Exception {
        Corpus.requireOrSkip(Files.isExecutable(PYTHON), "/usr/bin/python3 with pydicom");
        Peers.Result r = Peers.run(List.of(PYTHON.toString(), "-c", PYDICOM_KEYS, f.toString()), 60);
        Corpus.requireOrSkip(!r.output().contains("No module named 'pydicom'"), "pydicom for /usr/bin/python3");
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }
}
