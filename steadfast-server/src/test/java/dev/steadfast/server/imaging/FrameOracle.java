package dev.steadfast.server.imaging;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.testing.Peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frame 1 as independent decoders make it: dcmtk (dcmconv, dcmdjpeg, dcmdjpls, dcmdrle) or
 * gdcmconv --raw write the file uncompressed, explicit VR little endian; the first frame's bytes
 * of that file are the oracle, colour interleaved.
 */
final class FrameOracle {
    private FrameOracle() {}

    /** Frame {@code frame} (1-based) of {@code file}, decompressed by dcmtk or gdcm. */
    static byte[] frame(Path file, String ts, int frame, Path tmp) throws Exception {
        Path out = tmp.resolve("oracle-" + System.nanoTime() + ".dcm");
        List<List<String>> tries = new ArrayList<>();
        if (ts.startsWith("1.2.840.10008.1.2.4.5") || ts.startsWith("1.2.840.10008.1.2.4.7")) {
            tries.add(List.of(Peers.tool("dcmdjpeg"), file.toString(), out.toString()));
        } else if (ts.startsWith("1.2.840.10008.1.2.4.8")) {
            tries.add(List.of(Peers.tool("dcmdjpls"), file.toString(), out.toString()));
        } else if (ts.equals("1.2.840.10008.1.2.5")) {
            tries.add(List.of(Peers.tool("dcmdrle"), file.toString(), out.toString()));
        } else if (!ts.startsWith("1.2.840.10008.1.2.4")) {
            tries.add(List.of(Peers.tool("dcmconv"), "+te", file.toString(), out.toString()));
        }
        tries.add(List.of(Peers.tool("gdcmconv"), "--raw", file.toString(), out.toString()));
        for (List<String> cmd : tries) {
            Files.deleteIfExists(out);
            Peers.Result r = Peers.run(cmd, 120);
            if (r.exitCode() == 0 && Files.exists(out) && Files.size(out) > 0) {
                DicomFile f = DicomReader.readFile(out);
                Dataset ds = f.dataset();
                assertThat(f.transferSyntaxUid()).as("oracle output of " + cmd.getFirst()).isEqualTo("1.2.840.10008.1.2.1");
                byte[] all = ds.getBytes(Tag.PixelData);
                int len = frameLength(ds);
                byte[] one = Arrays.copyOfRange(all, (frame - 1) * len, frame * len);
                return ds.getInt(Tag.PlanarConfiguration, 0) == 1 ? interleave(one, ds) : one;
            }
        }
        throw new AssertionError("no oracle could decode " + file);
    }

    static int frameLength(Dataset ds) {
        return ds.getInt(Tag.Rows, 0) * ds.getInt(Tag.Columns, 0) * ds.getInt(Tag.SamplesPerPixel, 1)
                * ds.getInt(Tag.BitsAllocated, 8) / 8;
    }

    private static byte[] interleave(byte[] planes, Dataset ds) {
        int spp = ds.getInt(Tag.SamplesPerPixel, 1);
        int bytes = ds.getInt(Tag.BitsAllocated, 8) / 8;
        int pixels = planes.length / spp / bytes;
        byte[] out = new byte[planes.length];
        for (int s = 0; s < spp; s++) {
            for (int p = 0; p < pixels; p++) {
                System.arraycopy(planes, (s * pixels + p) * bytes, out, (p * spp + s) * bytes, bytes);
            }
        }
        return out;
    }

    /**
     * Wraps one compressed frame the server sent into a single-frame object of the same image
     * in {@code ts}, so an independent decoder can read it.
     */
    static Path wrap(Dataset header, byte[] frame, String ts, Path tmp) throws Exception {
        Dataset ds = new Dataset();
        for (int tag : new int[] {Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID,
                Tag.SamplesPerPixel, Tag.PhotometricInterpretation, Tag.Rows, Tag.Columns, Tag.BitsAllocated,
                Tag.BitsStored, Tag.HighBit, Tag.PixelRepresentation, Tag.PlanarConfiguration}) {
            Element e = header.get(tag);
            if (e != null) {
                ds.put(e);
            }
        }
        Fragments f = new Fragments();
        f.add(new byte[0]);
        f.add(frame.length % 2 == 0 ? frame : Arrays.copyOf(frame, frame.length + 1));
        ds.put(new Element(Tag.PixelData, VR.OB, f, false));
        Path file = tmp.resolve("served-" + System.nanoTime() + ".dcm");
        try (var out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, ds, ts);
        }
        return file;
    }
}
